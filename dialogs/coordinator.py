"""Coordinator actions on a case: claim, ask the reporter, update status, close, reopen.

The buttons carry a case id; the role is checked by the case service on every action.
"""

from __future__ import annotations

from bot.case.labels import MEASURE_LABELS, STATUS_LABELS
from bot.case.models import MeasureKind, Status
from bot.case.service import NotAllowed
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
        forms = {"case.ask": question_form, "case.status": status_form, "case.close": close_form}
        if not await self.ctx.cases.is_coordinator(actor):
            raise NotAllowed("Only coordinators can handle reports. Nothing was changed.")
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
                await self.ctx.states.put(ANSWERING, case.reporter, {"case": case.id}, ANSWER_TTL)
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
