"""Drafting a letter for a measure: the same role check and audit entry as every case
action (``CaseHandling``). Only the case's coordinators draft letters (and, once managers
are invited, what ``Access`` lets them handle). The download is audited as
``letter.download`` with the letter's kind, never its text; the excerpt is not stored
(it is in the report's narrative already).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.access.models import Acting
from bot.case.errors import CaseError
from bot.case.handling import CaseHandling
from bot.case.models import Case
from bot.i18n import N_
from bot.letters import templates as letter_templates
from bot.letters.config import LetterSettings
from bot.letters.fields import LETTER_OF, LetterKind
from bot.letters.values import Filled, values
from bot.measures.models import Measure, Step
from bot.ports import Transaction
from bot.schedule.calendar import local

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class Letter:
    kind: LetterKind
    filename: str
    content: bytes
    content_type: str = DOCX


@dataclass(slots=True)
class LetterService(CaseHandling):
    """``templates``: checked at start-up (``letters.templates.load``); the shipped ones
    by default."""

    organisation: str = ""
    settings: LetterSettings = field(default_factory=LetterSettings)
    templates: letter_templates.LetterTemplates = field(
        default_factory=lambda: letter_templates.load(LetterSettings())
    )

    async def draft(self, by: Acting, case_id: int, measure_id: int, filled: Filled) -> Letter:
        """The letter for the measure, as ``(filename, bytes)`` in a ``Letter``; refused with
        what to fill in when a value the template uses is empty (nothing is made then)."""
        async with self.storage.transaction() as tx:
            case, _measure, letter = await self.composed(tx, by, case_id, measure_id, filled)
            await self._audit(tx, by, "letter.download", case, letter.kind.value)
        return letter

    async def composed(
        self, tx: Transaction, by: Acting, case_id: int, measure_id: int, filled: Filled
    ) -> tuple[Case, Measure, Letter]:
        """The one path every letter takes: the role check, the refusals, then the file."""
        today = local(self.clock()).date()
        case = await self._handled_by(tx, by, case_id, for_update=False)
        if not case.is_open:
            raise CaseError(N_("This case is closed. Reopen it to draft a letter."))
        measure = await tx.measures.get(measure_id)
        if measure is None or measure.case_id != case.id:
            raise CaseError(N_("This measure is not with this case. Nothing was changed."))
        kind = LETTER_OF.get(measure.kind)
        if kind is None:
            raise CaseError(N_("This measure has no letter. Nothing was made."))
        if measure.step is Step.DROPPED:
            raise CaseError(N_("This measure was dropped, so it has no letter."))
        found = values(
            kind,
            self.templates.used[kind],
            organisation=self.organisation,
            settings=self.settings,
            case=case,
            measure=measure,
            filled=filled,
            today=today,
        )
        content = await asyncio.to_thread(self.templates.compose, kind, found)
        return case, measure, Letter(kind, f"{kind.value}-{case.reference}.docx", content)
