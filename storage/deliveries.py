"""Delivery keys written together (``Together``): a burst of events costs a few commits,
not one each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from storage.together import Together

BATCH = 500  # rows per INSERT: two parameters each, well within SQLite's limit

Write = Callable[[list[tuple[str, datetime]]], Awaitable[set[str]]]


class DeliveryKeys:
    """``first(key)`` is True once per key: for the first caller, whoever else asks."""

    def __init__(self, write: Write) -> None:
        self._write = write  # inserts the new keys, returns those that were new
        self._together: Together[tuple[str, datetime], bool] = Together(self._firsts, BATCH)

    async def first(self, key: str, now: datetime) -> bool:
        return await self._together((key, now))

    async def _firsts(self, asked: list[tuple[str, datetime]]) -> list[bool]:
        unique: dict[str, datetime] = {}
        for key, now in asked:
            unique.setdefault(key, now)
        new = await self._write(list(unique.items()))
        answers = []
        for key, _now in asked:
            answers.append(key in new)
            new.discard(key)  # a second ask in the same batch is a repeat
        return answers
