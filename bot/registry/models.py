"""What the registry export knows of one case: facts a registry counts, nothing that tells.

Read from the columns a tombstone keeps too (a case purged by retention still exports):
never the narrative, a name, a message or the aangifte's registration number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RegistryFacts:
    case_id: int  # to check a restricted case against the exporter; never exported
    created_at: datetime
    category: str | None
    platform: str
    department: str | None
    urgent: bool
    status: str
    measures: tuple[str, ...]  # the measures taken (agreed or further), lightest first
    aangifte_by: str | None  # who filed the aangifte (bot/aangifte FiledBy), if recorded
    first_contact_at: datetime | None
    restricted: bool
    for_confidant: bool  # addressed to the vertrouwenspersoon, not the meldpunt
