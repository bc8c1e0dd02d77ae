"""One step of the page: a neutral event to the core, its ``Response`` to a page.

The same dialogs as the chat: pressing a button is an ``ActionInvoked``, sending a form is
a ``FormSubmitted`` of the form that button opened. A form's fields and limits are asked
of the core again on every post (by the button its token names), never read from input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.staffpage import answers, views
from adapters.staffpage.tokens import Step, Tokens
from bot.events import ActionInvoked, Actor, Address, Event, FormSubmitted, MessageRef
from bot.i18n import translator
from bot.ports import Handler
from bot.ui import Button, Form, Message, Response


@dataclass(slots=True)
class Shown:
    """What a step puts on the page."""

    messages: list[Message] = field(default_factory=list)
    form: Form | None = None
    form_step: Step | None = None  # the step whose button opened ``form``
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200
    sent: bool = False  # a form was taken by the core


@dataclass(slots=True)
class Steps:
    handler: Handler
    tokens: Tokens

    async def call(self, event: Event) -> Response:
        return await self.handler(event)

    async def press(
        self, actor: Actor, step: Step, message: MessageRef | None = None
    ) -> tuple[Response, Shown]:
        response = await self.call(
            ActionInvoked(actor, personal(actor), step.action, step.value, message)
        )
        return response, shown(response, step)

    async def opened(
        self, actor: Actor, step: Step, message: MessageRef | None = None
    ) -> Form | None:
        """The form the step's button opens (on ``message``), as the core gives it now."""
        opening = Step(step.session, step.path, "press", step.action, step.value, step.message)
        response, _ = await self.press(actor, opening, message)
        return response.form

    async def submit(
        self,
        actor: Actor,
        step: Step,
        posted: Mapping[str, object],
        message: MessageRef | None = None,
    ) -> tuple[Response | None, Shown]:
        """The form's answers to the core; refused answers come back with what was typed."""
        opening = Step(step.session, step.path, "press", step.action, step.value, step.message)
        reopened, _ = await self.press(actor, opening, message)
        form = reopened.form
        if form is None:
            # What was typed is shown on its own, never dropped. The core answered instead
            # of opening the form: it could not (its database out of reach), and says so.
            kept = {k: v for k, v in posted.items() if isinstance(v, str) and k[:1] != "_"}
            said = [*reopened.private, *reopened.messages]
            return None, Shown(messages=said, values=kept, status=503 if said else 409)
        typed = answers.typed(form, posted)
        values, errors = answers.check(form, typed, translator(form.language))
        if not errors:
            # The token's nonce: a form sent twice is one, across restarts and instances too.
            key = f"staffpage:{step.nonce}:{form.form_id}" if step.nonce else None
            response = await self.call(FormSubmitted(actor, form.form_id, values, form.state, key))
            if not response.errors:
                result = shown(response, step)
                result.sent = True
                return response, result
            errors = dict(response.errors)
        return None, Shown(form=form, form_step=step, values=typed, errors=errors, status=400)

    def context(self, page: Shown, session: str, path: str) -> dict[str, Any]:
        """The templates' view of ``page``, with a signed token for every button and form."""

        def press(button: Button) -> str:
            return self.tokens.issue(Step(session, path, "press", button.action_id, button.value))

        form = None
        if page.form is not None and page.form_step is not None:
            step = page.form_step
            # A form sent and shown again (refused) is the same form: its nonce stays.
            nonce = step.nonce if step.kind == "form" else ""
            kept = Step(session, path, "form", step.action, step.value, step.message, nonce)
            token = self.tokens.issue(kept)
            form = views.form(page.form, token, press, page.values, page.errors)
        # Typed text whose form cannot come back is shown on its own, never dropped.
        typed = [v for v in page.values.values() if v.strip()] if form is None else []
        return {
            "shown": views.messages(page.messages, press),
            "form": form,
            "press": press,
            "kept_texts": typed,
        }


def personal(actor: Actor) -> Address:
    return Address("web", f"dm:{actor.user_id}", personal=True)


def shown(response: Response, step: Step) -> Shown:
    """A response on the page: what it shows in the form's place first, then its messages;
    a form it opens belongs to the button just pressed."""
    first = [m for m in (response.result, response.replace) if m is not None]
    said: list[Message] = []
    for message in [*first, *response.messages, *response.private]:
        if message not in said:  # a receipt is often both the result and a message
            said.append(message)
    return Shown(messages=said, form=response.form, form_step=step if response.form else None)
