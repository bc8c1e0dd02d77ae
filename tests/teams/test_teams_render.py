"""Neutral UI as Adaptive Cards 1.5: every card checked against the official schema,
every user text checked to show literally, Teams' size limit kept."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.teams import payloads, render
from adapters.teams.escape import escape, shorten
from bot.case.card import case_card
from bot.case.detail import Detail
from bot.case.models import (
    Case,
    CaseEvent,
    Category,
    EventKind,
    MeasureKind,
    NewReport,
    Reporter,
    Status,
    Urgency,
    When,
)
from bot.case.reporter_views import receipt, reporter_notice
from bot.case.views import delivery_failed_note, thread_note
from bot.i18n import Translator
from bot.intake.signals import Signals
from bot.settings import Contact
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
from dialogs.coordinator import close_form, question_form, status_form
from dialogs.draft import Draft, draft_message
from dialogs.menu import menu
from dialogs.report import details_form, report_form
from dialogs.reporter import FORM_ADDITION, FORM_ANSWER, follow_up_form
from tests.teams.card_schema import assert_valid, markdown_texts, nodes, of_type, schema_errors

HOSTILE = (
    "**vet** _schuin_ [klik](javascript:alert(1)) <at>Baas</at> <b>html</b> &lt;at&gt; "
    "`code` ~~weg~~ | a | {{DATE(2026-03-02T09:00:00Z, SHORT)}} \\*\n- lijst\n1. lijst\n# kop"
)
CASE_MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FULL = Detail(True, "https://meldbot.example.org")
MINIMAL = Detail(False, "https://meldbot.example.org")
CASE_PAGE = "https://meldbot.example.org/console/zaken/M-2026-0007"
SPECIALS = "*_[]()`~|<>{}#-+=1.)\\&;a \n\t!:/"


def card_of(*blocks: Any, summary: str = "Samenvatting") -> dict[str, Any]:
    card = render.message_card(Message(summary, list(blocks)))
    assert_valid(card)
    return card


def form_of(form: Form, **options: Any) -> dict[str, Any]:
    card = render.form_card(form, cancel_label="Annuleren", **options)
    assert_valid(card)
    return card


def displayed(markdown: str) -> str:
    """What a CommonMark reader shows: escapes resolved, the "\\n\\n" Teams needs for a
    line break read as one, and the invisible characters gone."""
    text = markdown.replace("\n\n", "\n")
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return text.replace("\u200b", "").replace("\u00a0", " ")


def literal(text: str) -> str:
    """What the person should see for ``text``: the same characters, angle brackets in
    their full-width form, blank lines folded and indentation kept as spaces."""
    text = re.sub(r"\r\n?", "\n", text)
    text = re.sub(r"\n(?:[ \t]*\n)*", "\n", text)
    text = re.sub(r"(?m)^[ \t]+", lambda match: " " * len(match.group()), text)
    return text.replace("<", "\uff1c").replace(">", "\uff1e")


def active_markup(markdown: str) -> list[str]:
    """Markup Teams would act on in escaped text (empty when it is all inert)."""
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", markdown)
    found = [char for char in "*_[]`~|<>\\" if char in bare]
    found += [pattern for pattern in ("{{", "](") if pattern in markdown]
    for line in markdown.split("\n"):
        if re.match(r"[ \t]|[#+=>-]|\d+[.)]", line):
            found.append(f"line start: {line[:10]!r}")
    return found


def make_case(**extra: Any) -> Case:
    report = NewReport(
        narrative="Een klant schreeuwde **hard** en dreigde: <at>Jan</at> [hier](javascript:x)",
        category=Category.THREAT,
        when=When.JUST_NOW,
        location="Balie *1* <b>",
        danger_now=True,
        manager_consent=False,
    )
    fields: dict[str, Any] = {
        "id": 7,
        "reference": "M-2026-0007",
        "status": Status.NEW,
        "urgency": Urgency.URGENT,
        "report": report,
        "reporter": Reporter("teams", "29:sanne", "Sanne de Vries"),
        "coordination_platform": "teams",
        "created_at": CASE_MOMENT,
        "updated_at": CASE_MOMENT,
    }
    return Case(**(fields | extra))


def event(kind: EventKind, **extra: Any) -> CaseEvent:
    return CaseEvent(1, 7, kind, CASE_MOMENT, actor_name="Jan *coördinator*", **extra)


# -- the card ------------------------------------------------------------------------------


def test_card_frame_and_every_block_type() -> None:
    card = card_of(
        Heading("Melding M-2026-0007"),
        Text.of("Melder: ", Strong("Sanne"), " via ", Link("https://example.org/a", "het portaal")),
        Quote("Wat er gebeurde"),
        Facts([("Status", "Nieuw"), ("Waar", "Balie 1")]),
        Person("Jan Jansen", "Coördinator", "https://example.org/jan.png", "+31 20 123 45 67"),
        Divider(),
        Note("Gemeld op 2 maart"),
        Actions([Button("Meer", "case.more", "7")]),
        Text.of("Nog iets"),
        Actions([Button("Oppakken", "case.claim", "7", style="primary")]),
    )
    assert card["type"] == "AdaptiveCard"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert card["version"] == render.SCHEMA_VERSION == "1.5"
    assert card["msteams"] == {"width": "Full"}
    assert card["fallbackText"] == "Samenvatting"
    body = card["body"]
    assert [element["type"] for element in body] == [
        "TextBlock",
        "TextBlock",
        "Container",
        "FactSet",
        "ColumnSet",
        "TextBlock",
        "ActionSet",
        "TextBlock",
    ]
    heading, paragraph, quote, facts, person, note, buttons, last = body
    assert heading == {
        "type": "TextBlock",
        "text": "Melding M-2026-0007",
        "wrap": True,
        "weight": "bolder",
        "size": "medium",
        "style": "heading",
    }
    assert paragraph["text"] == "Melder: **Sanne** via [het portaal](https://example.org/a)"
    assert quote["style"] == "emphasis"
    assert quote["items"] == [{"type": "TextBlock", "text": "Wat er gebeurde", "wrap": True}]
    assert facts["facts"] == [
        {"title": "Status", "value": "Nieuw"},
        {"title": "Waar", "value": "Balie 1"},
    ]
    photo, details = person["columns"]
    assert photo["items"][0]["type"] == "Image"
    assert photo["items"][0]["url"] == "https://example.org/jan.png"
    assert [item["text"] for item in details["items"]] == [
        "Jan Jansen",
        "Coördinator",
        "[+31 20 123 45 67](tel:+31201234567)",
    ]
    assert note["isSubtle"] is True and note["size"] == "small"
    assert note["separator"] is True  # the divider before it
    assert "separator" not in person
    assert buttons["actions"][0]["data"] == payloads.button_data(Button("Meer", "case.more", "7"))
    assert last["text"] == "Nog iets"
    [claim] = card["actions"]  # buttons that end a message are the card's own
    assert claim["title"] == "Oppakken"
    assert claim["style"] == "positive"


def test_buttons_are_execute_actions_with_a_submit_fallback() -> None:
    buttons = [
        Button("Oppakken", "case.claim", "7", style="primary"),
        Button("Sluiten", "case.close", "7", style="danger"),
        *(Button(f"Knop {n}", f"case.n{n}", str(n)) for n in range(6)),
    ]
    card = card_of(Text.of("Kies"), Actions(buttons))
    actions = card["actions"]
    assert len(actions) == len(buttons)
    for action, button in zip(actions, buttons, strict=True):
        assert action["type"] == "Action.Execute"
        assert action["verb"] == render.BUTTON_VERB == "meldbot.button"
        assert action["title"] == button.label
        assert action["data"] == payloads.button_data(button)
        assert action["fallback"] == {
            "type": "Action.Submit",
            "title": button.label,
            "data": payloads.button_data(button),
            "associatedInputs": "none",
            **({"style": action["style"]} if "style" in action else {}),
        }
    assert [action.get("style") for action in actions[:3]] == ["positive", "destructive", None]
    assert [action.get("mode") for action in actions] == [None] * 6 + ["secondary"] * 2


def test_links_only_for_web_mail_and_phone() -> None:
    allowed = {
        "https://example.org/x?a=1&b=2": "https://example.org/x?a=1&b=2",
        "http://example.org": "http://example.org",
        "mailto:vertrouwenspersoon@example.org": "mailto:vertrouwenspersoon@example.org",
        "tel:+31201234567": "tel:+31201234567",
        "https://nl.wikipedia.org/wiki/A_(b)": "https://nl.wikipedia.org/wiki/A_%28b%29",
    }
    for url, target in allowed.items():
        card = card_of(Text.of(Link(url, "hier")))
        assert card["body"][0]["text"] == f"[hier]({target})"
    refused = [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://example.org",
        "https://exa mple.org",
        "https://user@evil.example",
        "//example.org",
        "https://example.org/\nx",
    ]
    for url in refused:
        card = card_of(Text.of(Link(url, "hier [x](y)")))
        assert card["body"][0]["text"] == "hier \\[x\\]\\(y)", url


def test_a_person_without_an_https_photo_or_a_real_number() -> None:
    card = card_of(Person("Jan", "Coördinator", "http://example.org/jan.png", "bel de balie"))
    [column] = card["body"][0]["columns"]
    assert not of_type(card, "Image")
    assert [item["text"] for item in column["items"]] == ["Jan", "Coördinator", "bel de balie"]


def test_dividers_separate_only_what_is_between_them() -> None:
    card = card_of(Divider(), Text.of("een"), Divider(), Divider(), Text.of("twee"), Divider())
    first, second = card["body"]
    assert "separator" not in first
    assert second["separator"] is True


def test_a_message_without_blocks_shows_its_summary() -> None:
    for blocks in ([], [Divider()], [Text.of("")], [Quote("  ")]):
        card = card_of(*blocks, summary="Alleen dit")
        assert [block["text"] for block in card["body"]] == ["Alleen dit"]


def test_fallback_text_is_one_plain_shortened_line() -> None:
    message = Message("Melding  **M-1**\n<at>x</at> " + "a" * 5000)
    text = render.fallback_text(message)
    assert text.startswith("Melding **M-1** <at>x</at> a")  # plain: for activity.summary
    assert "\n" not in text
    assert len(text) == render.FALLBACK_MAX
    assert text.endswith("…")


def test_card_attachment_uses_the_sdk_type() -> None:
    card = card_of(Text.of("Hallo"))
    attachment = render.card_attachment(card)
    dumped = attachment.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert dumped == {"contentType": render.CARD_CONTENT_TYPE, "content": card}
    assert render.CARD_CONTENT_TYPE == "application/vnd.microsoft.card.adaptive"


def test_the_schema_check_itself_catches_mistakes() -> None:
    card = card_of(Text.of("Hallo"))
    assert schema_errors(card) == []
    broken = card | {"body": [{"type": "TextBlock", "text": "x", "bogus": 1}]}
    assert schema_errors(broken)
    assert schema_errors(card | {"msteams": {"width": "Huge"}})
    assert schema_errors(card | {"msteams": {"entities": [{"type": "mention", "text": "x"}]}})
    assert schema_errors(card | {"version": 1.5})


# -- mentions --------------------------------------------------------------------------------


def test_mentions_become_entities_with_unique_texts() -> None:
    card = card_of(
        Text.of(
            Mention("29:jan", "Jan Jansen"),
            " en ",
            Mention("29:jan2", "Jan Jansen"),
            " en ",
            Mention("29:x"),
            " en weer ",
            Mention("29:jan", "Jan Jansen"),
        ),
        Text.of(Mention("29:evil", "<at>Baas</at> **[x](y)**")),
    )
    assert card["msteams"]["entities"] == [
        {
            "type": "mention",
            "text": "<at>Jan Jansen</at>",
            "mentioned": {"id": "29:jan", "name": "Jan Jansen"},
        },
        {
            "type": "mention",
            "text": "<at>Jan Jansen (2)</at>",
            "mentioned": {"id": "29:jan2", "name": "Jan Jansen (2)"},
        },
        {"type": "mention", "text": "<at>@</at>", "mentioned": {"id": "29:x", "name": "@"}},
        {
            "type": "mention",
            "text": "<at>at Baas /at x y</at>",
            "mentioned": {"id": "29:evil", "name": "at Baas /at x y"},
        },
    ]
    first, second = card["body"]
    assert first["text"] == (
        "<at>Jan Jansen</at> en <at>Jan Jansen (2)</at> en <at>@</at> en weer <at>Jan Jansen</at>"
    )
    assert second["text"] == "<at>at Baas /at x y</at>"


def test_a_mention_without_a_user_id_is_only_its_name() -> None:
    card = card_of(Text.of(Mention(" ", "Jan *J*")))
    assert card["body"][0]["text"] == "Jan J"
    assert "entities" not in card["msteams"]


# -- escaping -------------------------------------------------------------------------------


def test_hostile_text_everywhere_stays_literal_and_valid() -> None:
    card = card_of(
        Heading(HOSTILE),
        Text.of(HOSTILE, Strong(HOSTILE), Link("https://example.org", HOSTILE)),
        Quote(HOSTILE),
        Facts([(HOSTILE, HOSTILE)]),
        Person(HOSTILE, HOSTILE, "https://example.org/p.png", HOSTILE),
        Note(HOSTILE),
        Actions([Button(HOSTILE, "x.y", HOSTILE)]),
        summary=HOSTILE,
    )
    flat = escape(" ".join(HOSTILE.split()), line_start=False)
    paragraph = card["body"][1]["text"]
    assert paragraph == f"{escape(HOSTILE)}**{flat}**[{flat}](https://example.org)"
    others = [text for text in markdown_texts(card) if text != paragraph]
    assert len(others) == 8  # heading, quote, fact title and value, name, role, phone, note
    for text in [*others, escape(HOSTILE), flat]:
        assert active_markup(text) == [], text
        assert displayed(text) in (literal(HOSTILE), literal(" ".join(HOSTILE.split())))
    assert "entities" not in card["msteams"]
    [button] = card["actions"]
    # Titles are plain text in Teams: flattened and shortened, not escaped.
    assert button["title"] == shorten(" ".join(HOSTILE.split()), render.BUTTON_MAX)
    assert len(button["title"]) == render.BUTTON_MAX
    assert button["data"]["value"] == HOSTILE


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("**", "\\*\\*"),
        ("a_b_c", "a\\_b\\_c"),
        ("[a](javascript:alert(1))", "\\[a\\]\\(javascript:alert(1))"),
        ("<at>x</at>", "\uff1cat\uff1ex\uff1c/at\uff1e"),
        ("Tom & Jerry &amp; &#60;", "Tom & Jerry \\&amp; \\&#60;"),
        ("{{DATE(2026-03-02T09:00:00Z)}}", "{\u200b{DATE(2026-03-02T09:00:00Z)}}"),
        (
            "- a\n+ b\n10. c\n3) d\n# e\n===\n---",
            "\\- a\n\n\\+ b\n\n10\\. c\n\n3\\) d\n\n\\# e\n\n\\===\n\n\\---",
        ),
        ("    code\n\tmore", "\u00a0\u00a0\u00a0\u00a0code\n\n\u00a0more"),
        ("een\n\n\ntwee\r\ndrie", "een\n\ntwee\n\ndrie"),
        ("a - b 1. c", "a - b 1. c"),  # list markers only count at the start of a line
        ("gewone zin, met (haakjes) en 3.5 procent!", "gewone zin, met (haakjes) en 3.5 procent!"),
        ("C:\\pad", "C:\\\\pad"),
    ],
)
def test_escape(text: str, shown: str) -> None:
    assert escape(text) == shown
    assert displayed(shown) == literal(text)


def test_escape_in_the_middle_of_a_line_leaves_list_markers() -> None:
    assert escape("- a\n- b", line_start=False) == "- a\n\n\\- b"
    card = card_of(Text.of(Strong("Let op"), "- 1. niet een lijst", "\n- wel los"))
    assert card["body"][0]["text"] == "**Let op**- 1. niet een lijst\n\n\\- wel los"


def test_escape_fuzzed_text_is_inert_and_literal() -> None:
    chance = random.Random(20260302)
    for _ in range(3000):
        text = "".join(chance.choice(SPECIALS) for _ in range(chance.randint(0, 30)))
        escaped = escape(text)
        assert active_markup(escaped) == [], (text, escaped)
        assert displayed(escaped) == literal(text), (text, escaped)


def test_the_date_function_cannot_be_called_from_user_text() -> None:
    card = card_of(Text.of("{{TIME(2026-03-02T09:00:00Z)}}"), Quote("{{{{DATE(x)}}"))
    for text in markdown_texts(card):
        assert "{{" not in text


# -- size ------------------------------------------------------------------------------------


def test_a_full_narrative_fits_whole() -> None:
    narrative = ("Een klant werd boos aan de balie en gooide een stoel om. " * 200)[:10_000]
    card = card_of(Heading("Volledige melding"), Quote(narrative), Actions([Button("Ok", "a")]))
    assert displayed(card["body"][1]["items"][0]["text"]) == narrative


@pytest.mark.parametrize("text", ["*" * 10_000, "<" * 10_000, "é" * 10_000, "😀" * 10_000])
def test_long_hostile_text_is_shortened_to_fit(text: str) -> None:
    card = card_of(Heading("Melding"), Quote(text), Note(text), Actions([Button("Ok", "a")]))
    quoted = displayed(card["body"][1]["items"][0]["text"])
    assert quoted.endswith("…")
    assert literal(text).startswith(quoted[:-1])
    assert len(quoted) >= 500  # shortened only as far as needed (an emoji is 12 bytes)
    assert card["actions"][0]["title"] == "Ok"


def test_a_message_that_cannot_fit_becomes_its_summary() -> None:
    blocks = [Quote(f"{n} " + "x" * 9000) for n in range(200)]
    card = card_of(*blocks, Actions([Button("Ok", "a")]), summary="Veel tekst")
    assert [block["text"] for block in card["body"]] == ["Veel tekst"]


def test_oversized_data_is_refused_not_rendered_broken() -> None:
    with pytest.raises(render.RenderError):
        render.message_card(Message("x", [Actions([Button("Ok", "a", "v" * 5000)])]))
    with pytest.raises(render.RenderError):
        render.message_card(Message("x", [Actions([Button("Ok", "")])]))


# -- forms -----------------------------------------------------------------------------------


def sample_form(**extra: Any) -> Form:
    fields: list[TextInput | Choice] = [
        TextInput(
            "narrative",
            "Wat gebeurde er?",
            multiline=True,
            max_length=3000,
            placeholder="In je eigen woorden",
            initial="Eerder getypt",
            hint="Een paar zinnen is genoeg.",
        ),
        Choice("danger", "Gevaar?", [Option("yes", "Ja"), Option("no", "Nee")], initial="no"),
        Choice(
            "category",
            "Soort",
            [Option(str(n), f"Optie {n}") for n in range(6)],
            optional=False,
        ),
        TextInput("location", "Waar?", optional=True, max_length=200),
    ]
    options: dict[str, Any] = {
        "intro": [Text.of("Alleen de beschrijving is nodig."), Note("Gevaar? Bel 112.")],
        "state": "42",
    }
    return Form("report", "Melding maken", "Verstuur", fields, **(options | extra))


def test_form_card_fields_and_actions() -> None:
    form = sample_form()
    card = form_of(form)
    body = card["body"]
    assert body[0]["text"] == "Melding maken" and body[0]["weight"] == "bolder"
    assert [block["text"] for block in body[1:3]] == [
        "Alleen de beschrijving is nodig.",
        "Gevaar? Bel 112.",
    ]
    narrative, hint, danger, category, location = body[3:]
    assert narrative == {
        "type": "Input.Text",
        "id": "field.narrative",
        "label": "Wat gebeurde er?",
        "isRequired": True,
        "isMultiline": True,
        "maxLength": 3000,
        "placeholder": "In je eigen woorden",
        "value": "Eerder getypt",
    }
    assert hint["text"] == "Een paar zinnen is genoeg." and hint["isSubtle"] is True
    assert danger["type"] == "Input.ChoiceSet"
    assert danger["id"] == payloads.input_id("danger") == "field.danger"
    assert danger["style"] == "expanded"
    assert danger["isRequired"] is False
    assert danger["value"] == "no"
    assert danger["choices"] == [{"title": "Ja", "value": "yes"}, {"title": "Nee", "value": "no"}]
    assert category["style"] == "compact" and category["isRequired"] is True
    assert "value" not in category
    assert location["isRequired"] is False and "value" not in location
    submit, cancel = card["actions"]
    assert submit["verb"] == render.SUBMIT_VERB == "meldbot.form"
    assert submit["data"] == payloads.submit_data(form, submit["data"]["rendering"])
    assert submit["associatedInputs"] == "auto"
    assert (submit["title"], submit["style"]) == ("Verstuur", "positive")
    assert cancel["verb"] == render.CANCEL_VERB == "meldbot.cancel"
    assert cancel["data"] == payloads.cancel_data(form)
    assert cancel["associatedInputs"] == "none"
    assert cancel["title"] == "Annuleren" and "style" not in cancel
    assert card["fallbackText"] == "Melding maken"


def test_the_form_names_its_own_cancel_button() -> None:
    card = form_of(sample_form(cancel_label="Terug"))
    assert card["actions"][1]["title"] == "Terug"


def test_form_errors_show_under_their_fields_with_the_values_sent() -> None:
    errors = {"narrative": "Te lang: **max** 3000 tekens", "category": "Kies er een", "x": "Oeps"}
    values = {"narrative": "Mijn <at>verhaal</at>", "danger": "maybe", "location": None}
    card = form_of(sample_form(), errors=errors, values=values)
    body = card["body"]
    assert body[1] == {
        "type": "TextBlock",
        "text": "Oeps",
        "wrap": True,
        "color": "attention",
        "spacing": "small",
    }
    index = next(i for i, block in enumerate(body) if block.get("id") == "field.narrative")
    narrative, error, hint = body[index : index + 3]
    assert narrative["value"] == "Mijn <at>verhaal</at>"  # an input's value is plain text
    assert narrative["errorMessage"] == errors["narrative"]
    assert error["color"] == "attention"
    assert error["text"] == "Te lang: \\*\\*max\\*\\* 3000 tekens"
    assert hint["isSubtle"] is True
    [danger] = [block for block in body if block.get("id") == "field.danger"]
    assert "value" not in danger  # not one of the options: nothing chosen
    [category] = [block for block in body if block.get("id") == "field.category"]
    after = body[body.index(category) + 1]
    assert after["text"] == "Kies er een" and after["color"] == "attention"
    [location] = [block for block in body if block.get("id") == "field.location"]
    assert "value" not in location


def test_values_sent_replace_the_initial_values() -> None:
    card = form_of(sample_form(), values={"narrative": None, "danger": "yes"})
    inputs = {node["id"]: node for node in nodes(card) if "id" in node}
    assert "value" not in inputs["field.narrative"]
    assert inputs["field.danger"]["value"] == "yes"


def test_required_message_only_on_required_fields() -> None:
    card = form_of(sample_form(), required_message="Vul dit in")
    inputs = {node["id"]: node for node in nodes(card) if "id" in node}
    assert inputs["field.narrative"]["errorMessage"] == "Vul dit in"
    assert inputs["field.category"]["errorMessage"] == "Vul dit in"
    assert "errorMessage" not in inputs["field.danger"]
    assert "errorMessage" not in inputs["field.location"]


def test_a_form_without_fields_can_only_be_closed() -> None:
    card = form_of(Form("info", "Info", "Verstuur", [], intro=[Text.of("Alleen lezen")]))
    [cancel] = card["actions"]
    assert cancel["verb"] == render.CANCEL_VERB


def test_hostile_form_stays_valid() -> None:
    form = Form(
        "report",
        HOSTILE,
        HOSTILE,
        [
            TextInput("a", HOSTILE, placeholder=HOSTILE, initial=HOSTILE, hint=HOSTILE),
            Choice("b", HOSTILE, [Option(HOSTILE, HOSTILE)], initial=HOSTILE),
        ],
        intro=[Quote(HOSTILE), Text.of(Mention("29:a", HOSTILE))],
        state=HOSTILE,
        cancel_label=HOSTILE,
    )
    card = form_of(form, errors={"a": HOSTILE}, values={"a": "x" * 10_000})
    [mention] = card["msteams"]["entities"]
    assert "<" not in mention["mentioned"]["name"]
    for text in markdown_texts(card):
        assert "<" not in text.replace(mention["text"], "")
    inputs = {node["id"]: node for node in nodes(card) if "id" in node}
    assert inputs["field.b"]["value"] == HOSTILE


@pytest.mark.parametrize(
    "form",
    [
        Form("f", "T", "S", [Choice("c", "C", [])]),
        Form("f", "T", "S", [TextInput("a", "A"), TextInput("a", "B")]),
        Form("f", "T", "S", [TextInput("a", "A")], state="s" * 5000),
        Form("", "T", "S", [TextInput("a", "A")]),
        Form("f", "T", "S", [TextInput("a" * 500, "A")]),
        Form("f", "T", "S", [TextInput(f"a{n}", "A" * 300) for n in range(101)]),
    ],
)
def test_forms_that_cannot_work_are_refused(form: Form) -> None:
    with pytest.raises(render.RenderError):
        render.form_card(form, cancel_label="Annuleren")


def test_closed_form_card_has_nothing_to_send() -> None:
    card = render.closed_form_card("Verstuurd *!*", "Dank je, <at>x</at>")
    assert_valid(card)
    assert "actions" not in card
    assert not [
        node for node in nodes(card) if str(node.get("type")).startswith(("Input.", "Action."))
    ]
    assert [block["text"] for block in card["body"]] == [
        "Verstuurd \\*!\\*",
        "Dank je, \uff1cat\uff1ex\uff1c/at\uff1e",
    ]


# -- the real views --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_case_card(language: str) -> None:
    t = Translator(language)
    card = card_of_message(case_card(make_case(), t, FULL))
    assert card["msteams"]["entities"] == [
        {
            "type": "mention",
            "text": "<at>Sanne de Vries</at>",
            "mentioned": {"id": "29:sanne", "name": "Sanne de Vries"},
        }
    ]
    opens, *actions = card["actions"]
    assert opens == {"type": "Action.OpenUrl", "title": t("Open in meldbot"), "url": CASE_PAGE}
    assert [action["data"]["action"] for action in actions] == [
        "case.claim",
        "case.ask",
        "case.status",
        "case.correct",
        "case.close",
    ]
    assert [action.get("style") for action in actions] == [
        "positive",
        None,
        None,
        None,
        "destructive",
    ]
    [facts] = of_type(card, "FactSet")
    assert {"title": t("Where"), "value": "Balie \\*1\\* \uff1cb\uff1e"} in facts["facts"]
    [quote] = of_type(card, "Container")
    assert "<at>" not in quote["items"][0]["text"]
    assert displayed(quote["items"][0]["text"]) == literal(make_case().report.narrative)


def test_case_card_of_a_closed_case_from_another_platform() -> None:
    case = make_case(
        status=Status.CLOSED,
        reporter=Reporter("web", "w-1", "Piet"),
        handler_id="29:jan",
        handler_name="Jan",
        measure=MeasureKind.CALL_BAN,
    )
    card = card_of_message(case_card(case, Translator("nl"), FULL))
    assert "entities" not in card["msteams"]
    assert [action.get("data", {}).get("action") for action in card["actions"]] == [
        None,
        "case.reopen",
    ]


def test_case_card_without_content_names_nobody_and_opens_meldbot() -> None:
    case = make_case()
    card = card_of_message(case_card(case, Translator("nl"), MINIMAL))
    shown = " ".join(markdown_texts(card))
    assert "entities" not in card["msteams"]  # no mention: a mention is a name
    assert "Sanne" not in shown and "Balie" not in shown and "schreeuwde" not in shown
    assert "collega (naam in meldbot)" in shown
    assert card["actions"][0]["url"] == CASE_PAGE


def test_thread_notes_and_reporter_notices() -> None:
    t = Translator("nl")
    case = make_case(report=NewReport(narrative=HOSTILE + "x" * 10_000, wants_feedback=True))
    support = [Contact(name="Vera", role="Vertrouwenspersoon", photo_url="https://e.org/v.png")]
    for kind in EventKind:
        happened = event(
            kind,
            text=HOSTILE,
            note="Samenvatting *kort*",
            status=Status.MEASURE,
            measure=MeasureKind.WARNING_LETTER,
            reporter_informed=True,
        )
        card_of_message(thread_note(case, happened, t, FULL))
        card_of_message(thread_note(case, happened, t, MINIMAL))
        notice = reporter_notice(case, happened, t, support)
        if notice is not None:
            card_of_message(notice)
    closed = reporter_notice(case, event(EventKind.CLOSED), t, support)
    assert closed is not None
    [image] = of_type(card_of_message(closed), "Image")  # the support contact's photo
    assert image["url"] == "https://e.org/v.png"


def test_other_real_messages() -> None:
    t = Translator("nl")
    coordinator = Contact(name="Jan", role="Coördinator", phone="+31 6 12345678")
    card = card_of_message(receipt(make_case(), t, coordinator, [], 24, 15, on_call=True))
    assert any("tel:+31612345678" in text for text in markdown_texts(card))
    assert of_type(card, "ActionSet")  # "Add information" sits between other blocks
    card_of_message(delivery_failed_note(make_case(), t, FULL))
    card_of_message(delivery_failed_note(make_case(), t, MINIMAL))
    card_of_message(menu(t, "Gemeente *Test*", "https://meldbot.example.nl/melden"))
    draft = card_of_message(draft_message(t, Draft("d1", 1, HOSTILE * 50), Signals()))
    assert of_type(draft, "ActionSet") and "actions" not in draft
    danger = Signals(danger_now=("mes",), categories=(Category.THREAT,))
    asking = card_of_message(draft_message(t, Draft("d1", 2, HOSTILE), danger))
    assert len(of_type(asking, "ActionSet")) == 2  # "in danger now?" apart from the rest


@pytest.mark.parametrize("language", ["nl", "en"])
def test_real_forms(language: str) -> None:
    t = Translator(language)
    forms = [
        report_form(t, list(Category), HOSTILE),
        details_form(t, list(Category)),
        question_form(t, 7),
        status_form(t, 7),
        close_form(t, 7),
        follow_up_form(t, FORM_ANSWER, 7),
        follow_up_form(t, FORM_ADDITION, 7),
    ]
    for form in forms:
        card = form_of(form)
        inputs = [node["id"] for node in nodes(card) if str(node.get("type")).startswith("Input.")]
        assert inputs == [payloads.input_id(field.id) for field in form.fields]
        assert card["actions"][-1]["title"] == form.cancel_label


def card_of_message(message: Message) -> dict[str, Any]:
    card = render.message_card(message)
    assert_valid(card)
    return card
