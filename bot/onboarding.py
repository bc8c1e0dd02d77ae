"""Onboarding: one short welcome with the reporting route for newcomers.

Someone joining a configured team or channel (``settings.onboarding``) gets one personal
message, once ever, however many configured places they join. Bots and meldbot itself
never arrive here: the adapters leave them out of ``MembersJoined.members``.

Once only: a timer whose unique key is ``welcome:`` plus HMAC-SHA256 of
``"{platform}:{user_id}"`` under ``FeatureContext.person_key`` (derived from the seal
key). A keyed hash is acceptable here, where anonymous records forbid any hash of an id:
nothing links it to a report or consultation, it only answers "was this person welcomed",
and without the seal key nobody can test an id against it (``tests/privacy.py`` looks for
the unkeyed hashes a careless implementation would keep). Rotating the seal key changes
the keys, so someone welcomed before may be welcomed once more when they join again.

At once, not on the scheduler's next tick: the transaction that sets the timer also
writes the outbox row and marks the timer done, so the timer row is only the once-only
record; the outbox delivers and retries. The sealed payload (what the platform needs to
reach the person, ``Messenger.reach``) is cleared once the welcome has gone out, or has
failed for good.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any, cast, get_args

from bot.events import Actor, MembersJoined, Platform
from bot.i18n import translator
from bot.notifications import Sender
from bot.ports import DeliveryError, Notification
from bot.schedule.feature import Feature
from bot.schedule.scheduler import SENT
from bot.welcome import welcome

log = logging.getLogger(__name__)

WELCOME = "onboarding.welcome"  # the timer kind and the outbox kind
KEY_PREFIX = "welcome:"
WORKSPACE = "*"
"""The channel of a Slack ``team_join`` (anyone joining the workspace), as configured."""


def person_key(seal_key: str) -> bytes:
    """The welcome keys' HMAC key: derived from the sealing key in use (the first), so that
    the features get a key of their own and never the one that opens sealed data."""
    sealing = seal_key.split(",")[0].strip().encode()
    return hmac.new(sealing, b"meldbot: who was welcomed", hashlib.sha256).digest()


class Onboarding(Feature):
    def senders(self) -> dict[str, Sender]:
        return {WELCOME: self.deliver}

    def configured(self, event: MembersJoined) -> bool:
        """A configured channel, or a configured team the channel belongs to."""
        places = {event.address.conversation, event.team}
        return any(
            place.platform == event.address.platform and place.channel in places
            for place in self.context.settings.onboarding
        )

    def welcome_key(self, person: Actor) -> str:
        digest = hmac.new(
            self.context.person_key, f"{person.platform}:{person.user_id}".encode(), hashlib.sha256
        )
        return KEY_PREFIX + digest.hexdigest()

    async def joined(self, event: MembersJoined) -> int:
        """Records a welcome for each newcomer never welcomed before; returns how many.

        Never raises: a welcome is a courtesy, and a failure must not answer in the channel.
        """
        if not event.members or not self.configured(event):
            return 0
        if not self.context.person_key:
            log.warning("onboarding: no person key, so no welcomes")
            return 0
        try:
            welcomed = await self._record(event)
        except Exception as error:
            # The type only: a database error's text can carry the values it was writing.
            log.error("onboarding: welcomes not recorded (%s)", type(error).__name__)
            return 0
        if welcomed:
            self.context.wake_outbox()
        log.info("onboarding: %d of %d newcomers welcomed", welcomed, len(event.members))
        return welcomed

    async def _record(self, event: MembersJoined) -> int:
        platform = event.address.platform
        messenger = self.context.messenger(platform)
        newcomers: list[tuple[str, dict[str, Any]]] = []
        for person in event.members:
            if person.platform != platform or not person.user_id:
                continue
            try:
                reach = await messenger.reach(person.user_id)
            except DeliveryError:
                # No timer: the next time they join somewhere, meldbot tries again.
                log.info("onboarding: a newcomer cannot be reached yet")
                continue
            newcomers.append((self.welcome_key(person), reach))
        welcomed = 0
        now = self.context.clock()
        async with self.context.storage.transaction() as tx:
            for key, reach in newcomers:
                payload = {"platform": platform, "reach": reach}
                timer = await tx.timers.set(WELCOME, key, now, payload=payload)
                if timer is None:
                    continue  # welcomed before
                await tx.outbox.enqueue(WELCOME, timer_id=timer.id)
                await tx.timers.done(timer.id, now, SENT)
                welcomed += 1
        return welcomed

    async def deliver(self, notification: Notification) -> None:
        """The outbox's sender: one welcome DM, then the way to reach the person is dropped."""
        timer_id = notification.timer_id or 0
        async with self.context.storage.transaction() as tx:
            timer = await tx.timers.get(timer_id)
        if timer is None or not timer.payload:
            return  # delivered before (an outbox retry after the send went through)
        platform = timer.payload.get("platform")
        try:
            if platform not in get_args(Platform):
                raise DeliveryError("a welcome for an unknown platform", permanent=True)
            messenger = self.context.messenger(cast(Platform, platform))
            address = await messenger.address_of(timer.payload["reach"])
            t = translator(self.context.settings.language)
            await messenger.send(address, welcome(t, self.context.settings, address.platform))
        except DeliveryError as error:
            if error.permanent:
                await self._forget(timer_id)
            raise
        await self._forget(timer_id)

    async def _forget(self, timer_id: int) -> None:
        async with self.context.storage.transaction() as tx:
            await tx.timers.clear_payload(timer_id)
