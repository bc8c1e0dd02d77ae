"""The page's form tokens: what stands in for a session cookie for an anonymous visitor.

A token is signed (HMAC-SHA256 with a key of its own, derived from the sealing key) and
holds a random session id, an expiry, a random nonce, the page it belongs to and the step
it stands for: the button (``action``, ``value``) whose form it submits or which it
presses. Nothing about it is stored anywhere: a token proves itself, and runs out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

TOKEN_TTL = timedelta(minutes=45)
MAX_TOKEN = 4000


def page_key(seal_key: str) -> bytes:
    """The tokens' HMAC key: derived from the sealing key in use (the first), so that it
    is a key of its own and never the one that opens sealed data."""
    sealing = seal_key.split(",")[0].strip().encode()
    return hmac.new(sealing, b"meldbot: the staff page's form tokens", hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class Step:
    """What a token stands for on one page of one visit."""

    session: str  # random per visit; the visitor's ``anon-`` id
    path: str
    kind: str  # "form": the answers of the form ``action`` opened; "press": a button
    action: str
    value: str = ""
    message: str = ""  # the conversation entry a signed-in person's button is on
    nonce: str = ""
    expires: int = 0


class TokenRefused(Exception):
    """``expired``: a real token that ran out (the page may keep what was typed)."""

    def __init__(self, expired: bool, step: Step | None = None) -> None:
        super().__init__("expired" if expired else "forged")
        self.expired = expired
        self.step = step  # an expired token's step: signed, so still known


def new_session() -> str:
    return secrets.token_urlsafe(18)


class Tokens:
    def __init__(self, key: bytes, clock: Callable[[], datetime]) -> None:
        self._key = key
        self._clock = clock

    def issue(self, step: Step) -> str:
        expires = int((self._clock() + TOKEN_TTL).timestamp())
        fields = [step.session, step.path, step.kind, step.action, step.value, step.message]
        nonce = step.nonce or secrets.token_urlsafe(12)  # kept by a form shown again
        body = json.dumps([*fields, nonce, expires], separators=(",", ":"))
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(payload)}"

    def read(self, token: object, path: str) -> Step:
        """The step a token stands for on ``path``; ``TokenRefused`` when it is not one
        of ours, is for another page, or ran out."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 1:
            raise TokenRefused(expired=False)
        payload, mac = token.split(".")
        if not hmac.compare_digest(mac.encode(), self._mac(payload).encode()):
            raise TokenRefused(expired=False)
        try:
            padded = payload + "=" * (-len(payload) % 4)
            fields = json.loads(base64.urlsafe_b64decode(padded))
            session, at, kind, action, value, message, nonce, expires = fields
        except (ValueError, TypeError):
            raise TokenRefused(expired=False) from None
        step = Step(session, at, kind, action, value, message, nonce, int(expires))
        if step.path != path:
            raise TokenRefused(expired=False)
        if step.expires < self._clock().timestamp():
            raise TokenRefused(expired=True, step=step)
        return step

    def _mac(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()
