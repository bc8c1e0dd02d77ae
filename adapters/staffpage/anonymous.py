"""The anonymous half of the page: consult, report and follow up with a code, no sign-in.

No cookie is set and none is read: a visit is a random id inside the signed tokens of its
own forms. Every post goes back to the page it came from, so the address never changes.
The visitor acts as ``Actor("web", "anon-<id>")``; nothing about the visit is kept.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from adapters.site import error_page, render
from adapters.staffpage.answers import typed
from adapters.staffpage.body import readable
from adapters.staffpage.guard import Guard
from adapters.staffpage.steps import Shown, Steps
from adapters.staffpage.tokens import Step, TokenRefused, Tokens, new_session
from bot.events import EPHEMERAL_PREFIX, Actor
from bot.i18n import N_

# Each anonymous page opens with the button the chat has for it.
STARTS = {
    "/melden/overleggen": ("consult.start", N_("Consult anonymously")),
    "/melden/anoniem": ("report.anonymous", N_("Report anonymously")),
    "/melden/code": ("receipt.enter", N_("I have a code")),
}
TOKEN_FIELD = "_anon"  # noqa: S105 (a field name, not a secret)
STEP = web.RequestKey("meldbot.staffpage.step", Step)
EXPIRED = web.RequestKey("meldbot.staffpage.expired", Step)
FORGED = N_("This form did not come from this page, or it was changed. Open the page again.")
FOREIGN = N_("This form was sent from another website. Open the page of meldbot itself.")
WRONG_HOST = N_("This address is not the address of the report page. Use the link you got.")
EXPIRED_TEXT = N_(
    "This page was open too long, so it ran out. What you typed is still here: check it "
    "and send it again."
)
TOO_OFTEN = N_("You sent a lot in a short time. Wait a few minutes, then send again.")
ALREADY_SENT = N_("This form was already sent. Look at the answer above, or start again.")
UNREADABLE = N_(
    "Part of what you sent could not be read (a broken character). Check the text in the "
    "box and send it again."
)
GONE = N_("This step cannot be done any more. Start again from the report page.")

Form = MultiDictProxy[str | bytes | bytearray | web.FileField]


def visitor(session: str) -> Actor:
    return Actor("web", EPHEMERAL_PREFIX + session, "")


class AnonymousPosts:
    """The site's check of a POST on an anonymous page: a token of ours, from our origin."""

    def __init__(self, tokens: Tokens, guard: Guard) -> None:
        self.tokens = tokens
        self.guard = guard

    def covers(self, path: str) -> bool:
        """The anonymous pages, the start page among them: no cookie is set there."""
        return path in STARTS or path == "/melden"

    async def check(self, request: web.Request, form: Form) -> web.StreamResponse | None:
        if not self.guard.right_host(request):
            return await error_page(request, 400, WRONG_HOST)
        if not self.guard.same_origin(request):
            return await error_page(request, 403, FOREIGN)
        try:
            step = self.tokens.read(form.get(TOKEN_FIELD), request.path)
        except TokenRefused as refused:
            if refused.step is None or not refused.step.session:
                return await error_page(request, 403, FORGED)
            request[EXPIRED] = refused.step  # signed, so the page can keep what was typed
            return None
        if not step.session:
            return await error_page(request, 403, FORGED)
        request[STEP] = step
        return None


class AnonymousPages:
    def __init__(self, steps: Steps, guard: Guard) -> None:
        self.steps = steps
        self.guard = guard

    def add_to(self, app: web.Application) -> None:
        for path in STARTS:
            app.router.add_get(path, self.start)
            app.router.add_post(path, self.post)

    async def start(self, request: web.Request) -> web.StreamResponse:
        if not self.guard.right_host(request):
            return await error_page(request, 400, WRONG_HOST)
        action, _title = STARTS[request.path]
        step = Step(new_session(), request.path, "press", action)
        _response, page = await self.steps.press(visitor(step.session), step)
        return await self._page(request, page, step.session)

    async def post(self, request: web.Request) -> web.StreamResponse:
        posted = await request.post()
        expired = request.get(EXPIRED)
        step = request.get(STEP) or expired
        if step is None:  # the site's check lets no other post through
            return await error_page(request, 403, FORGED)
        actor = visitor(step.session)
        refusal = None
        if expired:
            refusal = (403, EXPIRED_TEXT)
        elif not self.guard.may_post(step.session):
            refusal = (429, TOO_OFTEN)
        elif not await readable(request):
            refusal = (400, UNREADABLE)
        if refusal is not None:
            page = await self._kept(actor, step, posted, refusal[0])
            return await self._page(request, page, step.session, refusal[1])
        if step.kind == "press":
            _response, page = await self.steps.press(actor, step)
            return await self._page(request, page, step.session)
        if self.guard.already_sent(step.nonce):
            return await self._page(request, Shown(status=409), step.session, ALREADY_SENT)
        self.guard.mark_sent(step.nonce)  # before the core is asked: a double click is one
        _taken, page = await self.steps.submit(actor, step, posted)
        if not page.sent:
            self.guard.forget_sent(step.nonce)
        return await self._page(request, page, step.session, GONE if page.status == 409 else None)

    async def _kept(self, actor: Actor, step: Step, posted: Form, status: int) -> Shown:
        """The form of ``step`` again, with what was typed in it (nothing sent); when the
        form cannot come back (its code's session ran out too), the typed text alone."""
        form = await self.steps.opened(actor, step) if step.kind == "form" else None
        if form is None:
            texts = {k: v for k, v in posted.items() if isinstance(v, str) and k[:1] != "_"}
            return Shown(values=texts, status=status)
        return Shown(form=form, form_step=step, values=typed(form, posted), status=status)

    async def _page(
        self, request: web.Request, page: Shown, session: str, alert: str | None = None
    ) -> web.StreamResponse:
        # Not who may be signed in on this browser: an anonymous page shows no one.
        context: dict[str, Any] = self.steps.context(page, session, request.path)
        _action, title = STARTS[request.path]
        return await render(
            request,
            "staffpage/anonymous.html",
            status=page.status,
            title=title,
            here=request.path_qs,
            principal=None,
            csrf="",
            alert=alert,
            token_field=TOKEN_FIELD,
            **context,
        )
