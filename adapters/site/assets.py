"""The stylesheets of meldbot's own pages: NL Design System (from ``scripts/nlds-assets``)
and meldbot's own few rules, served with long caching under a URL that names their
content, so a new version is a new URL."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from aiohttp import web

from adapters.site.headers import LONG_CACHE

log = logging.getLogger(__name__)

NLDS_DIR = Path(__file__).resolve().parents[2] / ".cache" / "nlds"
OWN_DIR = Path(__file__).resolve().parent / "static"
# In the order of the cascade: components, the theme's tokens, meldbot's own layout.
STYLESHEETS = (
    (NLDS_DIR, "utrecht.css"),
    (NLDS_DIR, "voorbeeld-theme.css"),
    (OWN_DIR, "site.css"),
)
PREFIX = "/site/assets"


class Assets:
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        missing = []
        for directory, name in STYLESHEETS:
            path = directory / name
            if path.is_file():
                self._files[name] = path.read_bytes()
            else:
                missing.append(name)
        if missing:
            log.warning(
                "NL Design System CSS is missing (%s): run scripts/nlds-assets "
                "(make install does); the pages work without it, unstyled",
                ", ".join(missing),
            )
        digest = hashlib.sha256(b"".join(self._files.values())).hexdigest()
        self.version = digest[:12]

    @property
    def stylesheets(self) -> list[str]:
        return [f"{PREFIX}/{self.version}/{name}" for name in self._files]

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(PREFIX + "/{version}/{name}", self.serve)

    async def serve(self, request: web.Request) -> web.Response:
        body = self._files.get(request.match_info["name"])
        if body is None or request.match_info["version"] != self.version:
            raise web.HTTPNotFound
        return web.Response(
            body=body,
            content_type="text/css",
            charset="utf-8",
            headers={"Cache-Control": LONG_CACHE},
        )
