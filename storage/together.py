"""Small database calls made together: the calls that arrive while one batch is at the
database go in the next, so a burst of events costs a few transactions, not one each.

A transaction's fixed cost (a session, BEGIN, COMMIT, the hops to the driver's thread) is
most of what a small read or write costs; under load many wait at once and share it.
A lone call goes at once, alone: nothing waits for company.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

Run = Callable[[list[Item]], Awaitable[list[Result]]]


class Together(Generic[Item, Result]):
    """``await together(item)`` is ``run([item])[0]``, with the items of callers waiting
    at the same time in the same ``run`` (at most ``limit`` a time, in the order they
    came). When a batch fails, each of its items is run alone, so one item's fault is its
    own caller's error only."""

    def __init__(self, run: Run[Item, Result], limit: int) -> None:
        self._run = run  # one result per item, in the items' order
        self._limit = limit
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self, item: Item) -> Result:
        answer: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, answer))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run_all())
        return await answer

    async def _run_all(self) -> None:
        while self._waiting:
            batch = self._waiting[: self._limit]
            del self._waiting[: self._limit]
            try:
                results = await self._run([item for item, _answer in batch])
            except Exception as error:
                if len(batch) == 1:
                    _fail(batch[0][1], error)
                    continue
                for item, answer in batch:
                    await self._alone(item, answer)
                continue
            for (_item, answer), result in zip(batch, results, strict=True):
                if not answer.done():  # not when its caller was cancelled
                    answer.set_result(result)

    async def _alone(self, item: Item, answer: asyncio.Future[Result]) -> None:
        try:
            (result,) = await self._run([item])
        except Exception as error:
            _fail(answer, error)
        else:
            if not answer.done():
                answer.set_result(result)


def _fail(answer: asyncio.Future[Result], error: Exception) -> None:
    if not answer.done():
        answer.set_exception(error)
