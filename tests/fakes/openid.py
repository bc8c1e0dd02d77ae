"""A fake Bot Framework token issuer: OpenID metadata, a JWKS, and tokens signed with its key.

Serves ``/v1/.well-known/openidconfiguration`` and ``/v1/.well-known/keys`` on 127.0.0.1
as ``login.botframework.com`` does, and mints RS256 tokens the way the Bot Connector
signs the requests it sends to a bot. ``token(key=issuer.untrusted_key)`` signs with a key
the JWKS does not hold (a forgery with a trusted ``kid``).

PyJWT's ``PyJWKClient`` fetches with blocking urllib: call it from a thread
(``asyncio.to_thread``), never on the event loop that runs this server.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdIssuer:
    def __init__(
        self,
        issuer: str = BOT_FRAMEWORK_ISSUER,
        endorsements: Iterable[str] = ("msteams",),
    ) -> None:
        self.issuer = issuer
        self.endorsements = list(endorsements)
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self._kids = itertools.count(1)
        self.kid = self.add_key()  # the key tokens are signed with unless told otherwise
        self.metadata_requests = 0
        self.jwks_requests = 0
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------

    async def start(self) -> OpenIdIssuer:
        app = web.Application()
        app.router.add_get(METADATA_PATH, self._metadata)
        app.router.add_get(KEYS_PATH, self._jwks)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> OpenIdIssuer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def metadata_url(self) -> str:
        return self.url + METADATA_PATH

    @property
    def jwks_url(self) -> str:
        return self.url + KEYS_PATH

    # -- keys and tokens ---------------------------------------------------------

    def add_key(self, kid: str | None = None) -> str:
        """Publish another signing key (key rotation); returns its ``kid``."""
        kid = kid or f"fake-botframework-key-{next(self._kids)}"
        self.keys[kid] = new_key()
        return kid

    def remove_key(self, kid: str) -> None:
        del self.keys[kid]

    @cached_property
    def untrusted_key(self) -> rsa.RSAPrivateKey:
        """A key that is in no JWKS: sign with it to forge a token."""
        return new_key()

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.keys.items():
            public: dict[str, Any] = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
            keys.append({**public, "kid": kid, "use": "sig", "endorsements": self.endorsements})
        return {"keys": keys}

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": "https://invalid.botframework.com",
            "jwks_uri": self.jwks_url,
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        }

    def token(
        self,
        audience: str,
        service_url: str | None = None,
        issuer: str | None = None,
        expires_in: int = 3600,
        not_before: int | None = None,
        kid: str | None = None,
        key: rsa.RSAPrivateKey | None = None,
        extra_claims: Mapping[str, Any] | None = None,
        app_id: str | None = None,
    ) -> str:
        """A JWT as the Bot Connector sends it (``Authorization: Bearer <token>``).

        ``expires_in`` may be negative (expired); ``not_before`` is a Unix time; ``kid``
        picks a published key (or names any key id); ``key`` overrides the signing key.
        """
        now = int(time.time())
        kid = kid or self.kid
        claims: dict[str, Any] = {
            "iss": self.issuer if issuer is None else issuer,
            "aud": audience,
            "iat": now,
            "nbf": now if not_before is None else not_before,
            "exp": now + expires_in,
        }
        if service_url is not None:
            claims["serviceurl"] = service_url
        if app_id is not None:
            claims["appid"] = app_id
        claims.update(extra_claims or {})
        signing_key = key or self.keys.get(kid) or self.keys[self.kid]
        return jwt.encode(claims, signing_key, algorithm="RS256", headers={"kid": kid})

    def authorization(self, audience: str, **kwargs: Any) -> dict[str, str]:
        """``{"Authorization": "Bearer …"}`` with a fresh token (``token``'s arguments)."""
        return {"Authorization": f"Bearer {self.token(audience, **kwargs)}"}

    # -- handlers ----------------------------------------------------------------

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        return web.json_response(self.metadata())

    async def _jwks(self, request: web.Request) -> web.Response:
        self.jwks_requests += 1
        return web.json_response(self.jwks())
