"""A form's chrome in the web chat speaks the form's language, not the page's.

Every form the dialogs build, in English on a Dutch page and in Dutch on an English page:
neither the form as it opens nor as it comes back refused (every error the web chat's own
check gives, and the character counts) has a word of the page's language in it.
"""

from __future__ import annotations

import pytest

from adapters.web import forms
from adapters.web.chrome import Chrome
from adapters.web.forms import OpenForm
from bot.i18n import Translator
from bot.ui import Form, TextInput
from tests.web.dialog_forms import dialog_forms
from tests.web.language import foreign_words, html_text

OTHER = {"nl": "en", "en": "nl"}


def too_much(form: Form) -> dict[str, str]:
    """Answers the web chat refuses: every text one character too long, no choice made."""
    return {
        field.id: "x" * (field.max_length + 1)
        for field in form.fields
        if isinstance(field, TextInput)
    }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_dialog_form_has_chrome_in_its_own_language(language: str) -> None:
    page = Chrome(OTHER[language])
    own = Chrome(language)
    for name, form in dialog_forms(Translator(language), "web").items():
        assert form.language == language, name
        opened = OpenForm("tok", form, "chat", "sanne", None)
        shown = forms.html(opened, page, lambda _user: None)
        assert f'lang="{language}"' in shown, name
        answers = too_much(form)
        _values, errors = forms.check(form, answers, page)
        assert errors, name
        refused = forms.html(opened, page, lambda _user: None, answers, errors)
        for html in (shown, refused):
            assert foreign_words(html_text(html), language) == [], name
        # the chrome is there, in the form's language: the markers and the count
        optional = any(field.optional for field in form.fields)
        required = any(not field.optional for field in form.fields)
        assert (f"({own('optional')})" in shown) == optional, name
        assert (f"({own('required')})" in shown) == required, name
        assert f'data-over="{own("count_over")}"' in shown, name
        assert own("form_errors") in refused, name
