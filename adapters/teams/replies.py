"""Carrying out the core's answer in Teams.

A card action is answered with a card: a form shown in place of the card whose button
was pressed (only the person who pressed sees it), the form again with its errors, or
the card as it was once the form is sent or closed. Everything else is posted after
the answer: messages to the conversation (a form's to the person's chat), and what is
``private`` to the person's own chat, since Teams has no ephemeral messages in channels.
"""

from __future__ import annotations

import logging
from typing import Any

from microsoft_agents.activity import Activity

from adapters.teams import inbound, render
from adapters.teams.messenger import TeamsMessenger
from bot.events import Address, Event, FormSubmitted
from bot.i18n import N_, Translator, translator
from bot.observability.logs import log_failure
from bot.ports import DeliveryError
from bot.recent import Recent
from bot.ui import Form, Message, Response, Text

log = logging.getLogger(__name__)

FORMS_KEPT = 2000
SENT = N_("Sent")
SENT_NOTE = N_("Thank you, this form was sent.")
CANCEL = N_("Cancel")
DONE = N_("Done.")
REQUIRED = N_("Please fill this in.")


class Replies:
    def __init__(
        self, messenger: TeamsMessenger, cards: Recent[dict[str, Any]], t: Translator
    ) -> None:
        self._messenger = messenger
        self._cards = cards
        self._t = t
        self._forms: Recent[Form] = Recent(FORMS_KEPT)  # the form each message shows

    def invoke_answer(
        self, response: Response, event: Event, shown: str | None
    ) -> tuple[dict[str, Any] | None, str]:
        """The card that replaces the one used (or ``None`` and a short text to show)."""
        if response.errors and isinstance(event, FormSubmitted):
            form = self._forms.get(shown)
            if form is None:
                return None, " ".join(response.errors.values())
            return form_card(form, errors=response.errors, values=event.values, sent=event), ""
        if response.form is not None:
            self._forms.remember(shown or "", response.form)
            return form_card(response.form), ""
        if response.result is not None:
            # In the invoke answer, Teams shows it even when the Bot Connector is failing.
            return render.message_card(response.result), ""
        if response.replace is not None:
            return render.message_card(response.replace), ""
        if isinstance(event, FormSubmitted):
            sent = self._forms.get(shown)
            t = translator(sent.language) if sent is not None else self._t
            return self._cards.get(shown) or render.closed_form_card(t(SENT), t(SENT_NOTE)), ""
        if response.private:
            return None, " ".join(message.summary for message in response.private)
        return self._cards.get(shown), self._t(DONE)

    async def deliver(
        self, response: Response, event: Event, activity: Activity, *, answered: bool
    ) -> None:
        """Everything the invoke answer did not carry (all of it when there was none)."""
        here = inbound.address(activity)
        if isinstance(event, FormSubmitted) or (response.form and not here.personal):
            here = await self._personal(event) or here
        if not answered:
            await self._unanswered(response, event, activity, here)
        elif response.private and _card_answered(response, event):
            await self._to_person(event, response.private)
        if response.replace is not None:
            pressed = inbound.pressed_message(activity)
            if pressed is not None:  # for everyone, and for good
                await self._guard(self._messenger.update(pressed, response.replace))
        for message in response.messages:
            await self._guard(self._messenger.send(here, message))

    async def _unanswered(
        self, response: Response, event: Event, activity: Activity, here: Address
    ) -> None:
        if response.errors and isinstance(event, FormSubmitted):
            form = self._forms.get(activity.reply_to_id)
            if form is not None:
                card = form_card(form, errors=response.errors, values=event.values, sent=event)
                await self._post_form(here, form, card)
            else:
                await self._to_person(event, [_text(" ".join(response.errors.values()))])
        if response.form is not None:
            await self._post_form(here, response.form, form_card(response.form))
        if response.private:
            await self._to_person(event, response.private)
        if response.home is not None:
            await self._guard(self._messenger.send(here, response.home))

    async def _post_form(self, here: Address, form: Form, card: dict[str, Any]) -> None:
        ref = await self._guard(self._messenger.send_card(here, card, form.title))
        if ref is not None:
            self._forms.remember(ref.message_id, form)

    async def _to_person(self, event: Event, messages: list[Message]) -> None:
        address = await self._personal(event)
        if address is None:
            log.warning("teams: a private answer had nowhere to go")
            return
        for message in messages:
            await self._guard(self._messenger.send(address, message))

    async def _personal(self, event: Event) -> Address | None:
        try:
            return await self._messenger.personal_address(event.actor.user_id)
        except DeliveryError:
            return None

    async def _guard(self, step: Any) -> Any:
        try:
            return await step
        except DeliveryError as error:
            log.error("teams: reply failed (%s)", error)
        except Exception:
            log_failure(log, "teams: reply failed")
        return None


def form_card(
    form: Form,
    *,
    errors: dict[str, str] | None = None,
    values: Any = None,
    sent: Event | None = None,
) -> dict[str, Any]:
    """The form as a card; Teams' own words on it ("Cancel", "Please fill this in") are in
    the form's language, the person's, not the organisation's."""
    t = translator(form.language)
    return render.form_card(
        form,
        errors=errors,
        values=values,
        cancel_label=form.cancel_label or t(CANCEL),
        required_message=t(REQUIRED),
        # Shown again with errors, it is the same rendering: sent again, it is the same form.
        rendering=inbound.rendering(sent) if isinstance(sent, FormSubmitted) else None,
    )


def _card_answered(response: Response, event: Event) -> bool:
    """Private messages went into the invoke answer only when no card did."""
    return bool(response.form or response.replace or isinstance(event, FormSubmitted))


def _text(text: str) -> Message:
    return Message(text, [Text.of(text)])
