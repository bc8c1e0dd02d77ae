"""What a Slack request must pass before slack-bolt sees it: Slack's signature, then a
body that reads as Slack's JSON.

slack-bolt reads the body (and the charset it names) before it checks the signature, so
a request from anyone with a broken body made it fail with a traceback. Here the
signature is checked on the raw bytes first (HMAC-SHA256 over ``v0:<timestamp>:<body>``,
timestamp within five minutes, as Slack documents it), and only a signed body is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack import shapes

MAX_AGE = 5 * 60  # seconds: Slack's own bound against a replayed request
TIMESTAMP = "X-Slack-Request-Timestamp"
SIGNATURE = "X-Slack-Signature"


class Unreadable(Exception):
    """A signed body that is not a Slack payload; the message is what the answer says."""


def signed(secret: str, body: bytes, headers: Mapping[str, str], now: float | None = None) -> bool:
    """Whether Slack signed ``body`` with ``secret``, within the last five minutes.

    The bytes themselves are signed: ``slack_sdk``'s verifier decodes them first, and so
    fails on bytes that are no UTF-8 or a timestamp that is no number."""
    timestamp = headers.get(TIMESTAMP, "")
    signature = headers.get(SIGNATURE, "")
    if not (0 < len(timestamp) <= 12 and timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def bolt_request(body: bytes, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest:
    """The request for slack-bolt; ``Unreadable`` when the body is no Slack payload."""
    try:
        text = body.decode("utf-8")  # Slack sends UTF-8, whatever charset a header names
    except UnicodeDecodeError:
        raise Unreadable("The body is not UTF-8.") from None
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    wrong = shapes.problem(_payload(text, content_type))
    if wrong is not None:
        raise Unreadable(wrong)
    try:
        return AsyncBoltRequest(body=text, query=query, headers=dict(headers))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
        # slack-bolt reads ids from fixed places; another shape there is no Slack payload.
        raise Unreadable("The body is not a Slack payload.") from error


def _payload(text: str, content_type: str) -> Any:
    """The body as slack-bolt will read it (JSON, or a form with JSON in ``payload``)."""
    try:
        if not text:
            return {}
        if content_type == "application/json" or text.startswith("{"):
            return json.loads(text)
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in text:
            return json.loads(form["payload"]) if "payload" in form else {}
        return form
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep to read
        raise Unreadable("The body is not valid JSON.") from None
