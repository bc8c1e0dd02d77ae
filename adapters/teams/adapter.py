"""``TeamsAdapter``: the Teams side of meldbot, as the composition root wires it."""

from __future__ import annotations

import asyncio
import logging
import os
import warnings
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import Connections
from pydantic import ValidationError

from adapters.teams.auth import RequestAuthenticator, Unauthorized
from adapters.teams.config import connections as sdk_connections
from adapters.teams.connector import Connector
from adapters.teams.directory import Directory
from adapters.teams.files import TeamsFiles
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.newcomers import Newcomers
from adapters.teams.replies import Replies
from adapters.teams.turns import Turns
from adapters.withheld import withhold
from bot.attachments.policy import Limits
from bot.i18n import translator
from bot.ports import AddressBook, Handler
from bot.recent import Recent
from bot.settings import Settings

log = logging.getLogger(__name__)
# The SDK logs conversation ids (INFO, and in its connector's errors), warns on every
# anonymous turn, and logs an invalid activity with its values; meldbot logs what failed
# itself, without ids, and of the SDK's errors only what they are about.
withhold("microsoft_agents", logging.ERROR)
logging.getLogger("microsoft_agents.hosting.core.connector").setLevel(logging.CRITICAL)
# An invalid activity is refused with a 400 here; the SDK's ERROR for it says no more.
logging.getLogger("microsoft_agents.activity.activity").setLevel(logging.CRITICAL)

MESSAGES_PATH = "/api/messages"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
SETTLE_ON_STOP = 10.0
CARDS_KEPT = 2000


class TeamsAdapter:
    """Receives Teams activities at ``POST /api/messages`` and sends through the connector."""

    def __init__(
        self,
        settings: Settings,
        handler: Handler,
        book: AddressBook,
        *,
        connections: Connections | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        app_id = settings.teams_client_id or None
        connector = Connector(connections or sdk_connections(environ, app_id), app_id)
        self.authenticator = RequestAuthenticator(app_id, settings.teams_openid_metadata)
        self.directory = Directory(book, settings.teams_service_url, settings.teams_tenant_id)
        # The last card each message showed, so a closed form can give it back.
        cards: Recent[dict[str, Any]] = Recent(CARDS_KEPT)
        t = translator(settings.language)
        self.messenger = TeamsMessenger(connector, self.directory, settings, cards)
        replies = Replies(self.messenger, cards, t)
        places = [o.channel for o in settings.onboarding if o.platform == "teams"]
        newcomers = Newcomers(connector, self.directory, places)
        self.files = TeamsFiles(
            connector,
            Limits.of_mb(settings.attachment_max_mb),
            anonymous=self.authenticator.anonymous,
        )
        self.turns = Turns(
            handler,
            self.messenger,
            self.directory,
            cards,
            replies,
            t,
            app_id or "",
            newcomers,
            self.files,
        )
        self.cloud = CloudAdapter(channel_service_client_factory=connector.factory)
        self.cloud.on_turn_error = _turn_failed

    def mount(self, app: web.Application) -> None:
        app.router.add_post(MESSAGES_PATH, self.receive)

    async def receive(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (ValueError, RecursionError):  # RecursionError: nested too deep to read
            return _refuse(400, "The body is not JSON.")
        if not isinstance(body, dict):
            return _refuse(400, "The body is not an activity.")
        service_url = str(body.get("serviceUrl") or "")
        try:
            identity = await self.authenticator.identify(
                request.headers.get("Authorization"),
                service_url=service_url,
                channel_id=str(body.get("channelId") or ""),
            )
        except Unauthorized as refusal:
            log.warning("teams: request refused (%s)", refusal)
            return _refuse(401, "Unauthorized.")
        if self.authenticator.anonymous and _host(service_url) not in LOCAL_HOSTS:
            # Without credentials anyone could make meldbot call out anywhere.
            log.warning("teams: anonymous mode answers local tools only")
            return _refuse(401, "Unauthorized.")
        try:
            Activity.model_validate(body)
        except (ValidationError, RecursionError):
            return _refuse(400, "The body is not a valid activity.")
        if _host(service_url) is None:
            return _refuse(400, "The serviceUrl is not a URL.")
        with warnings.catch_warnings():  # the SDK reads this plain key back
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            request["claims_identity"] = identity
        response = await self.cloud.process(request, self.turns)
        return response if response is not None else web.Response(status=202)

    async def start(self) -> None:
        if self.authenticator.anonymous:
            log.warning(
                "TEAMS RUNS WITHOUT AUTHENTICATION: CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
                "CLIENTID is not set, so /api/messages accepts unsigned requests from local "
                "tools only. Never run like this in production."
            )

    async def drain(self) -> None:
        """The replies of turns already answered are sent while the outbox still runs."""
        try:
            await asyncio.wait_for(self.turns.settle(), SETTLE_ON_STOP)
        except TimeoutError:
            log.warning("teams: stopped with replies still being sent")

    async def stop(self) -> None:
        await self.drain()
        await self.files.close()


async def _turn_failed(context: TurnContext, error: Exception) -> None:
    # The SDK's default tells the user the exception text; meldbot only logs its kind.
    log.error("teams: turn failed (%s)", type(error).__name__)


def _host(url: str) -> str | None:
    """The host of ``url``; None when it is none (``http://[::1`` makes urlsplit raise)."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)
