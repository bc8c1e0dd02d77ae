"""The colleague's anonymous side: consult, report anonymously, come back with a code.

Every step here takes care that the person's platform id goes nowhere: the service
calls take texts, a platform name and (only when asked for) a sealed contact. Who typed
a code goes to the guess throttle alone, which keeps only a keyed hash of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.case.models import Case, Category, Reporter, Urgency
from bot.consultation import colleague as views
from bot.consultation.models import NoticeContact
from bot.consultation.service import ReceiptRefused
from bot.consultation.sighting import Sighting
from bot.events import ActionInvoked, Actor, FormSubmitted, Platform
from bot.i18n import Translator
from bot.text import MESSAGE_MAX, NARRATIVE_MAX
from bot.ui import (
    Actions,
    Block,
    Button,
    Choice,
    Field,
    Form,
    Message,
    Note,
    Option,
    Response,
    Text,
    TextInput,
)
from dialogs import staff_page
from dialogs.context import DialogContext
from dialogs.forms import NO, YES, required_text, yes_no
from dialogs.report import (
    incident_fields,
    narrative_field,
    read_narrative,
    read_report,
)

FORM_CONSULT = "consult"
FORM_ANONYMOUS = "report.anonymous"
FORM_CODE = "receipt"
FORM_REPLY = "consult.reply"
FORM_TO_REPORT = "consult.report"
ANONYMOUS, NAMED = "anonymous", "named"


def _notify_fields(t: Translator, reachable: bool) -> list[Field]:
    """The "tell me when there is an answer" choice: not for a visitor of the staff page who did not
    sign in, as there is no one to tell."""
    return [_notify_field(t)] if reachable else []


def _notify_field(t: Translator) -> Choice:
    return Choice(
        "notify",
        t("Tell me here when there is an answer?"),
        [Option(NO, t("No, I will look with my code")), Option(YES, t("Yes, send me a notice"))],
        optional=False,
        initial=NO,
    )


def consult_form(
    t: Translator,
    platform: Platform,
    staff_page_url: str | None,
    carried: str = "",
    reachable: bool = True,
) -> Form:
    """``carried``: a draft the person typed before choosing this anonymous route; it is
    deleted from their chat's state, and only this form holds it now."""
    return Form(
        FORM_CONSULT,
        t("Consult anonymously"),
        t("Send anonymously"),
        [
            TextInput(
                "situation",
                t("What are you unsure about?"),
                multiline=True,
                max_length=NARRATIVE_MAX,
                placeholder=t("Describe the situation. Leave out names if you like."),
                initial=carried or None,
            ),
            *_notify_fields(t, reachable),
        ],
        intro=[
            Text.of(
                t(
                    "In doubt whether something is serious enough? Ask a coordinator. No "
                    "report is made unless you choose to later."
                )
            ),
            Note(_what_stays_visible(platform, reachable, t)),
            *staff_page.page_offer(t, platform, staff_page_url, staff_page.CONSULTATION),
            *([Note(views.notice_trade_off(t))] if reachable else []),
            *_carried_note(t, carried),
        ],
        cancel_label=t("Cancel"),
        language=t.language,
    )


def _what_stays_visible(platform: Platform, reachable: bool, t: Translator) -> str:
    """``reachable`` False: an anonymous visitor of the staff page, not someone in a chat."""
    return (
        views.what_stays_visible(platform, t) if reachable else views.what_the_page_cannot_hide(t)
    )


def _carried_note(t: Translator, carried: str) -> list[Block]:
    if not carried:
        return []
    return [
        Note(
            t("Your draft report is deleted, so nothing links it to your name. Its text is below.")
        )
    ]


def anonymous_report_form(
    t: Translator,
    platform: Platform,
    staff_page_url: str | None,
    categories: list[Category],
    carried: str = "",
    reachable: bool = True,
) -> Form:
    return Form(
        FORM_ANONYMOUS,
        t("Report anonymously"),
        t("Send anonymously"),
        [
            narrative_field(t, carried),
            *incident_fields(t, categories),
            *_notify_fields(t, reachable),
        ],
        intro=[
            Text.of(
                t(
                    "The coordinators will not know who you are, so they cannot call you. "
                    "You follow your report with a receipt code."
                )
            ),
            Note(_what_stays_visible(platform, reachable, t)),
            *staff_page.page_offer(t, platform, staff_page_url, staff_page.ANONYMOUS_REPORT),
            *([Note(views.notice_trade_off(t))] if reachable else []),
            Note(t("In immediate danger? Call 112 first.")),
            *_carried_note(t, carried),
        ],
        cancel_label=t("Cancel"),
        language=t.language,
    )


