"""The two-step route: a story typed in a personal chat becomes a draft, then a report.

Nothing merges silently: a message that comes while a draft waits is held until the
person says whether it belongs to the draft or starts a new one. Every draft message
carries its draft's token (its id and version), so a button on an older copy never sends
what that copy did not show, and a draft that was sent says so wherever it is pressed.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.attachments import views as file_views
from bot.attachments.models import HeldFile
from bot.case.labels import category_label
from bot.case.models import Case, NewReport, Reporter
from bot.case.views import summarise
from bot.conversations import DRAFT_TTL
from bot.events import ActionInvoked, Actor, IncomingFile, MessageRef
from bot.i18n import Translator
from bot.intake.signals import Signals
from bot.submission import once
from bot.submission.models import AlreadySubmitted
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
    files: list[int] = field(default_factory=list)  # held files (bot.attachments) it carries
    receipt_in: MessageRef | None = None  # the message the receipt took the place of

    @property
    def token(self) -> str:
        return f"{self.id}.{self.version}"

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"id": self.id, "version": self.version}
        if self.sent_as:  # the story itself now lives in the case only
            state["sent_as"] = self.sent_as
        else:
            state["narrative"] = self.narrative
        for name, ref in (("shown", self.shown), ("receipt_in", self.receipt_in)):
            if ref is not None:
                state[name] = _ref_state(ref)
        if self.files and not self.sent_as:
            state["files"] = self.files
        return state

    @classmethod
    def of(cls, state: dict[str, Any]) -> Draft:
        # Drafts written before drafts had ids are one version of their own.
        return cls(
            str(state.get("id") or "old"),
            int(state.get("version") or 1),
            str(state.get("narrative") or ""),
            state.get("sent_as"),
            _ref_of(state.get("shown")),
            [int(i) for i in state.get("files", [])],
            _ref_of(state.get("receipt_in")),
        )


def _ref_state(ref: MessageRef) -> list[str]:
    return [ref.platform, ref.conversation, ref.message_id]


def _ref_of(state: Any) -> MessageRef | None:
    return MessageRef(state[0], state[1], state[2]) if state else None


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


def _with(response: Response, refused: list[str]) -> Response:
    """The answer, with a line for every file that could not come along."""
    if refused:
        response.messages.append(Message(" ".join(refused), [Text.of(r) for r in refused]))
    return response


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

    async def take(
        self, actor: Actor, text: str, t: Translator, files: Sequence[IncomingFile] = ()
    ) -> Response:
        """A message in a personal chat: a new draft, or held until the person chooses.

        Files go along: held sealed, and made the case's when the draft is sent. Words
        for files sent before (or files for words) complete one story: nothing to ask."""
        held = await self._hold(files)
        ids = [h.id for h in held if h.id is not None]
        refused = self._refusals(held, t)
        draft = await self.current(actor)
        if draft is None or draft.sent_as is not None:
            return _with(await self._start(actor, text, t, ids, held), refused)
        if not draft.narrative or not text:
            narrative = draft.narrative or text
            carried = [*draft.files, *ids]
            draft = Draft(draft.id, draft.version + 1, narrative, shown=draft.shown, files=carried)
            await self._keep(actor, draft)
            return _with(Response(messages=[self._shown(t, draft, held)]), refused)
        count = await self.held.hold(actor, HELD_FOR_DRAFT, text, files=ids)
        return _with(Response(messages=[add_or_new(t, count)]), refused)

    async def _hold(self, files: Sequence[IncomingFile]) -> list[HeldFile]:
        attachments = self.ctx.attachments
        return await attachments.hold(files) if files and attachments is not None else []

    def _refusals(self, held: Sequence[HeldFile], t: Translator) -> list[str]:
        attachments = self.ctx.attachments
        if attachments is None:
            return []
        limits = attachments.limits
        return [file_views.refusal_text(h, limits, t) for h in held if h.refusal is not None]

    def _shown(self, t: Translator, draft: Draft, held: Sequence[HeldFile]) -> Message:
        """The draft; a draft of files alone asks for a few words first."""
        if draft.narrative:
            return self.message(t, draft)
        taken = [h for h in held if h.held] or held
        return _say(file_views.ask_for_words(taken, t))

    async def _keep(self, actor: Actor, draft: Draft) -> None:
        await self.ctx.states.put(DRAFT, actor, draft.state(), DRAFT_TTL)
        if self.ctx.attachments is not None:
            await self.ctx.attachments.renew(draft.files)

    async def add_held(self, event: ActionInvoked, t: Translator) -> Response:
        draft = await self.current(event.actor)
        texts = await self.held.texts(event.actor, HELD_FOR_DRAFT)
        if texts is None:
            return Response(replace=_say(t("This question has expired; nothing was added.")))
        if draft is None or draft.sent_as is not None:
            return await self.restart_with_held(event, t)
        narrative = "\n\n".join([draft.narrative, *texts])
        files = [*draft.files, *await self.held.files(event.actor)]
        if len(narrative) > NARRATIVE_MAX:
            text = t(
                "Together this is longer than one report can hold ({limit} characters), so I "
                "have not added it. Send your draft first; then add the rest with 'Add "
                "information'. Your message is kept until then.",
                limit=NARRATIVE_MAX,
            )
            return Response(messages=[_say(text)])
        draft = Draft(draft.id, draft.version + 1, narrative, shown=draft.shown, files=files)
        await self._keep(event.actor, draft)
        await self.held.forget(event.actor)
        return Response(replace=self.message(t, draft))

    async def restart_with_held(self, event: ActionInvoked, t: Translator) -> Response:
        texts = await self.held.texts(event.actor, HELD_FOR_DRAFT)
        if texts is None:
            return Response(replace=_say(t("This question has expired; nothing was added.")))
        files = await self.held.files(event.actor)
        earlier = await self.current(event.actor)
        if earlier is not None and earlier.sent_as is None:
            await self._discard_files(earlier.files)
        await self.held.forget(event.actor)
        started = await self._start(event.actor, "\n\n".join(texts), t, files)
        return Response(replace=started.messages[0]) if started.messages else started

    async def _start(
        self,
        actor: Actor,
        text: str,
        t: Translator,
        files: Sequence[int] = (),
        held: Sequence[HeldFile] = (),
    ) -> Response:
        draft = Draft(secrets.token_urlsafe(8), 1, text, files=list(files))
        await self._keep(actor, draft)
        return Response(messages=[self._shown(t, draft, held)])

    async def _discard_files(self, ids: Sequence[int]) -> None:
        if ids and self.ctx.attachments is not None:
            await self.ctx.attachments.discard(ids)

    async def pressed(
        self, actor: Actor, token: str, t: Translator, message: MessageRef | None = None
    ) -> Draft | Response:
        """The draft a button (or the details form) is about, or what to say when that
        draft is no more: sent, grown since that copy was shown, or expired. An empty
        token is a button from before drafts had tokens: the current draft. ``message``:
        the message whose button was pressed."""
        draft = await self.current(actor)
        if draft is None or (token and token.split(".")[0] != draft.id):
            return expired(t)
        if draft.sent_as is not None:
            note = sent_note(t, draft.sent_as)
            if draft.receipt_in is not None and message in (None, draft.receipt_in):
                # Pressed twice: the receipt has taken (or is taking) this message's place,
                # and replacing it would leave no receipt in the chat.
                return Response(messages=[note])
            return Response(replace=note)
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
        # The draft as shown is one report, however often it is sent: the answer to the
        # first press may have been lost before the draft was marked sent.
        key = f"draft:{actor.platform}:{actor.user_id}:{draft.token}"
        try:
            with once.submitting(key):
                case = await self.ctx.cases.report(report, reporter, replacing=replacing)
        except AlreadySubmitted as sent:
            earlier = sent.earlier.target
            found = await self.ctx.cases.opened_by_submission(earlier) if earlier else None
            if found is None or found.reporter is None or found.reporter.user_id != actor.user_id:
                raise
            case = found
        draft.sent_as, draft.shown, draft.receipt_in = case.reference, None, replacing
        await self.ctx.states.put(DRAFT, actor, draft.state(), DRAFT_TTL)
        return case

    async def opened_from(self, actor: Actor, draft: Draft, shown: MessageRef | None) -> None:
        """The details form was opened from this draft message: the receipt will take
        its place once the form is sent."""
        draft.shown = shown
        await self.ctx.states.put(DRAFT, actor, draft.state(), DRAFT_TTL)

    async def discard(self, event: ActionInvoked, t: Translator) -> Response:
        pressed = await self.pressed(event.actor, event.value, t, event.message)
        if isinstance(pressed, Response):
            return pressed
        await self._discard_files(pressed.files)
        await self.ctx.states.delete(DRAFT, event.actor)
        return Response(replace=_say(t("Not sent. Your text has been deleted.")))

    async def forget(self, actor: Actor) -> str:
        """An anonymous route was chosen: nothing typed under the person's name may stay.
        Returns the unsent story, when one fits a form, for the anonymous form to carry."""
        draft = await self.current(actor)
        unsent_files = [*(draft.files if draft else []), *await self.held.files(actor)]
        await self._discard_files(unsent_files)
        await self.ctx.states.delete(DRAFT, actor)
        await self.held.forget(actor)
        unsent = draft.narrative if draft is not None and draft.sent_as is None else ""
        return unsent if len(unsent) <= PREFILL_MAX else ""
