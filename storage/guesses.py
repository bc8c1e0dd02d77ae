"""The code-guess throttle: attempts per guesser, counted in one statement each."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, delete, literal
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import GuessWindow
from storage.models import CodeGuessRow, UtcDateTime
from storage.upsert import upsert


class SqlCodeGuesses:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def reserve(
        self, guesser: str, now: datetime, window: timedelta, limit: int
    ) -> GuessWindow:
        # One upsert: concurrent attempts (on any instance) queue on the row, so each sees
        # the count including every attempt before it and no more than `limit` get through.
        row = CodeGuessRow
        moment = literal(now, UtcDateTime())
        expired = _expired(now, window)
        statement = (
            upsert(self._session)(row)
            .values(guesser=guesser, window_start=now, attempts=1)
            .on_conflict_do_update(
                index_elements=[row.guesser],
                set_={
                    "window_start": case((expired, moment), else_=row.window_start),
                    "attempts": case(
                        (expired, 1),
                        (row.attempts > limit, row.attempts),
                        else_=row.attempts + 1,
                    ),
                },
            )
            .returning(row.window_start, row.attempts)
        )
        start, attempts = (await self._session.execute(statement)).one()
        return GuessWindow(start, int(attempts))

    async def forget(self, guesser: str) -> None:
        await self._session.execute(delete(CodeGuessRow).where(CodeGuessRow.guesser == guesser))

    async def forget_expired(self, now: datetime, window: timedelta) -> int:
        result = await self._session.execute(delete(CodeGuessRow).where(_expired(now, window)))
        return int(result.rowcount)  # type: ignore[attr-defined]


def _expired(now: datetime, window: timedelta) -> ColumnElement[bool]:
    """A window this old is over: the next attempt starts a new one."""
    return CodeGuessRow.window_start <= now - window
