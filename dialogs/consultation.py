"""The coordinators' side of a consultation: answer it, close it.

The buttons carry a consultation id; the role is checked by the service on every action.
The answer form never quotes the question: a form is content on the platform too. Where
the channel shows no content, the form says where to read the question: in meldbot.
"""

from __future__ import annotations

from bot.case.detail import Detail, detail_on
from bot.case.service import NotAllowed
from bot.events import ActionInvoked, FormSubmitted
from bot.i18n import Translator
from bot.text import MESSAGE_MAX
from bot.ui import Block, Form, Link, Response, Text, TextInput
from dialogs.context import DialogContext
from dialogs.forms import int_state, required_text

FORM_ANSWER = "consult.answer"


def answer_form(t: Translator, consultation_id: int, detail: Detail) -> Form:
    intro: list[Block] = [
        Text.of(
            t(
                "The colleague is anonymous and reads your answer with their receipt code. "
                "Ask them to get in touch, or to report, if that would help."
            )
        )
    ]
    if not detail.content:
        url = detail.consultation_url(consultation_id)
        intro.append(Text.of(Link(url, t("Read the question in meldbot."))))
    return Form(
        FORM_ANSWER,
        t("Answer the colleague"),
        t("Send answer"),
        [TextInput("answer", t("Your answer"), multiline=True, max_length=MESSAGE_MAX)],
        intro=intro,
        state=str(consultation_id),
        cancel_label=t("Cancel"),
        language=t.language,
    )


class ConsultationDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    async def act(self, event: ActionInvoked, consultation_id: int) -> Response:
        if event.action_id == "consult.close":
            await self.ctx.consultations.close(event.actor, consultation_id)
            return Response()
        # The form opens only for coordinators, so nobody else sees it.
        if not await self.ctx.consultations.is_coordinator(event.actor):
            raise NotAllowed("Only coordinators can answer consultations. Nothing was changed.")
        detail = detail_on(event.address.platform, self.ctx.settings)
        return Response(form=answer_form(self.ctx.coordinator_t, consultation_id, detail))

    async def submit(self, event: FormSubmitted) -> Response:
        t = self.ctx.coordinator_t
        consultation_id = int_state(event.state)
        if consultation_id is None:
            return Response(errors={})
        errors: dict[str, str] = {}
        missing = t("Please type your answer.")
        answer = required_text(event.values, "answer", MESSAGE_MAX, errors, t, missing)
        if errors:
            return Response(errors=errors)
        await self.ctx.consultations.answer(event.actor, consultation_id, answer)
        return Response()
