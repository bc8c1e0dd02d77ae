"""Coordinator actions on a case: claim, ask the reporter, update status, close, reopen.

The buttons carry a case id; the role is checked by the case service on every action.
"""

from __future__ import annotations

from bot.case.labels import CATEGORY_LABELS, MEASURE_LABELS, STATUS_LABELS
from bot.case.models import Case, Category, MeasureKind, Status, Urgency
from bot.conversations import ANSWER_TTL
from bot.events import ActionInvoked, FormSubmitted
from bot.i18n import Translator
from bot.text import MESSAGE_MAX
from bot.ui import Choice, Form, Option, Response, Text, TextInput
from dialogs.context import DialogContext
from dialogs.forms import enum_value, int_state, text_value

ANSWERING = "answering"
FORM_QUESTION = "case.question"
FORM_STATUS = "case.status"
FORM_CLOSE = "case.close"
FORM_CORRECT = "case.correct"
FORMS = frozenset({FORM_QUESTION, FORM_STATUS, FORM_CLOSE, FORM_CORRECT})


def _message_to_reporter(t: Translator) -> TextInput:
    return TextInput(
        "message",
        t("Message to the reporter"),
        multiline=True,
        optional=True,
        max_length=MESSAGE_MAX,
        hint=t("Only sent when the reporter wants feedback."),
    )


def question_form(t: Translator, case_id: int) -> Form:
    return Form(
        FORM_QUESTION,
        t("Ask the reporter"),
        t("Send question"),
        [TextInput("question", t("Your question"), multiline=True, max_length=MESSAGE_MAX)],
        intro=[Text.of(t("The reporter receives this in their personal chat and can answer."))],
        state=str(case_id),
        cancel_label=t("Cancel"),
        language=t.language,
    )


def status_form(t: Translator, case_id: int) -> Form:
    statuses = [Status.IN_PROGRESS, Status.MEASURE]
    return Form(
        FORM_STATUS,
        t("Update status"),
        t("Save"),
        [
            Choice(
                "status",
                t("Status"),
                [Option(s.value, t(STATUS_LABELS[s])) for s in statuses],
                optional=False,
            ),
            Choice(
                "measure",
                t("Measure"),
                [Option(m.value, t(label)) for m, label in MEASURE_LABELS.items()],
            ),
            _message_to_reporter(t),
            TextInput(
                "note",
                t("Note for coordinators"),
                multiline=True,
                optional=True,
                max_length=MESSAGE_MAX,
            ),
        ],
        state=str(case_id),
        cancel_label=t("Cancel"),
        language=t.language,
    )


def close_form(t: Translator, case_id: int) -> Form:
    return Form(
        FORM_CLOSE,
        t("Close case"),
        t("Close case"),
        [
            TextInput("summary", t("Summary for the file"), multiline=True, max_length=MESSAGE_MAX),
            _message_to_reporter(t),
        ],
        state=str(case_id),
        cancel_label=t("Cancel"),
        language=t.language,
    )


def correct_form(t: Translator, case: Case) -> Form:
    """What kind of case, how urgent: a coordinator's correction of the intake."""
    categories = list(CATEGORY_LABELS.items())
    return Form(
        FORM_CORRECT,
        t("Category or urgency"),
        t("Save"),
        [
            Choice(
                "category",
                t("Category"),
                [Option(c.value, t(label)) for c, label in categories],
                initial=case.report.category.value if case.report.category else None,
            ),
            Choice(
                "urgency",
                t("Urgency"),
                [
                    Option(Urgency.NORMAL.value, t("Normal")),
                    Option(Urgency.URGENT.value, t("Danger now")),
                ],
                optional=False,
                initial=case.urgency.value,
            ),
        ],
        intro=[
            Text.of(
                t(
                    "Raising the urgency pages the person on call. A category with legal "
                    "deadlines starts them. The reporter is not told."
                )
            )
        ],
        state=str(case.id),
        cancel_label=t("Cancel"),
        language=t.language,
    )


class CoordinatorDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    async def act(self, event: ActionInvoked, case_id: int) -> Response:
        """A case button; forms open only for coordinators, so nobody else sees them."""
        t = self.ctx.coordinator_t
        actor = event.actor
        match event.action_id:
            case "case.claim":
                await self.ctx.cases.claim(actor, case_id)
                return Response()
            case "case.reopen":
                await self.ctx.cases.reopen(actor, case_id)
                return Response()
            case "case.handover":
                await self.ctx.cases.ask_handover(actor, case_id)
                return Response()
        forms = {"case.ask": question_form, "case.status": status_form, "case.close": close_form}
        # Forms open only for those who handle this case, so nobody else sees them.
        case = await self.ctx.cases.get_for(actor, case_id)
        if event.action_id == "case.correct":
            return Response(form=correct_form(t, case))
        return Response(form=forms[event.action_id](t, case_id))

    async def submit(self, event: FormSubmitted) -> Response:
        t = self.ctx.coordinator_t
        case_id = int_state(event.state)
        if case_id is None:
            return Response(errors={})
        errors: dict[str, str] = {}
        too_long = t("Please keep it under {limit} characters.", limit=MESSAGE_MAX)
        values = event.values

        def text(field: str) -> str:
            return text_value(values, field, MESSAGE_MAX, errors, too_long)

        if event.form_id == FORM_QUESTION:
            question = text("question")
            if not question and not errors:
                errors["question"] = t("Please type your question.")
            if errors:
                return Response(errors=errors)
            case = await self.ctx.cases.ask(event.actor, case_id, question)
            if case.reporter:
                pending = {"case": case.id, "reference": case.reference}
                await self.ctx.states.put(ANSWERING, case.reporter, pending, ANSWER_TTL)
            return Response()
        if event.form_id == FORM_CORRECT:
            urgency = enum_value(values, "urgency", Urgency)
            if urgency is None:
                return Response(errors={"urgency": t("Please choose the urgency.")})
            category = enum_value(values, "category", Category)
            await self.ctx.cases.correct(event.actor, case_id, category, urgency)
            return Response()
        if event.form_id == FORM_STATUS:
            status = enum_value(values, "status", Status)
            measure = enum_value(values, "measure", MeasureKind)
            message, note = text("message"), text("note")
            if status is None:
                errors["status"] = t("Please choose a status.")
            if status is Status.MEASURE and measure is None:
                errors["measure"] = t("Please choose the measure.")
            if errors or status is None:
                return Response(errors=errors)
            await self.ctx.cases.change_status(
                event.actor, case_id, status, measure, message or None, note or None
            )
            return Response()
        summary, message = text("summary"), text("message")
        if not summary and not errors:
            errors["summary"] = t("Please write a short summary for the file.")
        if errors:
            return Response(errors=errors)
        await self.ctx.cases.close(event.actor, case_id, summary, message or None)
        return Response()
