"""Calls to the Bot Connector through the Agents SDK's client, with Teams' throttling answered.

Teams answers bursts with 429 (and sometimes 412, 502, 504): those are retried here with
backoff, honouring ``Retry-After``, for a few seconds. Anything longer becomes a
``DeliveryError`` with ``retry_after``, so the outbox waits instead of this call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

import aiohttp
from microsoft_agents.activity import ConversationParameters, ConversationResourceResponse
from microsoft_agents.hosting.core import ClaimsIdentity, RestChannelServiceClientFactory
from microsoft_agents.hosting.core.authorization import AuthenticationConstants, Connections
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.ports import DeliveryError

log = logging.getLogger(__name__)

RETRIED = frozenset({412, 429, 502, 503, 504})
PERMANENT = frozenset({400, 401, 403, 404, 405, 409, 413})
ATTEMPTS = 4
FIRST_BACKOFF = 0.5
LONGEST_WAIT = 8.0  # longer than this, and the outbox should wait instead

T = TypeVar("T")
Call = Callable[[ConnectorClientBase], Awaitable[T]]


class Connector:
    """One place that makes connector clients and retries throttled calls."""

    def __init__(
        self,
        connections: Connections,
        app_id: str | None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._factory = RestChannelServiceClientFactory(connections)
        self._connections = connections
        self._app_id = app_id
        self._sleep = sleep

    @property
    def factory(self) -> RestChannelServiceClientFactory:
        return self._factory

    async def create_conversation(
        self, service_url: str, what: str, fields: Mapping[str, object], tenant: str | None
    ) -> ConversationResourceResponse:
        """A new conversation started by meldbot (a channel thread, a personal chat)."""
        values = dict(fields)
        if self._app_id:
            values["bot"] = {"id": f"28:{self._app_id}"}
        if tenant:
            values["tenantId"] = tenant
        parameters = ConversationParameters.model_validate(values)

        async def create(client: ConnectorClientBase) -> ConversationResourceResponse:
            return await client.conversations.create_conversation(parameters)

        return await self.call(service_url, what, create)

    async def call(self, service_url: str, what: str, call: Call[T]) -> T:
        """Runs ``call`` with a fresh client for ``service_url``; ``what`` names it in logs."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await self._once(service_url, call)
            except aiohttp.ClientResponseError as error:
                wait = _retry_after(error.headers) or FIRST_BACKOFF * 2 ** (attempt - 1)
                if error.status not in RETRIED:
                    raise DeliveryError(
                        f"teams {what}: HTTP {error.status}",
                        permanent=error.status in PERMANENT,
                    ) from None
                if attempt == ATTEMPTS or wait > LONGEST_WAIT:
                    raise DeliveryError(
                        f"teams {what}: HTTP {error.status}", retry_after=wait
                    ) from None
                log.warning(
                    "teams: %s throttled (HTTP %d), retry in %.1fs", what, error.status, wait
                )
            except (aiohttp.ClientError, TimeoutError) as error:
                wait = FIRST_BACKOFF * 2 ** (attempt - 1)
                if attempt == ATTEMPTS:
                    raise DeliveryError(f"teams {what}: {type(error).__name__}") from None
                log.warning(
                    "teams: %s failed (%s), retry in %.1fs", what, type(error).__name__, wait
                )
            await self._sleep(wait)
        raise AssertionError("unreachable")

    async def token(self, service_url: str) -> str | None:
        """meldbot's own token for the Bot Connector at ``service_url`` (what an inline
        image's ``contentUrl`` there asks for); None when running anonymously."""
        identity = self._identity()
        if identity.allow_anonymous:
            return None
        provider = self._connections.get_token_provider(identity, service_url)
        token = await provider.get_access_token(
            AuthenticationConstants.AGENTS_SDK_SCOPE, identity.get_token_scope()
        )
        return token or None

    async def _once(self, service_url: str, call: Call[T]) -> T:
        identity = self._identity()
        client = await self._factory.create_connector_client(
            None,
            identity,
            service_url,
            AuthenticationConstants.AGENTS_SDK_SCOPE,
            use_anonymous=identity.allow_anonymous,
        )
        try:
            return await call(client)
        finally:
            await client.close()

    def _identity(self) -> ClaimsIdentity:
        if not self._app_id:
            return ClaimsIdentity({}, authentication_type="anonymous")
        claims = {
            AuthenticationConstants.AUDIENCE_CLAIM: self._app_id,
            AuthenticationConstants.APP_ID_CLAIM: self._app_id,
        }
        return ClaimsIdentity(claims, authentication_type="Bearer")


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    value = headers.get("Retry-After") if headers else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
