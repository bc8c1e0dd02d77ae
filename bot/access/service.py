"""The one place that says whether someone may handle a case.

Chat buttons and console pages ask the same question here, so the answer is the same.
With ``links`` (``bot.access.links``), a chat identity and the console identity it is
linked to have the same rights: the union of what the sign-in and the platform say.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.access.links import Links
from bot.access.models import Acting, Principal, Role
from bot.case.models import Case
from bot.confidant.config import Confidant
from bot.events import Actor, Platform
from bot.ports import Messenger, Transaction


@dataclass(slots=True)
class Access:
    messengers: dict[Platform, Messenger]
    confidant: Confidant | None = None
    links: Links | None = None

    async def roles(self, by: Acting, tx: Transaction | None = None) -> frozenset[Role]:
        """A principal's roles come from the sign-in, a chat identity's from its platform
        (the coordinator list or channel, the vertrouwenspersoon's people); linked
        identities add each other's. Inside a transaction, pass it: the links are read
        there (SQLite allows one writer at a time)."""
        if isinstance(by, Principal):
            roles = set(by.roles)
            for actor in await self.links.chats(by, tx) if self.links else []:
                roles |= await self._platform_roles(actor)
            return frozenset(roles)
        platform = await self._platform_roles(by)
        linked = await self.links.principal_for(by, tx) if self.links else None
        return platform | linked.roles if linked else platform

    async def _platform_roles(self, by: Actor) -> frozenset[Role]:
        roles: set[Role] = set()
        messenger = self.messengers.get(by.platform)
        if messenger is not None and await messenger.is_coordinator(by.user_id):
            roles.add(Role.COORDINATOR)
        if self.confidant is not None and self.confidant.is_confidant(by.platform, by.user_id):
            roles.add(Role.CONFIDANT)
        return frozenset(roles)

    async def is_coordinator(self, by: Acting, tx: Transaction | None = None) -> bool:
        return Role.COORDINATOR in await self.roles(by, tx)

    async def may_handle(self, by: Acting, case: Case, tx: Transaction | None = None) -> bool:
        """A case for the vertrouwenspersoon is theirs alone; every other case is the
        coordinators'."""
        wanted = Role.CONFIDANT if case.for_confidant else Role.COORDINATOR
        return wanted in await self.roles(by, tx)
