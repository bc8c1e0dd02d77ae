"""Delivery keys written together: the keys that arrive while one batch is being written
go in the next, in one transaction, so a burst of events costs a few commits, not one each."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

BATCH = 500  # rows per INSERT: two parameters each, well within SQLite's limit

Write = Callable[[list[tuple[str, datetime]]], Awaitable[set[str]]]


class DeliveryKeys:
    """``first(key)`` is True once per key: for the first caller, whoever else asks."""

    def __init__(self, write: Write) -> None:
        self._write = write  # inserts the new keys, returns those that were new
        self._waiting: list[tuple[str, datetime, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def first(self, key: str, now: datetime) -> bool:
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((key, now, answer))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await answer

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
            unique: dict[str, datetime] = {}
            for key, now, _answer in batch:
                unique.setdefault(key, now)
            try:
                new = await self._write(list(unique.items()))
            except Exception as error:
                for _key, _now, answer in batch:
                    if not answer.done():
                        answer.set_exception(error)
                continue
            for key, _now, answer in batch:
                if not answer.done():
                    answer.set_result(key in new)
                new.discard(key)  # a second ask in the same batch is a repeat
