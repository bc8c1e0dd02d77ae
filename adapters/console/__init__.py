"""The coordinators' console: meldbot's own room for the case work.

Built on the page kit (``adapters.site``: sign-in, sessions, CSRF, headers, templates).
The composition root builds one ``Console`` from the core services and mounts it; each
page family is one module here with an ``add_routes(app)``, its handlers reach the
services through ``console_of(request)``. Every page and action asks the core, which
checks the role and writes the audit log; the pages only show and forward.

Templates extend ``console/layout.html`` (the console's navigation, and the notice a
303 after a successful POST asks for with ``?gedaan=<key>``, see ``pages.NOTICES``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from adapters.console import (
    audit,
    case_actions,
    case_list,
    case_page,
    consultations,
    figures,
    letter_actions,
    manager_pages,
    privacy,
    registry,
    retention,
    settings_page,
)
from adapters.console.pages import CONSOLE, Console, console_of
from adapters.site import SITE

TEMPLATES = Path(__file__).resolve().parent / "templates"

# One per page family; each adds its own routes under /console/.
PAGE_FAMILIES: tuple[Callable[[web.Application], None], ...] = (
    case_list.add_routes,
    case_page.add_routes,
    case_actions.add_routes,
    consultations.add_routes,
    audit.add_routes,
    privacy.add_routes,
    figures.add_routes,
    settings_page.add_routes,
    letter_actions.add_routes,
    manager_pages.add_routes,
    registry.add_routes,
    retention.add_routes,
)


def mount(app: web.Application, console: Console) -> None:
    """The console's routes and templates, next to the kit (which must be mounted first)."""
    app[CONSOLE] = console
    app[SITE].pages.add_templates(TEMPLATES)
    for add_routes in PAGE_FAMILIES:
        add_routes(app)


__all__ = ["CONSOLE", "Console", "console_of", "mount"]
