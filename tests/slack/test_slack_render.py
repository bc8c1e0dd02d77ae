"""Rendering neutral UI to Block Kit: escaping and Slack's limits, checked against the fake."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import SlackMessenger, render
from adapters.slack.client import web_client
from bot.events import Address
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
from tests.fakes.slack_api import FakeSlack
from tests.slack.support import COORDINATOR_CHANNEL, make_settings

HOSTILE = "<!channel> <@U123> <https://evil.example|click> & <!everyone> <#C1>"
HOSTILE_ESCAPED = (
    "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; "
    "&lt;!everyone&gt; &lt;#C1&gt;"
)


def messenger(fake: FakeSlack) -> SlackMessenger:
    return SlackMessenger(
        web_client(fake.token, fake.url), make_settings(fake), shortened_note="(ingekort)"
    )


async def post(fake: FakeSlack, message: Message) -> dict[str, Any]:
    await messenger(fake).send(Address("slack", COORDINATOR_CHANNEL), message)
    [call] = fake.calls_to("chat.postMessage")
    assert call.ok  # the fake enforces Block Kit's limits
    return call.params


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every text Slack would parse as mrkdwn in these blocks."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


# -- escaping ------------------------------------------------------------------------------


async def test_user_text_cannot_mention_broadcast_or_link(fake_slack: FakeSlack) -> None:
    params = await post(
        fake_slack,
        Message(
            f"Melding: {HOSTILE}",
            [
                Text.of("Beschrijving: ", HOSTILE),
                Quote(HOSTILE),
                Facts([("Plaats", HOSTILE)]),
                Person(HOSTILE, HOSTILE, phone=HOSTILE),
                Note(HOSTILE),
                Text.of(Strong(HOSTILE)),
            ],
        ),
    )
    assert params["text"] == f"Melding: {HOSTILE_ESCAPED}"
    all_text = texts(params["blocks"])
    assert len(all_text) == 6
    for text in all_text:
        assert HOSTILE_ESCAPED in text
        assert "<" not in text and ">" not in text.replace("> ", "", 1)
        assert "& " not in text  # every & is an entity


def test_structural_markup_is_kept() -> None:
    text = render.paragraph(
        Text.of(
            "Zie ",
            Link("https://intranet.example/meldpunt?a=1&b=2", "het <meldpunt>"),
            ", bel ",
            Mention("U0ANNA1"),
            " of ",
            Strong("direct"),
        )
    )
    assert text == (
        "Zie <https://intranet.example/meldpunt?a=1&b=2|het &lt;meldpunt&gt;>, bel <@U0ANNA1>"
        " of *direct*"
    )


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (Mention("<!channel>"), "@&lt;!channel&gt;"),
        (Mention("U1>|<!here"), "@U1&gt;|&lt;!here"),
        (Link("javascript:alert(1)", "klik"), "klik"),
        (Link("https://a.example/x|<!channel>", "klik"), "klik"),
        (Link("mailto:a@b.example", "mail <x>"), "mail &lt;x&gt;"),
    ],
)
def test_unsafe_mentions_and_links_become_plain_text(part: Mention | Link, expected: str) -> None:
    assert render.paragraph(Text.of(part)) == expected


# -- limits --------------------------------------------------------------------------------


async def test_long_quotes_are_split_under_3000(fake_slack: FakeSlack) -> None:
    narrative = " ".join(f"woord{n} & <b>" for n in range(1500))  # ~25k escaped
    params = await post(fake_slack, Message("Melding", [Quote(narrative)]))
    sections = [b["text"]["text"] for b in params["blocks"]]
    assert len(sections) > 3
    assert all(len(s) <= 3000 and s.startswith("> ") for s in sections)
    assert html.unescape("".join(s[2:] for s in sections)) == narrative


async def test_splitting_never_cuts_an_entity(fake_slack: FakeSlack) -> None:
    params = await post(fake_slack, Message("Melding", [Text.of("&" * 4000), Quote("<" * 4000)]))
    for block in params["blocks"]:
        text = block["text"]["text"].removeprefix("> ")
        assert text.replace("&amp;", "").replace("&lt;", "") == ""


async def test_more_than_50_blocks_are_truncated_with_a_note(fake_slack: FakeSlack) -> None:
    paragraphs = [Text.of(f"Alinea {n}") for n in range(80)]
    buttons = Actions([Button("Oppakken", "case.claim", "7", "primary")])
    params = await post(fake_slack, Message("Lang", [Heading("Melding"), *paragraphs, buttons]))
    blocks = params["blocks"]
    assert len(blocks) == 50
    assert blocks[0]["type"] == "header"
    assert blocks[-2] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "(ingekort)", "verbatim": True}],
    }
    assert blocks[-1]["elements"][0]["action_id"] == "case.claim"  # the buttons stay
    assert blocks[-3]["text"]["text"] == "Alinea 46"


async def test_headings_facts_buttons_within_limits(fake_slack: FakeSlack) -> None:
    message = Message(
        "Veel",
        [
            Heading("H" * 200),
            Facts([(f"Veld {n}", "x" * 2500) for n in range(23)]),
            Actions([Button("B" * 100, f"case.b{n}", str(n)) for n in range(30)]),
            Actions([Button("Maatregel", "case.measure", v) for v in ("orde", "brief", "pand")]),
            Divider(),
        ],
    )
    blocks = (await post(fake_slack, message))["blocks"]
    assert len(blocks[0]["text"]["text"]) == 150
    assert [len(b["fields"]) for b in blocks[1:4]] == [10, 10, 3]
    assert [len(b["elements"]) for b in blocks[4:6]] == [25, 5]
    assert all(len(e["text"]["text"]) <= 75 for e in blocks[4]["elements"])
    assert [e["action_id"] for e in blocks[6]["elements"]] == [
        "case.measure",
        "case.measure#2",
        "case.measure#3",
    ]
    assert [e["value"] for e in blocks[6]["elements"]] == ["orde", "brief", "pand"]


async def test_person_with_photo(fake_slack: FakeSlack) -> None:
    person = Person("Anna de Vries", "Aandachtsfunctionaris", "https://x.example/anna.jpg", "0612")
    [block] = (await post(fake_slack, Message("Contact", [person])))["blocks"]
    assert block["text"]["text"] == "*Anna de Vries*\nAandachtsfunctionaris\n0612"
    assert block["accessory"] == {
        "type": "image",
        "image_url": "https://x.example/anna.jpg",
        "alt_text": "Anna de Vries",
    }
    no_photo = render.blocks_of(Person("Bob", "Piket", "javascript:x"))[0].to_dict()
    assert "accessory" not in no_photo


async def test_modal_within_limits_is_accepted(fake_slack: FakeSlack) -> None:
    form = Form(
        form_id="report",
        title="Een titel die veel te lang is voor Slack",
        submit_label="Versturen",
        cancel_label="Annuleren",
        fields=[
            TextInput("what", "Wat?", multiline=True, placeholder="P" * 200, initial="begin"),
            TextInput("when", "Wanneer?", optional=True, hint="Bijvoorbeeld: vanochtend"),
            Choice("kind", "Soort", [Option("a", "A"), Option("b", "B")], initial="b"),
        ],
        intro=[Text.of(f"Intro {n}") for n in range(120)],
        state="s" * 3000,
    )
    view = render.modal_view(form, "(ingekort)")
    assert len(view["title"]["text"]) <= 24
    assert len(view["blocks"]) == 100
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == ["what", "when", "kind"]
    assert inputs[0]["element"]["initial_value"] == "begin"
    assert inputs[1]["optional"] is True
    assert inputs[2]["element"]["initial_option"]["value"] == "b"
    response = await AsyncWebClient(token=fake_slack.token, base_url=fake_slack.url).views_open(
        trigger_id="t", view=view
    )
    assert response["ok"]


def test_cancel_label_or_slacks_own_word() -> None:
    form = Form("report", "Melden", "Versturen", [TextInput("what", "Wat?")])
    assert "close" not in render.modal_view(form, "")  # Slack shows its own "Cancel"
    labelled = Form("report", "Melden", "Versturen", [], cancel_label="Sluiten")
    view = render.modal_view(labelled, "")
    assert view["close"]["text"] == "Sluiten"
    assert "submit" not in view  # nothing to submit without fields


def test_form_state_over_3000_is_refused_not_cut() -> None:
    form = Form("report", "Melden", "Versturen", [TextInput("what", "Wat?")], state="s" * 3001)
    with pytest.raises(render.RenderError, match="3000"):
        render.modal_view(form, "")


# -- the fake enforces the limits, so "accepted" above means something ----------------------


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "divider"}] * 51,
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        [{"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}],
        [
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76}}],
            }
        ],
        [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "x",
                        "text": {"type": "plain_text", "text": "1"},
                    },
                    {
                        "type": "button",
                        "action_id": "x",
                        "text": {"type": "plain_text", "text": "2"},
                    },
                ],
            }
        ],
        "[{not json",
    ],
    ids=["51-blocks", "header-151", "section-3001", "button-76", "same-action-id", "not-json"],
)
async def test_fake_rejects_blocks_slack_would_reject(fake_slack: FakeSlack, blocks: Any) -> None:
    raw = blocks if isinstance(blocks, str) else json.dumps(blocks)
    client = AsyncWebClient(token=fake_slack.token, base_url=fake_slack.url)
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="x", blocks=raw)
    assert raised.value.response["error"] == "invalid_blocks"


@pytest.mark.parametrize(
    "change",
    [
        {"title": {"type": "plain_text", "text": "t" * 25}},
        {"private_metadata": "m" * 3001},
        {"blocks": [{"type": "divider"}] * 101},
    ],
    ids=["title-25", "metadata-3001", "101-blocks"],
)
async def test_fake_rejects_modals_slack_would_reject(
    fake_slack: FakeSlack, change: dict[str, Any]
) -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Melden"},
        "blocks": [{"type": "divider"}],
    } | change
    client = AsyncWebClient(token=fake_slack.token, base_url=fake_slack.url)
    with pytest.raises(SlackApiError) as raised:
        await client.views_open(trigger_id="t", view=view)
    assert raised.value.response["error"] == "invalid_blocks"
