"""Nothing a person types in the web chat lands where they did not mean it, in headless
Chromium against the real meldbot.

A receipt code typed in the personal chat, in any form, is opened as a code (or the
person is asked to check it): it is in no case, event, draft or held message (the whole
database is searched, sealed columns opened) and in nothing the coordinator channel was
ever shown. A message while a coordinator's question is open that reads like a new
incident is asked about. A second story while a draft waits is asked about; adding merges
it exactly once; an older copy's button does not send; a sent draft says so.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect
from sqlalchemy import inspect, text

from bot.case.models import EventKind
from tests.web.axe import assert_accessible
from tests.web.served import (
    COORDINATOR,
    REFERENCE,
    MakeClient,
    MakeServer,
    Served,
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
from tests.web.webchat import CODE

pytestmark = pytest.mark.browser

CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
SECOND = "En daarna gooide hij een stoel om."
THIRD = "Er waren klanten bij."
KNIFE = "Hij staat nu buiten met een mes en zegt dat hij op me wacht"
CODE_VARIANTS = [
    "E6ES QGYQ JF8K PP02",
    "e6es-qgyq-jf8k-pp02",
    "E6ESQGYQJF8KPP02",
    "E6ES-QGYQ-JF8K-PP0",
    "E6ES-QGYQ-JF8K-PP021",
    "mijn code is E6ES-QGYQ-JF8K-PP02",
    "Hoi, hier is mijn code: e6es qgyq jf8k pp02. Is er al nieuws?",
    "E6ES.QGYQ.JF8K.PPO2",
]
DRAFT = "Wil je dit als melding versturen?"


def code_pattern(code: str, *, secret_only: bool = False) -> re.Pattern[str]:
    """Any two neighbouring groups of ``code`` (of its secret only: the pseudonym is no
    secret), with any gap between them, in any case."""
    groups = code.split("-")
    pairs = [rf"{a}\W*{b}" for a, b in itertools.pairwise(groups)]
    return re.compile("|".join(pairs[1:] if secret_only else pairs), re.IGNORECASE)


async def stored_matching(app: Served, pattern: re.Pattern[str]) -> list[str]:
    """``table.column`` of every value the database holds (sealed ones opened) that
    ``pattern`` finds something in."""
    database = app.runtime.database
    found = []
    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for name in names:
            result = await connection.execute(text(f'SELECT * FROM "{name}"'))
            for row in result.mappings():
                for column, value in row.items():
                    shown = str(value or "")
                    if column.endswith("_sealed") and value:
                        shown = database._sealer.unseal(value) or ""
                    if pattern.search(shown):
                        found.append(f"{name}.{column}")
    return found


def message(page: Page, message_id: str) -> Locator:
    return chat(page).locator(f'article[data-message-id="{message_id}"]')


async def sent_draft(page: Page, story: str) -> str:
    """Types a story, sends its draft; the reference of the receipt."""
    await tell(page, story)
    await answer(page, DRAFT).get_by_role("button", name="Melding versturen").click()
    receipt = answer(page, REFERENCE)
    await expect(receipt).to_be_focused(timeout=15_000)
    found = REFERENCE.search(await receipt.inner_text())
    assert found is not None
    return found.group(0)


async def ask_the_reporter(page: Page, reference: str, question: str) -> Locator:
    """Fatima asks through the case's form; Sanne has the question. The case's thread."""
    card = case_card(page, reference)
    await act_as(coordinators(page), COORDINATOR)
    await card.get_by_role("button", name="Vraag aan melder").click()
    form = page.get_by_role("dialog")
    await form.get_by_role("textbox").fill(question)
    await form.get_by_role("button", name=re.compile("versturen|Versturen")).click()
    await expect(form).to_be_hidden()
    await expect(answer(page, question)).to_be_visible(timeout=15_000)
    return await thread_of(card)


async def test_a_code_in_any_form_is_kept_nowhere_and_never_shown_to_coordinators(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as app:
        await ready(page, app.url)
        # A case with an open question: the easiest place for a code to slip into.
        reference = await sent_draft(page, CALM)
        replies = await ask_the_reporter(page, reference, "Wie was er nog bij?")
        for typed in CODE_VARIANTS:
            before = await chat(page).locator("article.msg--bot").count()
            await tell(page, typed)
            said = chat(page).locator("article.msg--bot").nth(before)
            await expect(said).to_contain_text(re.compile("code", re.IGNORECASE))
            await expect(said).to_be_focused()
            for button in ("Melding versturen", "Ja, nu", "Antwoord voor"):
                await expect(chat(page).get_by_role("button", name=button)).to_have_count(0)
        await expect(chat(page).get_by_text("Dit lijkt op een ontvangstcode")).to_have_count(2)

        # The question is still open: a plain answer reaches the thread, a code never did.
        await tell(page, "Mijn collega Ahmed.")
        await expect(replies).to_contain_text("Mijn collega Ahmed.", timeout=15_000)
        await app.settled()
        pattern = code_pattern("E6ES-QGYQ-JF8K-PP02")
        assert await stored_matching(app, pattern) == []
        assert await stored_matching(app, re.compile("Mijn collega Ahmed")), "it sees sealed text"
        shown = app.watcher.seen_by_coordinators()
        assert any("Mijn collega Ahmed." in s for s in shown), "the search sees the channel"
        assert [s for s in shown if pattern.search(s)] == []
        [case] = await app.cases_of("sanne")
        async with app.runtime.database.transaction() as tx:
            events = await tx.cases.events(case.id)
        assert [e.text for e in events if e.kind is EventKind.ANSWER] == ["Mijn collega Ahmed."]


async def test_a_real_code_typed_in_the_chat_opens_it_and_is_kept_nowhere(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as app:
        await ready(page, app.url)
        await chat(page).get_by_role("button", name="Twijfel je? Overleg anoniem").click()
        form = page.get_by_role("dialog", name="Anoniem overleggen")
        await expect(form.get_by_label("Waar twijfel je over?")).to_be_focused()
        await page.keyboard.type("Een klant wacht me elke avond op. Moet ik dat melden?")
        await form.get_by_role("button", name="Anoniem versturen").click()
        issued = answer(page, "Je ontvangstcode")
        await expect(issued).to_be_focused(timeout=15_000)
        code = (await issued.locator("dd").first.inner_text()).strip()
        await expect(chat(page).locator("article").filter(has_text=code)).to_have_count(1)
        assert CODE.fullmatch(code), code

        # Retyped carelessly, inside a sentence: opened as the code, the sentence kept nowhere.
        retyped = code.lower().replace("-", " ")
        await tell(page, f"Hoi, hier is mijn code: {retyped}. Is er al nieuws?")
        await expect(answer(page, "Ik zag een ontvangstcode in je bericht")).to_be_visible()
        view = answer(page, f"Je overleg {code[:4]}")
        await expect(view).to_contain_text("Een klant wacht me elke avond op")
        await tell(page, f"mijn code is {code.replace('-', '')}")
        await expect(
            chat(page).locator("article.msg--bot").filter(has_text=f"Je overleg {code[:4]}")
        ).to_have_count(2)

        await app.settled()
        pattern = code_pattern(code, secret_only=True)
        assert await stored_matching(app, pattern) == []
        shown = app.watcher.seen_by_coordinators()
        assert any(f"Anonieme collega · {code[:4]}" in s for s in shown)
        assert [s for s in shown if pattern.search(s)] == []
        assert await app.cases_of("sanne") == [], "no draft, no report under her name"


async def test_an_answer_that_reads_like_a_new_incident_is_asked_about(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as app:
        await ready(page, app.url)
        reference = await sent_draft(page, CALM)
        replies = await ask_the_reporter(page, reference, "Wat zei hij precies?")

        # The knife story now is no answer unless Sanne says so: she makes it a report.
        await tell(page, KNIFE)
        asked = answer(page, f"Is dit een antwoord op de vraag over {reference}")
        await expect(asked).to_be_focused()
        await assert_accessible(page, "the question whether a message is an answer")
        await asked.get_by_role("button", name="Een nieuwe melding").click()
        draft = answer(page, "Is er nu iemand in gevaar?")
        await expect(draft).to_contain_text(KNIFE)
        await expect(draft.get_by_role("button", name="Ja, nu")).to_be_visible()

        # A plain answer is just the answer; one that reads like an incident, confirmed.
        await tell(page, "Dat weet ik niet meer precies.")
        await expect(answer(page, f"je antwoord is doorgegeven ({reference})")).to_be_visible()
        await expect(replies).to_contain_text("Dat weet ik niet meer precies.", timeout=15_000)
        await ask_the_reporter(page, reference, "Wat deed hij daarna?")
        await tell(page, "Hij schreeuwde dat hij me ging opwachten.")
        again = answer(page, f"Is dit een antwoord op de vraag over {reference}")
        await again.get_by_role("button", name=f"Antwoord voor {reference}").click()
        await expect(replies).to_contain_text("ging opwachten", timeout=15_000)

        await app.settled()
        await expect(replies).not_to_contain_text(KNIFE)
        assert not [s for s in app.watcher.seen_by_coordinators() if KNIFE in s]
        [case] = await app.cases_of("sanne")
        assert case.report.narrative == CALM


async def test_a_second_story_is_asked_about_and_merged_once(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as app:
        await ready(page, app.url)
        await tell(page, CALM)
        first = answer(page, DRAFT)
        await expect(first).to_be_focused()
        first_id = str(await first.get_attribute("data-message-id"))

        await tell(page, SECOND)
        held = answer(page, "Hoort dit bericht daarbij, of is het een nieuwe melding?")
        await expect(held).to_be_focused()
        await assert_accessible(page, "a second story held while a draft waits")
        second_id = str(await held.get_attribute("data-message-id"))
        await held.get_by_role("button", name="Toevoegen aan mijn melding").click()
        second = message(page, second_id)
        await expect(second).to_contain_text(SECOND)
        await expect(second).to_contain_text(CALM)

        await tell(page, THIRD)
        held = answer(page, "Hoort dit bericht daarbij")
        third_id = str(await held.get_attribute("data-message-id"))
        await held.get_by_role("button", name="Toevoegen aan mijn melding").click()
        third = message(page, third_id)
        await expect(third).to_contain_text(THIRD)

        # The first copy shows less than the draft now holds: it does not send.
        await message(page, first_id).get_by_role("button", name="Melding versturen").click()
        await expect(message(page, first_id)).to_contain_text("Dit concept is intussen aangevuld")
        assert await app.cases_of("sanne") == []

        await third.get_by_role("button", name="Melding versturen").click()
        await expect(third).to_contain_text(REFERENCE, timeout=15_000)
        await expect(third).to_be_focused()
        found = REFERENCE.search(await third.inner_text())
        assert found is not None

        # The second copy, pressed after: it says what became of it, and sends nothing.
        await message(page, second_id).get_by_role("button", name="Melding versturen").click()
        await expect(message(page, second_id)).to_contain_text(
            f"Verstuurd als melding {found.group(0)}"
        )
        await expect(third).to_contain_text(found.group(0))  # the receipt stays
        [case] = await app.cases_of("sanne")
        for story in (CALM, SECOND, THIRD):
            assert case.report.narrative.count(story) == 1, story
        await app.settled()
        await expect(coordinators(page).locator(".case")).to_have_count(1)


async def test_details_sent_after_the_draft_was_sent_elsewhere_keep_the_receipt(
    page: Page,
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
) -> None:
    """Two tabs of the same chat: the details form is open in one while the draft is sent
    from the other. Sending the form says what became of the draft; the receipt, which
    took the draft's place, stays where it is."""
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as app:
        await ready(page, app.url)
        await tell(page, CALM)
        draft = answer(page, DRAFT)
        draft_id = str(await draft.get_attribute("data-message-id"))
        await draft.get_by_role("button", name="Details toevoegen").click()
        form = page.get_by_role("dialog", name="Details toevoegen")
        await expect(form.get_by_label("Waar?")).to_be_visible()

        other = await page.context.new_page()
        await ready(other, app.url)
        await answer(other, DRAFT).get_by_role("button", name="Melding versturen").click()
        receipt = message(page, draft_id)
        await expect(receipt).to_contain_text(REFERENCE, timeout=15_000)
        found = REFERENCE.search(await receipt.inner_text())
        assert found is not None
        reference = found.group(0)

        await form.get_by_label("Waar?").fill("de balie in het stadhuis")
        await form.get_by_role("button", name="Melding versturen").click()
        await expect(form).to_be_hidden()
        note = answer(page, f"Verstuurd als melding {reference}")
        await expect(note).to_be_focused()
        await expect(receipt).to_contain_text("Het meldpunt neemt binnen 24 uur contact")
        await expect(message(other, draft_id)).to_contain_text(reference)
        [case] = await app.cases_of("sanne")
        assert case.reference == reference and case.report.narrative == CALM
