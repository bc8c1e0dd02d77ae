"""Deleting one message a case left behind: the outbox's sender for ``RETRACT`` rows.

Already gone counts as deleted (the adapters say so by returning). A refusal that may pass
(rate limit, 5xx, network) is retried with the outbox's backoff for ``TRIES_FOR``;
a permanent one (Slack's ``cant_delete_message``) blanks the message instead; when that is
refused too, the row is given up, with the refusal kept as its last error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.events import Platform
from bot.i18n import Translator
from bot.ports import DeliveryError, Messenger, Notification
from bot.retraction.models import queued_since, retracted_ref
from bot.ui import Message, Text

log = logging.getLogger(__name__)

# How long a refusal that "may pass" is tried again before it is taken as final: long
# enough for an outage, short enough that the sealed reference does not stay for ever.
TRIES_FOR = timedelta(days=1)


def removed_message(t: Translator) -> Message:
    """What a message that cannot be deleted says instead: nothing of the case."""
    text = t("This message was removed: its retention period has ended.")
    return Message(text, (Text.of(text),))


class Retraction:
    def __init__(
        self,
        messenger: Callable[[Platform], Messenger],
        t: Translator,
        clock: Callable[[], datetime],
    ) -> None:
        self._messenger = messenger
        self._t = t
        self._clock = clock

    async def send(self, notification: Notification) -> None:
        ref = retracted_ref(notification.payload)
        if ref is None:
            raise DeliveryError("a retraction without its message", permanent=True)
        messenger = self._messenger(ref.platform)
        since = queued_since(notification.payload)
        last_try = since is None or self._clock() - since >= TRIES_FOR
        try:
            await messenger.delete(ref)
            return
        except DeliveryError as error:
            if not error.permanent:
                raise _final(error) if last_try else error from None
            log.info("retraction: delete refused (%s); blanking the message instead", error)
        try:
            await messenger.update(ref, removed_message(self._t))
        except DeliveryError as error:
            raise _final(error) if last_try else error from None


def _final(error: DeliveryError) -> DeliveryError:
    return DeliveryError(f"{error}; given up", permanent=True)
