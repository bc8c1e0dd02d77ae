"""``/signin``, ``/signin/start``, ``/signin/callback``, ``/signin/local``, ``/signout``.

With ``[signin]``: the sign-in page leads to the provider (state, nonce and the PKCE
verifier wait server-side, behind a ten-minute cookie); the callback checks it all and
starts a session. Without it, and only for a request to and from this machine, the page
lists the demo personas.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlencode

from aiohttp import web

from adapters.site.guard import is_local
from adapters.site.oidc import ProviderUnreachable, SignInRefused
from adapters.site.requests import pre_csrf, principal_of, safe_back, see_other
from adapters.site.site import Site
from bot.access.config import SignIn
from bot.access.models import Principal
from bot.access.pending import new_token
from bot.events import Actor
from bot.i18n import N_
from bot.text import clean_name

log = logging.getLogger(__name__)

ATTEMPT = "signin"
ATTEMPT_TTL = timedelta(minutes=10)
UNREACHABLE = N_("The sign-in service cannot be reached right now. Try again in a few minutes.")
LOST = N_("This sign-in has expired or was not started here. Please sign in again.")
DECLINED = N_("The sign-in service did not sign you in.")
NOT_HERE = N_("The demo sign-in works only on the computer meldbot runs on.")


def principal_from(claims: dict[str, object], config: SignIn) -> Principal:
    """Who the id_token says this is, with the roles its claim maps to."""
    subject = str(claims["sub"])
    names = (claims.get(key) for key in ("name", "preferred_username", "email"))
    name = next((clean_name(n) for n in names if isinstance(n, str) and clean_name(n)), None)
    email = claims.get("email")
    return Principal(
        subject,
        name or subject,
        config.roles_of(claims),
        email if isinstance(email, str) else None,
    )


class SignInRoutes:
    def __init__(self, site: Site) -> None:
        self._site = site

    def add_to(self, app: web.Application) -> None:
        app.router.add_get("/signin", self.page)
        app.router.add_get("/signin/start", self.start)
        app.router.add_get("/signin/callback", self.callback)
        app.router.add_post("/signin/local", self.local)
        app.router.add_post("/signout", self.sign_out)

    async def page(self, request: web.Request) -> web.StreamResponse:
        site = self._site
        back = safe_back(request.query.get("next"))
        expired = request.query.get("verlopen") == "1"
        signed_out = request.query.get("uitgelogd") == "1"
        title = N_("Sign in")
        if site.provider is not None:
            if principal_of(request) is not None and not expired:
                return see_other(back)
            start = "/signin/start?" + urlencode({"next": back})
            return await site.render(
                request,
                "site/signin.html",
                title=title,
                start=start,
                expired=expired,
                signed_out=signed_out,
            )
        if not is_local(request):
            return await site.error(request, 403, reason=NOT_HERE)
        pre = request.cookies.get(site.cookies.signin) or new_token()
        response = await site.render(
            request,
            "site/local.html",
            title=title,
            personas=site.local,
            back=back,
            form_token=pre_csrf(pre),
            expired=expired,
            signed_out=signed_out,
        )
        site.cookies.set(response, site.cookies.signin, pre, max_age=3600)
        return response

    async def local(self, request: web.Request) -> web.StreamResponse:
        site = self._site
        if site.provider is not None:
            raise web.HTTPNotFound
        if not is_local(request):
            return await site.error(request, 403, reason=NOT_HERE)
        form = await request.post()
        persona = next((p for p in site.local if p.id == form.get("persona")), None)
        if persona is None:
            raise web.HTTPBadRequest
        await self._end_current(request)
        principal = Principal(f"local:{persona.id}", persona.name, persona.roles)
        also = Actor("web", persona.id)
        return await site.start_session(principal, str(form.get("next", "")), also=also)

    async def start(self, request: web.Request) -> web.StreamResponse:
        site, provider = self._site, self._site.provider
        if provider is None:
            raise web.HTTPNotFound
        try:
            attempt = await provider.begin()
        except ProviderUnreachable as error:
            log.warning("sign-in service unreachable (%s)", error)
            return await site.error(request, 502, reason=UNREACHABLE)
        state = {
            "state": attempt.state,
            "nonce": attempt.nonce,
            "code_verifier": attempt.code_verifier,
            "back": safe_back(request.query.get("next")),
        }
        token = await site.pending.put(ATTEMPT, state, ATTEMPT_TTL)
        response = web.Response(status=302, headers={"Location": attempt.url})
        site.cookies.set(response, site.cookies.signin, token, max_age=600)
        return response

    async def callback(self, request: web.Request) -> web.StreamResponse:
        site, provider = self._site, self._site.provider
        if provider is None or site.settings.signin is None:
            raise web.HTTPNotFound
        token = request.cookies.get(site.cookies.signin, "")
        attempt = await site.pending.take(ATTEMPT, token) if token else None
        if attempt is None:
            log.info("sign-in refused: no such attempt")
            return await site.error(request, 400, reason=LOST)
        if "error" in request.query:
            log.info("sign-in refused by the provider")
            return await site.error(request, 400, reason=DECLINED)
        code = request.query.get("code")
        if request.query.get("state") != attempt["state"] or not code:
            log.info("sign-in refused: not this attempt's answer")
            return await site.error(request, 400, reason=LOST)
        try:
            claims = await provider.finish(code, attempt)
        except SignInRefused as refusal:
            log.warning("sign-in refused: %s", type(refusal.__cause__ or refusal).__name__)
            return await site.error(request, 400, reason=refusal.reason)
        except ProviderUnreachable as error:
            log.warning("sign-in service unreachable (%s)", error)
            return await site.error(request, 502, reason=UNREACHABLE)
        principal = principal_from(claims, site.settings.signin)
        log.info("signed in with %d roles", len(principal.roles))
        await self._end_current(request)
        return await site.start_session(
            principal, str(attempt["back"]), also=self._teams(claims, site.settings.signin)
        )

    @staticmethod
    def _teams(claims: dict[str, object], config: SignIn) -> Actor | None:
        """The Teams identity the sign-in proves: Entra's object id (a GUID) is Teams'
        ``aadObjectId``."""
        value = claims.get(config.teams_claim) if config.teams_claim else None
        if not isinstance(value, str) or len(value) != 36:
            return None
        return Actor("teams", value)

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        await self._end_current(request)
        response = see_other("/signin?uitgelogd=1")
        self._site.cookies.clear(response, self._site.cookies.session)
        return response

    async def _end_current(self, request: web.Request) -> None:
        token = request.cookies.get(self._site.cookies.session)
        if token:
            await self._site.sessions.end(token)
