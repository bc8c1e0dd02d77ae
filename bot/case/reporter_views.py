"""What the reporter sees of their case: the receipt, the news, where to find support."""

from __future__ import annotations

from bot.attachments.views import with_files
from bot.case.labels import measure_label, status_label
from bot.case.models import Case, CaseEvent, Category, EventKind, Status, Urgency
from bot.i18n import Translator
from bot.measures import say_views
from bot.measures.ban_views import kind_name
from bot.settings import Contact, Settings
from bot.trafficking.views import with_receipt_note
from bot.ui import Actions, Block, Button, Facts, Heading, Message, Person, Quote, Strong, Text


def contact_person(contact: Contact) -> Person:
    return Person(contact.name, contact.role, contact.photo_url, contact.phone)


def support_blocks(support: list[Contact], t: Translator) -> list[Block]:
    blocks: list[Block] = [Text.of(Strong(t("Support, now or later")))]
    if not support:
        blocks.append(Text.of(t("Your manager or the confidential adviser can support you.")))
    blocks.extend(contact_person(contact) for contact in support)
    return blocks


def ban_ended(t: Translator, event: CaseEvent) -> str:
    """A ban on the citizen has ended: the reporter should know they may call or come again."""
    return t(
        "The {measure} after your report has ended. The person may contact your "
        "organisation again.",
        measure=kind_name(t, event.measure),
    )


def reporter_notice(
    case: Case, event: CaseEvent, t: Translator, support: list[Contact]
) -> Message | None:
    """What the reporter hears about an event, in plain and warm words (None: nothing)."""
    if event.kind in say_views.TOLD:
        return say_views.reporter_notice(case, event, t)
    handler = case.handler_name or t("the coordinator")
    ref = case.reference
    blocks: list[Block]
    match event.kind:
        case EventKind.CLAIMED:
            text = t(
                "Good news: {handler} has picked up your report {ref}. {handler} will contact "
                "you to hear what happened and how you are doing now.",
                handler=handler,
                ref=ref,
            )
            blocks = [Text.of(text)]
        case EventKind.QUESTION:
            text = t("{handler} has a question about your report {ref}:", handler=handler, ref=ref)
            blocks = [
                Text.of(text),
                Quote(event.text or ""),
                Text.of(t("You can simply answer here in this chat.")),
                Actions([Button(t("Answer"), "case.answer", str(case.id), style="primary")]),
            ]
        case EventKind.STATUS if event.status is Status.MEASURE and event.measure:
            text = t(
                "There is progress on your report {ref}: the following measure is being taken: "
                "{measure}.",
                ref=ref,
                measure=measure_label(t, event.measure),
            )
            blocks = [Text.of(text)]
        case EventKind.STATUS:
            label = status_label(t, event.status) if event.status else ""
            text = t("Your report {ref} now has the status: {status}.", ref=ref, status=label)
            blocks = [Text.of(text)]
        case EventKind.ON_IT:
            text = t(
                "Someone is calling you back now about your report {ref}: {name}.",
                name=event.actor_name or handler,
                ref=ref,
            )
            blocks = [Text.of(text)]
        case EventKind.HANDOVER_ASKED:
            text = t(
                "The confidential adviser would like to pass your report {ref} on to the "
                "meldpunt, so they can also take measures. Is that all right with you? Nothing "
                "is passed on without your yes.",
                ref=ref,
            )
            value = str(case.id)
            blocks = [
                Text.of(text),
                Actions(
                    [
                        Button(t("Yes, pass it on"), "handover.yes", value, style="primary"),
                        Button(t("No, keep it with the adviser"), "handover.no", value),
                    ]
                ),
            ]
        case EventKind.MESSAGE:
            text = t("There is a message about your report {ref}.", ref=ref)
            blocks = [Text.of(text)]
        case EventKind.REASSIGNED:
            text = t("{handler} now handles your report {ref}.", handler=handler, ref=ref)
            blocks = [Text.of(text)]
        case EventKind.CLOSED:
            text = t(
                "Your report {ref} has been closed. Thank you for reporting it — it helps your "
                "colleagues too.",
                ref=ref,
            )
            blocks = [Text.of(text)]
        case EventKind.BAN_ENDED:
            text = t("News about your report {ref}.", ref=ref)
            blocks = [
                Text.of(text),
                Text.of(ban_ended(t, event)),
                Text.of(t("Do you feel unsafe again? Tell us here in this chat.")),
            ]
        case _:
            return None
    if event.kind is not EventKind.QUESTION and event.text:
        blocks.append(Text.of(t("Message from {handler}:", handler=handler)))
        blocks.append(Quote(event.text))
    if event.kind is EventKind.MESSAGE:
        blocks.append(Actions([Button(t("Add information"), "case.add_info", str(case.id))]))
    if event.kind is EventKind.CLOSED:
        blocks.extend(support_blocks(support, t))
    return Message(summary=text, blocks=blocks)


def receipt(
    case: Case,
    t: Translator,
    coordinator: Contact,
    support: list[Contact],
    first_contact_hours: int,
    urgent_minutes: int,
    on_call: bool,
) -> Message:
    """The confirmation a reporter sees once the report is stored. An urgent one names the
    route that really exists: the on-call coordinator only while someone is on call."""
    heading = t("Your report has been received")
    if case.urgency is Urgency.URGENT and on_call:
        next_step = t(
            "Because you said someone is in danger now, the on-call coordinator will contact "
            "you within {minutes} minutes. In immediate danger, call 112.",
            minutes=urgent_minutes,
        )
    elif case.urgency is Urgency.URGENT:
        next_step = t(
            "Because you said someone is in danger now, {name} has been alerted and will "
            "contact you as soon as possible. In immediate danger, call 112 now.",
            name=coordinator.name,
        )
    else:
        next_step = t(
            "{name} will contact you within {hours} hours to hear what happened and how you "
            "are doing. Nothing happens without talking to you first.",
            name=coordinator.name,
            hours=first_contact_hours,
        )
    blocks: list[Block] = [
        Heading(heading),
        Facts([(t("Reference"), case.reference)]),
        Text.of(t("Who handles your report:")),
        contact_person(coordinator),
        Text.of(next_step),
    ]
    if not case.report.wants_feedback:
        blocks.append(Text.of(t("You chose not to receive updates; you can always ask.")))
    blocks += [
        Text.of(
            t(
                "Want to add something later? Press the button, or send a message here "
                "starting with your reference {ref}.",
                ref=case.reference,
            )
        ),
        Actions([Button(t("Add information"), "case.add_info", str(case.id))]),
        *support_blocks(support, t),
    ]
    return Message(summary=f"{heading}: {case.reference}", blocks=blocks)


def receipt_for(case: Case, t: Translator, settings: Settings, files: int = 0) -> Message:
    """The receipt as the organisation configured it: who handles the report (the
    meldpunt, or the vertrouwenspersoon it was addressed to) and which urgent route
    exists right now."""
    confidant = settings.confidant if case.for_confidant else None
    handler = settings.coordinator_contact
    if confidant is not None:
        handler = Contact(
            name=confidant.name,
            role=confidant.role,
            phone=confidant.phone,
            photo_url=confidant.photo_url,
        )
    on_call = confidant is None and settings.oncall.who_is_on_call(case.created_at) is not None
    message = receipt(
        case,
        t,
        handler,
        settings.support_contacts,
        settings.first_contact_hours,
        settings.urgent_contact_minutes,
        on_call=on_call,
    )
    message = with_files(message, files, t)
    if case.report.category is Category.TRAFFICKING:
        message = with_receipt_note(message, settings.trafficking_external_reports, t)
    return message
