"""The note in a case's thread before it is due: the reference and the date, nothing else
(also with ``channel_content = "full"``: the case is closed, the note only reminds)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date

from bot.events import Platform
from bot.i18n import Translator, translator
from bot.notifications import case_thread
from bot.ports import DeliveryError, Messenger, Notification, Storage
from bot.schedule.calendar import AMSTERDAM
from bot.ui import Actions, LinkButton, Message, Note, Strong, Text

PAGE = "/console/bewaren"


def warning_note(reference: str, due_at: datetime, t: Translator, public_url: str) -> Message:
    day = format_date(due_at.astimezone(AMSTERDAM).date(), "d MMMM y", locale=t.language)
    text = t("{reference} will be deleted on {date}.", reference=reference, date=day)
    return Message(
        summary=text,
        blocks=[
            Text.of(Strong(text)),
            Note(t("Is it still needed? Extend it once, with a reason, in meldbot.")),
            Actions([LinkButton(t("Open in meldbot"), public_url.rstrip("/") + PAGE)]),
        ],
    )


@dataclass(frozen=True, slots=True)
class WarningSender:
    """Delivers ``retention.warning`` from the outbox."""

    storage: Storage
    messenger: Callable[[Platform], Messenger]
    language: str
    public_url: str

    async def __call__(self, notification: Notification) -> None:
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
        if case is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        if case.is_open or notification.payload is None:
            return  # reopened meanwhile: nothing is due
        due_at = datetime.fromisoformat(str(notification.payload["due"]))
        note = warning_note(case.reference, due_at, translator(self.language), self.public_url)
        await self.messenger(case.coordination_platform).send(case_thread(case), note)
