"""Fetching a file a person sent: only from an origin the platform vouches for, never
following a redirect, and never reading more than the limit (whatever the size it claims).

Shared by the Slack and Teams adapters. A URL in a payload is input: without these checks
a forged or odd file entry could make meldbot call anywhere (SSRF) or fill its memory.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal
from urllib.parse import urlsplit

import aiohttp

CHUNK = 64 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=60, sock_connect=10)
DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]  # scheme, host (lower case), port


class NotFetched(Exception):
    """The file did not come: ``problem`` says why, as ``IncomingFile.problem`` does."""

    def __init__(self, problem: Literal["too_large", "unavailable"], reason: str) -> None:
        super().__init__(reason)
        self.problem: Literal["too_large", "unavailable"] = problem


def origin_of(url: str) -> Origin | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host or parts.username or parts.password:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    allowed: Collection[Origin],
    limit: int,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """The file at ``url``, at most ``limit`` bytes; ``NotFetched`` otherwise."""
    if origin_of(url) not in allowed:
        raise NotFetched("unavailable", "not an allowed origin")
    try:
        async with session.get(
            url, headers=dict(headers or {}), allow_redirects=False, timeout=TIMEOUT
        ) as response:
            if response.status != 200:
                # A redirect too: it would lead away from the origin that was checked.
                raise NotFetched("unavailable", f"HTTP {response.status}")
            if (response.content_length or 0) > limit:
                raise NotFetched("too_large", "declared larger than the limit")
            body = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK):
                body += chunk
                if len(body) > limit:
                    raise NotFetched("too_large", "larger than the limit")
            return bytes(body)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise NotFetched("unavailable", type(error).__name__) from None
