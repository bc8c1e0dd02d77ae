"""Teams activities in, neutral events out. Nothing here sends or stores anything."""

from __future__ import annotations

import re
from typing import Literal

from microsoft_agents.activity import Activity, ChannelAccount

from adapters.teams import payloads
from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    CommandInvoked,
    Event,
    FormSubmitted,
    IncomingFile,
    MembersJoined,
    MessageReceived,
    MessageRef,
)

THREAD_MARK = ";messageid="
BOT_PREFIX = "28:"  # Teams' ids of bots; people's start with 29:
RENDERED = "teams:"  # a form submission's key: this prefix, the rendering and the form
MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
# Where Teams marks a file in a message's text: the file itself comes as an attachment.
FILE_MARK = re.compile(r"<attachment\b[^>]*>\s*</attachment>", re.IGNORECASE)
# The words of the Teams command list (manifest/teams); typed alone they are commands.
COMMANDS: dict[str, Literal["report", "menu"]] = {
    "meld": "report",
    "melden": "report",
    "report": "report",
    "menu": "menu",
    "help": "menu",
    "hulp": "menu",
}


def user_key(account: ChannelAccount | None) -> str:
    """The Entra object id when Teams gives one (it is what coordinators are configured by)."""
    if account is None:
        return ""
    return str(account.aad_object_id or account.id or "")


def actor(activity: Activity) -> Actor:
    sender = activity.from_property
    return Actor("teams", user_key(sender), (sender.name or None) if sender else None)


def is_channel(conversation_id: str) -> bool:
    base = conversation_id.split(THREAD_MARK, 1)[0]
    return base.startswith("19:") and base.endswith(("@thread.tacv2", "@thread.skype"))


def split_thread(conversation_id: str) -> tuple[str, str | None]:
    """``19:c@thread.tacv2;messageid=R`` → (``19:c@thread.tacv2``, ``R``)."""
    base, mark, root = conversation_id.partition(THREAD_MARK)
    return base, (root or None) if mark else None


def address(activity: Activity) -> Address:
    conversation = activity.conversation
    conversation_id = str(conversation.id) if conversation else ""
    if is_channel(conversation_id):
        channel, root = split_thread(conversation_id)
        return Address("teams", channel, thread=root)
    personal = bool(conversation and conversation.conversation_type == "personal")
    return Address("teams", conversation_id, personal=personal)


def pressed_message(activity: Activity) -> MessageRef | None:
    """The message whose card was used; a thread root is named by its channel, as sent."""
    if not activity.reply_to_id or activity.conversation is None:
        return None
    conversation_id = str(activity.conversation.id)
    channel, root = split_thread(conversation_id)
    if is_channel(conversation_id) and root in (None, activity.reply_to_id):
        return MessageRef("teams", channel, activity.reply_to_id)
    return MessageRef("teams", conversation_id, activity.reply_to_id)


def typed(activity: Activity) -> MessageReceived | CommandInvoked | None:
    """A typed message; mentions of meldbot (needed in channels) are taken out."""
    text = MENTION.sub(" ", activity.text or "").strip()
    if not text:
        return None
    where = address(activity)
    command = COMMANDS.get(text.lower().strip(" .!?/"))
    if command is not None and where.personal:
        return CommandInvoked(actor(activity), where, command)
    return MessageReceived(actor(activity), where, text)


def with_files(activity: Activity, files: tuple[IncomingFile, ...]) -> MessageReceived:
    """A message that came with files: always a message (so no file is lost to a command
    word), its text possibly empty."""
    text = FILE_MARK.sub(" ", MENTION.sub(" ", activity.text or "")).strip()
    return MessageReceived(actor(activity), address(activity), text, files)


def card_event(activity: Activity, action: payloads.CardAction) -> Event | None:
    """A button or a form on one of our cards; a cancelled form is no event for the core."""
    match action:
        case payloads.ButtonPressed(action_id=action_id, value=value):
            return ActionInvoked(
                actor(activity), address(activity), action_id, value, pressed_message(activity)
            )
        case payloads.FormSent(form_id=form_id, state=state, values=values, rendering=shown):
            # This rendering of the form: the same when Teams redelivers the activity or the
            # person sends the same card again (a card can show one form twice, for two).
            key = f"{RENDERED}{shown}:{form_id}" if shown else None
            return FormSubmitted(actor(activity), form_id, values, state, key)
    return None


def rendering(event: FormSubmitted) -> str | None:
    """The rendering of the form ``event`` sent (see ``card_event``), to show it again."""
    if event.key is None or not event.key.startswith(RENDERED):
        return None
    return event.key.removeprefix(RENDERED).split(":", 1)[0]


def members_joined(activity: Activity, bot_id: str) -> MembersJoined | None:
    """People added to a team or chat; bots (``28:`` ids), meldbot among them, are not.

    ``team`` is the team's id (its General channel's), which is how onboarding is configured.
    """
    added = activity.members_added or []
    if not added:
        return None
    meldbot = {bot_id, f"28:{bot_id}"} if bot_id else set()
    if activity.recipient is not None and activity.recipient.id:
        meldbot.add(str(activity.recipient.id))
    people = tuple(
        Actor("teams", user_key(member), member.name or None)
        for member in added
        if str(member.id) not in meldbot and not str(member.id).startswith(BOT_PREFIX)
    )
    team = (
        (activity.channel_data or {}).get("team")
        if isinstance(activity.channel_data, dict)
        else None
    )
    team_id = str(team["id"]) if isinstance(team, dict) and team.get("id") else None
    return MembersJoined(
        actor(activity),
        address(activity),
        people,
        team=team_id,
        bot_added=any(str(member.id) in meldbot for member in added),
    )
