"""What the organisation configured for handling cases: the case service gets this section.

Built from the settings in the composition root, so the case domain never reads
``bot.settings`` itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.case.models import Category

# A person under one identity: a chat platform's id, or a console sign-in's subject.
KEY = re.compile(r"^(slack|teams|web|console):\S{1,180}$")


def is_key(value: str) -> bool:
    return bool(KEY.match(value))


@dataclass(frozen=True, slots=True)
class CasePolicy:
    first_contact_hours: int = 24
    urgent_contact_minutes: int = 30
    legal_clock_categories: frozenset[Category] = frozenset({Category.INTEGRITY})
    # Reports in these categories are seen only by the integrity coordinators (their keys),
    # when any are configured.
    restricted_categories: frozenset[Category] = frozenset({Category.INTEGRITY})
    integrity_coordinators: frozenset[str] = frozenset()
    # Where a restricted case's alert goes, per platform; without one, to the personal
    # chat of the first named person on that platform.
    restricted_channels: dict[str, str] = field(default_factory=dict)
    # Platforms meldbot talks to whose coordinator channel nobody watches: the web chat's
    # while only the staff page uses it (the demo is off). A report made there goes to the
    # coordinators on another platform (Slack, Teams) when there is one.
    unwatched: frozenset[str] = frozenset()

    def restricts(self, category: Category | None) -> frozenset[str]:
        """Whom a case of ``category`` is restricted to from the start (empty: nobody)."""
        if category in self.restricted_categories:
            return self.integrity_coordinators
        return frozenset()


RESTRICTED_CHANNEL = "restricted-channel"


def alert_place(restricted_to: frozenset[str], platform: str, policy: CasePolicy) -> str | None:
    """Where a case's alert belongs on ``platform``: ``""`` for the coordinator channel,
    ``RESTRICTED_CHANNEL``, or the key of the named person whose personal chat has it;
    None when a restricted case has no place there (it is then in meldbot only)."""
    if not restricted_to:
        return ""
    if platform in policy.restricted_channels:
        return RESTRICTED_CHANNEL
    here = sorted(key for key in restricted_to if key.startswith(f"{platform}:"))
    return here[0] if here else None
