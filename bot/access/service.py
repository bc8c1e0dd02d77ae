"""The one place that says whether someone may handle a case.

Chat buttons and console pages ask the same question here, so the answer is the same;
the case lists ask for the same answer as a ``Visibility`` the database can filter by.
With ``links`` (``bot.access.links``), a chat identity and the console identity it is
linked to have the same rights: the union of what the sign-in and the platform say.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.access.links import Links
from bot.access.models import Acting, Principal, Role
from bot.case.models import Case
from bot.case.queries import Visibility
from bot.confidant.config import Confidant
from bot.events import Actor, Platform
from bot.ports import Messenger, Transaction

Invited = Callable[[frozenset[str], Case, Transaction | None], Awaitable[bool]]
"""Whether a manager holding any of these keys was invited into this case (bot/manager);
``tx``: the transaction the question is asked in, if any."""


async def _nobody_invited(_keys: frozenset[str], _case: Case, _tx: Transaction | None) -> bool:
    return False  # without invitations (bot/manager) no manager reads a case


@dataclass(slots=True)
class Access:
    messengers: dict[Platform, Messenger]
    confidant: Confidant | None = None
    links: Links | None = None
    invited: Invited = _nobody_invited

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

    async def keys(self, by: Acting, tx: Transaction | None = None) -> frozenset[str]:
        """Every identity key of this person: a restricted case naming any of them is
        theirs, and "mine" is what any of them handles."""
        if self.links is None:
            return frozenset({by.key})
        if isinstance(by, Principal):
            chats = await self.links.chats(by, tx)
            return frozenset({by.key, *(actor.key for actor in chats)})
        linked = await self.links.principal_for(by, tx)
        if linked is None:
            return frozenset({by.key})
        chats = await self.links.chats(linked, tx)
        return frozenset({by.key, linked.key, *(actor.key for actor in chats)})

    async def is_coordinator(self, by: Acting, tx: Transaction | None = None) -> bool:
        return Role.COORDINATOR in await self.roles(by, tx)

    async def may_handle(self, by: Acting, case: Case, tx: Transaction | None = None) -> bool:
        """A case for the vertrouwenspersoon is theirs alone; every other case is the
        coordinators', and a restricted one only the named coordinators'."""
        roles = await self.roles(by, tx)
        if case.for_confidant:
            return Role.CONFIDANT in roles
        if Role.COORDINATOR not in roles:
            return False
        return not case.restricted or bool(await self.keys(by, tx) & case.restricted_to)

    async def may_read(self, by: Acting, case: Case, tx: Transaction | None = None) -> bool:
        """Those who handle it, and a manager invited into it."""
        if await self.may_handle(by, case, tx):
            return True
        if Role.MANAGER not in await self.roles(by, tx):
            return False
        return await self.invited(await self.manager_keys(by, tx), case, tx)

    async def manager_keys(self, by: Acting, tx: Transaction | None = None) -> frozenset[str]:
        """The keys an invitation may name this person by: their identities, and the
        e-mail address of their sign-in."""
        keys = await self.keys(by, tx)
        email = by.email if isinstance(by, Principal) else None
        return keys | {f"email:{email.lower()}"} if email else keys

    async def visibility(self, by: Acting, tx: Transaction | None = None) -> Visibility:
        """``may_handle`` for a whole list at once."""
        roles = await self.roles(by, tx)
        return Visibility(
            meldpunt=Role.COORDINATOR in roles,
            confidant=Role.CONFIDANT in roles,
            keys=await self.keys(by, tx),
        )

    async def someone(self, key: str, name: str, tx: Transaction | None = None) -> Acting | None:
        """The person behind a key, to ask ``may_handle`` for them (a hand-over): a chat
        identity, or a console sign-in known through a link."""
        platform, _, user_id = key.partition(":")
        if not user_id:
            return None
        if platform == "console":
            if self.links is None:
                return None
            return await self.links.principal_of(user_id, tx)
        if platform not in self.messengers:
            return None
        return Actor(platform, user_id, name)
