"""The trend report as neutral UI, and the labels and rows the results post shares.

Nothing here reads a case: only counts, already protected by the small-count rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from bot.case.labels import category_label, measure_label
from bot.case.models import Category, MeasureKind
from bot.i18n import Translator
from bot.settings import Settings
from bot.trends.counts import (
    FOLLOWED_UP,
    LATE,
    OTHER,
    WITHIN,
    Breakdown,
    ContactTimes,
    Key,
    MonthBar,
    PeriodFigures,
)
from bot.trends.periods import Period
from bot.ui import Block, Facts, Heading, Message, Note, Strong, Text

Rows = list[tuple[str, str]]
Namer = Callable[[Key, Translator], str]


def month_name(month: date, t: Translator) -> str:
    return format_date(month, "MMMM y", locale=t.language)


def period_name(period: Period, t: Translator) -> str:
    """ "november 2026", or "juli tot en met september 2026"."""
    if period.first == period.last:
        return month_name(period.first, t)
    first = format_date(period.first, "MMMM", locale=t.language)
    return t("{first} to {last}", first=first, last=month_name(period.last, t))


def category_name(key: Key, t: Translator) -> str:
    if key == OTHER:
        return t("Other (small numbers)")
    if key in {category.value for category in Category}:
        return category_label(t, Category(key))
    return key or t("Not given")


def department_name(key: Key, t: Translator) -> str:
    return key or t("Not given")


def measure_name(key: Key, t: Translator) -> str:
    return measure_label(t, MeasureKind(key)) if key else t("No measure (yet)")


def follow_up_name(key: Key, t: Translator) -> str:
    return t("Followed up") if key == FOLLOWED_UP else t("Not yet followed up")


def rows(table: Breakdown, name: Namer, t: Translator, *, zeros: bool = True) -> Rows:
    """Label and shown count per row; without ``zeros``, rows shown as 0 are left out."""
    shown = [(name(key, t), table.shown(key)) for key in table.counts]
    return [row for row in shown if zeros or row[1] != "0"]


def totals(figures: PeriodFigures, t: Translator, *, zeros: bool = True) -> Rows:
    """How many reports, how many followed up (the reporter heard back, or it was closed)."""
    follow_up = rows(figures.follow_up, follow_up_name, t, zeros=zeros)
    return [(t("Reports"), figures.shown_total), *follow_up]


def section(title: str, items: Iterable[tuple[str, str]]) -> list[Block]:
    return [Text.of(Strong(title)), Facts(list(items))]


def duration(span: timedelta, t: Translator) -> str:
    minutes = span.total_seconds() / 60
    if minutes < 120:
        return t("{minutes} min", minutes=round(minutes))
    hours = format_decimal(round(minutes / 60, 1), locale=t.language)
    return t("{hours} hours", hours=hours)


def contact_rows(
    normal: ContactTimes, urgent: ContactTimes, settings: Settings, t: Translator
) -> Rows:
    too_few = t("not shown: fewer than 5 reports")

    def median(value: timedelta | None) -> str:
        return too_few if value is None else duration(value, t)

    def share(value: float | None) -> str:
        return too_few if value is None else format_percent(value, locale=t.language)

    hours, minutes = settings.first_contact_hours, settings.urgent_contact_minutes
    return [
        (t("Median time to first contact"), median(normal.median)),
        (t("Contacted within {hours} hours", hours=hours), share(normal.within)),
        (t("Median time to first contact, someone in danger"), median(urgent.median)),
        (
            t("Someone in danger: contacted within {minutes} minutes", minutes=minutes),
            share(urgent.within),
        ),
    ]


def reaction_section(figures: PeriodFigures, settings: Settings, t: Translator) -> list[Block]:
    """Within the norm or late, counted with the same small-count rule as the rest."""
    table = figures.reaction
    if table is None:
        return []
    hours = settings.reaction_hours
    return section(
        t("Reaction to the offender"),
        [
            (t("Within {hours} hours", hours=hours), table.shown(WITHIN)),
            (t("Later, or still none when it was due"), table.shown(LATE)),
            (t("Reports counted"), table.shown_total),
        ],
    )


def trend_report(
    period: Period,
    figures: PeriodFigures,
    bars: Sequence[MonthBar],
    settings: Settings,
    t: Translator,
) -> Message:
    month = period_name(period, t)
    blocks: list[Block] = [
        Heading(t("Trend report: {month}", month=month)),
        Text.of(
            t(
                "The reports of {month}, in numbers for management: never names, places or "
                "stories. Counts under 5 are shown as “<5”; so that no such count can be "
                "worked out from a total, another count is sometimes hidden too (“<5” or "
                "“≥5”).",
                month=month,
            )
        ),
        *section(t("Reports"), totals(figures, t)),
        *section(t("By category"), rows(figures.categories, category_name, t)),
    ]
    if settings.departments:
        blocks += section(t("By department"), rows(figures.departments, department_name, t))
    blocks += [
        *section(t("Measures taken"), rows(figures.measures, measure_name, t)),
        *section(
            t("Time to first contact"),
            contact_rows(figures.normal, figures.urgent, settings, t),
        ),
        *reaction_section(figures, settings, t),
        *section(
            t("The last 12 months"), [(month_name(bar.month, t), bar.shown_total) for bar in bars]
        ),
        Note(t("The chart follows in the thread.")),
    ]
    summary = t("Trend report {month}: {count} reports", month=month, count=figures.shown_total)
    return Message(summary, blocks)


def chart_title(period: Period, t: Translator) -> str:
    return t("Reports per month up to {month}", month=period_name(period, t))
