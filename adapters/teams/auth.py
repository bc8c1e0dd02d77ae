"""Who may talk to ``/api/messages``: the Bot Framework's signed tokens, checked here.

The Agents SDK hard-codes where it fetches signing keys; meldbot reads them from a
configurable OpenID metadata document instead (sovereign clouds, and tests that sign
their own tokens), and applies the Bot Framework's rules for a channel's token:
RS256, signed by a published key endorsed for the channel, our app id as audience,
the Bot Framework as issuer, not expired, and a ``serviceurl`` claim equal to the
activity's ``serviceUrl`` (so a token cannot be replayed to make meldbot call elsewhere).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Collection
from typing import Any

import aiohttp
import jwt
from microsoft_agents.hosting.core import ClaimsIdentity

log = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUERS = ("https://api.botframework.com",)
CLOCK_SKEW = 300  # seconds, as the Bot Framework allows
KEYS_TTL = 24 * 3600.0
REFRESH_AT_MOST_EVERY = 300.0  # an unknown key id may mean rotation, but not a flood


class Unauthorized(Exception):
    """The request may not be processed; the reason is for the log, never the caller."""


class RequestAuthenticator:
    """Checks the ``Authorization`` header of an inbound activity."""

    def __init__(
        self,
        client_id: str | None,
        metadata_url: str,
        *,
        issuers: Collection[str] = BOT_FRAMEWORK_ISSUERS,
    ) -> None:
        self.client_id = client_id or None
        self._metadata_url = metadata_url
        self._issuers = list(issuers)
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = -KEYS_TTL
        self._lock = asyncio.Lock()

    @property
    def anonymous(self) -> bool:
        """No app id configured: every request is accepted (local development only)."""
        return self.client_id is None

    async def identify(
        self, authorization: str | None, *, service_url: str, channel_id: str
    ) -> ClaimsIdentity:
        if self.anonymous:
            return ClaimsIdentity({}, authentication_type="anonymous")
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthorized("malformed token") from error
        if header.get("alg") != "RS256":
            raise Unauthorized("token not signed with RS256")
        jwk = await self._key(str(header.get("kid") or ""))
        endorsements = jwk.get("endorsements")
        if isinstance(endorsements, list) and channel_id not in endorsements:
            raise Unauthorized("signing key not endorsed for this channel")
        try:
            claims = jwt.decode(
                token,
                key=jwt.PyJWK(jwk, algorithm="RS256"),
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self._issuers,
                leeway=CLOCK_SKEW,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from error
        if not _same_service(claims.get("serviceurl"), service_url):
            raise Unauthorized("serviceurl claim does not match the activity")
        return ClaimsIdentity(claims, authentication_type="Bearer", security_token=token)

    async def _key(self, kid: str) -> dict[str, Any]:
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            stale = age > KEYS_TTL
            if stale or (kid not in self._keys and age > REFRESH_AT_MOST_EVERY):
                await self._refresh()
        if kid not in self._keys:
            raise Unauthorized("unknown signing key")
        return self._keys[kid]

    async def _refresh(self) -> None:
        try:
            timeout = aiohttp.ClientTimeout(total=10)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                metadata = await _json(session, self._metadata_url)
                keys = await _json(session, str(metadata["jwks_uri"]))
        except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as error:
            log.error("teams: signing keys unavailable (%s)", type(error).__name__)
            if not self._keys:
                raise Unauthorized("signing keys unavailable") from error
            return  # keep the keys we have until the next try
        self._keys = {
            str(key["kid"]): key
            for key in keys.get("keys", [])
            if isinstance(key, dict) and key.get("kid") and key.get("kty") == "RSA"
        }
        self._fetched_at = time.monotonic()
        log.info("teams: %d signing keys loaded", len(self._keys))


async def _json(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with session.get(url) as response:
        response.raise_for_status()
        data = await response.json(content_type=None)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("no token")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or any(char.isspace() for char in token):
        raise Unauthorized("malformed Authorization header")
    return token


def _same_service(claimed: object, service_url: str) -> bool:
    if not isinstance(claimed, str) or not claimed:
        return False
    return claimed.rstrip("/").casefold() == service_url.rstrip("/").casefold()
