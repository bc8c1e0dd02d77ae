"""Retraction in the web chat: a deleted message (a thread root with its replies) leaves
the conversations, the live stream tells every open page, and a page opened afterwards
never shows it; through the whole of meldbot, and in a real browser."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from adapters.web.messenger import WebMessenger
from adapters.web.store import Conversations, Removed
from bot.case.models import Case, EventKind, NewReport, Reporter
from bot.events import MessageRef
from bot.ui import Message
from tests.retraction import retract
from tests.web.served import MakeClient, MakeServer, Served, case_card, chat, ready, serve
from tests.web.webchat import WebChat, visible

SANNE, AHMED = Reporter("web", "sanne", "Sanne"), Reporter("web", "ahmed", "Ahmed")


async def test_a_deleted_root_takes_its_replies_and_twice_is_no_error() -> None:
    conversations = Conversations()
    messenger = WebMessenger(conversations, ["fatima"], "Eerder bericht")
    removed: list[str] = []
    conversations.listen(lambda c: removed.append(c.entry_id) if isinstance(c, Removed) else None)
    root = await messenger.send(messenger.coordinator_channel(), Message("Melding M-2026-0001"))
    reply = await messenger.send(root.thread(), Message("Opgepakt"))
    kept = await messenger.send(messenger.coordinator_channel(), Message("Melding M-2026-0002"))

    await messenger.delete(reply)
    await messenger.delete(root)
    await messenger.delete(root)  # already gone: deleted, not an error
    await messenger.delete(MessageRef("web", "coordinators", "ab12cd-7"))  # from before a restart

    assert removed == [reply.message_id, root.message_id]
    assert [entry.id for entry in conversations] == [kept.message_id]


async def _case(served: Served, reporter: Reporter, story: str) -> Case:
    runtime = served.runtime
    case = await runtime.cases.report(NewReport(story), reporter)
    await runtime.cases.reporter_adds(reporter, case.id, f"{story} Nog iets.", EventKind.ADDITION)
    await served.settled()
    return case


def _shown(chat: WebChat, words: str) -> list[str]:
    """The ids of the messages a page was sent that hold ``words``, or reply to one."""
    roots = {m["id"] for m in chat.latest.values() if words in visible(m["html"])}
    return [m["id"] for m in chat.latest.values() if m["id"] in roots or m["thread"] in roots]


async def test_a_retracted_case_is_in_no_page_opened_afterwards(
    database_url: str, tmp_path: Path, aiohttp_server: MakeServer, aiohttp_client: MakeClient
) -> None:
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as served:
        case = await _case(served, SANNE, "De klant gooide een stoel bij de merelbalie.")
        other = await _case(served, AHMED, "Een man schold bij de lijsterbalie.")
        before = WebChat(served.watcher.client)
        await before.open()
        assert len(_shown(before, case.reference)) >= 4, "the alert, its lines, the receipt"
        await before.close()

        assert await retract(served.runtime.database, case.id) >= 4
        await served.settled()

        after = WebChat(served.watcher.client)
        await after.open()
        assert _shown(after, case.reference) == []
        assert len(_shown(after, other.reference)) >= 4
        await after.close()


async def test_the_page_takes_a_retracted_case_away_while_it_is_open(
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
    page: Page,
) -> None:
    async with serve(database_url, tmp_path, aiohttp_server, aiohttp_client) as served:
        await ready(page, served.url)
        case = await _case(served, SANNE, "De klant gooide een stoel bij de merelbalie.")
        other = await _case(served, AHMED, "Een man schold bij de lijsterbalie.")
        await expect(case_card(page, case.reference)).to_have_count(1)
        await expect(chat(page).filter(has_text=case.reference)).to_have_count(1)

        await retract(served.runtime.database, case.id)
        await served.settled()

        await expect(case_card(page, case.reference)).to_have_count(0)
        await expect(chat(page).filter(has_text=case.reference)).to_have_count(0)
        await expect(case_card(page, other.reference)).to_have_count(1)
