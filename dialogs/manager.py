"""The manager loop in the chat: the reporter's consent, the manager's "Hoe ging het?"."""

from __future__ import annotations

from bot.case.errors import CaseError
from bot.case.models import Reporter
from bot.events import ActionInvoked, FormSubmitted
from bot.i18n import Translator
from bot.manager import views
from bot.manager.models import Answer
from bot.manager.service import ManagerService, number
from bot.ui import Response
from dialogs.context import DialogContext

FORGED = "This button is not valid. Nothing was saved."


class ManagerDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    @property
    def managers(self) -> ManagerService:
        if self.ctx.managers is None:
            raise CaseError("This is not available here. Nothing was saved.")
        return self.ctx.managers

    async def consent(self, event: ActionInvoked, agree: bool, t: Translator) -> Response:
        """The reporter's answer to the coordinator's question."""
        case_id = number(event.value)
        if case_id is None:
            raise CaseError(FORGED)
        reporter = Reporter(event.actor.platform, event.actor.user_id, event.actor.name)
        case = await self.managers.answer_consent(reporter, case_id, agree)
        return Response(replace=views.consent_answered(case, agree, t))

    def open_answer(self, event: ActionInvoked, t: Translator) -> Response:
        """A "Hoe ging het?" button opens the small form with the chosen answer and a note."""
        invitation_id = number(event.value)
        if invitation_id is None:
            raise CaseError(FORGED)
        answer = views.ANSWER_ACTIONS[event.action_id]
        return Response(form=views.answer_form(t, invitation_id, answer))

    async def submit(self, event: FormSubmitted, t: Translator) -> Response:
        invitation_id = number(event.state)
        if invitation_id is None:
            raise CaseError(FORGED)
        try:
            answer = Answer(str(event.values.get("answer") or ""))
        except ValueError:
            return Response(errors={"answer": t("Please choose from the list.")})
        note = event.values.get("note")
        case = await self.managers.answer(event.actor, invitation_id, answer, note)
        return Response(messages=[views.answered(case, answer, t)])
