"""What the reporter hears of measures (a proposal, a measure carried out, the aangifte
guidance) and the thread lines of the reporter's say, the aangifte and external reports.

Thread lines name the kind and the measure, never a note, a message, a number or who made
an external report: without ``detail.content`` a written message is only said to exist.
"""

from __future__ import annotations

from bot.case.detail import Detail
from bot.case.labels import measure_label
from bot.case.models import Case, CaseEvent, EventKind, MeasureKind
from bot.i18n import N_, Translator
from bot.measures.proposal_models import ACTION_OF, Answer, button_value
from bot.ui import Actions, Block, Button, Heading, Message, Quote, Strong, Text

# A measure in plain words, as the reporter reads it (B1).
PLAIN: dict[MeasureKind, str] = {
    MeasureKind.ORDER_TALK: N_(
        "Someone of the organisation, usually your manager, talks to the person about their "
        "behaviour."
    ),
    MeasureKind.WARNING_LETTER: N_(
        "The person gets a letter. It says what happened, that this is not acceptable, and "
        "what happens if it happens again."
    ),
    MeasureKind.CALL_BAN: N_("The person may not phone the organisation for a while."),
    MeasureKind.BUILDING_BAN: N_("The person may not come into the building for a while."),
    MeasureKind.OFFICE_TALK: N_(
        "The person is invited to the office for a talk about what happened."
    ),
    MeasureKind.POLICE_REPORT: N_("A report is made to the police (aangifte)."),
}
ANSWER_LABELS: dict[Answer, str] = {
    Answer.AGREE: N_("Agree"),
    Answer.RATHER_NOT: N_("Rather not"),
    Answer.TALK: N_("Let's talk"),
}
# What the reporter hears of (``reporter_notice``), and reads with a receipt code.
TOLD = frozenset(
    {EventKind.MEASURE_PROPOSED, EventKind.MEASURE_CARRIED_OUT, EventKind.AANGIFTE_GUIDANCE}
)
# The thread lines written here.
KINDS = frozenset(
    {
        EventKind.MEASURE_PROPOSED,
        EventKind.PROPOSAL_AGREED,
        EventKind.PROPOSAL_RATHER_NOT,
        EventKind.PROPOSAL_TALK,
        EventKind.AANGIFTE_GUIDANCE,
        EventKind.AANGIFTE_RECORDED,
        EventKind.EXTERNAL_REPORT,
    }
)


def plain(t: Translator, kind: MeasureKind | None) -> str:
    return t(PLAIN[kind]) if kind in PLAIN else ""


def _measure(t: Translator, event: CaseEvent) -> str:
    return measure_label(t, event.measure) if event.measure else ""


def _guidance(text: str) -> list[Block]:
    """The aangifte guidance as it was sent: its first paragraph a heading."""
    heading, *rest = [part for part in text.split("\n\n") if part.strip()] or [""]
    lines = [line for part in rest for line in part.splitlines() if line.strip()]
    return [Heading(heading), *(Text.of(line) for line in lines)]


def reporter_notice(case: Case, event: CaseEvent, t: Translator) -> Message | None:
    """In the reporter's chat, in plain and warm words."""
    ref, measure = case.reference, _measure(t, event)
    match event.kind:
        case EventKind.MEASURE_PROPOSED:
            heading = t("What do you think of this proposal?")
            lead = t(
                "For your report {ref} we want to take this measure: {measure}.",
                ref=ref,
                measure=measure,
            )
            value = button_value(case.id, event.id)
            blocks: list[Block] = [
                Heading(heading),
                Text.of(lead),
                Text.of(plain(t, event.measure)),
            ]
            if event.text:
                blocks += [Text.of(t("Message from the coordinator:")), Quote(event.text)]
            blocks += [
                Text.of(t("Your answer goes to the coordinator. You can always call them too.")),
                Actions(
                    [
                        Button(t("Agree"), ACTION_OF[Answer.AGREE], value, style="primary"),
                        Button(t("Rather not"), ACTION_OF[Answer.RATHER_NOT], value),
                        Button(t("Let's talk"), ACTION_OF[Answer.TALK], value),
                    ]
                ),
            ]
            return Message(summary=heading, blocks=blocks)
        case EventKind.MEASURE_CARRIED_OUT:
            text = t(
                "Good to know: for your report {ref} this measure has been carried out: {measure}.",
                ref=ref,
                measure=measure,
            )
            return Message(summary=text, blocks=[Text.of(text), Text.of(plain(t, event.measure))])
        case EventKind.AANGIFTE_GUIDANCE:
            lead = t("For your report {ref}: about making an aangifte.", ref=ref)
            return Message(summary=lead, blocks=[Text.of(lead), *_guidance(event.text or "")])
    return None


def read_with_code(event: CaseEvent, t: Translator) -> list[Block]:
    """The same news for an anonymous reporter, who reads it with their receipt code and
    answers a proposal with "Reply"."""
    measure = _measure(t, event)
    match event.kind:
        case EventKind.MEASURE_PROPOSED:
            blocks: list[Block] = [
                Text.of(Strong(t("What do you think of this proposal?"))),
                Text.of(t("We want to take this measure: {measure}.", measure=measure)),
                Text.of(plain(t, event.measure)),
            ]
            if event.text:
                blocks.append(Quote(event.text))
            blocks.append(Text.of(t("Let the coordinator know with the Reply button.")))
            return blocks
        case EventKind.MEASURE_CARRIED_OUT:
            return [Text.of(t("This measure has been carried out: {measure}.", measure=measure))]
        case EventKind.AANGIFTE_GUIDANCE:
            return _guidance(event.text or "")
    return []


def thread_line(event: CaseEvent, t: Translator, detail: Detail) -> list[Block]:
    actor = event.actor_name or t("someone")
    measure = _measure(t, event)
    reporter = t("The reporter")  # never their name: that is content
    match event.kind:
        case EventKind.MEASURE_PROPOSED:
            line = t(
                "{actor} asked the reporter what they think of the measure {measure}.",
                actor=actor,
                measure=measure,
            )
            if not event.text:
                return [Text.of(line)]
            if not detail.content:
                return [
                    Text.of(line),
                    Text.of(t("With a message to the reporter — read it in meldbot.")),
                ]
            return [Text.of(line), Quote(event.text)]
        case EventKind.PROPOSAL_AGREED:
            line = t("{who} agrees with the measure {measure}.", who=reporter, measure=measure)
        case EventKind.PROPOSAL_RATHER_NOT:
            line = t(
                "{who} would rather not have the measure {measure}.", who=reporter, measure=measure
            )
        case EventKind.PROPOSAL_TALK:
            line = t(
                "{who} wants to talk about the measure {measure}. Call the reporter.",
                who=reporter,
                measure=measure,
            )
        case EventKind.AANGIFTE_GUIDANCE:
            line = t("{actor} sent the reporter what to expect with an aangifte.", actor=actor)
        case EventKind.AANGIFTE_RECORDED:
            line = t("{actor} recorded the aangifte. The details are in meldbot.", actor=actor)
        case _:
            line = t(
                "{actor} recorded an external report. The details are in meldbot.", actor=actor
            )
    return [Text.of(line)]
