"""A personal chat with each newcomer of a team configured for onboarding.

Teams lets meldbot write first only into a conversation it has a reference for, and
someone who just joined a team has never written to meldbot. Because meldbot is installed
in that team, it may open the 1:1 chat itself: ``createConversation`` with the member's
``29:`` id and the tenant. The chat's reference is kept like every personal chat, in
memory only (``Directory.introduce``), so the core's ``Messenger.reach`` finds it and the
welcome can go out; it reaches the database only sealed, with that one welcome, until sent.
Teams outside ``settings.onboarding`` cost no call.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from microsoft_agents.activity import Activity

from adapters.teams.connector import Connector
from adapters.teams.directory import Directory
from adapters.teams.inbound import user_key
from bot.events import MembersJoined
from bot.ports import DeliveryError

log = logging.getLogger(__name__)


class Newcomers:
    def __init__(self, connector: Connector, directory: Directory, places: Collection[str]) -> None:
        self._connector = connector
        self._directory = directory
        self._places = frozenset(places)

    def expected(self, event: MembersJoined) -> bool:
        """A team (or channel) configured for onboarding, with people in it."""
        return bool(event.members) and bool({event.team, event.address.conversation} & self._places)

    async def open_chats(self, activity: Activity, event: MembersJoined) -> None:
        """Opens (or finds) the personal chat of each person ``event`` names as a newcomer."""
        if activity.conversation is None:
            return
        service_url, tenant = await self._directory.place(str(activity.conversation.id))
        people = {member.user_id for member in event.members}
        for member in activity.members_added or []:
            person = user_key(member)
            if person not in people or self._directory.reach(person) is not None:
                continue
            try:
                chat = await self._open(service_url, tenant, str(member.id))
            except DeliveryError as error:
                log.warning("teams: no personal chat with a newcomer (%s)", error)
                continue
            self._directory.introduce(
                person, chat, {"service_url": service_url, "tenant_id": tenant}
            )
            log.info("teams: personal chat with a newcomer opened")

    async def _open(self, service_url: str, tenant: str | None, member_id: str) -> str:
        fields = {
            "isGroup": False,
            "members": [{"id": member_id}],
            "channelData": {"tenant": {"id": tenant}},
        }
        created = await self._connector.create_conversation(
            service_url, "personal chat", fields, tenant
        )
        chat = str(created.id or "")
        if not chat:
            raise DeliveryError("teams personal chat: no conversation id in the answer")
        return chat
