"""Neutral UI → HTML: structure becomes tags, every string stays text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

from adapters.web import forms, render
from adapters.web.chrome import Chrome
from adapters.web.forms import OpenForm
from adapters.web.store import Entry
from bot.ui import (
    Actions,
    Button,
    Choice,
    Divider,
    Facts,
    Form,
    Heading,
    Link,
    Mention,
    Message,
    Note,
    Option,
    Person,
    Quote,
    Strong,
    Text,
    TextInput,
)

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'
NL = Chrome("nl")


def names(user_id: str) -> str | None:
    return {"sanne": "Sanne de Vries", "evil": EVIL}.get(user_id)


class Tags(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No script element, no event-handler attribute, no image but our own photos."""
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag != "script"
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("https://"), attrs
        if tag == "a":
            assert (attrs.get("href") or "").startswith(("https://", "http://", "tel:")), attrs


def test_every_block_escapes_user_text() -> None:
    message = Message(
        EVIL,
        (
            Heading(EVIL),
            Text.of(EVIL, Strong(EVIL), Mention("evil"), Mention(EVIL), Link("https://x.nl", EVIL)),
            Quote(EVIL),
            Facts(((EVIL, EVIL),)),
            Person(EVIL, EVIL, phone=EVIL),
            Note(EVIL),
            Divider(),
            Actions((Button(EVIL, EVIL, EVIL, style="danger"),)),
        ),
    )
    html = render.message_body(message, names)
    assert_inert(html)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 10
    assert "<strong>&lt;script&gt;" in html
    assert "<blockquote>" in html and '<dl class="facts">' in html and "<hr>" in html


def test_summary_is_the_body_when_there_are_no_blocks() -> None:
    assert render.message_body(Message(EVIL), names) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</p>"
    )


def test_links_only_for_http_and_https() -> None:
    safe = render.inline(Link("https://example.org/a?b=1&c=2", "Uitleg"), names)
    assert safe == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer" '
        'target="_blank">Uitleg</a>'
    )
    for url in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>", "//evil", "x"):
        assert render.inline(Link(url, "klik"), names) == "klik"
    quoted = render.inline(Link('https://x.nl/"onmouseover="alert(1)', "x"), names)
    assert 'href="https://x.nl/&quot;onmouseover=&quot;alert(1)"' in quoted


def test_quote_and_text_keep_line_breaks() -> None:
    html = render.block(Quote("regel 1\nregel <2>\n\nregel 4"), names)
    assert html == "<blockquote>regel 1<br>regel &lt;2&gt;<br><br>regel 4</blockquote>"
    assert render.block(Text.of("a\nb"), names) == "<p>a<br>b</p>"


def test_mentions_show_the_persona_name() -> None:
    assert render.inline(Mention("sanne"), names) == '<span class="mention">@Sanne de Vries</span>'
    assert render.inline(Mention("u9"), names) == '<span class="mention">@u9</span>'


def test_person_shows_name_role_phone_and_photo() -> None:
    html = render.block(
        Person("Fatima Bakker", "Coördinator", "https://intranet.example/f.jpg", "06-12 34"), names
    )
    assert (
        '<img class="person__photo" src="https://intranet.example/f.jpg" alt="Fatima Bakker"'
        in html
    )
    assert '<a href="tel:061234">06-12 34</a>' in html
    assert "Coördinator" in html
    unsafe = render.block(Person("A B", "r", "javascript:alert(1)"), names)
    assert "<img" not in unsafe and 'aria-hidden="true">AB<' in unsafe


def test_buttons_carry_their_action_in_data_attributes() -> None:
    html = render.block(Actions((Button("Oppakken", "case.claim", "7", style="primary"),)), names)
    assert html == (
        '<div class="actions"><button type="button" class="btn btn--primary" '
        'data-action-id="case.claim" data-value="7">Oppakken</button></div>'
    )


def test_entry_shows_author_time_and_marks() -> None:
    item = Entry(
        "a-1",
        1,
        "coordinators",
        "a-0",
        "person",
        EVIL,
        Message("x"),
        datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        visible_to="piet",
        edited=True,
    )
    html = render.entry(item, NL, names)
    assert_inert(html)
    assert ">10:30</time>" in html  # Amsterdam time
    assert "bijgewerkt" in html and "Alleen zichtbaar voor jou" in html


