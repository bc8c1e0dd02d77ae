"""Human labels for the case domain's codes, marked for translation."""

from __future__ import annotations

from bot.case.models import Category, MeasureKind, Status, When
from bot.i18n import N_, Translator

CATEGORY_LABELS: dict[Category, str] = {
    Category.VERBAL_AGGRESSION: N_("Verbal aggression"),
    Category.THREAT: N_("Threat"),
    Category.PHYSICAL_VIOLENCE: N_("Physical violence"),
    Category.INTIMIDATION: N_("Intimidation"),
    Category.DISCRIMINATION: N_("Discrimination"),
    Category.SEXUAL_INTIMIDATION: N_("Sexual intimidation"),
    Category.ONLINE_AGGRESSION: N_("Online aggression (e-mail, social media, phone)"),
    Category.TRAFFICKING: N_("Signal of human trafficking or exploitation"),
    Category.INTEGRITY: N_("Integrity breach or wrongdoing (whistleblowing)"),
    Category.OTHER: N_("Other / not sure"),
}

STATUS_LABELS: dict[Status, str] = {
    Status.NEW: N_("New"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.MEASURE: N_("Measure under way"),
    Status.CLOSED: N_("Closed"),
}

MEASURE_LABELS: dict[MeasureKind, str] = {
    MeasureKind.ORDER_TALK: N_("Talk with the citizen (ordegesprek)"),
    MeasureKind.WARNING_LETTER: N_("Warning letter"),
    MeasureKind.CALL_BAN: N_("Call ban"),
    MeasureKind.BUILDING_BAN: N_("Building ban"),
    MeasureKind.OFFICE_TALK: N_("Talk at the office"),
    MeasureKind.POLICE_REPORT: N_("Police report (aangifte)"),
    MeasureKind.NONE: N_("No measure needed"),
}

WHEN_LABELS: dict[When, str] = {
    When.JUST_NOW: N_("Just now"),
    When.EARLIER_TODAY: N_("Earlier today"),
    When.YESTERDAY: N_("Yesterday"),
    When.EARLIER: N_("Earlier"),
}


def category_label(t: Translator, category: Category | None) -> str:
    return t(CATEGORY_LABELS[category]) if category else t("Not given")


def status_label(t: Translator, status: Status) -> str:
    return t(STATUS_LABELS[status])


def measure_label(t: Translator, measure: MeasureKind) -> str:
    return t(MEASURE_LABELS[measure])


def when_label(t: Translator, when: When | None) -> str:
    return t(WHEN_LABELS[when]) if when else t("Not given")
