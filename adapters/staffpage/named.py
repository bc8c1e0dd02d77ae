"""The named report at ``/melden/melding`` (where the embeddable button links): after
signing in with the console's sign-in, the report form and the person's own conversation
with meldbot, where its feedback arrives. Not signed in: the way to sign in, and the
anonymous routes.

Posts here are signed-in posts: the site's CSRF check of the session guards them.
"""

from __future__ import annotations

from aiohttp import web

from adapters.site import error_page, posted, principal_of, render
from adapters.site.requests import LANGUAGE
from adapters.staffpage import views
from adapters.staffpage.anonymous import ALREADY_SENT, FORGED, GONE, UNREADABLE, WRONG_HOST
from adapters.staffpage.answers import typed
from adapters.staffpage.body import readable
from adapters.staffpage.files import FILE_FIELD
from adapters.staffpage.guard import Guard
from adapters.staffpage.personal import PersonalChat
from adapters.staffpage.steps import Shown, Steps
from adapters.staffpage.tokens import Step, TokenRefused
from adapters.staffpage.views import Press
from adapters.staffpage.writing import Writing, Written
from bot.access.models import Principal
from bot.attachments.views import size_text
from bot.events import Actor, MessageRef
from bot.i18n import N_
from bot.ui import Button, Response

PATH = "/melden/melding"
STEP_FIELD = "_step"
TITLE = N_("Report with your name")
NAMED = ""  # a signed-in person's tokens carry no visit id: their session is who they are


def person(principal: Principal) -> Actor:
    return Actor("web", principal.key, principal.display)


def _above(response: Response, page: Shown) -> Shown:
    """Above the form only what answers it in its place (a receipt): what meldbot says in
    the chat is in their conversation below, once."""
    page.messages = [response.result] if response.result is not None else []
    return page


class NamedPage:
    def __init__(self, steps: Steps, guard: Guard, chat: PersonalChat, writing: Writing) -> None:
        self.steps = steps
        self.guard = guard
        self.chat = chat
        self.writing = writing

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(PATH, self.show)
        app.router.add_post(PATH, self.post)

    async def show(self, request: web.Request) -> web.StreamResponse:
        if not self.guard.right_host(request):
            return await error_page(request, 400, WRONG_HOST)
        principal = principal_of(request)
        if principal is None:
            return await render(request, "staffpage/signin.html", title=TITLE)
        step = Step(NAMED, PATH, "press", "report.start")
        _response, page = await self.steps.press(person(principal), step)
        return await self._page(request, principal, page)

    async def post(self, request: web.Request) -> web.StreamResponse:
        principal = principal_of(request)  # the site let only a signed-in post through
        if principal is None or not self.guard.right_host(request):
            return await error_page(request, 400, WRONG_HOST)
        form = await posted(request)
        try:
            step = self.steps.tokens.read(form.get(STEP_FIELD), PATH)
        except TokenRefused:
            return await error_page(request, 403, FORGED)
        if step.session != NAMED:
            return await error_page(request, 403, FORGED)
        actor = person(principal)
        if step.kind == "message":
            written = await self.writing.send(actor, principal.key, form, request[LANGUAGE])
            return await self._page(request, principal, written.page, written=written)
        ref = None
        if step.message:  # a button on a message of their conversation
            entry = self.chat.entry_with(principal.key, step.message, step.action, step.value)
            if entry is None:
                return await self._page(request, principal, Shown(status=409), GONE)
            ref = MessageRef("web", entry.conversation, entry.id)
        if step.kind == "press":
            pressed, page = await self.steps.press(actor, step, ref)
            await self.chat.record(principal.key, pressed, step.message or None)
            return await self._page(request, principal, _above(pressed, page))
        if not await readable(request):
            opened = await self.steps.opened(actor, step, ref)
            kept = typed(opened, form) if opened else {}
            page = Shown(form=opened, form_step=step, values=kept, status=400)
            return await self._page(request, principal, page, UNREADABLE)
        if self.guard.already_sent(step.nonce):
            return await self._page(request, principal, Shown(status=409), ALREADY_SENT)
        self.guard.mark_sent(step.nonce)  # before the core is asked: a double click is one
        taken, page = await self.steps.submit(actor, step, form, ref)
        if taken is None:
            self.guard.forget_sent(step.nonce)
        else:
            await self.chat.record(principal.key, taken, None)
            page = _above(taken, page)
        return await self._page(request, principal, page, GONE if page.status == 409 else None)

    def _on_entry(self, entry_id: str) -> Press:
        """A button in their conversation: its token names the message it is on."""

        def press(button: Button) -> str:
            step = Step(NAMED, PATH, "press", button.action_id, button.value, entry_id)
            return self.steps.tokens.issue(step)

        return press

    async def _page(
        self,
        request: web.Request,
        principal: Principal,
        page: Shown,
        alert: str | None = None,
        written: Written | None = None,
    ) -> web.StreamResponse:
        context = self.steps.context(page, NAMED, PATH)
        write = self.steps.tokens.issue(Step(NAMED, PATH, "message", "write"))
        entries = self.chat.entries(principal.key)
        conversation = [views.message(e.message, self._on_entry(e.id)) for e in entries]
        return await render(
            request,
            "staffpage/named.html",
            status=page.status,
            title=TITLE,
            here=PATH,
            alert=alert,
            token_field=STEP_FIELD,
            conversation=conversation,
            write=write,
            written=written or Written(page),
            files=FILE_FIELD,
            limits_count=str(self.writing.limits.max_files),
            limits_size=size_text(self.writing.limits.max_bytes, request[LANGUAGE]),
            **context,
        )
