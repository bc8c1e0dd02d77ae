"""The report dialog: from a first message to a stored case in at most three steps.

Routes: free text in a personal chat becomes a draft (``dialogs.draft``: "send" stores
it, "details" opens the optional questions); the report command, shortcut and home
button open the full form. Only the narrative is required. The receipt reaches the
reporter's chat through the outbox; a form also shows it in its own place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.case.labels import CATEGORY_LABELS, WHEN_LABELS
from bot.case.models import (
    Addressee,
    Case,
    Category,
    CategorySource,
    NewReport,
    Reporter,
    When,
)
from bot.case.reporter_views import receipt_for
from bot.events import ActionInvoked, Actor, FormSubmitted
from bot.i18n import Translator
from bot.text import NARRATIVE_MAX
from bot.ui import Choice, Form, Message, Option, Response, Text, TextInput
from dialogs.context import DialogContext
from dialogs.draft import PREFILL_MAX, Draft, DraftDialog, safety_note
from dialogs.forms import NO, YES, enum_value, required_text, text_line, yes_no

FORM_FULL = "report"
FORM_DETAILS = "report.details"


def incident_fields(t: Translator, categories: list[Category]) -> list[TextInput | Choice]:
    """The optional questions about what happened, for named and anonymous reports alike."""
    return [
        Choice(
            "category",
            t("What kind of incident?"),
            [Option(c.value, t(CATEGORY_LABELS[c])) for c in categories],
        ),
        Choice("when", t("When?"), [Option(w.value, t(label)) for w, label in WHEN_LABELS.items()]),
        TextInput(
            "location",
            t("Where?"),
            max_length=200,
            optional=True,
            placeholder=t("e.g. the counter at the town hall"),
        ),
        Choice(
            "danger",
            t("Is someone in danger right now?"),
            [Option(YES, t("Yes, right now")), Option(NO, t("No"))],
        ),
    ]


def addressee_field(t: Translator, confidant: str) -> Choice:
    """Whom to tell, where the organisation has a vertrouwenspersoon on this platform."""
    return Choice(
        "addressee",
        t("Whom do you want to tell?"),
        [
            Option(Addressee.MELDPUNT.value, t("The meldpunt: they can also take measures")),
            Option(
                Addressee.CONFIDANT.value,
                t(
                    "The confidential adviser, {name}: listens and advises, in confidence",
                    name=confidant,
                ),
            ),
        ],
        initial=Addressee.MELDPUNT.value,
    )


def _optional_fields(
    t: Translator,
    categories: list[Category],
    departments: Sequence[str],
    confidant: str | None = None,
) -> list[TextInput | Choice]:
    yes_or_no = [Option(YES, t("Yes")), Option(NO, t("No"))]
    # Asked only where the organisation configured its departments; counted for trends.
    department = [Choice("department", t("Department"), [Option(d, d) for d in departments])]
    return [
        *([addressee_field(t, confidant)] if confidant else []),
        *incident_fields(t, categories),
        *(department if departments else []),
        Choice(
            "feedback",
            t("Do you want to hear what happens with your report?"),
            yes_or_no,
            initial=YES,
        ),
        # Like aftercare: no unless chosen; a coordinator may ask later in the chat.
        Choice("manager", t("May your manager be involved?"), yes_or_no, initial=NO),
        Choice(
            "aftercare",
            t("May we ask in a few days how you are doing?"),
            yes_or_no,
            initial=NO,
        ),
    ]


def narrative_field(t: Translator, initial: str = "") -> TextInput:
    return TextInput(
        "narrative",
        t("What happened?"),
        multiline=True,
        max_length=NARRATIVE_MAX,
        placeholder=t("In your own words. A few sentences are enough."),
        initial=initial or None,
    )


def read_narrative(values: Mapping[str, str | None], errors: dict[str, str], t: Translator) -> str:
    missing = t("Please describe briefly what happened.")
    return required_text(values, "narrative", NARRATIVE_MAX, errors, t, missing)


def read_report(
    values: Mapping[str, str | None],
    narrative: str,
    errors: dict[str, str],
    t: Translator,
    departments: Sequence[str] = (),
    confidant_offered: bool = False,
) -> NewReport:
    """The report from a form's answers; what a form did not ask stays at its default.

    ``departments`` (and the vertrouwenspersoon) are what the form offered: any other
    value is refused."""
    addressee = enum_value(values, "addressee", Addressee) or Addressee.MELDPUNT
    if addressee is Addressee.CONFIDANT and not confidant_offered:
        errors["addressee"] = t("Please choose from the list.")
    location = text_line(values, "location", 200, errors, t)
    department = values.get("department") or None
    if department is not None and department not in departments:
        errors["department"] = t("Please choose a department from the list.")
    category = enum_value(values, "category", Category)
    return NewReport(
        narrative,
        category=category,
        category_source=CategorySource.REPORTER if category else None,
        when=enum_value(values, "when", When),
        location=location or None,
        danger_now=yes_no(values, "danger"),
        wants_feedback=yes_no(values, "feedback") is not False,
        manager_consent=yes_no(values, "manager"),
        language=t.language,
        department=department if "department" not in errors else None,
        aftercare=yes_no(values, "aftercare") is True,
        addressee=addressee,
    )


def report_form(
    t: Translator,
    categories: list[Category],
    narrative_text: str = "",
    departments: Sequence[str] = (),
    confidant: str | None = None,
) -> Form:
    """The full form; ``narrative_text`` pre-fills it (``/meld what happened``)."""
    optional = _optional_fields(t, categories, departments, confidant)
    return Form(
        FORM_FULL,
        t("Make a report"),
        t("Send report"),
        [narrative_field(t, narrative_text), *optional],
        intro=[
            Text.of(t("Only the description is needed; everything else is optional.")),
            safety_note(t),
        ],
        cancel_label=t("Cancel"),
        language=t.language,
    )


def details_form(
    t: Translator,
    categories: list[Category],
    departments: Sequence[str] = (),
    suggested: Category | None = None,
    confidant: str | None = None,
) -> Form:
    """The optional questions after a draft; meldbot's suggested category is chosen
    already, one tap to keep or change."""
    fields = [
        replace(f, initial=suggested.value) if f.id == "category" and suggested else f
        for f in _optional_fields(t, categories, departments, confidant)
    ]
    return Form(
        FORM_DETAILS,
        t("Add details"),
        t("Send report"),
        fields,
        intro=[Text.of(t("Your description is kept. Answer what you like and skip the rest."))],
        cancel_label=t("Back"),
        language=t.language,
    )


class ReportDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx
        self.drafts = DraftDialog(ctx)

    def full_form(self, actor: Actor, t: Translator, narrative_text: str = "") -> Form:
        settings = self.ctx.settings
        confidant = self._confidant(actor)
        return report_form(t, settings.categories, narrative_text, settings.departments, confidant)

    def _confidant(self, actor: Actor) -> str | None:
        """The vertrouwenspersoon's name, where one can be told on this platform."""
        confidant = self.ctx.settings.confidant
        return confidant.name if confidant and confidant.place(actor.platform) else None

    async def command(self, actor: Actor, text: str, t: Translator) -> Response:
        """``/meld what happened``: the form, filled in; a story too long for any form's
        field becomes a draft in the person's chat, so nothing is cut."""
        if len(text) <= PREFILL_MAX:
            return Response(form=self.full_form(actor, t, text))
        drafted = await self.drafts.take(actor, text, t)
        note = t("Your story is long, so I made it a draft here in our chat.")
        return Response(messages=[Message(note, [Text.of(note)]), *drafted.messages])

    async def send_draft(
        self, event: ActionInvoked, t: Translator, danger: bool | None = None
    ) -> Response:
        """ "Send", or the answer to "Is someone in danger right now?" (which sends too)."""
        pressed = await self.drafts.pressed(event.actor, event.value, t, event.message)
        if not isinstance(pressed, Draft):
            return pressed
        if not pressed.narrative:
            return Response(messages=[_words_first(t)])
        report = NewReport(
            pressed.narrative,
            danger_now=danger,
            language=t.language,
            attachments=tuple(pressed.files),
        )
        case = await self.drafts.send(event.actor, pressed, report, event.message)
        # The receipt takes the draft's place through the outbox (replacing it here as well
        # would race with that); where the answer to a press can carry a card, it does.
        return Response(result=await self.receipt(case, t))

    async def open_details(self, event: ActionInvoked, t: Translator) -> Response:
        pressed = await self.drafts.pressed(event.actor, event.value, t, event.message)
        if not isinstance(pressed, Draft):
            return pressed
        await self.drafts.opened_from(event.actor, pressed, event.message)
        settings = self.ctx.settings
        suggested = self.ctx.intake.read(pressed.narrative).suggested_category
        confidant = self._confidant(event.actor)
        form = details_form(t, settings.categories, settings.departments, suggested, confidant)
        return Response(form=replace(form, state=pressed.token))

    async def submit(self, event: FormSubmitted, t: Translator) -> Response:
        errors: dict[str, str] = {}
        values = event.values
        draft: Draft | None = None
        if event.form_id == FORM_DETAILS:
            pressed = await self.drafts.pressed(event.actor, event.state, t)
            if not isinstance(pressed, Draft):
                # Sent, grown or gone meanwhile: said in the form's place and in the chat.
                first = pressed.messages[0] if pressed.messages else None
                note = pressed.replace or first
                said = [first] if first is not None else []
                return Response(result=note, replace=pressed.replace, messages=said)
            draft, narrative = pressed, pressed.narrative
            if not narrative:
                return Response(result=_words_first(t), messages=[_words_first(t)])
        else:
            narrative = read_narrative(values, errors, t)
        offered = self._confidant(event.actor) is not None
        report = read_report(values, narrative, errors, t, self.ctx.settings.departments, offered)
        if report.danger_now is None and self.ctx.intake.read(narrative).danger_now:
            errors["danger"] = t(
                "What you wrote sounds like danger. Is someone in danger right now? "
                "Please choose yes or no."
            )
        if errors:
            return Response(errors=errors)
        if draft is not None:
            # The receipt takes the place of the draft message this form was opened from.
            report = replace(report, attachments=tuple(draft.files))
            case = await self.drafts.send(event.actor, draft, report, draft.shown)
            return Response(result=await self.receipt(case, t))
        case = await self.ctx.cases.report(
            report, Reporter(event.actor.platform, event.actor.user_id, event.actor.name)
        )
        return Response(result=await self.receipt(case, t))

    async def _too_late(self, actor: Actor, pressed: Response) -> Response:
        """The details form of a draft that was sent, grew or expired meanwhile: said in
        the form's place and in the chat. The message the form was opened from is replaced
        only while it shows a draft: sent from that very message, it holds the receipt."""
        note = pressed.replace or pressed.messages[0]
        draft = await self.drafts.current(actor)
        receipt_there = draft is not None and draft.sent_as is not None and draft.shown is None
        if pressed.replace is not None and not receipt_there:
            return Response(result=note, replace=note)
        return Response(result=note, messages=[note])

    async def receipt(self, case: Case, t: Translator) -> Message:
        attachments = self.ctx.attachments
        files = len(await attachments.of_case(case.id)) if attachments else 0
        return receipt_for(case, t, self.ctx.settings, files)


def _words_first(t: Translator) -> Message:
    text = t("Tell me first in a few sentences what happened; then I can send it.")
    return Message(text, [Text.of(text)])
