"""``/console/``: the case list — views, filters, search, and one page at a time.

It is the console's start page: an analyst goes on to the figures, an admin to the audit
log (neither ever sees a case). Everything in the address is a choice from a list or the
search words; a value that is not one of the choices is a 400, never a guess. A whole
reference that was searched for goes straight to its case page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar, get_args

from aiohttp import web
from multidict import MultiMapping
from yarl import URL

from adapters.console.case_page import case_url
from adapters.console.pages import console_of, console_page
from adapters.site import SITE, error_page, principal_of, require, see_other
from bot.access.models import Role
from bot.case.errors import CaseError, InvalidQuery, NotAllowed
from bot.case.labels import CATEGORY_LABELS, STATUS_LABELS
from bot.case.models import Category, Status
from bot.case.queries import CaseFilter, Order, View
from bot.events import Platform
from bot.i18n import N_

E = TypeVar("E", bound=StrEnum)

VIEWS = {
    View.OPEN: N_("Open"),
    View.MINE: N_("My cases"),
    View.UNCLAIMED: N_("Not picked up"),
    View.URGENT: N_("Urgent"),
    View.OVERDUE: N_("Overdue"),
    View.CLOSED: N_("Closed"),
    View.ALL: N_("All"),
}
ORDERS = {Order.NEWEST: N_("Newest first"), Order.MOST_URGENT: N_("Most urgent first")}
PLATFORMS = {"slack": "Slack", "teams": "Microsoft Teams", "web": N_("Web chat")}
PARAMS = ("weergave", "categorie", "status", "platform", "afdeling", "volgorde", "zoek")


class BadChoice(Exception):
    pass


def _choice(query: MultiMapping[str], name: str, kind: type[E]) -> E | None:
    value = query.get(name, "")
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise BadChoice(name) from None


@dataclass(frozen=True, slots=True)
class Asked:
    filter: CaseFilter
    cursor: str | None
    values: dict[str, str]  # the form's fields as asked, to show them again


def asked(query: MultiMapping[str], departments: list[str]) -> Asked:
    platform = query.get("platform", "")
    department = query.get("afdeling", "")
    if platform and platform not in get_args(Platform):
        raise BadChoice("platform")
    if department and department not in departments:
        raise BadChoice("afdeling")
    wanted = CaseFilter(
        view=_choice(query, "weergave", View) or View.OPEN,
        category=_choice(query, "categorie", Category),
        status=_choice(query, "status", Status),
        platform=platform or None,  # type: ignore[arg-type]  # checked against Platform
        department=department or None,
        query=query.get("zoek", ""),
        order=_choice(query, "volgorde", Order) or Order.NEWEST,
    )
    values = {name: query.get(name, "") for name in PARAMS}
    return Asked(wanted, query.get("na") or None, values)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/console", to_the_list)
    app.router.add_get("/console/", case_list)


async def to_the_list(_request: web.Request) -> web.StreamResponse:
    return see_other("/console/")


# Where the console starts for someone who works no cases (the sign-in's default page).
ELSEWHERE = (
    (Role.ANALYST, "/console/cijfers"),
    (Role.ADMIN, "/console/audit"),
    (Role.MANAGER, "/console/uitgenodigd"),  # the cases they were invited into
)


@require()
async def case_list(request: web.Request) -> web.StreamResponse:
    principal = principal_of(request)
    assert principal is not None  # @require
    roles = await request.config_dict[SITE].access.roles(principal)
    if not roles & {Role.COORDINATOR, Role.CONFIDANT}:
        start = next((path for role, path in ELSEWHERE if role in roles), None)
        return see_other(start) if start else await error_page(request, 403)
    console = console_of(request)
    try:
        wanted = asked(request.query, console.settings.departments)
    except BadChoice:
        return await error_page(request, 400)
    error = None
    try:
        page = await console.cases.list(principal, wanted.filter, wanted.cursor)
    except NotAllowed:
        return await error_page(request, 403)
    except InvalidQuery as refusal:
        page, error = None, refusal
    except CaseError:
        return await error_page(request, 400)
    if page is not None and page.exact:
        return see_other(case_url(page.exact))
    here = URL(request.path_qs)
    other = here.without_query_params("na", "weergave")
    tabs = [
        (view, label, str(other.update_query(weergave=view.value))) for view, label in VIEWS.items()
    ]
    following = None
    if page is not None and page.next_cursor:
        following = str(here.update_query(na=page.next_cursor))
    return await console_page(
        request,
        "console/cases.html",
        status=400 if error else 200,
        title=VIEWS[wanted.filter.view],
        view=wanted.filter.view,
        tabs=tabs,
        values=wanted.values,
        cases=page.cases if page else [],
        following=following,
        later_page=wanted.cursor is not None,
        error=error,
        first_page=str(here.without_query_params("na")),
        categories=list(CATEGORY_LABELS.items()),
        category_labels=CATEGORY_LABELS,
        statuses=list(STATUS_LABELS.items()),
        status_labels=STATUS_LABELS,
        platforms=list(PLATFORMS.items()),
        departments=console.settings.departments,
        orders=list(ORDERS.items()),
    )
