"""One person, one set of rights: chat identities linked to console identities.

A chat identity (``slack:U1``) that is linked carries the roles its console identity had
at its last sign-in (for ``roles_valid``, 30 days by default, so that rights taken away at
the identity provider do not live on in the chat), and a console identity carries the
roles its chat identities have on their platforms. How identities get linked:

- **Teams**, at sign-in: the ``oid`` claim of Entra ID is the person's object id, which is
  Teams' ``aadObjectId`` — the same person, so signing in links ``teams:<oid>``.
- **Slack**, by a one-time code: the page ``/koppelen`` shows a six-digit code, valid ten
  minutes; the person types ``koppel 123456`` in their direct message with meldbot. A
  code proves that whoever typed it saw the signed-in page. Tries are counted per chat
  identity (10 an hour), before any code is looked up.
- **The web chat**'s personas, at the demo sign-in: persona ``sanne`` is ``local:sanne``.

Identities are stored as keyed hashes (HMAC-SHA256 under a key derived from the seal key)
where only look-ups are needed, and sealed where they are read back (a person's own chat
identities, for the cases they handle from the chat). What is written is hashed under the
first seal key; look-ups try every configured one, so during a key rotation links made
before it are still found (``meldbot seal rotate`` rehashes them).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import get_args

from bot.access.models import ConsoleIdentity, Principal, Role
from bot.events import Actor, Platform
from bot.ports import Storage, Transaction

LINK_CODE_TTL = timedelta(minutes=10)
CODE_DIGITS = 6
GUESS_LIMIT = 10
GUESS_WINDOW = timedelta(hours=1)
ROLES_VALID = timedelta(days=30)


class TooManyTries(Exception):
    """This chat identity tried too many link codes; ``until`` it may try again."""

    def __init__(self, until: datetime) -> None:
        super().__init__("too many link codes tried")
        self.until = until


LINKS = b"meldbot: linked identities"


def link_key(seal_key: str) -> bytes:
    """The links' HMAC key: derived from the sealing key in use (the first), a key of its
    own, never the one that opens sealed data."""
    return link_keys(seal_key)[0]


def link_keys(seal_key: str) -> tuple[bytes, ...]:
    """``link_key`` of every configured seal key, the first first."""
    given = [key.strip().encode() for key in seal_key.split(",") if key.strip()]
    return tuple(hmac.new(key, LINKS, hashlib.sha256).digest() for key in given)


def actor_of(chat_key: str) -> Actor | None:
    """``slack:U1`` back into an ``Actor``."""
    platform, _, user_id = chat_key.partition(":")
    for known in get_args(Platform):
        if platform == known and user_id:
            return Actor(known, user_id)
    return None


@dataclass(slots=True)
class Links:
    storage: Storage
    clock: Callable[[], datetime]
    hash_keys: tuple[bytes, ...]  # link_keys: the first hashes what is written
    roles_valid: timedelta = ROLES_VALID

    def _hash(self, text: str) -> str:
        return self._hashes(text)[0]

    def _hashes(self, text: str) -> list[str]:
        return [hmac.new(key, text.encode(), hashlib.sha256).hexdigest() for key in self.hash_keys]

    def _subject(self, principal: Principal) -> str:
        return self._hash(f"subject:{principal.subject}")

    async def signed_in(self, principal: Principal, *, also: Actor | None = None) -> None:
        """Someone signed in: remember their roles, and link ``also`` (their Teams id, a
        web chat persona), which the sign-in itself proved to be them."""
        now = self.clock()
        async with self.storage.transaction() as tx:
            await tx.links.remember(self._subject(principal), principal, now)
            if also is not None:
                how = "teams-oid" if also.platform == "teams" else "sign-in"
                await tx.links.link(
                    self._hash(also.key), also.key, self._subject(principal), how, now.date()
                )

    async def new_code(self, principal: Principal) -> str:
        """A one-time code for this signed-in person to type in their chat with meldbot."""
        expires = self.clock() + LINK_CODE_TTL
        subject = self._subject(principal)
        async with self.storage.transaction() as tx:
            while True:
                code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
                key = self._code_key(code)
                if await tx.dialogs.get(key, self.clock()) is None:
                    break
            await tx.dialogs.put(key, {"subject": subject}, expires)
        return code

    def _code_key(self, code: str) -> str:
        return self._code_keys(code)[0]

    def _code_keys(self, code: str) -> list[str]:
        return [f"link-code:{one}" for one in self._hashes(f"code:{code}")]

    async def redeem(self, actor: Actor, code: str) -> Principal | None:
        """Links ``actor`` to whoever asked for ``code``; None for an unknown or used code.
        Raises ``TooManyTries`` past the limit (counted before the code is looked up)."""
        now = self.clock()
        guesser = self._hash(f"guess:{actor.key}")
        async with self.storage.transaction() as tx:
            window = await tx.guesses.reserve(guesser, now, GUESS_WINDOW, GUESS_LIMIT)
        if window.attempts > GUESS_LIMIT:
            raise TooManyTries(window.start + GUESS_WINDOW)
        async with self.storage.transaction() as tx:
            for key in self._code_keys(code):
                state = await tx.dialogs.get(key, now)
                if state is not None:
                    break
            if state is None:
                return None
            await tx.dialogs.delete(key)
            identity = await tx.links.identity(str(state["subject"]))
            if identity is None:
                return None
            await tx.links.link(
                self._hash(actor.key), actor.key, str(state["subject"]), "code", now.date()
            )
            await tx.guesses.forget(guesser)
        return identity.principal

    @asynccontextmanager
    async def _within(self, tx: Transaction | None) -> AsyncIterator[Transaction]:
        """The caller's transaction, or one of our own."""
        if tx is not None:
            yield tx
            return
        async with self.storage.transaction() as own:
            yield own

    async def principal_for(self, actor: Actor, tx: Transaction | None = None) -> Principal | None:
        """The console identity ``actor`` is linked to, while its roles are still valid."""
        async with self._within(tx) as within:
            identity = await _first(within.links.identity_of_chat, self._hashes(actor.key))
        if identity is None or identity.signed_in_at < self.clock() - self.roles_valid:
            return None
        return identity.principal

    async def principal_of(self, subject: str, tx: Transaction | None = None) -> Principal | None:
        """The console identity that signed in with ``subject``, while its roles are valid
        (someone a case may be handed over to)."""
        async with self._within(tx) as within:
            identity = await _first(within.links.identity, self._hashes(f"subject:{subject}"))
        if identity is None or identity.signed_in_at < self.clock() - self.roles_valid:
            return None
        return identity.principal

    async def signed_in_with(self, role: Role) -> list[Principal]:
        """The console identities whose sign-in, still valid, gave them ``role`` (whom a
        case may be handed over or restricted to), by name."""
        async with self._within(None) as within:
            found = await within.links.signed_in_since(self.clock() - self.roles_valid)
        return [identity.principal for identity in found if role in identity.principal.roles]

    async def chats(self, principal: Principal, tx: Transaction | None = None) -> list[Actor]:
        """The chat identities linked to this person."""
        keys: list[str] = []
        async with self._within(tx) as within:
            for subject in self._hashes(f"subject:{principal.subject}"):
                keys += [key for key in await within.links.chats(subject) if key not in keys]
        return [actor for actor in map(actor_of, keys) if actor is not None]

    async def keys(self, principal: Principal) -> set[str]:
        """Every key this person acts under (``console:…`` and each linked chat identity):
        what ``case.handler_id`` may hold for a case that is theirs."""
        return {principal.key, *(actor.key for actor in await self.chats(principal))}

    async def unlink(self, principal: Principal, actor: Actor) -> bool:
        """Ends a link of this person's own; False when ``actor`` is not theirs."""
        if actor.key not in {a.key for a in await self.chats(principal)}:
            return False
        async with self.storage.transaction() as tx:
            for chat in self._hashes(actor.key):
                await tx.links.unlink(chat)
        return True


async def _first(
    look_up: Callable[[str], Awaitable[ConsoleIdentity | None]], hashes: list[str]
) -> ConsoleIdentity | None:
    """The first identity found under one of ``hashes`` (the first key's first)."""
    for one in hashes:
        found = await look_up(one)
        if found is not None:
            return found
    return None
