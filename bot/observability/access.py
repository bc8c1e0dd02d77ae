"""The access log ``meldbot serve`` writes: one line per request with the method, the
route's template, the status, the size and the time.

Never the path itself or its query (a console search term, a case reference), the client
address, the browser or the referrer: any of them could name a staff member.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.observability.http import route_of


class AccessLog(AbstractAccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        route = route_of(request) if isinstance(request, web.Request) else "unmatched"
        self.logger.info(
            '"%s %s" %s %s %.3fs',
            request.method,
            route,
            response.status,
            response.body_length,
            time,
        )
