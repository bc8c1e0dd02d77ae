"""Each form submission is processed once, however often it arrives.

A surface gives a submission a key that is the same when the same rendered form comes
again: a platform's replay, or the person sending it once more after an error they saw.
The dialogs handle a submission inside ``submitting(key)``; the service call that stores
what the form makes claims the key in its own transaction (``claim``), so the key and
what it made commit together or not at all, and a second transaction with the same key
stores nothing: it raises ``AlreadySubmitted`` with what the first one made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.ports import Storage, Transaction
from bot.submission.models import AlreadySubmitted, Produced, Submitted

# Replays come within minutes and a resubmission soon after the error; a month is ample.
MEMORY = timedelta(days=30)
# Of an anonymous route, even that a form was sent is kept one day only: no longer than a
# replay or a second try after an error needs.
ANONYMOUS_MEMORY = timedelta(days=1)

# The keys of the submission being handled in this task, until a transaction claims them:
# a form, and the draft it sends (a draft can also be sent with a button).
_pending: ContextVar[tuple[str, ...]] = ContextVar("meldbot_submission", default=())


@contextmanager
def submitting(key: str | None) -> Iterator[None]:
    """What is stored while handling this submission is stored once for ``key``."""
    keys = _pending.get()
    token = _pending.set((*keys, key) if key is not None else keys)
    try:
        yield
    finally:
        _pending.reset(token)


@dataclass(frozen=True, slots=True)
class Claim:
    tx: Transaction
    keys: tuple[str, ...]

    async def produced(self, target: int) -> None:
        for key in self.keys:
            await self.tx.submissions.produced(key, target)


async def claim(
    tx: Transaction, kind: Produced, now: datetime, target: int | None = None
) -> Claim | None:
    """Claims the submission being handled (None when there is none) inside ``tx``;
    ``AlreadySubmitted`` when it was stored before. One claim per submission: what the
    same handling stores after it belongs to the same submission."""
    keys = _pending.get()
    if not keys:
        return None
    _pending.set(())
    for key in keys:
        earlier = await tx.submissions.claim(key, kind, now)
        if earlier is not None:
            raise AlreadySubmitted(earlier)
    claimed = Claim(tx, keys)
    if target is not None:
        await claimed.produced(target)
    return claimed


async def earlier(storage: Storage, key: str) -> Submitted | None:
    """What the first submission with ``key`` produced, if it was stored."""
    async with storage.transaction() as tx:
        return await tx.submissions.find(key)


async def forget(storage: Storage, now: datetime) -> int:
    async with storage.transaction() as tx:
        return await tx.submissions.forget(now - MEMORY, now - ANONYMOUS_MEMORY)
