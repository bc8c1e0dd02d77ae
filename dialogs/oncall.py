"""Answering a page: “Ik bel nu” and “Teruggebeld”, from the page or the case thread.

The buttons carry a case id; the case service checks that whoever pressed is a
coordinator or the person the page reached.
"""

from __future__ import annotations

from bot.events import ActionInvoked
from bot.ui import Message, Response, Text
from dialogs.context import DialogContext

ON_IT = "oncall.on_it"
CALLED_BACK = "oncall.called_back"


class OnCallDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    async def act(self, event: ActionInvoked, case_id: int) -> Response:
        t = self.ctx.coordinator_t
        if event.action_id == CALLED_BACK:
            case = await self.ctx.cases.called_back(event.actor, case_id)
            text = t("Noted: the reporter of {ref} was called back.", ref=case.reference)
        else:
            case = await self.ctx.cases.on_it(event.actor, case_id)
            text = t(
                "Thank you. Everyone can see that you are on {ref} now; the page stops here.",
                ref=case.reference,
            )
        return Response(private=[Message(text, [Text.of(text)])])
