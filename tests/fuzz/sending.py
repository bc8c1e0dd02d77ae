"""Sending a fuzz suite's requests: many at once, in batches, to one meldbot."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientResponse, ClientSession
from aiohttp.test_utils import TestClient

BATCH = 25


@dataclass(frozen=True)
class Sent:
    what: str  # which kind of request, for the failure message
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


async def send_all(
    client: TestClient[Any, Any] | ClientSession, requests: list[Sent], base: str = ""
) -> list[int]:
    """The status of each answer, in order; ``base``: the server's URL for a session."""
    statuses: list[int] = []
    for start in range(0, len(requests), BATCH):
        answers: list[ClientResponse] = await asyncio.gather(
            *(
                client.request(r.method, base + r.path, data=r.body or None, headers=r.headers,
                               allow_redirects=False)
                for r in requests[start : start + BATCH]
            )
        )  # fmt: skip
        for answer in answers:
            await answer.read()
            statuses.append(answer.status)
    return statuses


def server_errors(requests: list[Sent], statuses: list[int]) -> list[tuple[str, int]]:
    return sorted({(r.what, s) for r, s in zip(requests, statuses, strict=True) if s >= 500})
