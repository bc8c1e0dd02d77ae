"""The case page's parts for the reporter's say, the aangifte and external reports.

``context`` adds to the case page what its partial templates show (case_proposal.html in
each measure, case_aangifte.html and case_trafficking.html after the measures). The
aangifte's registration number is read only for the case's coordinators (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from adapters.console.pages import Console
from bot.aangifte.models import FILED_BY_LABELS
from bot.access.models import Principal
from bot.case.models import Case, Category, MeasureKind
from bot.i18n import Translator
from bot.measures.models import Measure, Step
from bot.measures.proposal_models import UNREACHABLE, reachable
from bot.measures.say_views import ANSWER_LABELS
from bot.trafficking.models import BODY_LABELS
from bot.trafficking.views import COORDINATOR_GUIDANCE, MADE_BY


@dataclass(frozen=True, slots=True)
class ProposalShown:
    asked: str  # when, and by whom
    answer: str  # the answer, or that it is awaited
    open: bool  # not answered yet: no new proposal of this measure until it is


def _day(t: Translator, day: date) -> str:
    return format_date(day, "d MMMM y", locale=t.language)


async def context(
    console: Console,
    by: Principal,
    case: Case,
    measures: list[Measure],
    handles: bool,
    t: Translator,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "reachable": reachable(case),
        "unreachable": UNREACHABLE,
        "proposals_of": {},
        "aangifte_advised": any(
            m.kind is MeasureKind.POLICE_REPORT and m.step is not Step.DROPPED for m in measures
        ),
        "aangifte": None,
        "filed_by": [(k.value, label) for k, label in FILED_BY_LABELS.items()],
        "trafficking": case.report.category is Category.TRAFFICKING,
        "external_reports": [],
        "bodies": [(b.value, label) for b, label in BODY_LABELS.items()],
        "made_by": MADE_BY[console.settings.trafficking_external_reports],
        "trafficking_guidance": COORDINATOR_GUIDANCE,
    }
    if console.proposals is not None:
        shown: dict[int, list[ProposalShown]] = {}
        for p in await console.proposals.of_case(by, case.id):
            asked = f"{t.datetime(p.asked_at)} · {p.asked_by or ''}".rstrip(" ·")
            if p.answer is None or p.answered_at is None:
                answer = t("No answer yet")
            else:
                answer = f"{t(ANSWER_LABELS[p.answer])} · {t.datetime(p.answered_at)}"
            shown.setdefault(p.measure_id, []).append(
                ProposalShown(asked, answer, p.answer is None)
            )
        found["proposals_of"] = shown
    if handles and console.aangifte is not None and found["aangifte_advised"]:
        record = await console.aangifte.of_case(by, case.id)
        if record is not None:
            found["aangifte"] = [
                (t("Aangifte done on"), _day(t, record.done_on)),
                (t("Filed by"), t(FILED_BY_LABELS[record.filed_by])),
                (t("Police registration number"), record.number),
                (t("Recorded by"), record.recorded_by or ""),
            ]
    if found["trafficking"] and console.external_reports is not None:
        found["external_reports"] = [
            (t(BODY_LABELS[r.body]), _day(t, r.reported_on), r.made_by)
            for r in await console.external_reports.of_case(by, case.id)
        ]
    return found
