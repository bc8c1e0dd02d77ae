"""Slack payloads as neutral events (``bot.events``). Pure functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    CommandInvoked,
    FormSubmitted,
    HomeOpened,
    MembersJoined,
    MessageReceived,
    MessageRef,
)
from bot.onboarding import WORKSPACE

Payload = Mapping[str, Any]

_REPEAT_SUFFIX = re.compile(r"#\d+$")
SLACKBOT = "USLACKBOT"
FILE_SHARE = "file_share"  # a message with files (its text may be empty)


def actor(user_id: str, name: object = None) -> Actor:
    return Actor("slack", user_id, name if isinstance(name, str) and name else None)


def interactive_actor(body: Payload) -> Actor:
    """The person behind a shortcut, button or form: ``body["user"]``."""
    user = body.get("user") or {}
    return actor(str(user["id"]), user.get("username") or user.get("name"))


def message_received(event: Payload) -> MessageReceived | None:
    """A person's own message in their DM with the bot, with or without files; None for
    anything else. The files are only listed (``shared_files``): fetching them is I/O."""
    if event.get("channel_type") != "im":
        return None
    if event.get("subtype") not in (None, FILE_SHARE):
        return None
    if event.get("bot_id") or not event.get("user"):
        return None
    channel = str(event["channel"])
    return MessageReceived(
        actor(str(event["user"])),
        Address("slack", channel, personal=True),
        str(event.get("text") or ""),
    )


def shared_files(event: Payload) -> list[Payload]:
    """The file objects of a ``file_share`` message (each still to be fetched)."""
    files = event.get("files") if event.get("subtype") == FILE_SHARE else None
    if not isinstance(files, list):
        return []
    return [file for file in files if isinstance(file, Mapping)]


def home_opened(event: Payload) -> HomeOpened | None:
    if event.get("tab") != "home" or not event.get("user"):
        return None
    return HomeOpened(actor(str(event["user"])))


def workspace_joined(event: Payload, bot_user_id: str | None) -> MembersJoined | None:
    """``team_join``: someone joined the workspace (its address is ``WORKSPACE``, ``*``).

    ``event.user`` is the whole user object; bots, apps and meldbot itself are no newcomers.
    """
    user = event.get("user")
    if not isinstance(user, Mapping) or not user.get("id"):
        return None
    user_id = str(user["id"])
    if user.get("is_bot") or user.get("deleted") or user_id in {bot_user_id, SLACKBOT}:
        return None
    person = actor(user_id)
    team = user.get("team_id") or event.get("team")
    return MembersJoined(
        person, Address("slack", WORKSPACE), (person,), team=str(team) if team else None
    )


def channel_joined(event: Payload, bot_user_id: str | None) -> MembersJoined | None:
    """``member_joined_channel``: ``event.user`` is only an id, so whether it is a bot is
    for the caller to ask (``users.info``); meldbot itself joining is left out here."""
    user_id, channel = event.get("user"), event.get("channel")
    if not isinstance(user_id, str) or not user_id or not isinstance(channel, str) or not channel:
        return None
    if user_id in {bot_user_id, SLACKBOT}:
        return None
    person = actor(user_id)
    team = event.get("team")
    return MembersJoined(
        person, Address("slack", channel), (person,), team=str(team) if team else None
    )


def command_invoked(command: Payload) -> CommandInvoked:
    """``/meld`` typed anywhere; the address is the conversation it was typed in."""
    channel = str(command.get("channel_id") or "")
    return CommandInvoked(
        actor(str(command["user_id"]), command.get("user_name")),
        Address("slack", channel, personal=channel.startswith("D")),
        "report",
        str(command.get("text") or "").strip(),
    )


def action_id(raw: str) -> str:
    """The neutral action id: the renderer's ``#n`` suffix for repeated buttons removed."""
    return _REPEAT_SUFFIX.sub("", raw)


def action_value(action: Payload) -> str:
    selected = action.get("selected_option")
    if isinstance(selected, Mapping):
        return str(selected.get("value") or "")
    return str(action.get("value") or "")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a pressed button was: a message (address and ref), or a view (Home, modal)."""

    address: Address | None
    message: MessageRef | None
    view_id: str | None = None
    in_modal: bool = False


def action_origin(body: Payload) -> Origin:
    """A button on a message answers in that conversation; in a channel, in its thread.

    Buttons in a DM answer in the DM (in a thread only if the button was in one);
    buttons in a channel answer in the message's thread, so everything about a case
    stays in the case's thread. Buttons in App Home or a modal have no message.
    """
    container = body.get("container") or {}
    message = body.get("message")
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    if isinstance(message, Mapping) and channel:
        channel = str(channel)
        ts = str(message.get("ts") or container.get("message_ts"))
        personal = channel.startswith("D")
        in_thread = message.get("thread_ts") or container.get("thread_ts")
        thread = str(in_thread) if in_thread else (None if personal else ts)
        return Origin(
            Address("slack", channel, thread=thread, personal=personal),
            MessageRef("slack", channel, ts),
        )
    view = body.get("view") or {}
    return Origin(None, None, view_id=view.get("id"), in_modal=view.get("type") == "modal")


def pressed_action_id(body: Payload) -> str:
    """The neutral id of the button pressed in a ``block_actions`` request."""
    action = (body.get("actions") or [{}])[0]
    return action_id(str(action.get("action_id") or ""))


def action_invoked(body: Payload, address: Address, origin: Origin) -> ActionInvoked:
    action = (body.get("actions") or [{}])[0]
    return ActionInvoked(
        interactive_actor(body),
        address,
        action_id(str(action.get("action_id") or "")),
        action_value(action),
        origin.message,
    )


def form_values(state: Payload) -> dict[str, str | None]:
    """``view.state.values`` as ``{block_id: value}``; None for what was left empty."""
    values: dict[str, str | None] = {}
    for block_id, elements in (state.get("values") or {}).items():
        for element in elements.values():
            values[str(block_id)] = _element_value(element)
            break
    return values


def _element_value(element: Payload) -> str | None:
    if "selected_option" in element:
        selected = element.get("selected_option")
        return str(selected["value"]) if isinstance(selected, Mapping) else None
    value = element.get("value")
    return None if value is None else str(value)


def view_id(body: Payload) -> str | None:
    view = body.get("view") or {}
    return str(view["id"]) if view.get("id") else None


def form_submitted(body: Payload) -> FormSubmitted:
    """A modal's submission; its key is the view and the form in it (a view id is unique
    per opened modal, and Slack sends the same one again when the person resubmits)."""
    view = body.get("view") or {}
    form_id = str(view.get("callback_id") or "")
    return FormSubmitted(
        interactive_actor(body),
        form_id=form_id,
        values=form_values(view.get("state") or {}),
        state=str(view.get("private_metadata") or ""),
        key=f"slack:{view['id']}:{form_id}" if view.get("id") else None,
    )
