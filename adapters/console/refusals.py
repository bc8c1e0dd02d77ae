"""How the console answers what the core refuses: the kit's error page with the reason.

``NotAllowed`` is 403, ``CaseNotFound`` 404 (also for what the person may not see), any
other ``CaseError`` 400. The reason is a message id, shown in the person's language.
"""

from __future__ import annotations

from aiohttp import web

from adapters.site import error_page
from bot.case.errors import CaseError, CaseNotFound, NotAllowed


def status_of(error: CaseError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, CaseNotFound):
        return 404
    return 400


async def refused(request: web.Request, error: CaseError) -> web.Response:
    return await error_page(request, status_of(error), reason=error.reason)
