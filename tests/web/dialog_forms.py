"""Every form the dialogs produce, built by the dialogs' own builders for one translator.

The language tests of the web chat and of Teams render each of them in both languages.
"""

from __future__ import annotations

from bot.case.detail import Detail
from bot.case.models import Category
from bot.events import Platform
from bot.i18n import Translator
from bot.ui import Form
from dialogs import consult, consultation, coordinator, reporter
from dialogs.report import details_form, report_form

CATEGORIES = list(Category)
STAFF_PAGE = "http://127.0.0.1:3978/melden"


def dialog_forms(t: Translator, platform: Platform) -> dict[str, Form]:
    return {
        "report": report_form(t, CATEGORIES, "", ("Burgerzaken", "Belastingen")),
        "details": details_form(t, CATEGORIES),
        "consult": consult.consult_form(t, platform, STAFF_PAGE),
        "anonymous report": consult.anonymous_report_form(t, platform, STAFF_PAGE, CATEGORIES),
        "code": consult.code_form(t),
        "reply": consult.reply_form(t, "token"),
        "to report": consult.to_report_form(t, "token", CATEGORIES, ""),
        "answer a colleague": consultation.answer_form(t, 1, Detail(True, "http://127.0.0.1:3978")),
        "question": coordinator.question_form(t, 1),
        "status": coordinator.status_form(t, 1),
        "close": coordinator.close_form(t, 1),
        "answer": reporter.follow_up_form(t, reporter.FORM_ANSWER, 1),
        "addition": reporter.follow_up_form(t, reporter.FORM_ADDITION, 1),
    }
