"""Whose data is asked for, and what an inzage or an erasure found."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.case.errors import InvalidQuery
from bot.case.models import Case
from bot.i18n import N_

CHAT_PLATFORMS = ("slack", "teams", "web")
BAD_KEY = N_(
    "Give the person as platform:id, such as slack:U0123 or console:<subject>. "
    "A manager may also be email:<address>."
)


class Role(StrEnum):
    """In which part someone is in meldbot's records."""

    REPORTER = "reporter"  # by their chat identity
    COORDINATOR = "coordinator"  # by their chat identity or console:<subject>
    MANAGER = "manager"  # as invited: a chat identity, console:<subject> or email:<address>


@dataclass(frozen=True, slots=True)
class Person:
    role: Role
    key: str

    @classmethod
    def of(cls, role: Role, typed: str) -> Person:
        """The person as typed; a key of the wrong shape is refused, never guessed at."""
        key = typed.strip()
        kind, _, ident = key.partition(":")
        allowed = {
            Role.REPORTER: CHAT_PLATFORMS,
            Role.COORDINATOR: (*CHAT_PLATFORMS, "console"),
            Role.MANAGER: (*CHAT_PLATFORMS, "console", "email"),
        }[role]
        if kind not in allowed or not ident.strip() or len(key) > 300:
            raise InvalidQuery(BAD_KEY)
        return cls(role, key)

    @property
    def platform(self) -> str:
        return self.key.partition(":")[0]

    @property
    def ident(self) -> str:
        return self.key.partition(":")[2]

    @property
    def is_chat(self) -> bool:
        return self.platform in CHAT_PLATFORMS


@dataclass(frozen=True, slots=True)
class Refused:
    """A case kept whole for now, and why (AVG art. 17(3))."""

    reference: str
    status: str
    reason: str  # a code: see bot/privacy/summary.py


@dataclass(slots=True)
class Inzage:
    """Everything found about one person: the export's JSON, and what is counted."""

    person: Person
    data: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    # Cases in it that only some may read (restricted, or for the vertrouwenspersoon).
    guarded: list[Case] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


@dataclass(slots=True)
class Erasure:
    """What an erasure forgets (or forgot) and what it keeps, per kind of row."""

    person: Person
    done: bool
    forgotten: dict[str, int] = field(default_factory=dict)
    refused: list[Refused] = field(default_factory=list)
    kept_audit_entries: int = 0

    @property
    def nothing_found(self) -> bool:
        return not any(self.forgotten.values()) and not self.refused
