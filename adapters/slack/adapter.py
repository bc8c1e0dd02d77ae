"""``SlackAdapter``: the Slack side of meldbot, as the composition root wires it."""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_sdk.errors import SlackApiError

from adapters.slack import gate
from adapters.slack.client import quiet_logger, web_client
from adapters.slack.files import SlackFiles
from adapters.slack.listeners import Listeners
from adapters.slack.messenger import SlackMessenger
from adapters.slack.replies import Replies
from adapters.slack.submissions import FormWords
from bot.attachments.policy import Limits
from bot.i18n import N_, translator
from bot.ports import FirstDelivery, Handler
from bot.settings import ConfigError, Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SHORTENED = N_("(Shortened: the rest did not fit in one Slack message.)")
SAVING = N_(
    "What you sent is being saved. The confirmation follows in your chat with meldbot in a moment."
)
TRY_AGAIN = N_("That did not work just now, nothing was kept. Please try again in a moment.")
NOT_SAVED = N_(
    "Saving what you sent did not work, nothing was kept. Please send it again in a moment."
)


class SlackAdapter:
    """Receives Slack requests (HTTP or Socket Mode) and sends through the Web API.

    ``messenger`` implements the core's ``Messenger`` port; ``mount`` adds
    ``POST /slack/events``; ``start``/``stop`` run Socket Mode when an app token is set.
    """

    def __init__(self, settings: Settings, handler: Handler, first_delivery: FirstDelivery):
        if not settings.slack_bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN is missing: the Slack adapter cannot send without it."
            )
        self.settings = settings
        self.client = web_client(settings.slack_bot_token, settings.slack_api_url)
        t = translator(settings.language)
        self.messenger = SlackMessenger(self.client, settings, shortened_note=t(SHORTENED))
        self.app = AsyncApp(
            name="meldbot",
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            logger=quiet_logger("meldbot.slack.bolt"),
        )
        self.listeners = Listeners(
            handler,
            first_delivery,
            self.messenger,
            Replies(self.client, self.messenger),
            SlackFiles(
                self.client, settings.slack_api_url, Limits.of_mb(settings.attachment_max_mb)
            ),
            FormWords(saving=t(SAVING), try_again=t(TRY_AGAIN), not_saved=t(NOT_SAVED)),
            welcomed_in=[o.channel for o in settings.onboarding if o.platform == "slack"],
        )
        self.listeners.register(self.app)
        self._socket: AsyncSocketModeHandler | None = None

    def mount(self, app: web.Application) -> None:
        """Adds ``POST /slack/events`` (HTTP mode); only with a signing secret to verify it."""
        if not self.settings.slack_signing_secret:
            log.info("slack: no signing secret, so no HTTP endpoint (Socket Mode only)")
            return
        app.router.add_post(EVENTS_PATH, self.receive)

    async def receive(self, request: web.Request) -> web.Response:
        """One Slack request: unsigned is 401, signed but unreadable is 400, and only
        then does bolt see it (and ack)."""
        body = await request.read()
        if not gate.signed(self.settings.slack_signing_secret or "", body, request.headers):
            return web.Response(status=401, text="The request is not signed by Slack.")
        try:
            bolt_request = gate.bolt_request(body, request.query_string, request.headers)
        except gate.Unreadable as unreadable:
            log.info("slack: refused an unreadable request")
            return web.Response(status=400, text=str(unreadable))
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    async def start(self) -> None:
        """Opens one HTTP session for every Web API call, and connects Socket Mode when
        ``SLACK_APP_TOKEN`` is set."""
        if self.client.session is None:
            # Without it slack_sdk opens (and closes) a connection per call: a TLS handshake
            # for every message.
            self.client.session = aiohttp.ClientSession()
        self.listeners.inbox.open()
        await self._warm_up()
        if not self.settings.slack_app_token or self._socket is not None:
            return
        self._socket = AsyncSocketModeHandler(
            self.app,
            app_token=self.settings.slack_app_token,
            logger=quiet_logger("meldbot.slack.socket"),
            web_client=self.client,
        )
        await self._socket.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack: connected in Socket Mode")

    async def _warm_up(self) -> None:
        """bolt asks Slack who the bot is (``auth.test``) on the first request, which made
        that request wait over a second: ask now. If Slack cannot be reached, bolt asks
        later itself."""
        for middleware in self.app._async_middleware_list:  # bolt has no public hook
            if isinstance(middleware, AsyncSingleTeamAuthorization):
                try:
                    middleware.auth_test_result = await self.client.auth_test()
                except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
                    log.warning(
                        "slack: who the bot is stays to be asked (%s)", type(error).__name__
                    )

    async def settle(self) -> None:
        """Until every event and every late form answer has been handled."""
        await self.listeners.inbox.settle()
        await self.listeners.forms.settle()

    async def drain(self) -> None:
        """Stops taking events (Slack delivers what comes now again later), and handles
        what was already acked."""
        await self.listeners.inbox.stop()
        await self.listeners.forms.settle()

    async def stop(self) -> None:
        await self.drain()  # nothing is left when the lifecycle drained first
        if self._socket is not None:
            socket, self._socket = self._socket, None
            await socket.close_async()  # type: ignore[no-untyped-call]
            log.info("slack: Socket Mode closed")
        if self.client.session is not None:
            session, self.client.session = self.client.session, None
            await session.close()
