"""The figures page for analysts and admins: one month's aggregates, as the trend report
counts them (never under 5), and the chart of the 12 months up to it.

Only counts reach this page: ``TrendFigures`` returns no case, no reference, no text.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.console.refusals import refused
from adapters.site import SITE, require, signed_in
from bot.access.models import Role
from bot.case.errors import CaseError, InvalidQuery
from bot.i18n import N_, Translator, translator
from bot.settings import Settings
from bot.trends import chart, views
from bot.trends.figures import NOT_A_MONTH, MonthFigures
from bot.trends.periods import add_months, month_of, previous_month

PAGE = "/console/cijfers"
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
CHOICES = 24  # months in the chooser; any other begun month can be asked for by address
Table = tuple[str, list[tuple[str, str]]]


def add_routes(app: web.Application) -> None:
    app.router.add_get(PAGE, figures)
    app.router.add_get(PAGE + "/{month:[0-9]{4}-[0-9]{2}}.png", picture)


def _month(typed: str) -> date | None:
    found = MONTH.fullmatch(typed.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


@require(Role.ANALYST, Role.ADMIN)
async def figures(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    now = console.figures.clock()
    typed = request.query.get("maand")
    month = previous_month(now).first if typed is None else _month(typed)
    this_month = month_of(now)
    choices = [add_months(this_month, -n) for n in range(CHOICES)]
    context: dict[str, object] = {
        "choices": choices,
        "typed": typed or "",
        "example": f"{this_month:%Y-%m}",
    }
    if month is None:
        return await _page(request, context, error=NOT_A_MONTH)
    try:
        shown = await console.figures.month(signed_in(request), month)
    except InvalidQuery as refusal:
        return await _page(request, context, error=refusal.reason)
    except CaseError as refusal:
        return await refused(request, refusal)
    return await _page(request, context | {"shown": shown, "month": month})


async def _page(
    request: web.Request, context: dict[str, object], *, error: str | None = None
) -> web.Response:
    settings = console_of(request).settings
    return await console_page(
        request,
        "console/figures.html",
        status=400 if error else 200,
        title=N_("Figures"),
        error=error,
        tables=lambda shown, t: tables(shown, settings, t),
        month_name=views.month_name,
        alt_text=chart.alt_text,
        **({"shown": None, "month": None} | context),
    )


def tables(shown: MonthFigures, settings: Settings, t: Translator) -> list[Table]:
    """Each breakdown as a titled table of rows, as the trend report lists them."""
    figures = shown.figures
    found: list[Table] = [
        (t("Reports"), views.totals(figures, t)),
        (t("By category"), views.rows(figures.categories, views.category_name, t)),
    ]
    if settings.departments:
        found.append(
            (t("By department"), views.rows(figures.departments, views.department_name, t))
        )
    found += [
        (t("Measures taken"), views.rows(figures.measures, views.measure_name, t)),
        (
            t("Time to first contact"),
            views.contact_rows(figures.normal, figures.urgent, settings, t),
        ),
    ]
    return found


@require(Role.ANALYST, Role.ADMIN)
async def picture(request: web.Request) -> web.StreamResponse:
    """The chart of the 12 months up to the month, as the trend report draws it."""
    month = _month(request.match_info["month"])
    if month is None:
        raise web.HTTPNotFound()
    console = console_of(request)
    try:
        shown = await console.figures.month(signed_in(request), month)
    except CaseError as refusal:
        return await refused(request, refusal)
    t = translator(request.config_dict[SITE].language_of(request))
    labels = {key: views.category_name(key, t) for bar in shown.bars for key in bar.segments}
    png = await asyncio.to_thread(chart.render, shown.bars, labels, t)
    return web.Response(body=png, content_type="image/png")
