"""The dialog router: the core's ``Handler``. One neutral event in, a ``Response`` out."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import replace

from bot.case.models import EventKind
from bot.case.service import CaseError
from bot.consultation.sighting import sight_code
from bot.conversations import LANGUAGE
from bot.events import (
    ActionInvoked,
    CommandInvoked,
    Event,
    FormSubmitted,
    HomeOpened,
    MembersJoined,
    MessageReceived,
)
from bot.i18n import Translator
from bot.manager.views import FORM_ANSWER as FORM_MANAGER_ANSWER
from bot.text import MESSAGE_MAX, NARRATIVE_MAX, TooLong, clean, clean_name
from bot.ui import Message, Response, Text
from dialogs import consult as anon
from dialogs import coordinator as coord
from dialogs import proposal
from dialogs import report as rep
from dialogs import reporter as fu
from dialogs.consult import ConsultDialog
from dialogs.consultation import FORM_ANSWER as FORM_CONSULT_ANSWER
from dialogs.consultation import ConsultationDialog
from dialogs.context import DialogContext
from dialogs.coordinator import ANSWERING, CoordinatorDialog
from dialogs.draft import DRAFT
from dialogs.forms import int_state, required_text
from dialogs.held import HELD
from dialogs.link import LinkDialog, link_code
from dialogs.manager import ManagerDialog
from dialogs.menu import MenuDialog
from dialogs.oncall import OnCallDialog
from dialogs.once import Once
from dialogs.report import ReportDialog
from dialogs.reporter import ReporterDialog

log = logging.getLogger(__name__)

PERSONAL_STATES = (LANGUAGE, ANSWERING, DRAFT, HELD)

GREETINGS = {
    "hoi",
    "hallo",
    "hi",
    "hey",
    "hello",
    "help",
    "menu",
    "start",
    "melden",
    "melding",
    "ik wil iets melden",
    "iets melden",
    "report",
    "goedemorgen",
    "goedemiddag",
}
STATUS_WORDS = {"status", "mijn meldingen", "my reports"}

# The field that shows a general failure when a form cannot be handled.
FIRST_FIELD = {
    rep.FORM_FULL: "narrative",
    rep.FORM_DETAILS: "category",
    coord.FORM_QUESTION: "question",
    coord.FORM_STATUS: "status",
    coord.FORM_CLOSE: "summary",
    coord.FORM_CORRECT: "urgency",
    fu.FORM_ANSWER: "text",
    fu.FORM_ADDITION: "text",
    anon.FORM_CONSULT: "situation",
    anon.FORM_ANONYMOUS: "narrative",
    anon.FORM_CODE: "code",
    anon.FORM_REPLY: "text",
    anon.FORM_TO_REPORT: "narrative",
    FORM_CONSULT_ANSWER: "answer",
    FORM_MANAGER_ANSWER: "note",
}


def _say(text: str) -> Message:
    return Message(text, [Text.of(text)])


def _files_not_taken(response: Response, event: MessageReceived, t: Translator) -> Response:
    """Files come along with a new report only; elsewhere the person hears they did not."""
    if not event.files:
        return response
    note = t.plural(
        "I did not take your file with this message: files go along with a new report.",
        "I did not take your {count} files with this message: files go along with a new report.",
        len(event.files),
    )
    response.messages.append(_say(note))
    return response


def _anonymous(response: Response) -> Response:
    """Marks an exchange of an anonymous route: a surface keeping history keeps none of it."""
    response.anonymous = True
    return response


def _cleaned(event: Event) -> Event:
    """Platform display names are input too: one clean, short line, or none."""
    cleaned = replace(event, actor=replace(event.actor, name=clean_name(event.actor.name)))
    if isinstance(cleaned, MembersJoined):
        members = tuple(replace(m, name=clean_name(m.name)) for m in cleaned.members)
        cleaned = replace(cleaned, members=members)
    return cleaned


class Dialogs:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx
        self.report = ReportDialog(ctx)
        self.coordinator = CoordinatorDialog(ctx)
        self.reporter = ReporterDialog(ctx)
        self.menu = MenuDialog(ctx)
        self.consult = ConsultDialog(ctx, self.report.receipt)
        self.consultation = ConsultationDialog(ctx)
        self.oncall = OnCallDialog(ctx)
        self.link = LinkDialog(ctx)
        self.manager = ManagerDialog(ctx)
        self.once = Once(ctx, self.report.receipt)

    async def handle(self, event: Event) -> Response:
        event = _cleaned(event)
        # Until the person's language is read, the answer to a failure is in the default one:
        # with the database down, reading it fails too, and the person must still hear.
        t = self.ctx.coordinator_t
        try:
            async with self._read_ahead(event):
                t = await self.ctx.translator_for(event.actor)
                return await self._route(event, t)
        except CaseError as refusal:
            text = t(refusal.reason, **refusal.values)
            return Response(private=[_say(text)])
        except TooLong as too_long:
            text = t(
                "That message is longer than I can take ({limit} characters), so I have not "
                "saved it. Please send it in parts: I will ask where each part belongs.",
                limit=too_long.limit,
            )
            return Response(private=[_say(text)])
        except Exception as error:
            # The kind only: an exception's text can carry what it was handling (an id, what
            # someone typed). Where it failed is logged at DEBUG, for a developer's run.
            log.error("could not handle %s (%s)", type(event).__name__, type(error).__name__)
            log.debug("where handling %s failed", type(event).__name__, exc_info=True)
            text = t(
                "Something went wrong on our side and nothing was saved. "
                "Please try again in a minute."
            )
            form = event if isinstance(event, FormSubmitted) else None
            if form is not None and form.key:
                # It may have failed after its commit; the ledger makes sending it again safe.
                text = t(
                    "Something went wrong on our side. Please send it again in a minute: "
                    "what already arrived is not saved twice."
                )
            field = FIRST_FIELD.get(form.form_id) if form is not None else None
            if field:
                return Response(errors={field: text})
            return Response(private=[_say(text)])

    def _read_ahead(self, event: Event) -> AbstractAsyncContextManager[None]:
        """A personal message reads the person's language, open question, draft and held
        messages: in one round trip rather than one transaction each."""
        if isinstance(event, MessageReceived) and event.address.personal:
            return self.ctx.states.read_ahead(event.actor, PERSONAL_STATES)
        return nullcontext()

    async def _route(self, event: Event, t: Translator) -> Response:
        match event:
            case HomeOpened():
                return self.menu.home(t)
            case CommandInvoked(command="report", text=text):
                return await self.report.command(event.actor, clean(text, NARRATIVE_MAX), t)
            case CommandInvoked():
                return self.menu.show(t)
            case MessageReceived(address=address) if address.personal:
                return await self._personal_text(event, t)
            case MessageReceived():
                return Response()
            case ActionInvoked():
                return await self._action(event, t)
            case FormSubmitted():
                return await self.once.form(event, t, self._form)
            case MembersJoined():
                log.info("members joined (%d)", len(event.members))
                if self.ctx.onboarding is not None:
                    await self.ctx.onboarding.joined(event)
        return Response()

    async def _personal_text(self, event: MessageReceived, t: Translator) -> Response:
        text = clean(event.text, NARRATIVE_MAX)
        if not text and not event.files:
            return Response(messages=[_say(t("I see no text in your message. What happened?"))])
        if not text:  # files alone: they start (or join) a draft, which asks for words
            return await self.report.drafts.take(event.actor, "", t, event.files)
        code = link_code(text)
        if code is not None:
            return _files_not_taken(await self.link.link(event.actor, code, t), event, t)
        sighting = sight_code(text)
        if sighting is not None:
            # Before anything else: a code must never end up in a draft, answer or report.
            sighted = await self.consult.code_sighted(event.actor, sighting, t)
            return _anonymous(_files_not_taken(sighted, event, t))
        response = await self._not_a_story(event, text, t)
        if response is not None:
            return _files_not_taken(response, event, t)
        return await self.report.drafts.take(event.actor, text, t, event.files)

    async def _not_a_story(
        self, event: MessageReceived, text: str, t: Translator
    ) -> Response | None:
        """An answer, an addition, a greeting or a question for status; None: a story."""
        words = " ".join(text.lower().strip(" .!?").split())
        pending = await self.reporter.pending_question(event.actor)
        if pending is not None and words not in GREETINGS:
            return await self.reporter.answer_or_new(event.actor, pending, text, t)
        addition = await self.reporter.reference_in(event.actor, text)
        if addition and addition[1]:
            case_id, rest = addition
            return await self.reporter.send(
                event.actor, case_id, clean(rest, MESSAGE_MAX), EventKind.ADDITION, t
            )
        if words in GREETINGS:
            return self.menu.show(t)
        if words in STATUS_WORDS:
            return await self.menu.my_reports(event.actor, t)
        return None

    async def _action(self, event: ActionInvoked, t: Translator) -> Response:
        action = event.action_id
        target = int_state(event.value)  # the case or consultation a button is about
        match action:
            case "report.start":
                return Response(form=self.report.full_form(event.actor, t))
            case "report.send":
                return await self.report.send_draft(event, t)
            case "report.urgent" | "report.calm":
                return await self.report.send_draft(event, t, action == "report.urgent")
            case "report.details":
                return await self.report.open_details(event, t)
            case "report.discard":
                return await self.report.drafts.discard(event, t)
            case "held.add":
                return await self.report.drafts.add_held(event, t)
            case "held.restart":
                return await self.report.drafts.restart_with_held(event, t)
            case "handover.yes" | "handover.no" if target is not None:
                return await self.reporter.answer_handover(
                    event, target, action == "handover.yes", t
                )
            case "held.answer":
                return await self.reporter.send_held(event, t)
            case "held.report":
                return await self.reporter.report_held(event, t, self.report.drafts)
            case "consult.start" | "report.anonymous":
                # An anonymous route: nothing typed under the person's name may stay. What
                # they typed goes along in the form, so it is not lost.
                carried = await self.report.drafts.forget(event.actor)
                if action == "consult.start":
                    return _anonymous(self.consult.start(event.actor, t, carried))
                return _anonymous(self.consult.start_anonymous_report(event.actor, t, carried))
            case "receipt.enter":
                return _anonymous(Response(form=anon.code_form(t)))
            case "consult.reply" | "consult.report" | "consult.end":
                return _anonymous(await self.consult.press(event, t))
            case "consult.answer" | "consult.close" if target is not None:
                return await self.consultation.act(event, target)
            case "menu.mine":
                return await self.menu.my_reports(event.actor, t)
            case "menu.language":
                return await self.menu.switch_language(event.actor, event.value)
            case "case.add_info" if target is not None:
                return Response(form=fu.follow_up_form(t, fu.FORM_ADDITION, target))
            case "case.answer" if target is not None:
                return Response(form=fu.follow_up_form(t, fu.FORM_ANSWER, target))
            case (
                "case.claim"
                | "case.reopen"
                | "case.ask"
                | "case.status"
                | "case.close"
                | "case.correct"
                | "case.handover"
            ) if target is not None:
                return await self.coordinator.act(event, target)
            case "oncall.on_it" | "oncall.called_back" if target is not None:
                return await self.oncall.act(event, target)
            case _ if action in proposal.ACTIONS and self.ctx.proposals is not None:
                return await proposal.answer(self.ctx, event, t)
            case "consent.yes" | "consent.no":
                return await self.manager.consent(event, action == "consent.yes", t)
            case "manager.done" | "manager.not_done" | "manager.help":
                return self.manager.open_answer(event, t)
        log.info("ignored an unknown action")  # its id is input: it could say anything
        return Response()

    async def _form(self, event: FormSubmitted, t: Translator) -> Response:
        if event.form_id in {rep.FORM_FULL, rep.FORM_DETAILS}:
            return await self.report.submit(event, t)
        if event.form_id in coord.FORMS:
            return await self.coordinator.submit(event)
        colleague = {
            anon.FORM_CONSULT: self.consult.submit_consultation,
            anon.FORM_ANONYMOUS: self.consult.submit_anonymous_report,
            anon.FORM_CODE: self.consult.submit_code,
            anon.FORM_REPLY: self.consult.submit_reply,
            anon.FORM_TO_REPORT: self.consult.submit_to_report,
        }.get(event.form_id)
        if colleague is not None:
            return _anonymous(await colleague(event, t))
        if event.form_id == FORM_CONSULT_ANSWER:
            return await self.consultation.submit(event)
        if event.form_id == FORM_MANAGER_ANSWER:
            return await self.manager.submit(event, t)
        case_id = int_state(event.state)
        if event.form_id in {fu.FORM_ANSWER, fu.FORM_ADDITION} and case_id is not None:
            errors: dict[str, str] = {}
            missing = t("Please type something first.")
            text = required_text(event.values, "text", MESSAGE_MAX, errors, t, missing)
            if errors:
                return Response(errors=errors)
            kind = EventKind.ANSWER if event.form_id == fu.FORM_ANSWER else EventKind.ADDITION
            return await self.reporter.send(event.actor, case_id, text, kind, t)
        return Response()
