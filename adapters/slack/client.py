"""The Slack Web API client: our base URL, 429s answered by waiting, quiet logs."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.withheld import Withheld

TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 2


def quiet_logger(name: str) -> logging.Logger:
    """A logger for library internals that stays at WARNING.

    slack_sdk logs request bodies at DEBUG and bolt logs rejected payloads at INFO:
    those carry user ids next to message text, which meldbot never writes to a log.
    """
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    if not any(isinstance(f, Withheld) for f in logger.filters):
        logger.addFilter(Withheld())
    return logger


class WebClient(AsyncWebClient):
    """slack_sdk sends conversations.open's arguments in the URL's query string, where
    access logs and proxies keep them; a person's user id goes in the form body instead."""

    async def conversations_open(self, **kwargs: Any) -> AsyncSlackResponse:
        data = {name: value for name, value in kwargs.items() if value is not None}
        return await self.api_call("conversations.open", data=data)


def web_client(token: str, api_url: str) -> AsyncWebClient:
    return WebClient(
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        timeout=TIMEOUT_SECONDS,
        logger=quiet_logger("meldbot.slack.sdk"),
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            # Waits for Slack's Retry-After before trying again.
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )
