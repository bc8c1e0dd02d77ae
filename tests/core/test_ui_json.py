"""A neutral message reads back from its JSON exactly as it was, every kind of part."""

from __future__ import annotations

import json

import pytest

from bot.ui import (
    Actions,
    Button,
    ChannelMention,
    Divider,
    Facts,
    Heading,
    Link,
    LinkButton,
    Mention,
    Message,
    Note,
    Person,
    Quote,
    Strong,
    Text,
)
from bot.ui_json import message_json, message_of

EVERYTHING = Message(
    "Nieuwe melding M-2026-0001",
    (
        Heading("Nieuwe melding"),
        Text.of(
            "<b>geen opmaak</b> ",
            Strong("dringend"),
            Mention("U123", "Fatima"),
            ChannelMention("@iedereen"),
            Link("https://meldbot.example/console/zaken/1", "open de zaak"),
        ),
        Quote("Hij riep *iets* en <script>"),
        Facts((("Referentie", "M-2026-0001"), ("Status", "Nieuw"))),
        Person("Karin", "vertrouwenspersoon", "https://meldbot.example/k.png", "+31 6 1"),
        Note("Gemeld om 10:04"),
        Divider(),
        Actions(
            (
                Button("Oppakken", "case.claim", "1", "primary"),
                Button("Sluiten", "case.close", "1"),
                LinkButton("Open", "https://meldbot.example/console/zaken/1"),
            )
        ),
    ),
    broadcast=True,
    anonymous=True,
)


def test_every_part_reads_back_as_it_was() -> None:
    stored = json.loads(json.dumps(message_json(EVERYTHING)))  # as a database keeps it
    assert message_of(stored) == EVERYTHING


def test_something_else_is_refused() -> None:
    with pytest.raises(ValueError):
        message_of({"summary": "x", "blocks": [{"kind": "Script", "text": "alert(1)"}]})
    with pytest.raises(ValueError):
        message_of({"blocks": []})
