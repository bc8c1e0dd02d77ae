"""Slack requests become neutral events; the core's answers become Slack calls."""

from __future__ import annotations

import json

from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    CommandInvoked,
    Event,
    FormSubmitted,
    HomeOpened,
    MessageReceived,
    MessageRef,
)
from bot.ui import (
    Actions,
    Button,
    Choice,
    Form,
    Message,
    Option,
    Quote,
    Response,
    Text,
    TextInput,
)
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import (
    block_actions,
    dm_message,
    event_callback,
    global_shortcut,
    slash_command,
    submitted_view_values,
    view_submission,
)
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, StubCore

REPORT_FORM = Form(
    form_id="report",
    title="Melding maken",
    submit_label="Versturen",
    fields=[
        TextInput("narrative", "Wat is er gebeurd?", multiline=True, max_length=2000),
        Choice(
            "category",
            "Soort",
            [
                Option("threat", "Bedreiging"),
                Option("verbal", "Schelden"),
                Option("other", "Anders"),
            ],
        ),
        Choice("location", "Waar", [Option(f"loc{i}", f"Locatie {i}") for i in range(8)]),
    ],
    intro=[Text.of("Vertel wat er gebeurde. Alleen de beschrijving is nodig.")],
    state='{"draft": 7}',
)


def form_for_reports(event: Event) -> Response:
    return Response(form=REPORT_FORM)


# -- /meld and the global shortcut ------------------------------------------------------


