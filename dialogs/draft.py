"""The two-step route: a story typed in a personal chat becomes a draft, then a report.

Nothing merges silently: a message that comes while a draft waits is held until the
person says whether it belongs to the draft or starts a new one. Every draft message
carries its draft's token (its id and version), so a button on an older copy never sends
what that copy did not show, and a draft that was sent says so wherever it is pressed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from bot.case.labels import category_label
from bot.case.models import Case, NewReport, Reporter
from bot.case.views import summarise
from bot.conversations import DRAFT_TTL
from bot.events import ActionInvoked, Actor, MessageRef
from bot.i18n import Translator
from bot.intake.signals import Signals
from bot.text import NARRATIVE_MAX
from bot.ui import Actions, Block, Button, Message, Note, Quote, Response, Strong, Text
from dialogs.context import DialogContext
from dialogs.held import HELD_FOR_DRAFT, Held

DRAFT = "draft"
# The most any platform's form field can be given to start with (Slack's input limit).
PREFILL_MAX = 3000


@dataclass(slots=True)
class Draft:
    id: str
    version: int
    narrative: str
    sent_as: str | None = None  # the reference it became
    shown: MessageRef | None = None  # the draft message the details form was opened from

    @property
    def token(self) -> str:
        return f"{self.id}.{self.version}"

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"id": self.id, "version": self.version}
        if self.sent_as:  # the story itself now lives in the case only
            state["sent_as"] = self.sent_as
        else:
            state["narrative"] = self.narrative
        if self.shown is not None:
            state["shown"] = [self.shown.platform, self.shown.conversation, self.shown.message_id]
        return state

    @classmethod
    def of(cls, state: dict[str, Any]) -> Draft:
        # Drafts written before drafts had ids are one version of their own.
        shown = state.get("shown")
        return cls(
            str(state.get("id") or "old"),
            int(state.get("version") or 1),
            str(state.get("narrative") or ""),
            state.get("sent_as"),
            MessageRef(shown[0], shown[1], shown[2]) if shown else None,
        )


def _say(text: str) -> Message:
    return Message(text, [Text.of(text)])


def safety_note(t: Translator) -> Note:
    return Note(t("In immediate danger? Call 112 first."))


def draft_message(t: Translator, draft: Draft, signals: Signals) -> Message:
    """The draft with its buttons. When the words hint at danger now, sending is the
    answer to one question, so nobody's urgency is decided for them."""
    token = draft.token
    blocks: list[Block] = [
        Text.of(Strong(t("Do you want to send this as a report?"))),
        Quote(summarise(draft.narrative, 1500)),
    ]
    if signals.suggested_category is not None:
        label = category_label(t, signals.suggested_category)
        blocks.append(
            Text.of(
                t(
                    "Kind of incident: {category} (meldbot's suggestion). Not right? Choose "
                    "another under 'Add details'.",
                    category=label,
                )
            )
        )
    later = [Button(t("Add details"), "report.details", token)]
    later.append(Button(t("Don't send"), "report.discard", token))
    if signals.danger_now:
        blocks += [
            Text.of(Strong(t("Is someone in danger right now?"))),
            Actions(
                [
                    Button(t("Yes, right now"), "report.urgent", token, style="danger"),
                    Button(t("No"), "report.calm", token),
                ]
            ),
            Note(t("Your report is sent as soon as you choose.")),
            Actions(later),
        ]
    else:
        blocks += [
            Text.of(t("You can send it now, or first add details such as when and where.")),
            Actions([Button(t("Send report"), "report.send", token, style="primary"), *later]),
        ]
    if signals.self_harm:
        blocks.append(Note(t("Is someone threatening to harm themselves right now? Call 112.")))
    blocks.append(safety_note(t))
    return Message(summary=t("Do you want to send this as a report?"), blocks=blocks)


def sent_note(t: Translator, reference: str) -> Message:
    return _say(t("Sent as report {ref}. Your receipt is in this chat.", ref=reference))


def add_or_new(t: Translator, count: int) -> Message:
    """A story while a draft waits: never merged without asking."""
    question = t.plural(
        "You still have a draft report. Does this message belong with it, or is it a new report?",
        "You still have a draft report. Do these {count} messages belong with it, or are they "
        "a new report?",
        count,
    )
    blocks: list[Block] = [
        Text.of(Strong(question)),
        Actions(
            [
                Button(t("Add to my draft"), "held.add", style="primary"),
                Button(t("Start again with this"), "held.restart"),
            ]
        ),
        Note(t("Starting again deletes the earlier draft.")),
    ]
    return Message(question, blocks)


def expired(t: Translator) -> Response:
    text = t(
        "I no longer have your draft (drafts are kept for 24 hours). "
        "Please type what happened once more."
    )
    return Response(messages=[_say(text)])


class DraftDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx
        self.held = Held(ctx)

    def message(self, t: Translator, draft: Draft) -> Message:
        return draft_message(t, draft, self.ctx.intake.read(draft.narrative))

    async def current(self, actor: Actor) -> Draft | None:
        state = await self.ctx.states.get(DRAFT, actor)
        return Draft.of(state) if state else None

    async def take(self, actor: Actor, text: str, t: Translator) -> Response:
        """Free text in a personal chat: a new draft, or held until the person chooses."""
        draft = await self.current(actor)
        if draft is not None and draft.sent_as is None:
            count = await self.held.hold(actor, HELD_FOR_DRAFT, text)
            return Response(messages=[add_or_new(t, count)])
        return await self._start(actor, text, t)

    async def add_held(self, event: ActionInvoked, t: Translator) -> Response:
        draft = await self.current(event.actor)
        texts = await self.held.texts(event.actor, HELD_FOR_DRAFT)
        if texts is None:
            return Response(replace=_say(t("This question has expired; nothing was added.")))
        if draft is None or draft.sent_as is not None:
            return await self.restart_with_held(event, t)
        narrative = "\n\n".join([draft.narrative, *texts])
        if len(narrative) > NARRATIVE_MAX:
            text = t(
                "Together this is longer than one report can hold ({limit} characters), so I "
                "have not added it. Send your draft first; then add the rest with 'Add "
                "information'. Your message is kept until then.",
                limit=NARRATIVE_MAX,
            )
            return Response(messages=[_say(text)])
        draft = Draft(draft.id, draft.version + 1, narrative)
        await self.ctx.states.put(DRAFT, event.actor, draft.state(), DRAFT_TTL)
        await self.held.forget(event.actor)
        return Response(replace=self.message(t, draft))

    async def restart_with_held(self, event: ActionInvoked, t: Translator) -> Response:
        texts = await self.held.texts(event.actor, HELD_FOR_DRAFT)
        if texts is None:
            return Response(replace=_say(t("This question has expired; nothing was added.")))
        await self.held.forget(event.actor)
        started = await self._start(event.actor, "\n\n".join(texts), t)
        return Response(replace=started.messages[0]) if started.messages else started

    async def _start(self, actor: Actor, text: str, t: Translator) -> Response:
        draft = Draft(secrets.token_urlsafe(8), 1, text)
        await self.ctx.states.put(DRAFT, actor, draft.state(), DRAFT_TTL)
        return Response(messages=[self.message(t, draft)])

    async def pressed(self, actor: Actor, token: str, t: Translator) -> Draft | Response:
        """The draft a button (or the details form) is about, or what to say when that
        draft is no more: sent, grown since that copy was shown, or expired. An empty
        token is a button from before drafts had tokens: the current draft."""
        draft = await self.current(actor)
        if draft is None or (token and token.split(".")[0] != draft.id):
            return expired(t)
        if draft.sent_as is not None:
            return Response(replace=sent_note(t, draft.sent_as))
        if token and token != draft.token:
            text = t("This draft was added to since. Please use the newest one below.")
            return Response(replace=_say(text))
        return draft

    async def send(
        self, actor: Actor, draft: Draft, report: NewReport, replacing: MessageRef | None
    ) -> Case:
        """Stores the report; the draft is marked sent only once the case is committed.
        The receipt takes the place of ``replacing`` (the draft message) when given."""
        reporter = Reporter(actor.platform, actor.user_id, actor.name)
        case = await self.ctx.cases.report(report, reporter, replacing=replacing)
        draft.sent_as, draft.shown = case.reference, None
        await self.ctx.states.put(DRAFT, actor, draft.state(), DRAFT_TTL)
        return case

    async def opened_from(self, actor: Actor, draft: Draft, shown: MessageRef | None) -> None:
        """The details form was opened from this draft message: the receipt will take
        its place once the form is sent."""
        draft.shown = shown
        await self.ctx.states.put(DRAFT, actor, draft.state(), DRAFT_TTL)

    async def discard(self, event: ActionInvoked, t: Translator) -> Response:
        pressed = await self.pressed(event.actor, event.value, t)
        if isinstance(pressed, Response):
            return pressed
        await self.ctx.states.delete(DRAFT, event.actor)
        return Response(replace=_say(t("Not sent. Your text has been deleted.")))

    async def forget(self, actor: Actor) -> str:
        """An anonymous route was chosen: nothing typed under the person's name may stay.
        Returns the unsent story, when one fits a form, for the anonymous form to carry."""
        draft = await self.current(actor)
        await self.ctx.states.delete(DRAFT, actor)
        await self.held.forget(actor)
        unsent = draft.narrative if draft is not None and draft.sent_as is None else ""
        return unsent if len(unsent) <= PREFILL_MAX else ""
