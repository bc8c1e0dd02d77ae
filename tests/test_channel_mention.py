"""A channel-wide mention comes only from the structure (``ChannelMention``): each surface
shows it its own way, and the same characters typed by a person stay plain text."""

from __future__ import annotations

from adapters.slack import render as slack
from adapters.teams import render as teams
from adapters.web import render as web
from bot.ui import ChannelMention, Message, Text
from tests.teams.card_schema import assert_valid, markdown_texts

TYPED = "<!channel> <!everyone> <at>iedereen</at> **vet** <b>"
PAGE = Message("Oproep", [Text.of(ChannelMention("iedereen"), " ", TYPED)])


def test_slack_pages_the_channel_only_from_the_structure() -> None:
    [section] = slack.message_blocks(PAGE, "ingekort")
    text = section["text"]["text"]
    assert text.startswith("<!channel> ")
    assert text.count("<!") == 1, "typed mentions are escaped"
    assert "&lt;!everyone&gt;" in text
    assert "<!" not in slack.fallback_text(Message("<!channel> hallo"))


def test_teams_shows_a_bold_word_that_notifies_no_one() -> None:
    card = teams.message_card(PAGE)
    assert_valid(card)
    [text] = markdown_texts(card)
    assert text.startswith("**@iedereen** ")
    assert "<at>" not in text and "entities" not in card["msteams"]
    hostile = teams.message_card(Message("x", [Text.of(ChannelMention("<at>a</at> **b**"))]))
    assert "<at>" not in markdown_texts(hostile)[0]


def test_the_web_chat_shows_the_label_as_text() -> None:
    html = web.message_body(PAGE, lambda _user: None)
    assert html.startswith('<p><strong class="mention">@iedereen</strong> ')
    assert "<b>" not in html and "&lt;b&gt;" in html
    evil = web.message_body(Message("x", [Text.of(ChannelMention("<script>"))]), lambda _u: None)
    assert "<script>" not in evil
