"""The two yardsticks: minimal slack-bolt ``AsyncApp``s served by aiohttp, one that only
acks each DM and one that acks and replies once with ``chat.postMessage`` (the echo app).

    python -m benchmarks.slack_load.bolt_apps ack|echo PORT API_URL SIGNING_SECRET
"""

from __future__ import annotations

import sys
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from benchmarks.slack_load.processes import TOKEN

EVENTS_PATH = "/slack/events"
REPLY = "Ontvangen."


def bolt_app(kind: str, api_url: str, secret: str) -> web.Application:
    client = AsyncWebClient(token=TOKEN, base_url=api_url)
    app = AsyncApp(client=client, signing_secret=secret)

    if kind == "echo":

        @app.event("message")
        async def echo(event: dict[str, Any], client: AsyncWebClient) -> None:
            await client.chat_postMessage(channel=event["channel"], text=REPLY)

    else:

        @app.event("message")
        async def ack_only() -> None:
            return None

    served = app.web_app(path=EVENTS_PATH)

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def open_session(_: web.Application) -> None:
        # One HTTP session for every Web API call, as meldbot keeps one.
        client.session = aiohttp.ClientSession()

    async def close_session(_: web.Application) -> None:
        if client.session is not None:
            await client.session.close()

    served.router.add_get("/healthz", healthz)
    served.on_startup.append(open_session)
    served.on_cleanup.append(close_session)
    return served


if __name__ == "__main__":
    kind, port, api_url, secret = sys.argv[1:5]
    web.run_app(bolt_app(kind, api_url, secret), host="127.0.0.1", port=int(port), print=None)
