"""Sealing: narratives, messages, names and files are encrypted at rest with Fernet.

Several comma-separated keys may be configured: the first seals, all unseal,
so a key can be rotated without losing old rows.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SealError(Exception):
    """A sealed value could not be opened (wrong or missing key)."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def derive(seal_key: bytes, purpose: bytes) -> bytes:
    """The key for ``purpose`` derived from one sealing key (see ``Sealer.derived_key``)."""
    return hmac.new(seal_key, b"meldbot: " + purpose, hashlib.sha256).digest()


class Sealer:
    def __init__(self, keys: str) -> None:
        given = [key.strip() for key in keys.split(",") if key.strip()]
        if not given:
            raise ValueError("at least one sealing key is needed")
        self._keys = [key.encode() for key in given]
        self._newest = Fernet(self._keys[0])
        self._fernet = MultiFernet([Fernet(key) for key in self._keys])

    def derived_key(self, purpose: bytes) -> bytes:
        """A key of its own for ``purpose`` (keyed hashes for look-ups), derived from the
        first sealing key, so nothing keyed with it can open sealed data: what is written
        is hashed with it. ``meldbot seal rotate`` rehashes what older keys hashed."""
        return self.derived_keys(purpose)[0]

    def derived_keys(self, purpose: bytes) -> list[bytes]:
        """``derived_key`` for every configured key, the first first: a look-up matches a
        hash under any of them, so rows hashed before a rotation are still found."""
        return [derive(key, purpose) for key in self._keys]

    def is_current(self, token: str | bytes) -> bool:
        """Whether the first key opens ``token`` (a text token, or a file's raw bytes):
        then ``meldbot seal rotate`` leaves it as it is."""
        raw = token.encode() if isinstance(token, str) else base64.urlsafe_b64encode(token)
        try:
            self._newest.decrypt(raw)
        except InvalidToken:
            return False
        return True

    def reseal(self, token: str) -> str:
        """``token`` sealed anew with the first key (its content unchanged)."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise SealError("a sealed value could not be opened with the configured key") from None

    def reseal_bytes(self, token: bytes) -> bytes:
        try:
            rotated = self._fernet.rotate(base64.urlsafe_b64encode(token))
        except InvalidToken:
            raise SealError("a sealed file could not be opened with the configured key") from None
        return base64.urlsafe_b64decode(rotated)

    def seal(self, text: str | None) -> str | None:
        if text is None:
            return None
        return self._fernet.encrypt(text.encode()).decode()

    def unseal(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise SealError("a sealed value could not be opened with the configured key") from None

    def seal_json(self, value: dict[str, Any]) -> str:
        sealed = self.seal(json.dumps(value))
        assert sealed is not None
        return sealed

    def unseal_json(self, token: str) -> dict[str, Any]:
        opened = self.unseal(token)
        assert opened is not None
        value: dict[str, Any] = json.loads(opened)
        return value

    def seal_bytes(self, content: bytes) -> bytes:
        """A file's bytes, sealed: the Fernet token without its base64 (a quarter smaller)."""
        return base64.urlsafe_b64decode(self._fernet.encrypt(content))

    def unseal_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(base64.urlsafe_b64encode(token))
        except InvalidToken:
            raise SealError("a sealed file could not be opened with the configured key") from None
