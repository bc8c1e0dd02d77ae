"""The blind index of the words coordinators may read, and the keyed hashes of the people
a restricted case is for.

Each word of a narrative, place, question, answer, addition, message or note is stored as
the first 64 bits of an HMAC under a key derived from the sealing key, per case; the word
itself never reaches the database. Anyone with the database but not the key cannot test a
guess. What remains visible is how often a hash occurs: a known limit of blind indexes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.case.search import words
from storage.models import CaseEventRow, CaseRow, CaseWordRow
from storage.sealing import Sealer
from storage.upsert import upsert

WORDS = b"words a coordinator may search for"
PEOPLE = b"people a restricted case is for"  # every person: reporters, handlers, actors
DIALOGS = b"conversation states"
ADDRESSES = b"platform addresses"
WEB_CHAT = b"web chat conversations and people"
SUBMISSIONS = b"form submissions already processed"
CHUNK = 500  # rows per INSERT: well within every backend's limit on parameters


class Hashes:
    """Keyed hashes for look-ups. Each purpose has a key per configured sealing key: what
    is written is hashed with the first (``word``, ``person``…), a look-up matches any
    (``words``, ``people``…), so rows hashed before a rotation are found until it is done."""

    def __init__(self, sealer: Sealer) -> None:
        self._words = sealer.derived_keys(WORDS)
        self._people = sealer.derived_keys(PEOPLE)
        self._dialogs = sealer.derived_keys(DIALOGS)
        self._addresses = sealer.derived_keys(ADDRESSES)
        self._web = sealer.derived_keys(WEB_CHAT)
        self._submissions = sealer.derived_keys(SUBMISSIONS)

    def word(self, word: str) -> int:
        return self.words(word)[0]

    def words(self, word: str) -> list[int]:
        return [_word_hash(key, word) for key in self._words]

    def person(self, key: str) -> str:
        return _hex(self._people[0], key)

    def people(self, key: str) -> list[str]:
        return [_hex(one, key) for one in self._people]

    def dialog(self, key: str) -> str:
        return _hex(self._dialogs[0], key)

    def dialogs(self, key: str) -> list[str]:
        return [_hex(one, key) for one in self._dialogs]

    def address(self, key: str) -> str:
        return _hex(self._addresses[0], key)

    def addresses(self, key: str) -> list[str]:
        return [_hex(one, key) for one in self._addresses]

    def web(self, name: str) -> str:
        """A web chat conversation (``dm:<user id>``) or person."""
        return _hex(self._web[0], name)

    def webs(self, name: str) -> list[str]:
        return [_hex(one, name) for one in self._web]

    def submission(self, key: str) -> str:
        """A form submission's key (it names a platform's view, card or form token)."""
        return _hex(self._submissions[0], key)

    def submissions(self, key: str) -> list[str]:
        return [_hex(one, key) for one in self._submissions]


def _word_hash(key: bytes, word: str) -> int:
    digest = hmac.new(key, word.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _hex(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


class SearchIndex:
    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes

    async def add(self, case_id: int, texts: Iterable[str | None]) -> None:
        """Indexes the words of ``texts`` for the case (words it has already are kept)."""
        found: set[str] = set()
        for text in texts:
            found |= words(text)
        if not found:
            return
        rows = [{"word": self._hashes.word(w), "case_id": case_id} for w in sorted(found)]
        insert = upsert(self._session)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            await self._session.execute(insert(CaseWordRow).values(chunk).on_conflict_do_nothing())

    async def rebuild(self, case_id: int) -> None:
        """Indexes the case anew from its sealed texts (after the key changed)."""
        await self._session.execute(delete(CaseWordRow).where(CaseWordRow.case_id == case_id))
        case = await self._session.get_one(CaseRow, case_id)
        unseal = self._sealer.unseal
        texts = [unseal(case.narrative_sealed), unseal(case.location_sealed)]
        events = await self._session.execute(
            select(CaseEventRow.kind, CaseEventRow.text_sealed, CaseEventRow.note_sealed).where(
                CaseEventRow.case_id == case_id
            )
        )
        for kind, text, note in events:
            texts += searchable_event(kind, unseal(text), unseal(note))
        await self.add(case_id, texts)


# A clock's note is a code; a hand-over's note is a colleague's name, not case content.
UNSEARCHED = frozenset({"clock", "reassigned"})


def searchable_event(kind: str, text: str | None, note: str | None) -> list[str | None]:
    """What of an event is searchable: what people wrote in it."""
    return [] if kind in UNSEARCHED else [text, note]
