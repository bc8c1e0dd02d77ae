"""Whether a request is to and from this machine: the demo sign-in's only condition.

Both ends count: the peer address (meldbot bound to 127.0.0.1 sees nothing else), and
the Host the browser asked for (a proxy on this machine forwarding the world to meldbot,
or a DNS name rebound to 127.0.0.1, would otherwise look local).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from aiohttp import web

from bot.access.config import is_loopback


def _loopback_address(remote: str | None) -> bool:
    try:
        return remote is not None and ipaddress.ip_address(remote).is_loopback
    except ValueError:
        return False


def _host(request: web.Request) -> str:
    try:
        return urlsplit(f"//{request.host}").hostname or ""
    except ValueError:
        return ""


def is_local(request: web.Request) -> bool:
    return _loopback_address(request.remote) and is_loopback(_host(request))
