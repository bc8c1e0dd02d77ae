"""The files of a personal-chat message, fetched from the hosts Teams hands them out on.

Teams sends two kinds: a file from OneDrive/SharePoint (``file.download.info``, whose
``downloadUrl`` is pre-authorised: no token goes with it) and an inline image (``image/*``
whose ``contentUrl`` is on the Bot Connector and needs meldbot's token). Where each may
come from is decided before anything is asked for (SSRF):

- an inline image only from the activity's ``serviceUrl`` origin, which the request's
  token vouched for (anonymous mode: the adapter took only local service URLs);
- a file download only over HTTPS from SharePoint/OneDrive's own domains, where OneDrive
  for Business and Teams keep files (``<tenant>-my.sharepoint.com``,
  ``<tenant>.sharepoint.com``, and the national clouds' ``sharepoint.us``, ``sharepoint.cn``
  …); in anonymous mode (local tools) only from this machine, so a local test can serve
  them and nothing elsewhere is ever asked.

Our own card attachments, HTML renderings of the message and anything else are skipped.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from typing import Any, Literal

import aiohttp
from microsoft_agents.activity import Activity, Attachment

from adapters.download import NotFetched, Origin, fetch, origin_of
from adapters.teams.connector import Connector
from bot.attachments.policy import Limits
from bot.events import IncomingFile

log = logging.getLogger(__name__)

DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
SHAREPOINT = (".sharepoint.com", ".sharepoint.us", ".sharepoint-mil.us", ".sharepoint.cn")
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def listed(activity: Activity) -> list[Attachment]:
    """The attachments of a message that are files a person sent."""
    return [
        a
        for a in activity.attachments or []
        if a.content_type == DOWNLOAD_INFO
        or (a.content_type.startswith("image/") and bool(a.content_url))
    ]


def download_allowed(origin: Origin | None, anonymous: bool) -> bool:
    if origin is None:
        return False
    scheme, host, _port = origin
    if anonymous:
        return host in LOOPBACK
    return scheme == "https" and host.endswith(SHAREPOINT)


class TeamsFiles:
    def __init__(self, connector: Connector, limits: Limits, *, anonymous: bool) -> None:
        self._connector = connector
        self._limits = limits
        self._anonymous = anonymous
        self._session: aiohttp.ClientSession | None = None

    async def fetch(self, activity: Activity) -> tuple[IncomingFile, ...]:
        files = []
        for index, attachment in enumerate(listed(activity)):
            if index >= self._limits.max_files:
                files.append(_not_fetched(attachment, None))  # the core says it was left
            else:
                files.append(await self._one(attachment, str(activity.service_url or "")))
        fetched = sum(1 for f in files if f.content is not None)
        log.info("teams: %d of %d files fetched", fetched, len(files))
        return tuple(files)

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    async def _one(self, attachment: Attachment, service_url: str) -> IncomingFile:
        url, allowed = self._source(attachment, service_url)
        if not allowed:
            log.warning("teams: a file on a host meldbot does not fetch from; not fetched")
            return _not_fetched(attachment, "unavailable")
        headers: dict[str, str] = {}
        if attachment.content_type != DOWNLOAD_INFO:  # the Bot Connector's: our token
            token = await self._token(service_url)
            if token:
                headers["Authorization"] = f"Bearer {token}"
        try:
            body = await fetch(self._http(), url, allowed, self._limits.max_bytes, headers)
        except NotFetched as refusal:
            log.warning("teams: a file was not fetched (%s)", refusal)
            return _not_fetched(attachment, refusal.problem)
        return IncomingFile(_name(attachment), _declared(attachment), len(body), body)

    def _source(self, attachment: Attachment, service_url: str) -> tuple[str, set[Origin]]:
        """The URL to fetch, and the origin it may be fetched from (none: not at all)."""
        if attachment.content_type == DOWNLOAD_INFO:
            content = attachment.content if isinstance(attachment.content, Mapping) else {}
            url = str(content.get("downloadUrl") or "")
            origin = origin_of(url)
            return url, {origin} if origin and download_allowed(origin, self._anonymous) else set()
        url, home = str(attachment.content_url or ""), origin_of(service_url)
        return url, {home} if home is not None and origin_of(url) == home else set()

    async def _token(self, service_url: str) -> str | None:
        try:
            return await self._connector.token(service_url)
        except Exception as error:  # the token service is down: the image stays unfetched
            log.warning("teams: no token for an inline image (%s)", type(error).__name__)
            return None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session


def _name(attachment: Attachment) -> str:
    return str(attachment.name or "")


def _declared(attachment: Attachment) -> str:
    """What Teams says it is: the image's type, or a guess from a file's ``fileType``."""
    if attachment.content_type != DOWNLOAD_INFO:
        return attachment.content_type
    content: Any = attachment.content if isinstance(attachment.content, Mapping) else {}
    guessed = mimetypes.guess_type(f"file.{content.get('fileType') or ''}")[0]
    return guessed or ""


def _not_fetched(
    attachment: Attachment, problem: Literal["too_large", "unavailable"] | None
) -> IncomingFile:
    return IncomingFile(_name(attachment), _declared(attachment), 0, None, problem)
