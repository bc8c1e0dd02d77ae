"""The one place that says whether someone may handle a case.

Chat buttons and console pages ask the same question here, so the answer is the same;
the case lists ask for the same answer as a ``Visibility`` the database can filter by.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.access.models import Acting, Principal, Role
from bot.case.models import Case
from bot.case.queries import Visibility
from bot.confidant.config import Confidant
from bot.events import Actor, Platform
from bot.ports import Messenger

Invited = Callable[[Acting, Case], Awaitable[bool]]
"""Whether a manager was invited into this case (with the reporter's consent)."""


async def _nobody_invited(_by: Acting, _case: Case) -> bool:
    return False  # invitations come with the measures; until then no manager reads a case


@dataclass(slots=True)
class Access:
    messengers: dict[Platform, Messenger]
    confidant: Confidant | None = None
    invited: Invited = _nobody_invited

    async def roles(self, by: Acting) -> frozenset[Role]:
        """A principal's roles come from the sign-in; a chat identity's from its platform
        (the coordinator list or channel, the vertrouwenspersoon's people)."""
        if isinstance(by, Principal):
            return by.roles
        roles: set[Role] = set()
        messenger = self.messengers.get(by.platform)
        if messenger is not None and await messenger.is_coordinator(by.user_id):
            roles.add(Role.COORDINATOR)
        if self.confidant is not None and self.confidant.is_confidant(by.platform, by.user_id):
            roles.add(Role.CONFIDANT)
        return frozenset(roles)

    async def keys(self, by: Acting) -> frozenset[str]:
        """Every identity key of this person: a restricted case naming any of them is
        theirs, and "mine" is what any of them handles."""
        return frozenset({by.key})

    async def is_coordinator(self, by: Acting) -> bool:
        return Role.COORDINATOR in await self.roles(by)

    async def may_handle(self, by: Acting, case: Case) -> bool:
        """A case for the vertrouwenspersoon is theirs alone; every other case is the
        coordinators', and a restricted one only the named coordinators'."""
        roles = await self.roles(by)
        if case.for_confidant:
            return Role.CONFIDANT in roles
        if Role.COORDINATOR not in roles:
            return False
        return not case.restricted or bool(await self.keys(by) & case.restricted_to)

    async def may_read(self, by: Acting, case: Case) -> bool:
        """Those who handle it, and a manager invited into it."""
        if await self.may_handle(by, case):
            return True
        return Role.MANAGER in await self.roles(by) and await self.invited(by, case)

    async def visibility(self, by: Acting) -> Visibility:
        """``may_handle`` for a whole list at once."""
        roles = await self.roles(by)
        return Visibility(
            meldpunt=Role.COORDINATOR in roles,
            confidant=Role.CONFIDANT in roles,
            keys=await self.keys(by),
        )

    async def someone(self, key: str, name: str) -> Acting | None:
        """The person behind a key, to ask ``may_handle`` for them (a hand-over). Chat
        identities only: a console sign-in's roles are known once it is linked."""
        platform, _, user_id = key.partition(":")
        if platform not in self.messengers or not user_id:
            return None
        return Actor(platform, user_id, name)
