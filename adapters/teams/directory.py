"""Conversation references: how meldbot reaches a person, channel or team in Teams later.

Teams lets a bot write first only into conversations it has a reference for, so one is
kept from every incoming activity (in the database, through ``bot.ports.AddressBook``).
Writes happen only when something changed; reads are cached in memory.
"""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity

from adapters.teams.inbound import split_thread, user_key
from bot.ports import AddressBook


class Directory:
    def __init__(self, book: AddressBook, default_service_url: str, tenant_id: str | None):
        self._book = book
        self._default_service_url = default_service_url
        self._tenant_id = tenant_id
        self._cache: dict[str, dict[str, Any]] = {}

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
        await self._put(f"conversation:{base}", place)
        if conversation.conversation_type == "personal":
            person = user_key(activity.from_property)
            if person:
                await self._put(f"user:{person}", {**place, "conversation": base})
        team = _channel_data(activity).get("team")
        if isinstance(team, dict) and team.get("id"):
            known = await self.recall(f"team:{team['id']}") or {}
            await self._put(
                f"team:{team['id']}",
                {**known, **place, "name": str(team.get("name") or known.get("name") or "")},
            )

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
        if key not in self._cache:
            found = await self._book.recall("teams", key)
            if found is None:
                return None
            self._cache[key] = found
        return self._cache[key]

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
