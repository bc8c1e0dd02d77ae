"""Slack's failures as the core's ``DeliveryError``: transient, rate limited or permanent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.ports import DeliveryError

# Errors that another attempt with the same request cannot fix.
PERMANENT = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "cant_delete_file",
        "cant_delete_message",
        "cant_update_message",
        "channel_not_found",
        "compliance_exports_prevent_deletion",
        "edit_window_closed",
        "invalid_auth",
        "invalid_blocks",
        "is_archived",
        "message_not_found",
        "missing_scope",
        "msg_too_long",
        "no_text",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "team_access_not_granted",
        "token_revoked",
        "user_not_found",
        "user_not_visible",
    }
)


def api_error_code(error: SlackApiError) -> str:
    """Slack's error code (``channel_not_found``), or the HTTP status when there is none."""
    code = error.response.get("error") if isinstance(error.response.data, dict) else None
    return str(code) if code else f"http_{error.response.status_code}"


def retry_after(error: SlackApiError) -> float | None:
    for name, value in error.response.headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


def delivery_error(error: Exception) -> DeliveryError:
    """A failed Slack call as a ``DeliveryError`` the core knows how to retry (or not)."""
    if isinstance(error, SlackApiError):
        code = api_error_code(error)
        if code == "ratelimited" or error.response.status_code == 429:
            return DeliveryError("slack: ratelimited", retry_after=retry_after(error) or 1.0)
        return DeliveryError(f"slack: {code}", permanent=code in PERMANENT)
    return DeliveryError(f"slack: {type(error).__name__}")


@asynccontextmanager
async def delivering() -> AsyncIterator[None]:
    """Turns Slack API and network failures inside the block into ``DeliveryError``."""
    try:
        yield
    except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as error:
        raise delivery_error(error) from error
