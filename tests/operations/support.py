"""A real meldbot behind a real aiohttp server, with a fake platform at the edge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.app import RUNTIME, create_app
from tests.core.conftest import Clock, Harness, make_settings
from tests.fakes.messenger import FakeMessenger

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]


async def served(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient, **settings: object
) -> tuple[Harness, TestClient[Any, Any]]:
    clock = Clock()
    app = await create_app(make_settings(database_url, tmp_path, **settings), clock=clock)
    runtime = app[RUNTIME]
    platform = FakeMessenger()
    runtime.messengers["web"] = platform
    return Harness(runtime, platform, clock), await aiohttp_client(app)


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page: (name, sorted labels) to value."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def families(body: str) -> set[str]:
    """The metric families a page describes (a counter's without ``_total``)."""
    return {family.name for family in text_string_to_metric_families(body)}


def value(
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))
