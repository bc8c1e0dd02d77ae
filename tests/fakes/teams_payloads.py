"""What Teams sends to a bot: activities as the Bot Framework posts them (camelCase JSON).

``TeamsPayloads(service_url=fake.url)`` builds inbound activities whose ``serviceUrl`` points
at a ``FakeBotConnector``; the bot's replies then land in that fake. Users, teams and
channels are small dataclasses; their ids look like Teams' (``29:…``, ``28:<app id>``,
``19:…@thread.tacv2``, ``a:…`` for a personal chat).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

TENANT_ID = "72f988bf-0000-4000-8000-00000000c0de"
BOT_APP_ID = "00000000-0000-4000-8000-000000000b07"


@dataclass(frozen=True)
class TeamsUser:
    """A person in Teams: ``29:`` id for the bot, AAD object id for the directory."""

    id: str = "29:1melder-opaque-id"
    name: str = "Mia Melder"
    aad_object_id: str = "6a1e7c2d-0000-4000-8000-00000000a001"
    email: str | None = None

    def account(self) -> dict[str, Any]:
        """As ``from`` in an activity."""
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}

    def member(self, tenant_id: str = TENANT_ID) -> dict[str, Any]:
        """As the roster APIs answer (a TeamsChannelAccount)."""
        email = self.email or f"{self.name.lower().replace(' ', '.')}@example.org"
        given, _, surname = self.name.partition(" ")
        return {
            **self.account(),
            "givenName": given,
            "surname": surname,
            "email": email,
            "userPrincipalName": email,
            "tenantId": tenant_id,
            "userRole": "user",
        }


@dataclass(frozen=True)
class TeamsBot:
    app_id: str = BOT_APP_ID
    name: str = "meldbot"

    @property
    def id(self) -> str:
        return f"28:{self.app_id}"

    def account(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Channel:
    id: str = "19:general0000@thread.tacv2"
    name: str | None = None  # Teams gives the General channel no name


@dataclass(frozen=True)
class Team:
    """A team; its id is also the id of its General channel."""

    id: str = "19:general0000@thread.tacv2"
    name: str = "Meldpunt"
    aad_group_id: str = "0b5e7e4a-0000-4000-8000-00000000ce11"
    channels: tuple[Channel, ...] = field(default_factory=tuple)

    @property
    def general(self) -> Channel:
        return Channel(self.id)

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "aadGroupId": self.aad_group_id}


def inline_image(content_url: str) -> dict[str, Any]:
    """An image pasted into a chat, as Teams lists it (its type is only ``image/*``)."""
    return {"contentType": "image/*", "contentUrl": content_url}


def file_download(name: str, download_url: str) -> dict[str, Any]:
    """A file attached from OneDrive, as Teams lists it: a SharePoint link for people and a
    pre-authorised ``downloadUrl`` for the bot."""
    unique = hashlib.sha256(download_url.encode()).hexdigest()[:32]
    return {
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "contentUrl": f"https://contoso-my.sharepoint.com/personal/mia/Documents/{name}",
        "name": name,
        "content": {
            "downloadUrl": download_url,
            "uniqueId": unique,
            "fileType": name.rpartition(".")[2].lower(),
        },
    }


def personal_conversation_id(user_id: str, bot_id: str = TeamsBot().id) -> str:
    """The id of the 1:1 chat between a user and the bot: stable, opaque, ``a:`` prefixed."""
    digest = hashlib.sha256(f"{user_id}|{bot_id}".encode()).hexdigest()[:32]
    return f"a:1{digest}"


def thread_id(channel_id: str, root_id: str) -> str:
    """A channel thread's conversation id: ``<channel>;messageid=<root message id>``."""
    return f"{channel_id};messageid={root_id}"


def split_thread_id(conversation_id: str) -> tuple[str, str | None]:
    """``(channel or conversation id, root message id or None)``."""
    base, sep, root = conversation_id.partition(";messageid=")
    return base, (root if sep else None)


@dataclass
class TeamsPayloads:
    """Builds inbound activities for one bot in one tenant, served by ``service_url``."""

    service_url: str
    tenant_id: str = TENANT_ID
    bot: TeamsBot = field(default_factory=TeamsBot)
    locale: str = "nl-NL"

    def __post_init__(self) -> None:
        self._ids = itertools.count(1700000000001)

    def next_id(self) -> str:
        """A fresh inbound message id (Teams uses epoch milliseconds)."""
        return str(next(self._ids))

    # -- conversations -----------------------------------------------------------

    def personal(self, user: TeamsUser) -> dict[str, Any]:
        return {
            "id": personal_conversation_id(user.id, self.bot.id),
            "conversationType": "personal",
            "tenantId": self.tenant_id,
        }

    def channel_thread(self, channel: Channel | str, root_id: str) -> dict[str, Any]:
        channel_id = channel if isinstance(channel, str) else channel.id
        return {
            "id": thread_id(channel_id, root_id),
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": self.tenant_id,
        }

    def team_conversation(self, team: Team) -> dict[str, Any]:
        """The conversation of team-wide events: the team's General channel."""
        return {
            "id": team.id,
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": self.tenant_id,
        }

    def channel_data(
        self, team: Team | None = None, channel: Channel | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"tenant": {"id": self.tenant_id}}
        if team is not None:
            channel = channel or team.general
            data |= {"teamsTeamId": team.id, "teamsChannelId": channel.id, "team": team.ref()}
            data["channel"] = {"id": channel.id} | ({"name": channel.name} if channel.name else {})
        return data

    # -- activities --------------------------------------------------------------

    def activity(
        self,
        type_: str,
        conversation: Mapping[str, Any],
        user: TeamsUser,
        channel_data: Mapping[str, Any],
        **fields: Any,
    ) -> dict[str, Any]:
        """The envelope every activity shares; ``fields`` are camelCase extras."""
        now = datetime.now(UTC)
        return {
            "type": type_,
            "id": fields.pop("id", None) or self.next_id(),
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "localTimestamp": now.isoformat(),
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": user.account(),
            "recipient": self.bot.account(),
            "conversation": dict(conversation),
            "channelData": dict(channel_data),
            "locale": self.locale,
            **fields,
        }

    def personal_message(
        self,
        text: str = "",
        user: TeamsUser | None = None,
        value: Any = None,
        attachments: Iterable[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """A message in the 1:1 chat; ``value`` is what an Action.Submit button sends;
        ``attachments`` are files (``inline_image``, ``file_download``), which Teams
        follows with the message as HTML."""
        user = user or TeamsUser()
        extra: dict[str, Any] = {"textFormat": "plain", "entities": [self._client_info()]}
        if text:
            extra["text"] = text
        if value is not None:
            extra["value"] = value
        files = [dict(a) for a in attachments]
        if files:
            html = {"contentType": "text/html", "content": f"<p>{text}</p>"}
            extra["attachments"] = [*files, html]
        return self.activity("message", self.personal(user), user, self.channel_data(), **extra)

    def channel_message(
        self,
        text: str,
        user: TeamsUser | None = None,
        team: Team | None = None,
        channel: Channel | None = None,
        root_id: str | None = None,
        mention_bot: bool = True,
    ) -> dict[str, Any]:
        """A post in a channel (a new thread, or a reply when ``root_id`` is given)."""
        user, team = user or TeamsUser(), team or Team()
        channel = channel or team.general
        message_id = self.next_id()
        entities: list[dict[str, Any]] = [self._client_info()]
        if mention_bot:
            tag = f"<at>{self.bot.name}</at>"
            text = f"{tag} {text}"
            entities.append({"type": "mention", "text": tag, "mentioned": self.bot.account()})
        extra: dict[str, Any] = {"id": message_id, "text": text, "textFormat": "plain"}
        if root_id is not None:
            extra["replyToId"] = root_id
        conversation = self.channel_thread(channel, root_id or message_id)
        data = self.channel_data(team, channel)
        return self.activity("message", conversation, user, data, entities=entities, **extra)

    def card_action_invoke(
        self,
        data: Mapping[str, Any],
        verb: str,
        reply_to_id: str,
        conversation: Mapping[str, Any] | None = None,
        user: TeamsUser | None = None,
        team: Team | None = None,
        channel: Channel | None = None,
    ) -> dict[str, Any]:
        """An Action.Execute on the card with id ``reply_to_id`` (personal chat by default)."""
        user = user or TeamsUser()
        conversation = conversation or self.personal(user)
        value = {
            "action": {"type": "Action.Execute", "verb": verb, "data": dict(data)},
            "trigger": "manual",
        }
        channel_data = self.channel_data(team, channel) | {
            "source": {"name": "message"},
            "legacy": {"replyToId": reply_to_id},
        }
        return self.activity(
            "invoke",
            conversation,
            user,
            channel_data,
            name="adaptiveCard/action",
            value=value,
            replyToId=reply_to_id,
        )

    def conversation_update(
        self,
        members_added: Iterable[TeamsUser | TeamsBot] | None = None,
        team: Team | None = None,
        channel: Channel | None = None,
        members_removed: Iterable[TeamsUser | TeamsBot] = (),
        event_type: str | None = None,
        user: TeamsUser | None = None,
    ) -> dict[str, Any]:
        """Members joined or left; by default the bot was added (to ``team``, or 1:1)."""
        user = user or TeamsUser()
        added = [self.bot] if members_added is None else list(members_added)
        removed = list(members_removed)
        extra: dict[str, Any] = {}
        if added:
            # Teams names people by their Entra object id too; the bot only by its id.
            extra["membersAdded"] = [
                {"id": m.id, "aadObjectId": m.aad_object_id}
                if isinstance(m, TeamsUser)
                else {"id": m.id}
                for m in added
            ]
        if removed:
            extra["membersRemoved"] = [{"id": m.id} for m in removed]
        data: dict[str, Any] = {"tenant": {"id": self.tenant_id}}
        if team is None:
            conversation = self.personal(user)
        else:
            data["team"] = team.ref()
            if channel is not None:
                data["channel"] = {"id": channel.id, "name": channel.name}
            default_event = "teamMemberAdded" if added else "teamMemberRemoved"
            data["eventType"] = event_type or default_event
            conversation = self.team_conversation(team)
        return self.activity("conversationUpdate", conversation, user, data, **extra)

    def installation_update(
        self,
        action: str = "add",
        team: Team | None = None,
        user: TeamsUser | None = None,
        selected_channel: Channel | None = None,
    ) -> dict[str, Any]:
        """The app was installed (``add``) or uninstalled (``remove``) in a team or 1:1."""
        user = user or TeamsUser()
        data: dict[str, Any] = {"tenant": {"id": self.tenant_id}, "source": {"name": "message"}}
        if team is None:
            conversation = self.personal(user)
        else:
            conversation = self.team_conversation(team)
            data["team"] = team.ref()
            data["settings"] = {"selectedChannel": {"id": (selected_channel or team.general).id}}
        return self.activity("installationUpdate", conversation, user, data, action=action)

    def _client_info(self) -> dict[str, Any]:
        return {
            "type": "clientInfo",
            "locale": self.locale,
            "country": self.locale.rpartition("-")[2],
            "platform": "Web",
            "timezone": "Europe/Amsterdam",
        }
