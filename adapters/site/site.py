"""``Site``: what meldbot's own pages share, mounted once on the aiohttp application."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

from aiohttp import web
from yarl import URL

from adapters.site.assets import Assets
from adapters.site.headers import Cookies, add_security_headers
from adapters.site.local import LocalPersona, local_personas
from adapters.site.oidc import Provider
from adapters.site.pages import Pages
from adapters.site.requests import (
    HOME,
    LANGUAGE,
    found_of,
    principal_of,
    safe_back,
    see_other,
    session_of,
)
from bot.access.links import Links
from bot.access.models import Principal, Role, StoredSession
from bot.access.pending import Pending
from bot.access.service import Access
from bot.access.sessions import Sessions
from bot.i18n import LANGUAGES, N_, translator
from bot.settings import Settings

log = logging.getLogger(__name__)

PARKED = "parked-form"
PARKED_TTL = timedelta(hours=1)
ENDING_SOON = timedelta(minutes=10)
YEAR_SECONDS = 365 * 24 * 3600
ERRORS = {
    400: (N_("This request cannot be read"), N_("Something in it is missing or not right.")),
    403: (N_("You have no access to this"), N_("Your role does not allow this page or action.")),
    404: (N_("This page does not exist"), N_("Check the address, or go back to the start.")),
    405: (N_("This request cannot be read"), N_("Something in it is missing or not right.")),
    413: (N_("That is too much at once"), N_("Send less at a time.")),
    502: (N_("Signing in is not possible now"), N_("Try again in a few minutes.")),
}
UNAVAILABLE = (
    N_("This is not possible right now"),
    N_("Something went wrong on our side, so nothing was saved. Try again in a moment."),
)


class AnonymousPosts(Protocol):
    """Pages for visitors who do not sign in (the staff page's anonymous routes): no cookie
    is set there, and a POST proves itself with the page's own token instead of a session."""

    def covers(self, path: str) -> bool: ...

    async def check(self, request: web.Request, form: Any) -> web.StreamResponse | None:
        """None: the handler may go on; else the answer instead of it."""
        ...


class Site:
    """The kit: see ``adapters.site`` for how a page uses it."""

    def __init__(
        self,
        settings: Settings,
        sessions: Sessions,
        pending: Pending,
        links: Links,
        access: Access,
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.pending = pending
        self.links = links
        self.access = access
        self.clock = clock
        self.cookies = Cookies(secure=settings.public_url.startswith("https://"))
        self.assets = Assets()
        self.pages = Pages(settings.organisation, self.assets.stylesheets)
        self.paths: list[str] = ["/console", "/signin", "/signout", "/koppelen", "/site"]
        self.provider: Provider | None = None
        self.local: list[LocalPersona] = []
        self.anonymous: list[AnonymousPosts] = []
        self.uploads: dict[str, int] = {}  # path -> the body a POST there may have (files)
        if settings.signin is not None:
            self.provider = Provider(settings.signin, settings.public_url + "/signin/callback")
        elif settings.on_this_machine:
            self.local = local_personas(settings)
        else:
            # The demo sign-in lets anyone be anyone: never at a public address.
            log.warning(
                "no [signin] at a public address: nobody can sign in to the console or "
                "report with their name until the organisation's OpenID provider is set"
            )

    # -- mounting -----------------------------------------------------------------------

    def serve_under(
        self,
        prefix: str,
        *,
        anonymous: AnonymousPosts | None = None,
        uploads: dict[str, int] | None = None,
    ) -> None:
        """Another part of the site (a staff page): sessions, CSRF and error pages there too;
        ``anonymous`` names its pages for visitors without a session, and checks their posts;
        ``uploads``: the paths that take files, with the largest body each may post."""
        self.paths.append(prefix.rstrip("/"))
        if anonymous is not None:
            self.anonymous.append(anonymous)
        self.uploads.update(uploads or {})

    def anonymous_at(self, path: str) -> AnonymousPosts | None:
        return next((a for a in self.anonymous if a.covers(path)), None)

    def owns(self, path: str) -> bool:
        return any(path == prefix or path.startswith(prefix + "/") for prefix in self.paths)

    def mount(self, app: web.Application) -> None:
        from adapters.site.linking import LinkRoutes
        from adapters.site.middleware import site_middleware
        from adapters.site.signin import SignInRoutes

        app[SITE] = self
        app.middlewares.append(site_middleware(self))
        app.on_response_prepare.append(add_security_headers)
        self.assets.add_to(app)
        SignInRoutes(self).add_to(app)
        LinkRoutes(self).add_to(app)

    # -- people -------------------------------------------------------------------------

    async def has_any(self, principal: Principal, roles: Iterable[Role]) -> bool:
        """Whether the person has one of ``roles``: as the core says (``Access.roles``,
        linked chat identities included), so pages and chat buttons agree."""
        return bool(set(roles) & await self.access.roles(principal))

    def language_of(self, request: web.Request) -> str:
        chosen = request.query.get("taal") or request.cookies.get(self.cookies.language)
        return chosen if chosen in LANGUAGES else self.settings.language

    def sign_in_url(self, back: str, *, expired: bool = False) -> str:
        query = {"next": safe_back(back)} | ({"verlopen": "1"} if expired else {})
        return f"/signin?{urlencode(query)}"

    async def start_session(
        self, principal: Principal, back: str, *, also: Any = None
    ) -> web.StreamResponse:
        """Signs ``principal`` in and sends the browser on to ``back``."""
        token, _session = await self.sessions.start(principal)
        await self.links.signed_in(principal, also=also)
        response = see_other(safe_back(back))
        self.cookies.set(response, self.cookies.session, token)
        self.cookies.clear(response, self.cookies.signin)
        return response

    # -- pages --------------------------------------------------------------------------

    async def render(
        self,
        request: web.Request,
        template: str,
        *,
        status: int = 200,
        restore: bool = True,
        **context: Any,
    ) -> web.Response:
        """The page ``template`` (which extends ``site/base.html``) as an HTML response;
        ``restore``: a form kept over a sign-in is filled in again (from the database)."""
        language = request.get(LANGUAGE) or self.language_of(request)
        session = session_of(request)
        parked, consumed = await self._restore(request, session) if restore else (None, False)
        t = translator(language)
        # A page shown in answer to a POST says which page it stands for (``here=``).
        default = request.path_qs if request.method == "GET" else HOME
        here = safe_back(context.pop("here", None), default)
        switch = URL(here).update_query(taal="en" if language == "nl" else "nl")
        page: dict[str, Any] = {
            "principal": session.principal if session else None,
            "csrf": session.csrf if session else "",
            "here": here,
            "parked": parked is not None,
            "kept": _kept(parked),
            "switch_url": str(switch),
            "session_ends": t.time_of_day(session.ends_at) if session else "",
            "ending_soon": bool(session and session.ends_at - self.clock() < ENDING_SOON),
        }
        html = self.pages.render(template, language, page | context)
        response = web.Response(text=html, content_type="text/html", status=status)
        if consumed:
            self.cookies.clear(response, self.cookies.form)
        return response

    async def error(
        self, request: web.Request, status: int, *, reason: str | None = None
    ) -> web.Response:
        """The kit's error page for ``status`` (400, 403, 404, 413); ``reason`` a message id."""
        title, text = ERRORS.get(status, ERRORS[400])
        return await self.render(
            request, "site/error.html", status=status, title=title, text=reason or text
        )

    async def unavailable(self, request: web.Request) -> web.Response:
        """The page when something meldbot needs (its database) cannot be reached: a 503
        that needs nothing from the database itself."""
        title, text = UNAVAILABLE
        return await self.render(
            request, "site/error.html", status=503, restore=False, title=title, text=text
        )

    # -- forms kept over a sign-in ------------------------------------------------------

    async def park(self, session: StoredSession, action: str, back: str, fields: Any) -> str:
        state: dict[str, Any] = {
            "subject": session.principal.subject,
            "action": action,
            "back": back,
            "fields": [[name, value] for name, value in fields],
        }
        return await self.pending.put(PARKED, state, PARKED_TTL)

    async def _restore(
        self, request: web.Request, session: StoredSession | None
    ) -> tuple[dict[str, Any] | None, bool]:
        """The form this person was filling in when their session ran out, on the page
        they filled it in on, once; and whether the kept form is used up (someone else's
        is dropped)."""
        token = request.cookies.get(self.cookies.form)
        if session is None or not token:
            return None, False
        state = await self.pending.peek(PARKED, token)
        if state is None:
            return None, True
        if state["back"] != request.path_qs:
            return None, False
        await self.pending.take(PARKED, token)
        mine = state["subject"] == session.principal.subject
        return (state if mine else None), True


def _kept(parked: dict[str, Any] | None) -> Callable[[str, str, str], str]:
    """``kept(action, name, default)`` in a template: the value kept for that form field."""
    values: dict[tuple[str, str], str] = {}
    for name, value in (parked or {}).get("fields", []):
        values.setdefault((str((parked or {})["action"]), str(name)), str(value))

    def kept(action: str, name: str, default: str = "") -> str:
        return values.get((action, name), default)

    return kept


SITE = web.AppKey("meldbot.site", Site)


Handler = Callable[..., Awaitable[web.StreamResponse]]


def require(*roles: Role) -> Callable[[Handler], Handler]:
    """A handler (function or method) for people signed in with one of ``roles`` — or
    anyone signed in, when none are named. Without a session the browser is sent to sign
    in and back here afterwards; with none of the roles the answer is the 403 page. The
    role check asks the core (``Access.roles``), as the chat buttons do."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(*args: Any) -> web.StreamResponse:
            request: web.Request = args[-1]
            site = request.config_dict[SITE]
            principal = principal_of(request)
            if principal is None:
                expired = found_of(request) is not None
                return see_other(site.sign_in_url(request.path_qs, expired=expired))
            if roles and not await site.has_any(principal, roles):
                return await site.error(request, 403)
            return await handler(*args)

        return guarded

    return decorate


async def render(request: web.Request, template: str, **context: Any) -> web.Response:
    """``Site.render`` for the request's site."""
    return await request.config_dict[SITE].render(request, template, **context)


async def error_page(request: web.Request, status: int, reason: str | None = None) -> web.Response:
    """``Site.error`` for the request's site."""
    return await request.config_dict[SITE].error(request, status, reason=reason)
