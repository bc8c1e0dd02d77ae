"""The reporter's follow-up: answering a coordinator's question, adding information."""

from __future__ import annotations

import re

from bot.case.models import EventKind, Reporter
from bot.events import ActionInvoked, Actor
from bot.i18n import Translator
from bot.text import MESSAGE_MAX, clean
from bot.ui import Actions, Block, Button, Form, Message, Response, Strong, Text, TextInput
from dialogs.context import DialogContext
from dialogs.coordinator import ANSWERING
from dialogs.draft import DraftDialog
from dialogs.held import HELD_FOR_ANSWER, Held

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


def answer_or_new(t: Translator, reference: str) -> Message:
    question = t("Is this an answer to the question about {ref}, or a new report?", ref=reference)
    blocks: list[Block] = [
        Text.of(Strong(question)),
        Actions(
            [
                Button(t("Answer for {ref}", ref=reference), "held.answer", style="primary"),
                Button(t("A new report"), "held.report"),
            ]
        ),
    ]
    return Message(question, blocks)


class ReporterDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx
        self.held = Held(ctx)

    async def pending_question(self, actor: Actor) -> int | None:
        state = await self.ctx.states.get(ANSWERING, actor)
        return int(state["case"]) if state else None

    async def answer_or_new(self, actor: Actor, case_id: int, text: str, t: Translator) -> Response:
        """A message while a coordinator's question is open is the answer, unless it reads
        like a new incident: then the person is asked, and the message waits meanwhile."""
        if len(text) <= MESSAGE_MAX and not self.ctx.intake.read(text).any:
            return await self.send(actor, case_id, text, EventKind.ANSWER, t)
        state = await self.ctx.states.get(ANSWERING, actor) or {}
        reference = str(state.get("reference") or "")
        await self.held.hold(actor, HELD_FOR_ANSWER, text, case_id)
        return Response(messages=[answer_or_new(t, reference)])

    async def answer_handover(
        self, event: ActionInvoked, case_id: int, agree: bool, t: Translator
    ) -> Response:
        """The reporter decides whether the vertrouwenspersoon passes the report on."""
        reporter = Reporter(event.actor.platform, event.actor.user_id, event.actor.name)
        case = await self.ctx.cases.answer_handover(reporter, case_id, agree)
        if agree:
            text = t(
                "Thank you. The meldpunt now has your report {ref} and will contact you.",
                ref=case.reference,
            )
        else:
            text = t(
                "Fine: your report {ref} stays with the confidential adviser only.",
                ref=case.reference,
            )
        return Response(replace=_say(text))

    async def send_held(self, event: ActionInvoked, t: Translator) -> Response:
        case_id = await self.held.case_of(event.actor)
        texts = await self.held.texts(event.actor, HELD_FOR_ANSWER)
        if case_id is None or texts is None:
            return Response(replace=_say(t("This question has expired; nothing was added.")))
        answer = clean("\n\n".join(texts), MESSAGE_MAX)
        response = await self.send(event.actor, case_id, answer, EventKind.ANSWER, t)
        await self.held.forget(event.actor)
        return Response(replace=response.messages[0])

    async def report_held(
        self, event: ActionInvoked, t: Translator, drafts: DraftDialog
    ) -> Response:
        """A new report after all: the held message starts (or, asked, joins) a draft; the
        coordinator's question stays open for a later answer."""
        texts = await self.held.texts(event.actor, HELD_FOR_ANSWER)
        if texts is None:
            return Response(replace=_say(t("This question has expired; nothing was added.")))
        await self.held.forget(event.actor)
        drafted = await drafts.take(event.actor, "\n\n".join(texts), t)
        return Response(replace=drafted.messages[0]) if drafted.messages else drafted

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
        answering = self.ctx.states.key(ANSWERING, actor) if kind is EventKind.ANSWER else None
        case = await self.ctx.cases.reporter_adds(reporter, case_id, text, kind, answering)
        if kind is EventKind.ANSWER:
            self.ctx.states.settled(ANSWERING, actor)
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


def _say(text: str) -> Message:
    return Message(text, [Text.of(text)])
