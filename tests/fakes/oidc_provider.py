"""A tiny OpenID Connect provider on 127.0.0.1 for what a well-behaved one never sends.

Discovery, JWKS, an authorization endpoint that signs in ``subject`` at once, and a token
endpoint that checks the client secret and the PKCE verifier (S256) before it answers.
``flaw`` makes its id_token wrong in one way: ``issuer``, ``audience``, ``nonce``,
``signature`` (signed with a key it does not publish, under a published ``kid``),
``expired``; ``discovery_issuer`` makes the discovery document name another issuer.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import jwt
from aiohttp import web
from jwt.algorithms import RSAAlgorithm

from tests.fakes.openid import new_key

CLIENT_ID = "meldbot"
CLIENT_SECRET = "geheim-van-meldbot"


class OidcProvider:
    def __init__(self) -> None:
        self.key = new_key()
        self.untrusted_key = new_key()
        self.kid = "sleutel-1"
        self.flaw: str | None = None
        self.subject = "sub-anna"
        self.claims: dict[str, Any] = {"name": "Anna de Boer", "roles": ["meldbot.coordinator"]}
        self.discovery_issuer: str | None = None
        self.codes: dict[str, dict[str, str]] = {}
        self.refused: list[str] = []  # why the token endpoint said no, in order
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> OidcProvider:
        app = web.Application()
        app.router.add_get("/.well-known/openid-configuration", self._discovery)
        app.router.add_get("/jwks", self._jwks)
        app.router.add_get("/authorize", self._authorize)
        app.router.add_post("/token", self._token)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _discovery(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": self.discovery_issuer or self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def _jwks(self, _request: web.Request) -> web.Response:
        public: dict[str, Any] = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return web.json_response({"keys": [{**public, "kid": self.kid, "use": "sig"}]})

    async def _authorize(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return web.Response(status=400, text="PKCE (S256) is required")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": query.get("nonce", ""),
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
            "client_id": query["client_id"],
        }
        back = urlencode({"code": code, "state": query["state"]})
        raise web.HTTPFound(f"{query['redirect_uri']}?{back}")

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return self._refuse("invalid_client")
        grant = self.codes.pop(str(form.get("code")), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return self._refuse("invalid_grant")
        verifier = str(form.get("code_verifier", ""))
        challenge = hashlib.sha256(verifier.encode()).digest()
        if base64.urlsafe_b64encode(challenge).rstrip(b"=").decode() != grant["challenge"]:
            return self._refuse("invalid_grant")
        return web.json_response(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant["nonce"]),
            }
        )

    def _refuse(self, error: str) -> web.Response:
        self.refused.append(error)
        return web.json_response({"error": error}, status=400)

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": self.subject,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        match self.flaw:
            case "issuer":
                claims["iss"] = "https://login.example.org/een-andere"
            case "audience":
                claims["aud"] = "een-andere-app"
            case "nonce":
                claims["nonce"] = "een-andere-nonce"
            case "expired":
                claims["iat"], claims["exp"] = now - 3600, now - 600
        key = self.untrusted_key if self.flaw == "signature" else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
