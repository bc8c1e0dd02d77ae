"""The web Messenger: sends land in memory, updates replace in place, threads nest."""

from __future__ import annotations

import pytest

from adapters.web.messenger import WebMessenger
from adapters.web.store import Changed, Conversations, HomeChanged, Removed
from bot.events import Address, MessageRef
from bot.ports import DeliveryError, Messenger
from bot.ui import Message


@pytest.fixture
def conversations() -> Conversations:
    return Conversations()


@pytest.fixture
def messenger(conversations: Conversations) -> WebMessenger:
    return WebMessenger(conversations, ["fatima", "coordinator"], "Eerder bericht")


def test_it_is_a_messenger(messenger: WebMessenger) -> None:
    port: Messenger = messenger
    assert port.platform == "web"


async def test_send_update_and_thread(
    messenger: WebMessenger, conversations: Conversations
) -> None:
    changes: list[object] = []
    conversations.listen(changes.append)
    channel = messenger.coordinator_channel()
    assert channel == Address("web", "coordinators")

    root = await messenger.send(channel, Message("Melding M-2026-0001"))
    assert root.platform == "web" and root.conversation == "coordinators"
    reply = await messenger.send(root.thread(), Message("Opgepakt door Fatima"))
    nested = await messenger.send(reply.thread(), Message("Een reactie op de reactie"))

    assert conversations.get(reply.message_id).thread == root.message_id  # type: ignore[union-attr]
    # a reply to a reply stays in the case's one thread
    assert conversations.get(nested.message_id).thread == root.message_id  # type: ignore[union-attr]
    assert [e.message.summary for e in conversations.replies(root.message_id)] == [
        "Opgepakt door Fatima",
        "Een reactie op de reactie",
    ]

    await messenger.update(root, Message("Melding M-2026-0001: in behandeling"))
    updated = conversations.get(root.message_id)
    assert updated is not None and updated.edited
    assert updated.message.summary == "Melding M-2026-0001: in behandeling"
    assert next(iter(conversations)).id == root.message_id  # updated in place, not moved
    assert len(changes) == 4 and all(isinstance(c, Changed) for c in changes)


async def test_personal_chat_and_roles(
    messenger: WebMessenger, conversations: Conversations
) -> None:
    address = await messenger.personal_address("sanne")
    assert address == Address("web", "dm:sanne", personal=True)
    ref = await messenger.send(address, Message("Je melding is opgepakt"))
    assert ref.conversation == "dm:sanne"
    assert await messenger.is_coordinator("fatima")
    assert await messenger.is_coordinator("coordinator")
    assert not await messenger.is_coordinator("piet")
    assert not await messenger.is_coordinator("")


async def test_unknown_refs_and_places_fail_permanently(messenger: WebMessenger) -> None:
    with pytest.raises(DeliveryError) as unknown:
        await messenger.update(MessageRef("web", "coordinators", "nope"), Message("x"))
    assert unknown.value.permanent
    ref = await messenger.send(Address("web", "team"), Message("Welkom"))
    with pytest.raises(DeliveryError) as moved:
        await messenger.update(MessageRef("web", "coordinators", ref.message_id), Message("x"))
    assert moved.value.permanent
    with pytest.raises(DeliveryError) as slack:
        await messenger.update(MessageRef("slack", "team", ref.message_id), Message("x"))
    assert slack.value.permanent
    for bad in (Address("web", "general"), Address("web", "dm:"), Address("slack", "team")):
        with pytest.raises(DeliveryError) as nowhere:
            await messenger.send(bad, Message("x"))
        assert nowhere.value.permanent
    with pytest.raises(DeliveryError):
        await messenger.send(Address("web", "coordinators", thread=ref.message_id), Message("x"))


async def test_a_reply_to_a_thread_from_before_a_restart_is_kept(
    messenger: WebMessenger, conversations: Conversations
) -> None:
    ref = await messenger.send(Address("web", "coordinators", thread="old-7"), Message("Notitie"))
    root = conversations.get("old-7")
    assert root is not None and root.placeholder and root.thread is None
    assert conversations.get(ref.message_id).thread == "old-7"  # type: ignore[union-attr]
    await messenger.send(Address("web", "coordinators", thread="old-7"), Message("Nog een"))
    assert len(conversations.replies("old-7")) == 2


async def test_ids_differ_between_runs(messenger: WebMessenger) -> None:
    first = await messenger.send(Address("web", "team"), Message("a"))
    other = WebMessenger(Conversations(), [], "x")
    second = await other.send(Address("web", "team"), Message("a"))
    assert first.message_id != second.message_id


async def test_removal_and_homes_are_told(conversations: Conversations) -> None:
    changes: list[object] = []
    conversations.listen(changes.append)
    root = await conversations.append("team", Message("a"))
    await conversations.append("team", Message("b"), thread=root.id)
    await conversations.remove(root.id)
    await conversations.set_home("sanne", Message("Home"))
    assert [type(c) for c in changes] == [Changed, Changed, Removed, Removed, HomeChanged]
    assert list(conversations) == []
    assert conversations.home("sanne") == Message("Home")
