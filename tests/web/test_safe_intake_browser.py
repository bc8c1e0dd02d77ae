"""The safe intake in the web chat, in headless Chromium against the real meldbot.

A story typed in the personal chat that tells of danger now is asked about ("Is er nu
iemand in gevaar?"); "Ja, nu", with the keyboard, stores an urgent case, the receipt takes
the draft's place and the focus, and the person on call is paged in her own chat and in
the case's thread. A threat of self-harm is flagged on the coordinators' card with the
guidance in the thread. A photo sent with the story reaches the case's thread. A report to
the vertrouwenspersoon never reaches the coordinator channel, and goes there only after
the reporter's "Ja".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.case.models import Addressee, CategorySource, Urgency
from tests import files
from tests.web.axe import assert_accessible
from tests.web.served import (
    COORDINATOR,
    ON_CALL,
    REFERENCE,
    MakeClient,
    MakeServer,
    act_as,
    answer,
    case_card,
    chat,
    coordinators,
    ready,
    serve,
    tell,
    thread_of,
)
from tests.web.test_files_browser import choose

pytestmark = pytest.mark.browser

KNIFE = "Hij staat nu buiten met een mes en zegt dat hij op me wacht"
SELF_HARM = (
    "De klant zei aan de telefoon dat hij zichzelf iets gaat aandoen als hij geen geld krijgt."
)
PHOTO_STORY = "Deze dreigmail kreeg ik vanochtend van een klant."
CONFIDANT_STORY = "Mijn leidinggevende maakt steeds opmerkingen over mijn afkomst."
ROTA = {"rotation": [{"id": ON_CALL, "name": "Karin Kok"}]}
CRISIS = [{"name": "GGD crisisdienst", "role": "Crisisdienst", "phone": "+31 88 000 0000"}]
CONFIDANT = {"name": "Els Bakker", "phone": "+31 6 8765 4321", "web": {"people": ["els"]}}
DANGER = "Is er nu iemand in gevaar?"


async def test_danger_now_is_asked_and_ja_nu_pages_the_person_on_call(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client, oncall=ROTA) as app:
        await ready(page, app.url)
        await tell(page, KNIFE)

        draft = answer(page, DANGER)
        await expect(draft).to_be_focused()
        await expect(draft).to_contain_text("voorstel van meldbot")
        await expect(draft.get_by_role("button", name="Melding versturen")).to_have_count(0)
        await expect(page.locator("#live")).to_contain_text("Wil je dit als melding versturen?")
        await assert_accessible(page, "a draft that asks about danger now")

        # Keyboard only: the first Tab from the draft is "Ja, nu".
        await page.keyboard.press("Tab")
        await expect(draft.get_by_role("button", name="Ja, nu")).to_be_focused()
        await page.keyboard.press("Enter")

        receipt = chat(page).locator("article.msg--bot").filter(has_text=REFERENCE)
        await expect(receipt).to_be_focused(timeout=15_000)
        await expect(receipt).to_contain_text("30 minuten")
        await expect(receipt).to_contain_text("piket")
        await expect(page.locator("#live")).to_contain_text("Je melding is ontvangen: M-")
        await expect(chat(page).get_by_text(DANGER)).to_have_count(0)
        await assert_accessible(page, "the receipt of an urgent report")
        found = REFERENCE.search(await receipt.inner_text())
        assert found is not None
        reference = found.group(0)

        [case] = await app.cases_of("sanne")
        assert case.urgency is Urgency.URGENT and case.report.danger_now is True
        assert case.report.category_source is CategorySource.MELDBOT

        # The case's thread says who was paged; Karin has the page in her own chat.
        card = case_card(page, reference)
        await expect(card.locator(".msg__body").first).to_contain_text("voorstel van meldbot")
        replies = await thread_of(card)
        await expect(replies).to_contain_text("Piket: @Karin", timeout=15_000)
        await expect(replies.get_by_role("button", name="Ik bel nu")).to_be_visible()
        await act_as(chat(page), ON_CALL)
        paged = answer(page, reference)
        await expect(paged).to_contain_text(KNIFE)
        await expect(paged.get_by_role("button", name="Ik bel nu")).to_be_visible()
        await paged.get_by_role("button", name="Ik bel nu").click()
        await expect(replies).to_contain_text("Karin belt de melder nu terug.", timeout=15_000)
        await act_as(chat(page), "sanne")
        await expect(answer(page, "Er belt je nu iemand terug")).to_contain_text(reference)
        assert await page.evaluate("window.__csp") == []


async def test_a_threat_of_self_harm_is_flagged_with_guidance_in_the_thread(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    async with serve(
        database_url, tmp_path, aiohttp_server, aiohttp_client, crisis_contacts=CRISIS
    ) as app:
        await ready(page, app.url)
        await tell(page, SELF_HARM)
        draft = answer(page, "Wil je dit als melding versturen?")
        await expect(draft).to_contain_text("Dreigt iemand zichzelf nu iets aan te doen? Bel 112.")
        await assert_accessible(page, "a draft about a threat of self-harm")
        await draft.get_by_role("button", name="Melding versturen").click()
        receipt = answer(page, REFERENCE)
        await expect(receipt).to_be_focused(timeout=15_000)
        found = REFERENCE.search(await receipt.inner_text())
        assert found is not None

        card = case_card(page, found.group(0))
        flag = "⚠ Iemand dreigde zichzelf iets aan te doen: zie de draad."
        await expect(card.locator(":scope > article")).to_contain_text(flag, timeout=15_000)
        replies = await thread_of(card)
        for guidance in ("Acuut gevaar: bel 112", "0800-0113", "113.nl", "GGD crisisdienst"):
            await expect(replies).to_contain_text(guidance)
        [case] = await app.cases_of("sanne")
        assert case.report.self_harm


async def test_a_photo_with_the_story_reaches_the_case_thread(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    photo, program = tmp_path / "dreigmail.png", tmp_path / "setup.exe"
    photo.write_bytes(files.PNG)
    program.write_bytes(files.EXE)
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as app:
        await ready(page, app.url)
        composer = chat(page).get_by_label("Bericht aan meldbot")
        await composer.focus()
        await page.keyboard.type(PHOTO_STORY)
        await chat(page).get_by_label("Foto of PDF toevoegen").focus()
        await choose(page, photo, program)
        await composer.focus()
        await page.keyboard.press("Enter")

        draft = answer(page, "Wil je dit als melding versturen?")
        await expect(draft).to_be_focused(timeout=15_000)
        await expect(answer(page, "setup.exe")).to_be_visible()  # the refused file is named
        await draft.get_by_role("button", name="Melding versturen").click()
        receipt = answer(page, REFERENCE)
        await expect(receipt).to_contain_text("bestand", timeout=15_000)
        found = REFERENCE.search(await receipt.inner_text())
        assert found is not None

        replies = await thread_of(case_card(page, found.group(0)))
        image = replies.locator("figure.msg__file img")
        await expect(image).to_have_count(1, timeout=15_000)
        shown = await page.request.get(app.url.rstrip("/") + str(await image.get_attribute("src")))
        assert shown.ok and await shown.body() == files.PNG, "the photo itself, byte for byte"
        assert await image.evaluate("img => img.complete && img.naturalWidth > 0")
        await expect(replies).not_to_contain_text("setup.exe")
        [case] = await app.cases_of("sanne")
        stored = await app.runtime.cases.attachments.of_case(case.id)  # type: ignore[union-attr]
        assert [f.name for f in stored] == ["dreigmail.png"]


async def test_a_report_to_the_confidant_stays_with_them_until_the_reporters_yes(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    async with serve(
        database_url, tmp_path, aiohttp_server, aiohttp_client, confidant=CONFIDANT
    ) as app:
        await ready(page, app.url)
        await chat(page).get_by_role("button", name="Melding maken").click()
        form = page.get_by_role("dialog", name="Melding maken")
        await form.get_by_label("Wat is er gebeurd?").fill(CONFIDANT_STORY)
        await form.get_by_label("De vertrouwenspersoon, Els Bakker", exact=False).check()
        await form.get_by_role("radio", name="Nee").first.check()
        await form.get_by_role("button", name="Melding versturen").click()
        receipt = answer(page, REFERENCE)
        await expect(receipt).to_contain_text("Els Bakker", timeout=15_000)
        found = REFERENCE.search(await receipt.inner_text())
        assert found is not None
        reference = found.group(0)
        [case] = await app.cases_of("sanne")
        assert case.report.addressee is Addressee.CONFIDANT

        # Els has the card in her own chat; the coordinators have nothing.
        await act_as(chat(page), "els")
        card = answer(page, reference)
        await expect(card).to_contain_text("vertrouwenspersoon")
        await expect(chat(page)).to_contain_text(CONFIDANT_STORY)
        await app.settled()
        assert not app.watcher.seen_by_coordinators(), "nothing in the coordinator channel"
        await expect(coordinators(page).locator(".case")).to_have_count(0)

        # She asks to pass it on; Sanne says no first: still nothing at the meldpunt.
        await card.get_by_role("button", name="Doorgeven aan het meldpunt").click()
        await act_as(chat(page), "sanne")
        question = answer(page, "Niets wordt doorgegeven zonder jouw ja")
        await question.get_by_role("button", name="Nee, laat het bij de vertrouwenspersoon").click()
        await expect(answer(page, "blijft alleen bij de vertrouwenspersoon")).to_be_visible()
        await app.settled()
        assert not app.watcher.seen_by_coordinators(), "a no passes nothing on"

        # Asked again, Sanne says yes: only now the meldpunt has the case.
        await act_as(chat(page), "els")
        await (
            answer(page, reference).get_by_role("button", name="Doorgeven aan het meldpunt").click()
        )
        await act_as(chat(page), "sanne")
        again = answer(page, "Niets wordt doorgegeven zonder jouw ja")
        await again.get_by_role("button", name="Ja, geef het door").click()
        await expect(answer(page, "Het meldpunt heeft je melding")).to_be_visible()
        meldpunt = case_card(page, reference)
        await expect(meldpunt).to_have_count(1, timeout=15_000)
        replies = await thread_of(meldpunt)
        await expect(replies).to_contain_text("met toestemming van de melder")
        await expect(replies).to_contain_text(CONFIDANT_STORY)
        await act_as(coordinators(page), COORDINATOR)
        await meldpunt.get_by_role("button", name="Oppakken").click()
        await expect(meldpunt.get_by_role("button", name="Oppakken")).to_have_count(0)