async def test_meld_command_opens_the_report_modal(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = form_for_reports
    response = await slack.post(
        slash_command("U1", "bij de balie", channel="C0GENERAL", trigger_id="trig-1"), form=True
    )
    assert response.status == 200
    assert await response.text() == ""  # nothing shown in the channel

    [opened] = await fake_slack.wait_for("views.open")
    assert opened.params["trigger_id"] == "trig-1"
    view = opened.json_param("view")
    assert view["type"] == "modal"
    assert view["callback_id"] == "report"
    assert view["private_metadata"] == '{"draft": 7}'
    assert view["title"]["text"] == "Melding maken"
    assert view["submit"]["text"] == "Versturen"
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["narrative"]["type"] == "plain_text_input"
    assert inputs["narrative"]["multiline"] is True
    assert inputs["narrative"]["max_length"] == 2000
    assert inputs["category"]["type"] == "radio_buttons"
    assert inputs["location"]["type"] == "static_select"

    [event] = core.events
    assert event == CommandInvoked(
        Actor("slack", "U1", "melder"), Address("slack", "C0GENERAL"), "report", "bij de balie"
    )


async def test_meld_command_in_the_bot_dm_is_personal(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = form_for_reports
    await slack.post(slash_command("U1", channel="DU1"), form=True)
    await fake_slack.wait_for("views.open")
    [event] = core.events
    assert isinstance(event, CommandInvoked)
    assert event.address == Address("slack", "DU1", personal=True)


async def test_command_messages_go_to_the_dm_never_the_channel(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(messages=[Message("Hulp", [Text.of("Zo meld je.")])])
    await slack.post(slash_command("U1", "help", channel="C0GENERAL"), form=True)
    [posted] = await fake_slack.wait_for("chat.postMessage")
    assert posted.params["channel"] == "DU1"
    assert fake_slack.in_channel("C0GENERAL") == []


async def test_global_shortcut_opens_the_modal(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = form_for_reports
    response = await slack.post(global_shortcut("U2"), form=True)
    assert response.status == 200
    [opened] = await fake_slack.wait_for("views.open")
    assert opened.params["trigger_id"] == "trigger-shortcut"
    assert opened.json_param("view")["callback_id"] == "report"
    [event] = core.events
    assert event == CommandInvoked(
        Actor("slack", "U2", "user.u2"), Address("slack", "DU2", personal=True), "report"
    )


# -- view_submission ---------------------------------------------------------------------


async def test_submitted_values_are_mapped_by_block_id(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = form_for_reports
    await slack.post(slash_command("U1"), form=True)
    [opened] = await fake_slack.wait_for("views.open")
    view = opened.json_param("view")
    values = submitted_view_values(
        view, {"narrative": "Hij schreeuwde & sloeg", "category": "threat"}
    )
    core.answer = lambda event: Response(messages=[Message("Ontvangen", [Text.of("Dank je.")])])

    response = await slack.post(
        view_submission("U1", "report", values, metadata=view["private_metadata"]), form=True
    )

    assert response.status == 200
    assert await response.text() == ""  # closes the modal
    submitted = core.events[-1]
    assert submitted == FormSubmitted(
        Actor("slack", "U1", "user.u1"),
        form_id="report",
        values={"narrative": "Hij schreeuwde & sloeg", "category": "threat", "location": None},
        state='{"draft": 7}',
        key="slack:VMODAL:report",  # the modal's view id and form: the same on a resubmission
    )
    [feedback] = await fake_slack.wait_for("chat.postMessage")
    assert feedback.params["channel"] == "DU1"
    assert feedback.params["text"] == "Ontvangen"


async def test_form_errors_keep_the_modal_open(slack: SlackSender, core: StubCore) -> None:
    core.answer = lambda event: Response(errors={"narrative": "Vertel kort wat er gebeurde."})
    values = {"narrative": {"narrative": {"type": "plain_text_input", "value": None}}}
    response = await slack.post(view_submission("U1", "report", values), form=True)
    assert response.status == 200
    assert await response.json() == {
        "response_action": "errors",
        "errors": {"narrative": "Vertel kort wat er gebeurde."},
    }
    [event] = core.events
    assert isinstance(event, FormSubmitted)
    assert event.values == {"narrative": None}


async def test_a_next_form_replaces_the_modal(slack: SlackSender, core: StubCore) -> None:
    core.answer = lambda event: Response(form=REPORT_FORM)
    response = await slack.post(view_submission("U1", "step1", {}), form=True)
    answer = await response.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == "report"
    assert answer["view"]["type"] == "modal"


async def test_a_failing_core_keeps_the_modal_and_confirms_nothing(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    def broken(event: Event) -> Response:
        raise RuntimeError("database is down")

    core.answer = broken
    values = {"narrative": {"narrative": {"type": "plain_text_input", "value": "Hij sloeg"}}}
    response = await slack.post(view_submission("U1", "report", values), form=True)
    assert response.status == 200
    answer = await response.json()
    # The modal stays open with the text in it, and says to try again in a moment.
    assert answer["response_action"] == "errors"
    assert "try again in a moment" in answer["errors"]["narrative"]
    await fake_slack.settle()
    assert fake_slack.calls_to("chat.postMessage") == []


async def test_a_failing_core_without_fields_says_to_try_again(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    def broken(event: Event) -> Response:
        raise RuntimeError("database is down")

    core.answer = broken
    response = await slack.post(view_submission("U1", "confirm", {}), form=True)
    answer = await response.json()
    assert answer["response_action"] == "update"
    assert "try again in a moment" in json.dumps(answer["view"])
    await fake_slack.settle()
    assert fake_slack.calls_to("chat.postMessage") == []


async def test_a_form_opened_by_a_button_can_replace_that_message(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    await fake_slack_post(fake_slack, "DU1")
    draft = fake_slack.messages[0]
    core.answer = form_for_reports
    await slack.post(
        block_actions("U1", "report.details", channel="DU1", message_ts=draft.ts), form=True
    )
    await fake_slack.wait_for("views.open")
    [view_id] = fake_slack.views

    core.answer = lambda event: Response(errors={"narrative": "Te lang."})
    body = view_submission("U1", "report", {}, view_id=view_id)
    assert (await (await slack.post(body, form=True)).json())["response_action"] == "errors"
    core.answer = lambda event: Response(replace=Message("Verstuurd", [Text.of("Ontvangen.")]))
    assert (await slack.post(body, form=True)).status == 200

    [update] = await fake_slack.wait_for("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("DU1", draft.ts)
    assert fake_slack.message("DU1", draft.ts).text == "Verstuurd"


async def test_replace_without_an_opening_message_changes_nothing(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(replace=Message("Verstuurd"))
    assert (await slack.post(view_submission("U1", "report", {}), form=True)).status == 200
    await fake_slack.settle()
    assert fake_slack.calls_to("chat.update") == []


# -- block_actions -----------------------------------------------------------------------


async def test_button_on_a_channel_message(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(
        replace=Message("Geclaimd", [Text.of("Opgepakt door "), Quote("x")]),
        messages=[Message("Ik pak deze op.")],
    )
    # The message the button is on, as the bot posted it.
    await fake_slack_post(fake_slack, COORDINATOR_CHANNEL)
    root_ts = fake_slack.messages[0].ts

    response = await slack.post(
        block_actions(
            "UCOORD1", "case.claim", "42", channel=COORDINATOR_CHANNEL, message_ts=root_ts
        ),
        form=True,
    )
    assert response.status == 200

    [update] = await fake_slack.wait_for("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (COORDINATOR_CHANNEL, root_ts)
    assert update.params["text"] == "Geclaimd"
    reply = (await fake_slack.wait_for("chat.postMessage", count=2))[1]
    assert reply.params["channel"] == COORDINATOR_CHANNEL
    assert reply.params["thread_ts"] == root_ts  # in the case's thread

    [event] = core.events
    assert event == ActionInvoked(
        Actor("slack", "UCOORD1", "user.ucoord1"),
        Address("slack", COORDINATOR_CHANNEL, thread=root_ts),
        "case.claim",
        "42",
        MessageRef("slack", COORDINATOR_CHANNEL, root_ts),
    )


async def test_private_answers_in_a_channel_are_ephemeral_in_the_thread(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(
        private=[Message("Alleen coördinatoren", [Text.of("Alleen coördinatoren.")])]
    )
    await slack.post(
        block_actions("UPIET", "case.claim", "42", channel=COORDINATOR_CHANNEL, message_ts="5.5"),
        form=True,
    )
    [private] = await fake_slack.wait_for("chat.postEphemeral")
    assert private.params["channel"] == COORDINATOR_CHANNEL
    assert private.params["user"] == "UPIET"
    assert private.params["thread_ts"] == "5.5"
    assert private.params["text"] == "Alleen coördinatoren"
    await fake_slack.settle()
    assert fake_slack.calls_to("chat.postMessage") == []
    assert fake_slack.calls_to("chat.update") == []


async def test_private_answers_elsewhere_go_to_the_dm(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(private=[Message("Alleen voor jou")])
    await slack.post(block_actions("U1", "menu.mine", channel="DU1", message_ts="6.6"), form=True)
    await slack.post(slash_command("U2", channel="C0GENERAL"), form=True)
    await slack.post(global_shortcut("U3"), form=True)
    posted = await fake_slack.wait_for("chat.postMessage", count=3)
    assert sorted(p.params["channel"] for p in posted) == ["DU1", "DU2", "DU3"]
    assert fake_slack.calls_to("chat.postEphemeral") == []


async def test_repeated_buttons_come_back_with_their_neutral_action_id(
    slack: SlackSender, core: StubCore
) -> None:
    await slack.post(
        block_actions("U1", "case.measure#3", "pandverbod", channel="DU1", message_ts="1.2"),
        form=True,
    )
    [event] = await core.wait(1)
    assert isinstance(event, ActionInvoked)
    assert (event.action_id, event.value) == ("case.measure", "pandverbod")
    assert event.address == Address("slack", "DU1", personal=True)


async def test_button_in_a_dm_thread_answers_in_that_thread(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(messages=[Message("Aangevuld")])
    await slack.post(
        block_actions(
            "U1",
            "report.add",
            channel="DU1",
            message_ts="1700000005.000001",
            thread_ts="1700000001.0",
        ),
        form=True,
    )
    [posted] = await fake_slack.wait_for("chat.postMessage")
    assert (posted.params["channel"], posted.params["thread_ts"]) == ("DU1", "1700000001.0")


async def test_button_in_app_home(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(
        form=REPORT_FORM, home=Message("Home", [Text.of("Je meldingen")])
    )
    await slack.post(block_actions("U3", "report.start"), form=True)
    [opened] = await fake_slack.wait_for("views.open")
    assert opened.params["trigger_id"] == "trigger-action"
    [published] = await fake_slack.wait_for("views.publish")
    assert published.params["user_id"] == "U3"
    assert published.json_param("view")["type"] == "home"
    [event] = core.events
    assert event == ActionInvoked(
        Actor("slack", "U3", "user.u3"),
        Address("slack", "DU3", personal=True),
        "report.start",
        "",
        None,
    )


async def test_button_inside_a_modal_updates_that_modal(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = form_for_reports
    await slack.post(slash_command("U1"), form=True)
    [opened] = await fake_slack.wait_for("views.open")
    [view_id] = fake_slack.views
    assert opened.ok

    await slack.post(
        block_actions("U1", "report.more", view={"id": view_id, "type": "modal"}), form=True
    )
    [updated] = await fake_slack.wait_for("views.update")
    assert updated.params["view_id"] == view_id
    assert len(fake_slack.calls_to("views.open")) == 1


# -- DMs and App Home ---------------------------------------------------------------------


async def test_dm_message_reaches_the_core_and_the_answer_goes_back(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(
        messages=[Message("Wil je melden?", [Actions([Button("Melden", "report.start")])])]
    )
    await slack.post(event_callback(dm_message("U1", "ik werd bedreigd"), "Ev1"))
    [posted] = await fake_slack.wait_for("chat.postMessage")
    assert posted.params["channel"] == "DU1"
    assert "thread_ts" not in posted.params
    assert posted.params["blocks"][0]["elements"][0]["action_id"] == "report.start"
    assert core.events == [
        MessageReceived(
            Actor("slack", "U1"), Address("slack", "DU1", personal=True), "ik werd bedreigd"
        )
    ]


async def test_other_messages_are_ignored(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    channel_message = dm_message("U1", "in een kanaal") | {
        "channel": "C1",
        "channel_type": "channel",
    }
    bot_message = dm_message("U1", "van een bot") | {"bot_id": "B9"}
    edited = dm_message("U1", "gewijzigd") | {"subtype": "message_changed"}
    for number, event in enumerate([channel_message, bot_message, edited]):
        response = await slack.post(event_callback(event, f"Ev{number}"))
        assert response.status == 200
    await fake_slack.settle()
    assert core.events == []


async def test_app_home_opened_publishes_home(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(
        home=Message(
            "meldbot", [Text.of("Meld hier."), Actions([Button("Melden", "report.start")])]
        )
    )
    home = {"type": "app_home_opened", "user": "U4", "channel": "DU4", "tab": "home"}
    await slack.post(event_callback(home, "EvHome"))
    [published] = await fake_slack.wait_for("views.publish")
    assert published.params["user_id"] == "U4"
    assert fake_slack.homes["U4"]["blocks"][1]["elements"][0]["action_id"] == "report.start"
    assert core.events == [HomeOpened(Actor("slack", "U4"))]


async def test_messages_tab_is_not_home(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    messages_tab = {"type": "app_home_opened", "user": "U4", "channel": "DU4", "tab": "messages"}
    await slack.post(event_callback(messages_tab, "EvTab"))
    await fake_slack.settle()
    assert core.events == []


async def fake_slack_post(fake: FakeSlack, channel: str) -> None:
    """A message from the bot in ``channel``, straight through the fake's API."""
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token=fake.token, base_url=fake.url)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Nieuwe melding"}}]
    await client.chat_postMessage(channel=channel, text="Nieuwe melding", blocks=json.dumps(blocks))
