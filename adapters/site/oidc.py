"""OpenID Connect with Authlib: the authorization code flow with PKCE (S256).

Authlib reads the provider's discovery document and JWKS, builds the authorization URL
(state, nonce, code challenge), exchanges the code and checks the id_token: its
signature against the provider's keys (fetched again once for an unknown ``kid``), and
its ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``. Anything else is refused with
``SignInRefused``; a provider that cannot be reached is ``ProviderUnreachable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx2
from authlib.integrations.base_client import BaseApp, OAuthError
from authlib.integrations.base_client.async_app import AsyncOAuth2Mixin
from authlib.integrations.base_client.async_openid import AsyncOpenIDMixin
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc.errors import JoseError

from bot.access.config import SignIn
from bot.i18n import N_

TIMEOUT_SECONDS = 10.0


class SignInRefused(Exception):
    """The answer from the provider is not a valid sign-in; ``reason`` is a message id."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


class ProviderUnreachable(Exception):
    """The provider did not answer (or not as a provider does)."""


class _Client(AsyncOAuth2Mixin, AsyncOpenIDMixin, BaseApp):  # type: ignore[misc]
    client_cls = AsyncOAuth2Client


@dataclass(frozen=True, slots=True)
class Attempt:
    """What a sign-in under way must remember until the provider sends the person back."""

    url: str  # where to send the browser
    state: str
    nonce: str
    code_verifier: str


class Provider:
    def __init__(self, config: SignIn, redirect_uri: str) -> None:
        self._config = config
        self.redirect_uri = redirect_uri
        self._client = _Client(
            framework=None,
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=config.discovery_url,
            client_kwargs={
                "scope": " ".join(config.scopes),
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": (
                    "client_secret_basic" if config.client_secret else "none"
                ),
                "timeout": TIMEOUT_SECONDS,
            },
        )

    async def _metadata(self) -> dict[str, Any]:
        try:
            metadata: dict[str, Any] = await self._client.load_server_metadata()
        except (httpx2.HTTPError, ValueError) as error:
            raise ProviderUnreachable(type(error).__name__) from None
        if metadata.get("issuer") != self._config.issuer:
            # OpenID Connect Discovery 1.0, section 4.3: the document must name this issuer.
            self._client.server_metadata.clear()
            raise ProviderUnreachable("the discovery document names another issuer")
        return metadata

    async def begin(self) -> Attempt:
        await self._metadata()
        made = await self._client.create_authorization_url(self.redirect_uri)
        return Attempt(made["url"], made["state"], made["nonce"], made["code_verifier"])

    async def finish(self, code: str, state: dict[str, Any]) -> dict[str, Any]:
        """The id_token's claims, once every check passed; ``state`` is what ``begin``
        gave (its state, nonce and code verifier)."""
        metadata = await self._metadata()
        try:
            token = await self._client.fetch_access_token(
                redirect_uri=self.redirect_uri,
                code=code,
                code_verifier=state["code_verifier"],
            )
        except OAuthError as error:
            refused = N_("The sign-in service did not accept the sign-in.")
            raise SignInRefused(refused, str(error)) from error
        except httpx2.HTTPError as error:
            raise ProviderUnreachable(type(error).__name__) from None
        if "id_token" not in token:
            raise SignInRefused(N_("The sign-in service sent no identity."))
        options: dict[str, Any] = {
            "iss": {"essential": True, "values": [metadata["issuer"]]},
            "aud": {"essential": True, "values": [self._config.client_id]},
            "exp": {"essential": True},
            "sub": {"essential": True},
        }
        try:
            claims = await self._client.parse_id_token(token, state["nonce"], options)
        except JoseError as error:
            refused = N_("The identity from the sign-in service is not valid.")
            raise SignInRefused(refused, str(error)) from error
        except httpx2.HTTPError as error:
            raise ProviderUnreachable(type(error).__name__) from None
        return dict(claims)
