"""Receipt codes: the only key to an anonymous consultation or report.

A code is ``PPPP-SSSS-SSSS-SSSS`` in Crockford base32: the first group is the public
pseudonym (coordinators see it, it finds the row), the other twelve characters are
the secret, random (59.6 bits: see ``new_secret``). Only a salted Argon2id hash of the
secret is stored, so the database alone cannot give a code back, and each guess costs
real work.

The first and the last group always carry a digit. ``bot.consultation.sighting`` tells a
code from words typed apart by the digits in its groups; with digits at both ends, a
code retyped in lower case inside a sentence cannot be read together with the word next
to it ("code 7x2k qgyq jf8k" is no code: the group after it has a digit).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
PSEUDONYM_LENGTH = 4
SECRET_LENGTH = 12  # 12 × 5 = 60 bits, less the 0.4 that new_secret leaves out
SECRET_BITS = SECRET_LENGTH * 5
# Readers confuse these; Crockford decodes them to what was meant.
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# What people put between the groups when they copy or retype a code.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.:/\\]+")


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _has_digit(group: str) -> bool:
    return any(c.isdigit() for c in group)


def new_pseudonym() -> str:
    """Four characters with a digit among them (0.81 million pseudonyms)."""
    while True:
        pseudonym = _random(PSEUDONYM_LENGTH)
        if _has_digit(pseudonym):
            return pseudonym


def recognisable(secret: str) -> bool:
    """Whether the secret ends in a group with a digit and has a letter."""
    return _has_digit(secret[-4:]) and any(c.isalpha() for c in secret)


def new_secret() -> str:
    """Twelve random characters, drawn again in one case out of five (59.6 bits)."""
    while True:
        secret = _random(SECRET_LENGTH)
        if recognisable(secret):
            return secret


def format_code(pseudonym: str, secret: str) -> str:
    groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
    return "-".join([pseudonym, *groups])


@dataclass(frozen=True, slots=True)
class Code:
    pseudonym: str
    secret: str


def parse_code(text: str) -> Code | None:
    """A code as a person types it: any case, spaces or dashes, O for 0 and I or L for 1."""
    compact = _SEPARATORS.sub("", text.strip()).upper().translate(LOOKALIKES)
    if len(compact) != PSEUDONYM_LENGTH + SECRET_LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return Code(compact[:PSEUDONYM_LENGTH], compact[PSEUDONYM_LENGTH:])


class SecretHasher:
    """Argon2id (argon2-cffi's RFC 9106 low-memory profile), off the event loop."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        # Verified against when the pseudonym is unknown, so a miss costs as long as a hit;
        # made at the first miss, not at start-up (each hash takes 64 MiB for a moment).
        self._decoy: str | None = None

    async def hash(self, secret: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, secret)

    async def verify(self, stored: str | None, secret: str) -> bool:
        if stored is None:
            self._decoy = self._decoy or await self.hash(new_secret())
        return await asyncio.to_thread(self._verify, stored or self._decoy or "", secret)

    def _verify(self, stored: str, secret: str) -> bool:
        try:
            return self._hasher.verify(stored, secret)
        except (VerificationError, InvalidHashError):
            return False
