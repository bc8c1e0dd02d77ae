"""Housekeeping: forget what is no longer needed, so nothing is kept longer than its purpose."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from bot.access.sessions import Sessions
from bot.attachments.service import Attachments
from bot.background import BackgroundTask
from bot.consultation.service import ConsultationService
from bot.consultation.throttle import GUESS_WINDOW
from bot.consultation.views import forgotten_card
from bot.events import Platform
from bot.i18n import translator
from bot.observability.logs import log_failure
from bot.ports import DeliveryError, Messenger, Storage
from bot.retention.service import Retention
from bot.schedule.calendar import AMSTERDAM
from bot.settings import Settings
from bot.submission import once

log = logging.getLogger(__name__)

# Slack retries within minutes; a day of delivery keys is ample to recognise a retry.
DELIVERY_MEMORY = timedelta(days=1)
INTERVAL_SECONDS = 3600.0


async def sweep(storage: Storage, now: datetime) -> tuple[int, int, int]:
    """Drop old delivery keys, expired dialog state and code-guess windows that ran out;
    returns how many of each."""
    deliveries = await storage.forget_deliveries(now - DELIVERY_MEMORY)
    async with storage.transaction() as tx:
        states = await tx.dialogs.purge_expired(now)
        guesses = await tx.guesses.forget_expired(now, GUESS_WINDOW)
    return deliveries, states, guesses


async def forget_consultations(
    consultations: ConsultationService, messengers: dict[Platform, Messenger], settings: Settings
) -> int:
    """Deletes consultations past their retention and blanks their cards in the channel,
    so the question does not stay readable there either."""
    days = settings.consultation_retention_days
    alerts = await consultations.forget_untouched(timedelta(days=days))
    card = forgotten_card(translator(settings.language), days)
    for alert in alerts:
        messenger = messengers.get(alert.platform)
        if messenger is None:
            continue
        try:
            await messenger.update(alert, card)
        except DeliveryError as error:
            log.warning("could not blank a deleted consultation's card (%s)", error)
    return len(alerts)


class Housekeeper(BackgroundTask):
    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], datetime],
        consultations: ConsultationService,
        messengers: dict[Platform, Messenger],
        settings: Settings,
        attachments: Attachments,
        sessions: Sessions | None = None,
        retention: Retention | None = None,
    ) -> None:
        super().__init__("meldbot-housekeeping", self._run)
        self._storage = storage
        self._clock = clock
        self._consultations = consultations
        self._messengers = messengers
        self._settings = settings
        self._attachments = attachments
        self._sessions = sessions
        self._retention = retention
        self._retained_on: date | None = None

    async def _run(self) -> None:
        while True:
            try:
                deliveries, states, guesses = await sweep(self._storage, self._clock())
                files = await self._attachments.forget_held()
                ended = await self._sessions.purge() if self._sessions else 0
                submissions = await once.forget(self._storage, self._clock())
                log.info(
                    "housekeeping: forgot %s delivery keys, %s dialog states, %s guess windows, "
                    "%s held files, %s ended sessions, %s form submissions",
                    deliveries,
                    states,
                    guesses,
                    files,
                    ended,
                    submissions,
                )
                await forget_consultations(self._consultations, self._messengers, self._settings)
                await self.retain_once_a_day()
            except Exception:
                log_failure(log, "housekeeping failed; trying again later")
            await asyncio.sleep(INTERVAL_SECONDS)

    async def retain_once_a_day(self) -> bool:
        """The retention run (bot/retention), in the first hourly round of each Amsterdam
        day; True when it ran. A failed run is tried again the next round."""
        today = self._clock().astimezone(AMSTERDAM).date()
        if self._retention is None or self._retained_on == today:
            return False
        await self._retention.run()
        self._retained_on = today
        return True
