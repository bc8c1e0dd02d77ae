"""What the console's CSV downloads share: a period of days typed as YYYY-MM-DD, read as
Amsterdam's days, and the file that answers it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from aiohttp import web

from bot.i18n import N_

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BAD_DATE = N_("Fill in both dates as day, month and year, such as {example}.")


def typed_day(typed: str) -> date | None:
    """The day typed, or None for anything that is not a real YYYY-MM-DD."""
    if not DAY.fullmatch(typed.strip()):
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        return None


def typed_period(request: web.Request) -> tuple[dict[str, str], date | None, date | None]:
    """The period's two fields as typed (to show them again) and the days they are."""
    typed = {"van": request.query.get("van", ""), "tot": request.query.get("tot", "")}
    return typed, typed_day(typed["van"]), typed_day(typed["tot"])


def last_month(today: date) -> dict[str, str]:
    """The period a form offers before anything was typed: the 30 days up to today."""
    return {"van": (today - timedelta(days=30)).isoformat(), "tot": today.isoformat()}


def csv_file(body: str, name: str) -> web.Response:
    return web.Response(
        body=body.encode("utf-8"),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )
