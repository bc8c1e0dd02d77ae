"""Outbound credentials for Teams, from the Agents SDK's own settings.

With ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID`` (and its secret and tenant)
the SDK's MSAL connection manager gets tokens for the Bot Connector. Without a client id
meldbot runs anonymously: for local tools only, and it says so loudly at start.
"""

from __future__ import annotations

from collections.abc import Mapping

from microsoft_agents.activity import Activity, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ClaimsIdentity,
    Connections,
)


def connections(environ: Mapping[str, str], client_id: str | None) -> Connections:
    if not client_id:
        return AnonymousConnections()
    return MsalConnectionManager(**load_configuration_from_env(environ))


class AnonymousConnections:
    """Implements the SDK's ``Connections`` for a bot without credentials."""

    _provider = AnonymousTokenProvider()

    def get_connection(self, connection_name: str) -> AccessTokenProviderBase:
        return self._provider

    def get_default_connection(self) -> AccessTokenProviderBase:
        return self._provider

    def get_token_provider(
        self, claims_identity: ClaimsIdentity, service_url: str
    ) -> AccessTokenProviderBase:
        return self._provider

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> AccessTokenProviderBase:
        return self._provider

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return AgentAuthConfiguration(ANONYMOUS_ALLOWED=True)
