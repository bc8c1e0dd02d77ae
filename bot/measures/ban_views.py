"""What a ban's life says: its thread lines, the re-evaluation reminder, and the ban as
the case page shows it (ended or running, its records, what may be done now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from bot.case.detail import Detail
from bot.case.labels import measure_label
from bot.case.models import Case, CaseEvent, EventKind, MeasureKind
from bot.i18n import N_, Translator
from bot.measures.bans import Ban, BanRecordKind
from bot.measures.models import Step
from bot.ui import Actions, Block, Message, Note, Quote, Strong, Text

# The case events written here (``bot.case.views.thread_note`` asks).
KINDS = frozenset(
    {EventKind.BAN_EXTENDED, EventKind.BAN_ENDING, EventKind.BAN_ENDED, EventKind.POLICE_INFORMED}
)
RECORD_LABELS: dict[BanRecordKind, str] = {
    BanRecordKind.EXTENDED: N_("Extended until {date}"),
    BanRecordKind.ENDING: N_("Ends on its end date, {date}"),
    BanRecordKind.ENDED: N_("Ended on {date}"),
    BanRecordKind.POLICE_INFORMED: N_("Police informed of the end date {date}"),
}


def kind_name(t: Translator, kind: MeasureKind | None) -> str:
    """The ban's name inside a sentence: "het pandverbod", not "het Pandverbod"."""
    label = measure_label(t, kind) if kind else ""
    return label[:1].lower() + label[1:]


def day(t: Translator, moment: date) -> str:
    return format_date(moment, "d MMMM y", locale=t.language)


def ban_note(event: CaseEvent, t: Translator, detail: Detail) -> list[Block]:
    """The thread line: who did what to which ban; the note only where content may go."""
    actor = event.actor_name or t("someone")
    measure = kind_name(t, event.measure)
    match event.kind:
        case EventKind.BAN_EXTENDED:
            line = t("{actor} extended the {measure}.", actor=actor, measure=measure)
        case EventKind.BAN_ENDING:
            line = t(
                "{actor} re-evaluated the {measure}: it ends on its end date.",
                actor=actor,
                measure=measure,
            )
        case EventKind.BAN_ENDED if event.actor_name is None:
            line = t("The {measure} has ended: its end date has passed.", measure=measure)
        case EventKind.BAN_ENDED:
            line = t("{actor} ended the {measure} early.", actor=actor, measure=measure)
        case _:
            line = t("{actor} informed the police of the {measure}.", actor=actor, measure=measure)
    blocks: list[Block] = [Text.of(line)]
    if event.kind is EventKind.BAN_ENDED:
        told = t("The reporter is told.") if event.reporter_informed else None
        blocks += [Note(told)] if told else []
    if not event.note:
        return blocks
    if not detail.content:
        return [*blocks, Text.of(t("With a note — read it in meldbot."))]
    return [*blocks, Quote(event.note)]


def review_reminder(case: Case, ban: Ban, t: Translator, detail: Detail) -> Message:
    """Re-evaluate the ban: it ends soon. Names the kind and the date, never a note."""
    assert ban.measure.ends_on is not None
    text = t(
        "Re-evaluate the {measure}: it ends on {date}.",
        measure=kind_name(t, ban.measure.kind),
        date=day(t, ban.measure.ends_on),
    )
    blocks: list[Block] = [
        Text.of(Strong(text)),
        Note(t("Record on the case page whether it ends, or extend it with a reason.")),
    ]
    if not detail.content:
        blocks.append(Actions([detail.open_case(t, case.reference)]))
    return Message(summary=f"{case.reference}: {text}", blocks=blocks, broadcast=True)


@dataclass(frozen=True, slots=True)
class BanShown:
    """A ban on the case page: ended or not, its records, and what may be done now."""

    ended: bool
    records: list[tuple[str, str, str, str | None]]  # when, what, who, note
    may_change: bool  # end or extend
    may_tell_police: bool
    police_told: str | None  # when the police heard of the current end date


def shown(bans: list[Ban], t: Translator, today: date) -> dict[int, BanShown]:
    found: dict[int, BanShown] = {}
    for ban in bans:
        ended = ban.ended(today)
        open_ = not ended and ban.measure.step is not Step.DROPPED
        records = [
            (
                t.datetime(one.at),
                t(RECORD_LABELS[one.kind], date=day(t, one.ends_on) if one.ends_on else ""),
                one.actor_name or "meldbot",
                one.note,
            )
            for one in ban.records
        ]
        told = ban.police_told
        found[ban.measure.id] = BanShown(
            ended,
            records,
            open_,
            open_ and ban.is_building_ban and told is None,
            t.datetime(told.at) if told else None,
        )
    return found