def code_form(t: Translator) -> Form:
    return Form(
        FORM_CODE,
        t("Your receipt code"),
        t("Open"),
        [TextInput("code", t("Receipt code"), max_length=40, placeholder="K7Q2-ABCD-EFGH-JKMN")],
        cancel_label=t("Cancel"),
        language=t.language,
    )


def reply_form(t: Translator, token: str) -> Form:
    return Form(
        FORM_REPLY,
        t("Reply"),
        t("Send"),
        [TextInput("text", t("Your message"), multiline=True, max_length=MESSAGE_MAX)],
        state=token,
        cancel_label=t("Cancel"),
        language=t.language,
    )


def to_report_form(t: Translator, token: str, categories: list[Category], text: str) -> Form:
    return Form(
        FORM_TO_REPORT,
        t("Make it a report"),
        t("Send report"),
        [
            narrative_field(t, text),
            Choice(
                "identity",
                t("Anonymously or with your name?"),
                [
                    Option(ANONYMOUS, t("Anonymously: my code stays the same")),
                    Option(NAMED, t("With my name: the coordinator can call me")),
                ],
                optional=False,
                initial=ANONYMOUS,
            ),
            *incident_fields(t, categories),
        ],
        intro=[
            Note(
                t(
                    "With your name, the coordinators will also see that this consultation "
                    "was yours."
                )
            )
        ],
        state=token,
        cancel_label=t("Cancel"),
        language=t.language,
    )


def _say(text: str) -> Message:
    return Message(text, [Text.of(text)])


