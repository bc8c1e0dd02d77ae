"""``[retention]``: how long a closed case is kept, per outcome and category, and the
audit log's own period.

The clock starts when a case is closed, and starts again at every later change (a
reopening, a new message, a measure's end date still ahead): an open case is never due.
The defaults follow the way the Selectielijst gemeenten 2020 works (process-based: keep
what the process still needs, destroy the rest) and the AVG's purpose limitation (art.
5(1)(b), (e)): a case is kept as long as its follow-up may still matter, not longer. They
are a starting point: the archivist checks them against the organisation's own
selectielijst and sets them here.

Consultations that never became a report are forgotten by ``consultation_retention_days``
(bot/housekeeping.py), beside this section: they are short talks, not cases.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.case.models import Category


class CategoryRetention(BaseModel):
    """A category's own periods; what is left out follows the section's defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    with_measures_years: int | None = Field(default=None, ge=1, le=30)
    without_measures_years: int | None = Field(default=None, ge=1, le=30)
    anonymous_years: int | None = Field(default=None, ge=1, le=30)


class RetentionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    with_measures_years: int = Field(
        default=5,
        ge=1,
        le=30,
        description="A case closed with a measure (a talk, a letter, a ban, an aangifte) is "
        "kept this many years: a later incident with the same citizen may lean on the "
        "letter or ban, and a ban is re-evaluated and may be contested.",
    )
    without_measures_years: int = Field(
        default=2,
        ge=1,
        le=30,
        description="A case closed without a measure is kept this many years: long enough "
        "to see a pattern in repeated reports, short because nothing follows from it.",
    )
    anonymous_years: int = Field(
        default=1,
        ge=1,
        le=30,
        description="An anonymous case without a measure is kept this many years: no one "
        "can be asked about it again, so it serves only the year's trends.",
    )
    audit_years: int = Field(
        default=7,
        ge=1,
        le=30,
        description="Audit log entries are deleted after this many years: longer than the "
        "longest case period, so every read and change of a case stays accountable for as "
        "long as the case (plus the time a complaint or objection takes).",
    )
    warn_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Coordinators are told this many days before a case is due (a note in "
        "its thread and the list in the console), so they can extend it once.",
    )
    extension_years: int = Field(
        default=1,
        ge=1,
        le=10,
        description="How much longer an extended case is kept. A case is extended once, "
        "with a reason (an objection or a court case still running, say).",
    )
    categories: dict[Category, CategoryRetention] = Field(
        default={},
        description="Other periods for one category, e.g. trafficking signals kept longer.",
    )
