"""The files of a Slack message, fetched as the bot (``files:read``) with a capped read.

Slack lists each file with its declared size and private URLs that need the bot token.
The size is checked first (too large: not downloaded at all); the URL must be on Slack's
file host (or the configured API host, for a test or staging fake) before the token goes
anywhere; and the read stops at the limit, whatever the size said.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from typing import Any, Literal

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.download import NotFetched, Origin, fetch, origin_of
from adapters.slack.errors import delivering
from bot.attachments.policy import Limits
from bot.events import IncomingFile
from bot.ports import DeliveryError

log = logging.getLogger(__name__)

FILE_HOST: Origin = ("https", "files.slack.com", 443)
Problem = Literal["too_large", "unavailable"] | None


class SlackFiles:
    def __init__(self, client: AsyncWebClient, api_url: str, limits: Limits) -> None:
        self._client = client
        self._limits = limits
        api = origin_of(api_url)
        self._allowed = frozenset({FILE_HOST, *([api] if api else [])})

    async def fetch(self, listed: Sequence[Mapping[str, Any]]) -> tuple[IncomingFile, ...]:
        """Every listed file, fetched or with the reason it was not; beyond the number the
        core takes, none is downloaded (the core says which were left)."""
        async with AsyncExitStack() as stack:
            session = self._client.session
            if session is None:  # not started (Socket Mode tests, a one-off call)
                session = await stack.enter_async_context(aiohttp.ClientSession())
            files = []
            for index, file in enumerate(listed):
                if index >= self._limits.max_files:
                    files.append(_not_fetched(file, None))
                else:
                    files.append(await self._one(session, file))
        fetched = sum(1 for f in files if f.content is not None)
        log.info("slack: %d of %d shared files fetched", fetched, len(files))
        return tuple(files)

    async def _one(self, session: aiohttp.ClientSession, file: Mapping[str, Any]) -> IncomingFile:
        if file.get("file_access") == "check_file_info" or not _url(file):
            file = await self._info(file)
        if _size(file) > self._limits.max_bytes:
            return _not_fetched(file, "too_large")
        url = _url(file)
        if not url or file.get("is_external") or origin_of(url) not in self._allowed:
            log.warning("slack: a shared file is not on Slack's file host; not fetched")
            return _not_fetched(file, "unavailable")
        token = self._client.token or ""
        try:
            content = await fetch(
                session,
                url,
                self._allowed,
                self._limits.max_bytes,
                headers={"Authorization": f"Bearer {token}"},
            )
        except NotFetched as refusal:
            log.warning("slack: a shared file was not fetched (%s)", refusal)
            return _not_fetched(file, refusal.problem)
        return IncomingFile(_name(file), _declared(file), len(content), content)

    async def _info(self, file: Mapping[str, Any]) -> Mapping[str, Any]:
        """Slack sometimes lists a file before it is ready (``check_file_info``)."""
        if not file.get("id"):
            return file
        try:
            async with delivering():
                answer = await self._client.files_info(file=str(file["id"]))
        except DeliveryError as error:
            log.warning("slack: files.info failed (%s)", error)
            return file
        found = answer.get("file")
        return found if isinstance(found, Mapping) else file


def _url(file: Mapping[str, Any]) -> str:
    return str(file.get("url_private_download") or file.get("url_private") or "")


def _name(file: Mapping[str, Any]) -> str:
    return str(file.get("name") or file.get("title") or "")


def _declared(file: Mapping[str, Any]) -> str:
    return str(file.get("mimetype") or "")


def _size(file: Mapping[str, Any]) -> int:
    try:
        return max(0, int(file.get("size") or 0))
    except (TypeError, ValueError):
        return 0


def _not_fetched(file: Mapping[str, Any], problem: Problem) -> IncomingFile:
    return IncomingFile(_name(file), _declared(file), _size(file), None, problem)
