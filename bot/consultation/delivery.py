"""Delivering what the consultation service recorded: the card, thread notes, notices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.case.detail import detail_on
from bot.case.service import RECEIPT_NOTICE
from bot.consultation import colleague
from bot.consultation.service import ALERT, CODE, THREAD, Issued
from bot.consultation.views import consultation_card, entry_note
from bot.events import Platform
from bot.i18n import translator
from bot.ports import DeliveryError, Messenger, Notification, Storage
from bot.settings import Settings

KINDS = frozenset({ALERT, THREAD, RECEIPT_NOTICE, CODE})


@dataclass(slots=True)
class ConsultationDelivery:
    storage: Storage
    messenger: Callable[[Platform], Messenger]
    settings: Settings

    async def send(self, notification: Notification) -> None:
        if notification.kind == RECEIPT_NOTICE:
            await self._notice(notification)
            return
        if notification.kind == CODE:
            await self._code(notification.payload or {})
            return
        async with self.storage.transaction() as tx:
            consultation = await tx.consultations.get(notification.consultation_id or 0)
            entries = await tx.consultations.entries(consultation.id) if consultation else []
        if consultation is None:
            raise DeliveryError("the consultation no longer exists", permanent=True)
        t = translator(self.settings.language)
        coordination = self.messenger(consultation.coordination_platform)
        first = entries[0] if entries else None
        detail = detail_on(coordination.platform, self.settings)
        if notification.kind == ALERT:
            card = consultation_card(consultation, first, t, detail)
            if consultation.alert is None:
                ref = await coordination.send(coordination.coordinator_channel(), card)
                async with self.storage.transaction() as tx:
                    await tx.consultations.set_alert(consultation.id, ref)
            else:
                await coordination.update(consultation.alert, card)
            return
        entry = next((e for e in entries if e.id == notification.entry_id), None)
        if entry is None:
            return
        if consultation.alert is None:
            raise DeliveryError("the consultation's card is not posted yet")
        is_first = first is not None and entry.id == first.id
        note = entry_note(consultation, entry, is_first, t, detail)
        await coordination.send(consultation.alert.thread(), note)

    async def _notice(self, notification: Notification) -> None:
        """ "There is news", to the contact the colleague left, if it is still there."""
        async with self.storage.transaction() as tx:
            if notification.consultation_id is not None:
                consultation = await tx.consultations.get(notification.consultation_id)
                receipt, language = (
                    (consultation.receipt, consultation.language) if consultation else (None, "nl")
                )
            else:
                case = await tx.cases.get(notification.case_id or 0)
                receipt, language = (case.receipt, case.report.language) if case else (None, "nl")
            contact = await tx.receipts.contact(receipt.id) if receipt else None
        if contact is None:
            return  # closed since, or never asked for: nothing to send, nobody to find
        messenger = self.messenger(contact.platform)
        address = await messenger.address_of(contact.reach)
        news = colleague.news(translator(language))
        await messenger.send(address, replace(news, anonymous=True))

    async def _code(self, payload: dict[str, Any]) -> None:
        """The receipt code in the colleague's chat. The form showed it already; this copy
        stays where they will look for it later."""
        if not payload.get("code"):
            raise DeliveryError("a receipt code without its code", permanent=True)
        issued = Issued(
            str(payload["pseudonym"]),
            str(payload["code"]),
            payload.get("reference"),
            bool(payload.get("urgent")),
            bool(payload.get("trafficking")),
        )
        messenger = self.messenger(payload["platform"])
        address = await messenger.address_of(dict(payload["reach"]))
        message = colleague.issued(
            issued, translator(payload["language"]), self.settings.trafficking_external_reports
        )
        await messenger.send(address, replace(message, anonymous=True))
