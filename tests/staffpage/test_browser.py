"""The staff page in Chromium, as a person uses it: an anonymous consultation answered by a
coordinator and read back with the code, an anonymous report without JavaScript, a named
report after signing in at a real OpenID provider; axe-core (WCAG 2.1 AA) on every step."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from bot.case.models import Reporter
from tests.site.conftest import mock_user, signin_config
from tests.staffpage.conftest import CODE, REFERENCE, MakeStaff
from tests.web.axe import assert_accessible
from tests.web.conftest import CHROMIUM_ARGS, installed_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


async def _no_csp_violations(tab: Page) -> None:
    assert await tab.evaluate("window.__csp") == []


async def test_an_anonymous_consultation_is_answered_and_read_back(
    page: Page, make_staff: MakeStaff
) -> None:
    staff = await make_staff()
    await page.goto(staff.url + "/melden")
    await assert_accessible(page, "the start page")
    await page.get_by_role("link", name="Anoniem overleggen").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Anoniem overleggen")
    await assert_accessible(page, "the consultation form")
    await page.get_by_role("button", name="Anoniem versturen").click()
    await expect(page.get_by_text("Vul dit in.")).to_be_visible()
    await assert_accessible(page, "the consultation form, refused")
    situation = page.get_by_role("textbox", name="Waar twijfel je over?")
    await situation.fill("Een klant belt steeds terug. Kan dat?")
    await page.get_by_role("button", name="Anoniem versturen").click()
    await expect(page.get_by_text("Je ontvangstcode")).to_be_visible()
    assert page.url == staff.url + "/melden/overleggen"  # the address did not change
    await assert_accessible(page, "the code, shown once")
    code = CODE.search(await page.locator("main").inner_text())
    assert code is not None
    await staff.runtime.outbox.settle()
    await staff.answer_consultation("Dat mag je altijd melden. Bel me gerust.")

    await page.set_viewport_size({"width": 375, "height": 740})  # a phone
    await page.goto(staff.url + "/melden/code")
    await assert_accessible(page, "the code form on a phone")
    wide = await page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 375  # nothing sideways to scroll on a phone
    await page.get_by_role("textbox", name="Ontvangstcode").fill(code.group(0))
    await page.get_by_role("button", name="Open", exact=True).click()
    await expect(page.get_by_text("Dat mag je altijd melden. Bel me gerust.")).to_be_visible()
    await assert_accessible(page, "the answer, read back")
    await page.get_by_role("button", name="Reageren").click()
    await page.get_by_role("textbox", name="Je bericht").fill("Dank je wel.")
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_text("Verstuurd.")).to_be_visible()
    await assert_accessible(page, "the reply, sent")
    await _no_csp_violations(page)
    cookies = await page.context.cookies()
    assert cookies == []  # an anonymous visitor carries no cookie away


async def test_an_anonymous_report_without_javascript(
    make_staff: MakeStaff, tmp_path: Path
) -> None:
    staff = await make_staff()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(installed_chromium()), headless=True, args=CHROMIUM_ARGS
        )
        context = await browser.new_context(java_script_enabled=False, locale="nl-NL")
        tab = await context.new_page()
        await tab.goto(staff.url + "/melden")
        await tab.get_by_role("link", name="Anoniem melden").click()
        story = "Een bezoeker gooide een stoel om in de wachtruimte."
        await tab.locator('textarea[name="narrative"]').fill(story)
        await tab.locator('input[name="danger"][value="no"]').check()
        await tab.get_by_role("button", name="Anoniem versturen").click()
        main = tab.locator("main")
        await expect(main).to_contain_text("Je ontvangstcode")
        text = await main.inner_text()
        reference = REFERENCE.search(text)
        assert reference is not None and CODE.search(text) is not None
        assert await context.cookies() == []
        await browser.close()
    await staff.runtime.outbox.settle()
    assert reference.group(0) in staff.coordinators_see()


async def test_a_named_report_after_signing_in(
    page: Page,
    make_staff: MakeStaff,
    mock_provider: str,
) -> None:
    mock_user(mock_provider, "sanne", {"name": "Sanne de Vries"})
    staff = await make_staff(signin=signin_config(mock_provider))
    await page.goto(staff.url + "/melden/melding")
    await assert_accessible(page, "the named report, not signed in")
    await page.get_by_role("link", name="Inloggen om met je naam te melden").click()
    await page.get_by_role("link", name="Inloggen", exact=True).click()
    await page.get_by_placeholder("sub").fill("sanne")
    await page.get_by_role("button", name="Authorize").click()
    await page.wait_for_url(staff.url + "/melden/melding")
    await expect(page.get_by_text("Ingelogd als Sanne de Vries")).to_be_visible()
    await assert_accessible(page, "the named report form")
    story = "Een klant schold mij uit en dreigde mij op te wachten na het werk."
    await page.locator('textarea[name="narrative"]').fill(story)
    await page.locator('input[name="danger"][value="no"]').check()
    await page.get_by_role("button", name="Melding versturen").click()
    main = page.locator("main")
    await expect(main).to_contain_text("M-")
    await assert_accessible(page, "the receipt of the named report")
    reference = REFERENCE.search(await main.inner_text())
    assert reference is not None
    await staff.runtime.outbox.settle()
    assert reference.group(0) in staff.coordinators_see()
    principal_key = next(
        e.conversation[3:] for e in staff.conversations if e.conversation.startswith("dm:console:")
    )
    cases = await staff.runtime.cases.cases_of(Reporter("web", principal_key))
    assert [c.reference for c in cases] == [reference.group(0)]
    assert cases[0].reporter is not None and cases[0].reporter.name == "Sanne de Vries"
    # What meldbot told them in their chat is on the page, in their own conversation.
    await page.goto(staff.url + "/melden/melding")
    conversation = page.locator("section.meldbot-conversation")
    await expect(conversation).to_contain_text(reference.group(0))
    await _no_csp_violations(page)


async def test_every_step_of_an_anonymous_report_passes_axe(
    page: Page, make_staff: MakeStaff
) -> None:
    staff = await make_staff()
    await page.goto(staff.url + "/melden/anoniem")
    await assert_accessible(page, "the anonymous report form")
    story = page.locator('textarea[name="narrative"]')
    await story.fill("Te lang. " * 1200)
    await page.get_by_role("button", name="Anoniem versturen").click()
    await expect(page.get_by_text("Maak hem korter")).to_be_visible()
    await assert_accessible(page, "the anonymous report form, refused")
    await story.fill("Een bezoeker trapte tegen de deur van de spreekkamer.")
    await page.locator('input[name="danger"][value="no"]').check()
    await page.get_by_role("button", name="Anoniem versturen").click()
    await expect(page.get_by_text("Je ontvangstcode")).to_be_visible()
    await assert_accessible(page, "the anonymous report's receipt")
    code = CODE.search(await page.locator("main").inner_text())
    assert code is not None
    await page.goto(staff.url + "/melden/code")
    await page.get_by_role("textbox", name="Ontvangstcode").fill(code.group(0))
    await page.get_by_role("button", name="Open", exact=True).click()
    await expect(page.locator("main")).to_contain_text("M-")
    await assert_accessible(page, "the anonymous report, followed with its code")
    await page.get_by_role("button", name="Reageren of informatie toevoegen").click()
    await assert_accessible(page, "adding information to the anonymous report")
    staff.clock.advance(hours=2)
    await page.get_by_role("textbox", name="Je bericht").fill("De deur heeft nu een deuk.")
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_text("te lang open")).to_be_visible()
    # Its code's session ran out as well, so the form cannot come back: the text does.
    await expect(page.get_by_role("textbox", name="Je tekst")).to_have_value(
        "De deur heeft nu een deuk."
    )
    await assert_accessible(page, "an expired page, with the text kept")
    await _no_csp_violations(page)
