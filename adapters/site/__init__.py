"""The kit of meldbot's own web pages: sign-in, sessions, CSRF, headers, templates, assets.

The composition root builds one ``Site`` and mounts it (``site.mount(app)``); a surface
such as the console then adds its routes and templates and uses the helpers below.
Everything here serves paths under ``site.paths`` (``/console``, ``/signin``,
``/signout``, ``/koppelen``, ``/site``; ``site.serve_under("/melden")`` adds one).

A page, start to end::

    from adapters.site import SITE, error_page, principal_of, render, require
    from bot.access.models import Role

    class ConsoleRoutes:
        def add_to(self, app: web.Application) -> None:
            app[SITE].pages.add_templates(Path(__file__).parent / "templates")
            app.router.add_get("/console/zaken/{reference}", self.case)
            app.router.add_post("/console/zaken/{reference}/notitie", self.note)

        @require(Role.COORDINATOR)            # any of the roles; @require(): anyone signed in
        async def case(self, request: web.Request) -> web.StreamResponse:
            principal = principal_of(request)  # a bot.access.models.Principal, never None here
            case = await self.queries.open(principal, request.match_info["reference"])
            if case is None:
                return await error_page(request, 404)
            return await render(request, "console/case.html", title=N_("Case"), case=case)

        @require(Role.COORDINATOR)
        async def note(self, request: web.Request) -> web.StreamResponse:
            form = await request.post()      # CSRF was checked before this runs
            ...
            return see_other(f"/console/zaken/{reference}")

``require(*roles)``
    Without a session: a GET goes to ``/signin?next=<this page>`` and comes back after
    signing in. A person with none of the roles gets the 403 page. Roles come from
    ``Access.roles`` in the core (the sign-in's claim plus linked chat identities), the
    same answer the chat buttons get. It is the page's gate only: core services still
    check their own actions.
``principal_of(request)`` / ``session_of(request)``
    The signed-in ``Principal`` (``.key`` = ``"console:<subject>"``, ``.display``,
    ``.roles``) and the ``StoredSession`` (``.csrf``, ``.ends_at``), or None.
``render(request, template, *, status=200, title=N_("…"), **context)``
    An HTML response. The template extends ``site/base.html`` and fills
    ``{% block content %}``; ``title`` is a message id. Every template gets ``t`` (the
    translator in the person's language: ``{{ t("Open cases") }}``, placeholders
    ``{{ t("Case {reference}", reference=case.reference) }}``), ``language``,
    ``organisation``, ``principal``, ``csrf``, ``here`` (this page's path and query),
    ``session_ends`` and ``kept``. Autoescape is on: never mark user text ``|safe``.
``error_page(request, status, reason=None)``
    The kit's 400/403/404/413 page (``reason``: a message id). Raising
    ``web.HTTPNotFound`` and the like inside a handler gives the same page.
``see_other(path)``
    A 303 to a GET: after a successful POST (post/redirect/get).
Forms
    ``{% from "site/macros.html" import form, textbox, textarea, submit with context %}``
    then ``{% call form("/console/zaken/M-1/notitie") %}{{ textarea("/console/zaken/M-1/notitie",
    "text", N_("Note")) }}{{ submit(N_("Save")) }}{% endcall %}``. ``form`` adds the
    hidden ``_csrf`` and ``_return`` fields; a hand-written form must carry both. Every
    POST under the site's paths is refused (403 page) without the session's token. When
    the session ran out before the POST, the fields are kept (sealed, an hour), the person
    signs in again, returns to ``_return``, and ``textbox``/``textarea`` — or
    ``kept(action, name, default)`` in your own markup — show what they had typed, with a
    note saying so. Nothing is sent until they press the button again.
Looks
    NL Design System: Utrecht component classes (``utrecht-heading-1``,
    ``utrecht-paragraph``, ``utrecht-button utrecht-button--primary-action``,
    ``utrecht-table``, ``utrecht-alert utrecht-alert--warning``,
    ``utrecht-status-badge``…) with the voorbeeld theme's tokens; meldbot's own rules in
    ``static/site.css`` (``meldbot-*``). No inline script or style: the CSP forbids it.
    Every response gets ``Cache-Control: no-store``, ``Referrer-Policy: no-referrer``,
    ``X-Content-Type-Options: nosniff`` and the CSP (a handler's own header wins).
Pages without sign-in
    ``site.serve_under("/melden", anonymous=checker, uploads={"/melden/melding": limit})``:
    on the paths ``checker.covers`` the site looks at no session and sets no cookie (not
    even the language's), and a POST is ``checker.check``-ed (the page's own signed token)
    instead of the session's CSRF. ``uploads`` names paths whose POST may carry files, up
    to ``limit`` bytes; their handler reads the form with ``posted(request)``.
Identity
    ``app[SITE].links.keys(principal)``: every key a person acts under (``console:…``
    and linked chat identities), what ``case.handler_id`` holds for "mine".
"""

from adapters.site.requests import posted, principal_of, see_other, session_of, signed_in
from adapters.site.site import SITE, AnonymousPosts, Site, error_page, render, require

__all__ = [
    "SITE",
    "AnonymousPosts",
    "Site",
    "error_page",
    "posted",
    "principal_of",
    "render",
    "require",
    "see_other",
    "session_of",
    "signed_in",
]
