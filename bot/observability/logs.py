"""Log set-up: plain text (the default) or one JSON object a line, both with the id of
the request a line was written for.

The id lives in a context variable: set by the HTTP middleware, it follows the request's
work into every task started from it (asyncio copies the context), so the work done
after a Slack event was acknowledged carries it too.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
from contextvars import ContextVar
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

REQUEST_ID: ContextVar[str | None] = ContextVar("meldbot_request_id", default=None)
# An incoming X-Request-Id is kept only when it cannot carry anything else.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

LogFormat = Literal["text", "json"]
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


def request_id_from(header: str | None) -> str:
    """The caller's id when it is a short safe token, else a new one."""
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return secrets.token_hex(8)


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or ``-`` outside any request) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get() or "-"
        return True


def formatter(log_format: LogFormat) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    return logging.Formatter(TEXT)


def configure_logging(log_format: LogFormat, *, force: bool = False) -> None:
    """The root logger writes to standard error in ``log_format``; called again (once the
    settings are read), it replaces the handler it set before. Like ``basicConfig``, it
    leaves a root logger that someone else set up alone (a test runner's), unless forced."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "meldbot", False)]
    if len(ours) < len(root.handlers) and not force:
        return
    for handler in ours:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.meldbot = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter(log_format))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def log_failure(logger: logging.Logger, message: str, *args: object) -> None:
    """``message`` and the kind of the exception being handled, at ERROR; where it failed,
    at DEBUG. Never the exception's text at ERROR: it can carry what was being handled (an
    id, what someone typed, a database row)."""
    kind = type(sys.exc_info()[1]).__name__
    logger.error(f"{message} (%s)", *args, kind)
    logger.debug(message, *args, exc_info=True)
