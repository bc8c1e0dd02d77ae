"""What the reporter and the manager see in their chat, and the case thread's lines.

The manager's chat obeys ``channel_content`` as a coordinator's does: what the coordinator
chose to share is case content, so Slack and Teams get it only with ``"full"``; with
``"minimal"`` they get the measure, its guidance and a link to meldbot, where it is.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.case.detail import Detail
from bot.case.labels import measure_label
from bot.case.models import Case, CaseEvent, EventKind
from bot.i18n import N_, Translator
from bot.manager.models import Answer, Invitation
from bot.measures.guidance import Advice
from bot.measures.models import Measure
from bot.text import MESSAGE_MAX
from bot.ui import (
    Actions,
    Block,
    Button,
    Choice,
    Facts,
    Form,
    Heading,
    LinkButton,
    Message,
    Note,
    Option,
    Quote,
    Strong,
    Text,
    TextInput,
)

FORM_ANSWER = "manager.answer"
ANSWER_ACTIONS = {
    "manager.done": Answer.DONE,
    "manager.not_done": Answer.NOT_DONE,
    "manager.help": Answer.NEED_HELP,
}
ANSWER_LABELS: dict[Answer, str] = {
    Answer.DONE: N_("Done"),
    Answer.NOT_DONE: N_("Not done"),
    Answer.NEED_HELP: N_("I need help"),
}
KINDS = frozenset(
    {
        EventKind.CONSENT_ASKED,
        EventKind.CONSENT_GIVEN,
        EventKind.CONSENT_DECLINED,
        EventKind.MANAGER_INVITED,
        EventKind.MANAGER_DONE,
        EventKind.MANAGER_NOT_DONE,
        EventKind.MANAGER_HELP,
        EventKind.LETTER_SENT,
    }
)


def _day(t: Translator, day: date) -> str:
    return format_date(day, "d MMMM y", locale=t.language)


def consent_question(case: Case, t: Translator) -> Message:
    text = t(
        "The meldpunt would like to involve your manager in a measure about your report "
        "{ref}. Your manager then hears only what the coordinator writes for them, not your "
        "whole report. Is that all right with you? Nothing happens without your yes.",
        ref=case.reference,
    )
    value = str(case.id)
    return Message(
        summary=text,
        blocks=[
            Text.of(text),
            Actions(
                [
                    Button(t("Yes, that is fine"), "consent.yes", value, style="primary"),
                    Button(t("Rather not"), "consent.no", value),
                ]
            ),
        ],
    )


def consent_answered(case: Case, agree: bool, t: Translator) -> Message:
    if agree:
        text = t(
            "Thank you. The coordinator may now involve your manager for {ref}.",
            ref=case.reference,
        )
    else:
        text = t("Fine: your manager is not involved in {ref}.", ref=case.reference)
    return Message(text, [Text.of(text)])


def guidance_blocks(advice: Advice | None, t: Translator) -> list[Block]:
    if advice is None:
        return []
    pick = advice.purpose.pick
    return [
        Text.of(Strong(t("Tips for you"))),
        Facts(
            [
                (t("What it is for"), pick(t.language)),
                (t("What to prepare"), advice.prepare.pick(t.language)),
                (t("What to say"), advice.say.pick(t.language)),
                (t("What to avoid"), advice.avoid.pick(t.language)),
            ]
        ),
    ]


def _measure_facts(case: Case, measure: Measure, t: Translator) -> Facts:
    items = [(t("Report"), case.reference), (t("Measure"), measure_label(t, measure.kind))]
    if measure.planned_on is not None:
        items.append((t("Planned for"), _day(t, measure.planned_on)))
    return Facts(items)


def invitation_message(
    case: Case,
    measure: Measure,
    invitation: Invitation,
    advice: Advice | None,
    t: Translator,
    detail: Detail,
) -> Message:
    heading = t("You are asked to carry out a measure")
    blocks: list[Block] = [
        Heading(heading),
        Text.of(
            t(
                "{by} of the meldpunt asks you, with your colleague's consent, to carry out "
                "this measure.",
                by=invitation.invited_by,
            )
        ),
        _measure_facts(case, measure, t),
    ]
    if detail.content:
        blocks += [
            Text.of(Strong(t("What the coordinator shares with you:"))),
            Quote(invitation.shared),
        ]
    else:
        blocks.append(Text.of(t("What the coordinator shares with you is in meldbot.")))
    blocks += guidance_blocks(advice, t)
    blocks.append(Actions([detail.open_case(t, case.reference)]))
    blocks.append(Note(t("Afterwards meldbot asks you how it went.")))
    return Message(summary=f"{heading} ({case.reference})", blocks=blocks)


def how_did_it_go(
    case: Case, measure: Measure, invitation: Invitation, t: Translator, *, reminder: bool
) -> Message:
    heading = t("How did it go?")
    lead = (
        t("A reminder: we would still like to hear how the measure went.")
        if reminder
        else t("You carried out a measure for the meldpunt. How did it go?")
    )
    value = str(invitation.id)
    buttons = [
        Button(t(ANSWER_LABELS[answer]), action, value, style="primary" if i == 0 else None)
        for i, (action, answer) in enumerate(ANSWER_ACTIONS.items())
    ]
    return Message(
        summary=f"{heading} ({case.reference})",
        blocks=[
            Heading(heading),
            Text.of(lead),
            _measure_facts(case, measure, t),
            Actions(buttons),
        ],
    )


def answer_form(t: Translator, invitation_id: int, answer: Answer) -> Form:
    return Form(
        FORM_ANSWER,
        t("How did it go?"),
        t("Send"),
        [
            Choice(
                "answer",
                t("How did it go?"),
                [Option(a.value, t(label)) for a, label in ANSWER_LABELS.items()],
                optional=False,
                initial=answer.value,
            ),
            TextInput(
                "note",
                t("A note for the coordinator (optional)"),
                multiline=True,
                optional=True,
                max_length=MESSAGE_MAX,
            ),
        ],
        state=str(invitation_id),
        cancel_label=t("Cancel"),
        language=t.language,
    )


def answered(case: Case, answer: Answer, t: Translator) -> Message:
    text = t("Thank you, your answer is with the meldpunt for {ref}.", ref=case.reference)
    blocks: list[Block] = [Text.of(text)]
    if answer is Answer.NEED_HELP:
        blocks.append(Text.of(t("A coordinator will contact you.")))
    return Message(text, blocks)


def thread_line(event: CaseEvent, t: Translator, detail: Detail) -> list[Block]:
    """Without ``detail.content`` no note is shown, only that there is one."""
    actor = event.actor_name or t("someone")
    measure = measure_label(t, event.measure) if event.measure else ""
    match event.kind:
        case EventKind.CONSENT_ASKED:
            line = t(
                "{actor} asked the reporter whether their manager may be involved.", actor=actor
            )
        case EventKind.CONSENT_GIVEN:
            line = t("The reporter agrees that their manager is involved.")
        case EventKind.CONSENT_DECLINED:
            line = t("The reporter would rather not involve their manager.")
        case EventKind.MANAGER_INVITED:
            line = t(
                "{actor} invited the manager for the measure {measure}.",
                actor=actor,
                measure=measure,
            )
        case EventKind.MANAGER_DONE:
            line = t("The manager says the measure {measure} is done.", measure=measure)
        case EventKind.MANAGER_NOT_DONE:
            line = t("The manager says the measure {measure} is not done.", measure=measure)
        case EventKind.LETTER_SENT:
            line = t(
                "{actor} sent the letter for the measure {measure} to the manager.",
                actor=actor,
                measure=measure,
            )
        case _:
            line = t("The manager asks for help with the measure {measure}.", measure=measure)
    blocks: list[Block] = [
        Text.of(Strong(line)) if event.kind is EventKind.MANAGER_HELP else Text.of(line)
    ]
    if event.note:
        blocks.append(
            Quote(event.note) if detail.content else Text.of(t("With a note — read it in meldbot."))
        )
    return blocks


def letter_title(case: Case, measure: Measure, t: Translator) -> str:
    return t(
        "The letter for {measure} ({ref})",
        measure=measure_label(t, measure.kind),
        ref=case.reference,
    )


def letter_message(
    case: Case, measure: Measure, t: Translator, link: LinkButton, *, in_meldbot: bool
) -> Message:
    """The letter as a link: to the file itself (``in_meldbot`` False) or to the manager's
    page, where it waits to be downloaded. Never the letter's text."""
    heading = t("A letter for you to send")
    says = (
        t("The meldpunt drafted the letter. Download it from your page in meldbot.")
        if in_meldbot
        else t("The meldpunt drafted the letter. Download it here.")
    )
    blocks: list[Block] = [
        Heading(heading),
        Text.of(says),
        _measure_facts(case, measure, t),
        Text.of(t("Check it, fill in the citizen's name and address, and send it.")),
        Actions([link]),
    ]
    return Message(summary=f"{heading} ({case.reference})", blocks=blocks)
