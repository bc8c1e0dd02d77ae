"""The reporter's follow-up: answering a coordinator's question, adding information."""

from __future__ import annotations

import re

from bot.case.models import EventKind, Reporter
from bot.events import Actor
from bot.i18n import Translator
from bot.text import MESSAGE_MAX
from bot.ui import Actions, Button, Form, Message, Response, Text, TextInput
from dialogs.context import DialogContext
from dialogs.coordinator import ANSWERING

FORM_ANSWER = "case.answer"
FORM_ADDITION = "case.addition"
REFERENCE = re.compile(r"^\s*(M-\d{4}-\d{4,})\b[\s:,.-]*", re.IGNORECASE)


def follow_up_form(t: Translator, form_id: str, case_id: int) -> Form:
    answering = form_id == FORM_ANSWER
    return Form(
        form_id,
        t("Answer") if answering else t("Add information"),
        t("Send"),
        [
            TextInput(
                "text",
                t("Your answer") if answering else t("What do you want to add?"),
                multiline=True,
                max_length=MESSAGE_MAX,
            )
        ],
        state=str(case_id),
        cancel_label=t("Cancel"),
        language=t.language,
    )


class ReporterDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    async def pending_question(self, actor: Actor) -> int | None:
        state = await self.ctx.states.get(ANSWERING, actor)
        return int(state["case"]) if state else None

    async def reference_in(self, actor: Actor, text: str) -> tuple[int, str] | None:
        """``M-2026-0042 more details`` from the case's own reporter: (case id, the rest)."""
        match = REFERENCE.match(text)
        if not match:
            return None
        for case in await self.ctx.cases.cases_of(Reporter(actor.platform, actor.user_id)):
            if case.reference == match.group(1).upper():
                return case.id, text[match.end() :].strip()
        return None

    async def send(
        self, actor: Actor, case_id: int, text: str, kind: EventKind, t: Translator
    ) -> Response:
        reporter = Reporter(actor.platform, actor.user_id, actor.name)
        case = await self.ctx.cases.reporter_adds(reporter, case_id, text, kind)
        if kind is EventKind.ANSWER:
            await self.ctx.states.delete(ANSWERING, actor)
            reply = t("Thank you, your answer has been passed on for {ref}.", ref=case.reference)
        else:
            reply = t("Thank you, your information has been added to {ref}.", ref=case.reference)
        return Response(
            messages=[
                Message(
                    reply,
                    [
                        Text.of(reply),
                        Actions([Button(t("Add information"), "case.add_info", str(case.id))]),
                    ],
                )
            ]
        )