class ConsultDialog:
    def __init__(
        self, ctx: DialogContext, confirm: Callable[[Case, Translator], Awaitable[Message]]
    ) -> None:
        self.ctx = ctx
        self.confirm = confirm  # the named report's confirmation, as the report dialog gives it

    def start(self, actor: Actor, t: Translator, carried: str = "") -> Response:
        page = staff_page.offered_to(actor, self.ctx.settings.staff_page_url)
        return Response(form=consult_form(t, actor.platform, page, carried, not actor.ephemeral))

    def start_anonymous_report(self, actor: Actor, t: Translator, carried: str = "") -> Response:
        settings = self.ctx.settings
        page = staff_page.offered_to(actor, settings.staff_page_url)
        form = anonymous_report_form(
            t, actor.platform, page, settings.categories, carried, not actor.ephemeral
        )
        return Response(form=form)

    async def submit_consultation(self, event: FormSubmitted, t: Translator) -> Response:
        errors: dict[str, str] = {}
        missing = t("Please describe the situation briefly.")
        text = required_text(event.values, "situation", NARRATIVE_MAX, errors, t, missing)
        if errors:
            return Response(errors=errors)
        _consultation, issued = await self.ctx.consultations.start(
            text,
            platform=event.actor.platform,
            language=t.language,
            contact=await self._contact(event),
            deliver_to=await self._deliver_to(event.actor),
        )
        made_by = self.ctx.settings.trafficking_external_reports
        return Response(result=views.issued(issued, t, made_by))

    async def submit_anonymous_report(self, event: FormSubmitted, t: Translator) -> Response:
        errors: dict[str, str] = {}
        report = read_report(event.values, read_narrative(event.values, errors, t), errors, t)
        if errors:
            return Response(errors=errors)
        _case, issued = await self.ctx.consultations.report(
            report,
            platform=event.actor.platform,
            contact=await self._contact(event),
            deliver_to=await self._deliver_to(event.actor),
        )
        made_by = self.ctx.settings.trafficking_external_reports
        return Response(result=views.issued(issued, t, made_by))

    async def code_sighted(self, actor: Actor, sighting: Sighting, t: Translator) -> Response:
        """Something like a code in a message: opened as a code when it is one, and the
        message kept nowhere; when it is nearly one, the person is asked to check it."""
        if sighting.code is None:
            text = t(
                "This looks like a receipt code, but it is not quite right (a character too "
                "many or too few?). I have not saved your message. Check your code and try "
                "again."
            )
            code_button = Actions([Button(t("I have a code"), "receipt.enter")])
            return Response(messages=[Message(text, [Text.of(text), code_button])])
        opened = await self.open_code(actor, sighting.typed, t)
        if sighting.alone:
            return opened
        note = t(
            "I saw a receipt code in your message, so I have not saved the message itself: "
            "that way your code ends up nowhere. Here is what the code opens."
        )
        return Response(messages=[_say(note), *opened.messages])

    async def open_code(self, actor: Actor, typed: str, t: Translator) -> Response:
        """A code typed in the chat; a refusal is said in the chat."""
        try:
            return await self._follow(actor, typed, t)
        except ReceiptRefused as refusal:
            return Response(messages=[_say(t(refusal.reason, **refusal.values))])

    async def submit_code(self, event: FormSubmitted, t: Translator) -> Response:
        typed = str(event.values.get("code") or "")
        try:
            response = await self._follow(event.actor, typed, t)
        except ReceiptRefused as refusal:
            return Response(errors={"code": t(refusal.reason, **refusal.values)})
        return response

    async def _follow(self, actor: Actor, typed: str, t: Translator) -> Response:
        # Who typed goes to the throttle only, which keeps it as a keyed hash.
        guesser = f"{actor.platform}:{actor.user_id}"
        receipt_id = await self.ctx.consultations.unlock(typed, guesser)
        followed = await self.ctx.consultations.follow(receipt_id)
        token = await self.ctx.sessions.open(receipt_id)
        return Response(messages=[views.followed(followed, token, t)])

    async def press(self, event: ActionInvoked, t: Translator) -> Response:
        """A button under the colleague's view: reply, make it a report, close."""
        receipt_id = await self.ctx.sessions.receipt_of(event.value)
        if receipt_id is None:
            return _expired(t)
        match event.action_id:
            case "consult.reply":
                return Response(form=reply_form(t, event.value))
            case "consult.report":
                followed = await self.ctx.consultations.follow(receipt_id)
                first = next((e.text for e in followed.entries if e.text), "")
                categories = self.ctx.settings.categories
                return Response(form=to_report_form(t, event.value, categories, first or ""))
        await self.ctx.consultations.close_by_colleague(receipt_id)
        await self.ctx.sessions.end(event.value)
        text = t("Your consultation is closed. Thank you for asking; you can always ask again.")
        return Response(replace=_say(text))

    async def submit_reply(self, event: FormSubmitted, t: Translator) -> Response:
        receipt_id = await self.ctx.sessions.receipt_of(event.state)
        if receipt_id is None:
            return _expired(t)
        errors: dict[str, str] = {}
        missing = t("Please type something first.")
        text = required_text(event.values, "text", MESSAGE_MAX, errors, t, missing)
        if errors:
            return Response(errors=errors)
        await self.ctx.consultations.write(receipt_id, text)
        await self.ctx.sessions.end(event.state)
        return Response(
            messages=[_say(t("Sent. Look again later with your code to read the answer."))]
        )

    async def submit_to_report(self, event: FormSubmitted, t: Translator) -> Response:
        receipt_id = await self.ctx.sessions.receipt_of(event.state)
        if receipt_id is None:
            return _expired(t)
        errors: dict[str, str] = {}
        report = read_report(event.values, read_narrative(event.values, errors, t), errors, t)
        if errors:
            return Response(errors=errors)
        actor = event.actor
        named = event.values.get("identity") == NAMED
        reporter = Reporter(actor.platform, actor.user_id, actor.name) if named else None
        case = await self.ctx.consultations.turn_into_report(receipt_id, report, reporter)
        await self.ctx.sessions.end(event.state)
        if named:
            return Response(result=await self.confirm(case, t))
        text = t(
            "Your anonymous report {ref} has been received. Your receipt code stays the same: "
            "use it to follow the report.",
            ref=case.reference,
        )
        blocks: list[Block] = [Text.of(text)]
        if case.urgency is Urgency.URGENT:
            blocks.append(views.cannot_call_back(t))
        return Response(result=Message(text, blocks), messages=[Message(text, blocks)])

    async def _deliver_to(self, actor: Actor) -> NoticeContact | None:
        """Where the code goes once more: nowhere for a visitor who did not sign in (the
        page shows it, and their id must not reach a row of the outbox)."""
        return None if actor.ephemeral else await self.ctx.consultations.contact(actor)

    async def _contact(self, event: FormSubmitted) -> NoticeContact | None:
        if event.actor.ephemeral or yes_no(event.values, "notify") is not True:
            return None
        return await self.ctx.consultations.contact(event.actor)


def _expired(t: Translator) -> Response:
    return Response(
        messages=[_say(t("This button has expired. Please give your receipt code again."))]
    )
