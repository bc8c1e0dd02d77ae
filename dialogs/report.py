"""The report dialog: from a first message to a stored case in at most three steps.

Routes: free text in a personal chat becomes a draft ("send" stores it, "details"
opens the optional questions); the report command, shortcut and home button open
the full form. Only the narrative is required.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.case.labels import CATEGORY_LABELS, WHEN_LABELS
from bot.case.models import Case, Category, NewReport, Reporter, When
from bot.case.views import receipt, summarise
from bot.conversations import DRAFT_TTL
from bot.events import ActionInvoked, Actor, FormSubmitted
from bot.i18n import Translator
from bot.text import NARRATIVE_MAX
from bot.ui import (
    Actions,
    Block,
    Button,
    Choice,
    Form,
    Message,
    Note,
    Option,
    Quote,
    Response,
    Strong,
    Text,
    TextInput,
)
from dialogs.context import DialogContext
from dialogs.forms import NO, UNKNOWN, YES, enum_value, required_text, text_value, yes_no

DRAFT = "draft"
FORM_FULL = "report"
FORM_DETAILS = "report.details"
FORM_MAX = 3000  # a form field holds at most this (Slack's input limit)


def _safety_note(t: Translator) -> Note:
    return Note(t("In immediate danger? Call 112 first."))


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


def _optional_fields(
    t: Translator, categories: list[Category], departments: Sequence[str]
) -> list[TextInput | Choice]:
    yes_or_no = [Option(YES, t("Yes")), Option(NO, t("No"))]
    yes_no_unknown = [*yes_or_no, Option(UNKNOWN, t("Not sure"))]
    # Asked only where the organisation configured its departments; counted for trends.
    department = [Choice("department", t("Department"), [Option(d, d) for d in departments])]
    return [
        *incident_fields(t, categories),
        *(department if departments else []),
        Choice(
            "feedback",
            t("Do you want to hear what happens with your report?"),
            yes_or_no,
            initial=YES,
        ),
        Choice("manager", t("May your manager be involved?"), yes_no_unknown),
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
        max_length=FORM_MAX,
        placeholder=t("In your own words. A few sentences are enough."),
        initial=initial[:FORM_MAX] or None,
    )


def read_narrative(values: Mapping[str, str | None], errors: dict[str, str], t: Translator) -> str:
    missing = t("Please describe briefly what happened.")
    return required_text(values, "narrative", FORM_MAX, errors, t, missing)


def read_report(
    values: Mapping[str, str | None],
    narrative: str,
    errors: dict[str, str],
    t: Translator,
    departments: Sequence[str] = (),
) -> NewReport:
    """The report from a form's answers; what a form did not ask stays at its default.

    ``departments`` are the ones the form offered: any other value is refused."""
    location = text_value(values, "location", 200, errors, t("Please keep it short."))
    department = values.get("department") or None
    if department is not None and department not in departments:
        errors["department"] = t("Please choose a department from the list.")
    return NewReport(
        narrative,
        category=enum_value(values, "category", Category),
        when=enum_value(values, "when", When),
        location=location or None,
        danger_now=yes_no(values, "danger"),
        wants_feedback=yes_no(values, "feedback") is not False,
        manager_consent=yes_no(values, "manager"),
        language=t.language,
        department=department if "department" not in errors else None,
        aftercare=yes_no(values, "aftercare") is True,
    )


def report_form(
    t: Translator,
    categories: list[Category],
    narrative_text: str = "",
    departments: Sequence[str] = (),
) -> Form:
    """The full form; ``narrative_text`` pre-fills it (``/meld what happened``)."""
    return Form(
        FORM_FULL,
        t("Make a report"),
        t("Send report"),
        [narrative_field(t, narrative_text), *_optional_fields(t, categories, departments)],
        intro=[
            Text.of(t("Only the description is needed; everything else is optional.")),
            _safety_note(t),
        ],
        cancel_label=t("Cancel"),
        language=t.language,
    )


def details_form(
    t: Translator, categories: list[Category], departments: Sequence[str] = ()
) -> Form:
    return Form(
        FORM_DETAILS,
        t("Add details"),
        t("Send report"),
        _optional_fields(t, categories, departments),
        intro=[Text.of(t("Your description is kept. Answer what you like and skip the rest."))],
        cancel_label=t("Back"),
        language=t.language,
    )


def draft_message(t: Translator, narrative: str) -> Message:
    return Message(
        summary=t("Do you want to send this as a report?"),
        blocks=[
            Text.of(Strong(t("Do you want to send this as a report?"))),
            Quote(summarise(narrative, 1500)),
            Text.of(t("You can send it now, or first add details such as when and where.")),
            Actions(
                [
                    Button(t("Send report"), "report.send", style="primary"),
                    Button(t("Add details"), "report.details"),
                    Button(t("Don't send"), "report.discard"),
                ]
            ),
            _safety_note(t),
        ],
    )


class ReportDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    async def take_story(self, actor: Actor, text: str, t: Translator) -> Response:
        """Free text in a personal chat: start or extend the draft."""
        draft = await self.ctx.states.get(DRAFT, actor)
        narrative = f"{draft['narrative']}\n\n{text}" if draft else text
        if len(narrative) > NARRATIVE_MAX:
            notice = t(
                "That is more than I can take in one report ({limit} characters). "
                "Your earlier text is kept; please send the rest shorter.",
                limit=NARRATIVE_MAX,
            )
            return Response(messages=[Message(notice, [Text.of(notice)])])
        await self.ctx.states.put(DRAFT, actor, {"narrative": narrative}, DRAFT_TTL)
        return Response(messages=[draft_message(t, narrative)])

    async def send_draft(self, event: ActionInvoked, t: Translator) -> Response:
        draft = await self.ctx.states.get(DRAFT, event.actor)
        if not draft:
            return _expired(t)
        case = await self._store(event.actor, NewReport(draft["narrative"], language=t.language))
        return Response(replace=self.receipt(case, t))

    async def discard_draft(self, event: ActionInvoked, t: Translator) -> Response:
        await self.ctx.states.delete(DRAFT, event.actor)
        text = t("Not sent. Your text has been deleted.")
        return Response(replace=Message(text, [Text.of(text)]))

    def full_form(self, t: Translator, narrative_text: str = "") -> Form:
        settings = self.ctx.settings
        return report_form(t, settings.categories, narrative_text, settings.departments)

    async def open_details(self, event: ActionInvoked, t: Translator) -> Response:
        if not await self.ctx.states.get(DRAFT, event.actor):
            return _expired(t)
        settings = self.ctx.settings
        return Response(form=details_form(t, settings.categories, settings.departments))

    async def submit(self, event: FormSubmitted, t: Translator) -> Response:
        errors: dict[str, str] = {}
        values = event.values
        if event.form_id == FORM_DETAILS:
            draft = await self.ctx.states.get(DRAFT, event.actor)
            if not draft:
                return _expired(t)
            narrative = str(draft["narrative"])
        else:
            narrative = read_narrative(values, errors, t)
        report = read_report(values, narrative, errors, t, self.ctx.settings.departments)
        if errors:
            return Response(errors=errors)
        case = await self._store(event.actor, report)
        return Response(messages=[self.receipt(case, t)])

    async def _store(self, actor: Actor, report: NewReport) -> Case:
        case = await self.ctx.cases.report(
            report, Reporter(actor.platform, actor.user_id, actor.name)
        )
        # The draft goes only after the case is committed: a failure above keeps it.
        await self.ctx.states.delete(DRAFT, actor)
        return case

    def receipt(self, case: Case, t: Translator) -> Message:
        settings = self.ctx.settings
        return receipt(
            case,
            t,
            settings.coordinator_contact,
            settings.support_contacts,
            settings.first_contact_hours,
            settings.urgent_contact_minutes,
        )


def _expired(t: Translator) -> Response:
    text = t(
        "I no longer have your draft (drafts are kept for 24 hours). "
        "Please type what happened once more."
    )
    blocks: list[Block] = [Text.of(text)]
    return Response(messages=[Message(text, blocks)])
