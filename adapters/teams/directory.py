"""Conversation references: how meldbot reaches a person, channel or team in Teams later.

Teams lets a bot write first only into conversations it has a reference for, so one is
taken from every incoming activity. Channel, group-chat and team references are kept in the
database (through ``bot.ports.AddressBook``). A personal (1:1) chat's reference names the
person (their Entra object id, their chat's id), and anyone may talk to meldbot anonymously:
it stays in a bounded memory only, and is written to the database when the core says it will
write to that person later (``keep``: a named report, a notice they asked for). Writes happen
only when something changed; reads look in that memory first, then in the database (cached).
"""

from __future__ import annotations

import logging
from typing import Any

from microsoft_agents.activity import Activity

from adapters.teams.inbound import split_thread, user_key
from bot.ports import AddressBook
from bot.recent import Recent

log = logging.getLogger(__name__)

PEOPLE_KEPT = 5000
"""Personal chats held in memory; each takes two entries (the person and the chat)."""


class Directory:
    def __init__(self, book: AddressBook, default_service_url: str, tenant_id: str | None):
        self._book = book
        self._default_service_url = default_service_url
        self._tenant_id = tenant_id
        self._cache: dict[str, dict[str, Any]] = {}  # what the book holds, as read or written
        self._personal: Recent[dict[str, Any]] = Recent(2 * PEOPLE_KEPT)

    async def learn(self, activity: Activity) -> None:
        """Remember where this activity came from (and, in a personal chat, whose it is)."""
        conversation = activity.conversation
        if conversation is None or not conversation.id or not activity.service_url:
            return
        place = {
            "service_url": activity.service_url,
            "tenant_id": conversation.tenant_id or _tenant(activity) or self._tenant_id,
        }
        base, _root = split_thread(str(conversation.id))
        if conversation.conversation_type == "personal":
            self._learn_personal(activity, base, place)
        else:
            await self._put(f"conversation:{base}", place)
        team = _channel_data(activity).get("team")
        if isinstance(team, dict) and team.get("id"):
            known = await self.recall(f"team:{team['id']}") or {}
            await self._put(
                f"team:{team['id']}",
                {**known, **place, "name": str(team.get("name") or known.get("name") or "")},
            )

    async def keep(self, person: str) -> None:
        """Write this person's personal chat to the database: meldbot will write to them later."""
        reference = self._personal.get(f"user:{person}")
        if reference is None:
            log.debug("teams: no personal chat in memory to keep")
            return
        await self._put(f"user:{person}", reference)
        chat = f"conversation:{reference['conversation']}"
        place = self._personal.get(chat)
        if place is not None:
            await self._put(chat, place)

    def reach(self, person: str) -> dict[str, Any] | None:
        """This person's personal chat as seen in this process: for a sealed contact."""
        return self._personal.get(f"user:{person}")

    def reached(self, reach: dict[str, Any]) -> str:
        """Puts a sealed contact's chat back in memory (this process may not have seen it)."""
        chat = str(reach["conversation"])
        place = {"service_url": reach["service_url"], "tenant_id": reach.get("tenant_id")}
        self._personal.remember(f"conversation:{chat}", place)
        return chat

    async def record_channels(self, team_id: str, channels: list[dict[str, str]]) -> None:
        known = await self.recall(f"team:{team_id}") or {}
        await self._put(f"team:{team_id}", {**known, "channels": channels})

    async def place(self, conversation_id: str) -> tuple[str, str | None]:
        """The service URL and tenant for a conversation, learnt or configured."""
        base, _root = split_thread(conversation_id)
        known = await self.recall(f"conversation:{base}")
        if known:
            return str(known["service_url"]), known.get("tenant_id") or self._tenant_id
        return self._default_service_url, self._tenant_id

    async def personal_conversation(self, person: str) -> str | None:
        known = await self.recall(f"user:{person}")
        return str(known["conversation"]) if known else None

    async def recall(self, key: str) -> dict[str, Any] | None:
        """The newest reference: seen in this process's personal chats, else in the book."""
        seen = self._personal.get(key)
        if seen is not None:
            return seen
        if key not in self._cache:
            found = await self._book.recall("teams", key)
            if found is None:
                return None
            self._cache[key] = found
        return self._cache[key]

    def introduce(self, person: str, chat: str, place: dict[str, Any]) -> None:
        """A personal chat meldbot opened itself (a newcomer's): kept like any other."""
        self._personal.remember(f"conversation:{chat}", place)
        self._personal.remember(f"user:{person}", {**place, "conversation": chat})

    def _learn_personal(self, activity: Activity, chat: str, place: dict[str, Any]) -> None:
        # Memory only: the book would hold the ids of everyone who ever talked to meldbot.
        self._personal.remember(f"conversation:{chat}", place)
        person = user_key(activity.from_property)
        if person:
            self._personal.remember(f"user:{person}", {**place, "conversation": chat})

    async def _put(self, key: str, reference: dict[str, Any]) -> None:
        if self._cache.get(key) == reference:
            return
        await self._book.remember("teams", key, reference)
        self._cache[key] = reference


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    if isinstance(data, dict):
        return data
    return data.model_dump(by_alias=True) if hasattr(data, "model_dump") else {}


def _tenant(activity: Activity) -> str | None:
    tenant = _channel_data(activity).get("tenant")
    return str(tenant["id"]) if isinstance(tenant, dict) and tenant.get("id") else None
