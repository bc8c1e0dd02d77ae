"""The operator's endpoints (/metrics, /readyz) and the middleware that counts every
request and gives it an id."""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from ipaddress import ip_address
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.access.config import is_loopback
from bot.observability.logs import REQUEST_ID, request_id_from
from bot.observability.metrics import Metrics
from bot.observability.readiness import Readiness
from bot.ports.readiness import Observed

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # no route: the raw path is never a label


def route_of(request: web.Request) -> str:
    """The route's template (``/console/cases/{case_id}``), never the path itself."""
    info = request.match_info
    if info.http_exception is not None:
        return UNMATCHED
    resource = info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


def observing(metrics: Metrics) -> Middleware:
    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        request_id = request_id_from(request.headers.get("X-Request-Id"))
        # Not reset afterwards: aiohttp handles each request in a task of its own, and
        # its access log line, written after this returns, should carry the id too.
        REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
        except web.HTTPException as error:
            status = error.status
            error.headers["X-Request-Id"] = request_id
            raise
        finally:
            route = route_of(request)
            method = request.method if request.method in METHODS else "OTHER"
            metrics.requests.labels(route, method, f"{status // 100}xx").inc()
            metrics.latency.labels(route, method).observe(time.perf_counter() - started)
        if not response.prepared:
            response.headers["X-Request-Id"] = request_id
        return response

    return observe


def on_this_machine(request: web.Request) -> bool:
    """Asked from this machine, for this machine: a reverse proxy on the same host
    connects from loopback too, but passes the public Host (or forwarding headers) on."""
    try:
        peer = request.remote is not None and ip_address(request.remote).is_loopback
        host = urlsplit(f"//{request.host}").hostname or ""
    except ValueError:
        return False
    forwarded = any(h in request.headers for h in ("Forwarded", "X-Forwarded-For", "X-Real-IP"))
    return peer and is_loopback(host) and not forwarded


def mount(
    app: web.Application,
    metrics: Metrics,
    readiness: Readiness,
    observed: Observed,
    clock: Callable[[], datetime],
    token: str | None,
) -> None:
    """/metrics (with ``token``: for its bearer only; without: for loopback only) and
    /readyz (open, like /healthz: it names checks, nothing else)."""
    app.middlewares.insert(0, observing(metrics))

    async def metrics_page(request: web.Request) -> web.Response:
        if token is not None:
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                raise web.HTTPUnauthorized(
                    text="/metrics asks for the bearer token in MELDBOT_METRICS_TOKEN.",
                    headers={"WWW-Authenticate": "Bearer"},
                )
        elif not on_this_machine(request):
            raise web.HTTPForbidden(
                text="/metrics answers on this machine only; set MELDBOT_METRICS_TOKEN to "
                "read it from elsewhere."
            )
        try:
            metrics.state.snapshot = await observed.snapshot(clock())
        except Exception:  # the counters are still worth reading without the database
            metrics.state.snapshot = None
        body = generate_latest(metrics.registry)
        response = web.Response(body=body)
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    async def readyz(_request: web.Request) -> web.Response:
        ready, checks = await readiness.report()
        status = "ready" if ready else "not ready"
        return web.json_response({"status": status, "checks": checks}, status=200 if ready else 503)

    app.router.add_get("/metrics", metrics_page)
    app.router.add_get("/readyz", readyz)