FORM = Form(
    "report",
    EVIL,
    EVIL,
    (
        TextInput("narrative", EVIL, multiline=True, placeholder=EVIL, initial=EVIL, hint=EVIL),
        TextInput("where", "Waar?", optional=True, max_length=200),
        Choice("danger", "Gevaar?", (Option("yes", "Ja"), Option("no", EVIL)), initial="no"),
        Choice(
            "category",
            "Soort",
            tuple(Option(f"c{i}", f"Soort {i}") for i in range(6)),
            optional=False,
        ),
    ),
    intro=(Text.of(EVIL),),
    state=EVIL,
)


def opened() -> OpenForm:
    return OpenForm("tok", FORM, "chat", "sanne", None)


def test_form_is_labelled_escaped_and_marks_optional_fields() -> None:
    html = forms.html(opened(), NL, names)
    assert_inert(html)
    assert EVIL not in html  # not even the state: it stays on the server
    assert '<label for="f-tok-0">' in html and 'id="f-tok-0"' in html
    assert 'aria-describedby="f-tok-0-hint f-tok-0-count"' in html
    # no maxlength (a browser cuts a paste at it silently): a count near the limit instead
    assert "maxlength" not in html
    assert '<textarea id="f-tok-0" name="narrative" required' in html
    assert '<p class="count" id="f-tok-0-count" data-count-for="f-tok-0" data-limit="3000"' in html
    assert 'data-near="{length} van de {limit} tekens"' in html
    assert "(verplicht)" in html and "(optioneel)" in html
    assert '<fieldset class="field"' in html and "<legend>Gevaar?" in html
    assert 'value="no" checked' in html and "Geen keuze" in html  # optional radios
    assert '<select id="f-tok-3" name="category" required' in html  # many options: a select
    assert ">Annuleren</button>" in html


def test_a_form_in_english_has_english_words_around_it_on_a_dutch_page() -> None:
    english = replace(FORM, language="en")
    html = forms.html(OpenForm("tok", english, "chat", "sanne", None), NL, names)
    assert '<form class="form" method="dialog" novalidate data-token="tok" lang="en"' in html
    assert "(required)" in html and "(optional)" in html and "No choice" in html
    assert ">Cancel</button>" in html and 'data-near="{length} of {limit} characters"' in html
    for dutch in ("verplicht", "optioneel", "Geen keuze", "Annuleren", "tekens"):
        assert dutch not in html
    _values, errors = forms.check(english, {"where": "x" * 201}, NL)
    assert errors["where"] == "At most 200 characters; now 201."
    assert errors["category"] == "Please make a choice."
    refused = forms.html(OpenForm("tok", english, "chat", "sanne", None), NL, names, {}, errors)
    assert "Not everything is filled in correctly" in refused


def test_form_errors_and_answers_are_kept_after_a_refusal() -> None:
    html = forms.html(
        opened(), NL, names, {"narrative": "<b>mijn tekst</b>"}, {"narrative": "Te kort <b>"}
    )
    assert "&lt;b&gt;mijn tekst&lt;/b&gt;</textarea>" in html
    assert 'aria-invalid="true"' in html and "Te kort &lt;b&gt;" in html
    assert "Niet alles is goed ingevuld" in html
    general = forms.html(opened(), NL, names, {}, {"": "Er ging iets mis"})
    assert "<p>Er ging iets mis</p>" in general


def test_check_requires_limits_and_keeps_choices_honest() -> None:
    values, errors = forms.check(
        FORM, {"narrative": "  ", "danger": "maybe", "where": "x" * 201}, NL
    )
    assert errors == {
        "narrative": "Vul dit veld in.",
        "where": "Maximaal 200 tekens; nu 201.",
        "danger": "Kies een van de mogelijkheden.",
        "category": "Maak een keuze.",
    }
    values, errors = forms.check(
        FORM, {"narrative": "Hij schreeuwde", "category": "c2", "x": "y"}, NL
    )
    assert errors == {}
    assert values == {
        "narrative": "Hij schreeuwde",
        "where": None,
        "danger": None,
        "category": "c2",
    }


def test_home_keeps_buttons_and_small_print_in_sight() -> None:
    message = Message(
        "Melden",
        (
            Heading("Agressie melden"),
            Text.of(EVIL),
            Actions((Button("Melding maken", "report.start", style="primary"),)),
            Note("Direct gevaar? Bel 112."),
        ),
    )
    html = render.home(message, names)
    assert_inert(html)
    assert html.startswith('<details class="home__more" data-home-more><summary>Agressie melden')
    assert html.index("</details>") < html.index("Melding maken") < html.index("Bel 112")
    plain = Message("Kies", (Actions((Button("A", "a"),)),))
    assert render.home(plain, names) == render.message_body(plain, names)
