"""The on-call pages in a case's thread: whom they call on, by when, and their buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.case.models import Case, CaseEvent
from bot.i18n import Translator
from bot.ui import Actions, Block, Button, ChannelMention, Inline, LinkButton, Mention, Note, Text


@dataclass(frozen=True, slots=True)
class Paging:
    """What an on-call page's note shows beyond its event: whom it pages (a mention; a
    name once the page's record is gone; None: nobody by name) and its clock."""

    person: Mention | str | None
    call_back_by: datetime
    escalates_at: datetime


def with_person(text: str, person: Mention | str) -> list[Inline]:
    """A translated sentence with ``{person}`` in it, the person put in as a mention."""
    before, _, after = text.partition("{person}")
    return [part for part in (before, person, after) if part]


def page_buttons(case: Case, t: Translator, link: LinkButton | None = None) -> Actions:
    """Answering the page; ``link`` opens the case where the thread does not show it."""
    value = str(case.id)
    opens = [link] if link else []
    if case.reporter is None:  # nobody can call an anonymous reporter back
        return Actions([Button(t("I'm on it"), "oncall.on_it", value, style="primary"), *opens])
    return Actions(
        [
            Button(t("I'm calling now"), "oncall.on_it", value, style="primary"),
            Button(t("Called back"), "oncall.called_back", value),
            *opens,
        ]
    )


def paged(
    case: Case, event: CaseEvent, t: Translator, paging: Paging | None, link: LinkButton | None
) -> list[Block]:
    """The page in the thread: who is paged and by when the reporter must hear from us."""
    person = paging.person if paging else event.actor_name
    anonymous = case.reporter is None
    deadline = t.time_of_day(paging.call_back_by) if paging else ""
    if person is None:
        if anonymous:
            ask = t("Urgent report, and nobody is on call right now. Who takes it?")
        else:
            ask = t(
                "Urgent report, and nobody is on call right now. Who calls the reporter back "
                "before {deadline}?",
                deadline=deadline,
            )
        return [Text.of(ChannelMention(t("everyone")), " ", ask), page_buttons(case, t, link)]
    moment = t.time_of_day(event.created_at)
    if anonymous:
        text = t(
            "On call: {person} was paged at {time}. The reporter is anonymous and cannot be "
            "called back.",
            person="{person}",
            time=moment,
        )
    elif paging is None:
        text = t("On call: {person} was paged at {time}.", person="{person}", time=moment)
    else:
        text = t(
            "On call: {person} was paged at {time} — call back before {deadline}.",
            person="{person}",
            time=moment,
            deadline=deadline,
        )
    blocks: list[Block] = [Text(with_person(text, person))]
    if paging is not None:
        later = t.time_of_day(paging.escalates_at)
        blocks.append(
            Note(t("No answer by {time}? Then the backup and everyone here are paged.", time=later))
        )
    blocks.append(page_buttons(case, t, link))
    return blocks


def escalated(
    case: Case, backup: Mention | str | None, t: Translator, link: LinkButton | None
) -> list[Block]:
    """Nobody answered the page: the backup and the whole channel are called on."""
    parts: list[Inline] = [ChannelMention(t("everyone")), " ", t("Nobody has answered the page.")]
    if backup is not None:
        parts += [" ", *with_person(t("Backup: {person}.", person="{person}"), backup)]
    ask = t("Who takes it now?") if case.reporter is None else t("Who calls the reporter back now?")
    parts += [" ", ask]
    return [Text(parts), page_buttons(case, t, link)]
