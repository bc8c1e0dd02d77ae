"""Guessing receipt codes is throttled per guessing person, in the database.

Per person, not per receipt: a lock on a receipt could be set off by anyone who saw its
pseudonym (it is on the coordinators' card), locking its owner out and telling a
stranger which pseudonyms exist. Each attempt is counted before any hash is checked, so
a burst costs at most the allowed number of Argon2 checks, on any number of instances.

The guesser is stored only as a keyed hash (of "platform:user_id", or of a web session),
in a row that names no receipt; a right code deletes it.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from bot.ports import GuessWindow

GUESS_LIMIT = 10
GUESS_WINDOW = timedelta(hours=1)


def guesser_key(seal_key: str) -> bytes:
    """The throttle's HMAC key: derived from the sealing key in use (the first), so that it
    is a key of its own and never the one that opens sealed data."""
    sealing = seal_key.split(",")[0].strip().encode()
    return hmac.new(sealing, b"meldbot: who guesses receipt codes", hashlib.sha256).digest()


def guesser_hash(key: bytes, guesser: str) -> str:
    return hmac.new(key, guesser.encode(), hashlib.sha256).hexdigest()


def held_off_until(window: GuessWindow) -> datetime | None:
    """When this guesser may try again (None: this attempt is allowed)."""
    return window.start + GUESS_WINDOW if window.attempts > GUESS_LIMIT else None
