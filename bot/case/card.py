"""The root message of a case in the coordinator channel: its card, updated in place."""

from __future__ import annotations

from bot.case.detail import Detail
from bot.case.labels import category_label, measure_label, status_label, when_label
from bot.case.models import Case, CategorySource, NewReport, Urgency
from bot.case.views import summarise
from bot.i18n import N_, Translator
from bot.ui import (
    Actions,
    Block,
    Button,
    Facts,
    Heading,
    Inline,
    Mention,
    Message,
    Note,
    Quote,
    Strong,
    Text,
)


def yes_no(t: Translator, value: bool | None) -> str:
    if value is None:
        return t("Not given")
    return t("Yes") if value else t("No")


def case_card(case: Case, t: Translator, detail: Detail) -> Message:
    """The root message of a case in the coordinator channel, updated in place. Without
    ``detail.content`` it shows the case's handling only, and where to read the rest."""
    report = case.report
    urgent = case.urgency is Urgency.URGENT
    title = t("Report {reference}", reference=case.reference)
    if case.for_confidant:
        title = t("Report {reference} for the confidential adviser", reference=case.reference)
    if urgent:
        title = t("URGENT · {title}", title=title)
    facts = [
        (t("Status"), status_label(t, case.status)),
        (t("Handled by"), case.handler_name or t("nobody yet")),
        (t("Urgency"), t("Danger now") if urgent else t("Normal")),
    ]
    if detail.content:
        facts.append((t("Wants feedback"), yes_no(t, report.wants_feedback)))
    # Optional answers are shown only when given: a short card reads faster.
    if report.category:
        facts.append((t("Category"), category_with_source(t, report)))
    if detail.content:
        facts += _reported_facts(t, report)
    if case.measure:
        facts.append((t("Measure"), measure_label(t, case.measure)))
    blocks: list[Block] = [Heading(title), Text(_reporter(case, t, detail))]
    if report.self_harm and detail.content:
        blocks.append(
            Text.of(Strong(t("⚠ Someone threatened to harm themselves: see the thread.")))
        )
    elif report.self_harm:  # that alone says much about someone: only that care is needed
        blocks.append(Text.of(Strong(t("⚠ This report needs extra care: read it in meldbot now."))))
    blocks.append(Facts(facts))
    if detail.content:
        blocks.append(Quote(summarise(report.narrative)))
    else:
        blocks.append(Text.of(t("What was reported is in meldbot, not here.")))
    blocks += [
        Note(t("Reported {moment}", moment=t.datetime(case.created_at))),
        Actions([detail.open_case(t, case.reference), *_case_buttons(case, t)]),
    ]
    summary = f"{title} · {category_label(t, report.category)} · {status_label(t, case.status)}"
    return Message(summary=summary, blocks=blocks)


def _reporter(case: Case, t: Translator, detail: Detail) -> list[Inline]:
    reporter: list[Inline] = [t("Reporter: ")]
    if case.receipt is not None:
        reporter.append(t("Anonymous colleague · {pseudonym}", pseudonym=case.receipt.pseudonym))
    elif case.reporter is None:
        reporter.append(t("anonymous"))
    elif not detail.content:
        # A mention is a name too, and so is an id the platform turns into one.
        reporter.append(t("colleague (name in meldbot)"))
    elif case.reporter.platform == case.coordination_platform:
        # The platform shows the name; Teams needs one to show with the mention.
        reporter.append(Mention(case.reporter.user_id, case.reporter.name))
    else:
        reporter.append(case.reporter.name or case.reporter.user_id)
    return reporter


def _reported_facts(t: Translator, report: NewReport) -> list[tuple[str, str]]:
    """What the reporter told beyond the story: when, where, whether a manager may help."""
    facts = []
    if report.when:
        facts.append((t("When"), when_label(t, report.when)))
    if report.location:
        facts.append((t("Where"), report.location))
    if report.manager_consent is not None:
        facts.append((t("Manager may be involved"), yes_no(t, report.manager_consent)))
    return facts


def _case_buttons(case: Case, t: Translator) -> list[Button]:
    value = str(case.id)
    if not case.is_open:
        return [Button(t("Reopen"), "case.reopen", value)]
    buttons = []
    if case.handler_id is None:
        buttons.append(Button(t("Claim"), "case.claim", value, style="primary"))
    buttons += [
        Button(t("Ask the reporter"), "case.ask", value),
        Button(t("Update status"), "case.status", value),
        Button(t("Category or urgency"), "case.correct", value),
    ]
    if case.for_confidant and case.reporter is not None:
        buttons.append(Button(t("Pass on to the meldpunt"), "case.handover", value))
    buttons.append(Button(t("Close"), "case.close", value, style="danger"))
    return buttons


_SOURCES = {
    CategorySource.REPORTER: N_("chosen by the reporter"),
    CategorySource.MELDBOT: N_("suggested by meldbot"),
    CategorySource.COORDINATOR: N_("set by a coordinator"),
}


def category_with_source(t: Translator, report: NewReport) -> str:
    """The category, and who said so: a suggestion from the words is only a guess."""
    label = category_label(t, report.category)
    source = report.category_source
    return f"{label} ({t(_SOURCES[source])})" if source else label
