"""The web chat's JSON actions against broken bodies: a 4xx with the page's words or an
answer, never a 5xx, a traceback or a log line with what someone typed."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from storage.sealing import new_key
from tests.fuzz.conftest import LogWatch, quiet
from tests.fuzz.hostile import CONTENT_TYPES, MARK, broken_bodies, dumps, mutated
from tests.fuzz.sending import Sent, send_all, server_errors
from tests.fuzz.slack_cases import ACTIONS, VALUES

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
PERSONAS = ["fatima", "karin", "sanne", "niemand"]
DEEP = b"[" * 1000 + b"]" * 1000  # the depth that took the measured server down


def _body(rng: random.Random) -> tuple[str, dict[str, Any]]:
    persona = rng.choice(PERSONAS)
    pane = rng.choice(["chat", "coordinators", "team"])
    path, body = rng.choice(
        [
            ("message", {"pane": pane, "persona": persona, "text": f"{MARK} er schreeuwde iemand"}),
            ("message", {"pane": pane, "persona": persona, "text": "meld", "thread": "1",
                         "channel": "coordinators"}),
            ("action", {"pane": pane, "persona": persona, "message": "m1",
                        "action": rng.choice(ACTIONS), "value": rng.choice(VALUES)}),
            ("form", {"token": rng.choice(["t", "", MARK]), "values": {"narrative": MARK}}),
            ("home", {"persona": persona}),
            ("join", {"persona": persona, "channel": rng.choice(["team", MARK])}),
            ("leave", {"persona": persona, "channel": "team"}),
        ]
    )  # fmt: skip
    return path, mutated(body, rng)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_broken_web_chat_posts_are_never_a_server_error(
    aiohttp_client: MakeClient, database_url: str, tmp_path: Path, log_watch: LogWatch
) -> None:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=["fatima", "karin"],
        language="nl",
    )
    app = await create_app(settings)
    client = await aiohttp_client(app)
    origin = f"http://{client.host}:{client.port}"
    rng = random.Random(1605)
    requests: list[Sent] = []
    for n in range(1400):
        path, body = _body(rng)
        headers = {"Origin": origin, "Content-Type": "application/json"}
        raw = dumps(body).encode("utf-8", "surrogatepass")
        if n % 6 == 0:
            nested = b'{"pane": "chat", "persona": "fatima", "text": ' + DEEP + b"}"
            raw = rng.choice([*broken_bodies(rng, dumps(body)), nested])
            headers["Content-Type"] = rng.choice(CONTENT_TYPES)
        requests.append(Sent(path, "POST", f"/web/api/{path}", raw, headers))

    statuses = await send_all(client, requests)
    await quiet()
    await app[RUNTIME].outbox.settle()

    problems = log_watch.problems()
    failed = server_errors(requests, statuses)
    assert not failed and not problems, "\n".join([str(failed), *problems])
    assert 200 in statuses and 400 in statuses
