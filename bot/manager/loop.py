"""What the reporter and the manager get in their chat, through the outbox, and when.

The consent question goes to the reporter's personal chat; the invitation and "Hoe ging
het?" to the manager's: their chat identity, or the chat linked to their sign-in. A
manager meldbot cannot reach in a chat (an e-mail address, a sign-in without a linked
chat) answers on the case page in meldbot instead, which the console tells the coordinator.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.access.links import Links
from bot.case.detail import detail_on
from bot.case.models import Case
from bot.events import Actor
from bot.i18n import translator
from bot.letters.delivery import form_for_manager
from bot.letters.sending import MANAGER_LETTER, letter_url
from bot.manager import views
from bot.manager.models import CHAT_PLATFORMS, Invitation, Invitee
from bot.manager.service import (
    ASK_DUE,
    CLOSED_STEPS,
    CONSENT_QUESTION,
    HOW_DID_IT_GO,
    INVITATION,
    REMIND_DUE,
    invitation_prefix,
)
from bot.measures.guidance import Guidance
from bot.measures.models import Measure
from bot.notifications import Sender
from bot.ports import DeliveryError, Notification, Transaction
from bot.schedule.calendar import add_working_days
from bot.schedule.feature import Feature, FeatureContext
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, TimerHandler
from bot.ui import LinkButton

log = logging.getLogger(__name__)


class ManagerLoop(Feature):
    def __init__(self, context: FeatureContext, guidance: Guidance, links: Links | None) -> None:
        super().__init__(context)
        self.guidance = guidance
        self.links = links

    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {ASK_DUE: self._ask, REMIND_DUE: self._remind}

    def senders(self) -> dict[str, Sender]:
        return {
            CONSENT_QUESTION: self._consent_question,
            INVITATION: self._invitation,
            HOW_DID_IT_GO: self._how,
            MANAGER_LETTER: self._letter,
        }

    async def _ask(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        skipped = await self._still_open(tx, timer)
        if skipped:
            return skipped
        await tx.outbox.enqueue(HOW_DID_IT_GO, case_id=timer.case_id, payload=timer.payload)
        days = self.context.settings.manager_reminder_days
        key = f"{invitation_prefix(int(timer.payload['invitation']))}:remind"
        remind_at = add_working_days(now, days)
        await tx.timers.set(
            REMIND_DUE, key, remind_at, case_id=timer.case_id, payload=timer.payload
        )
        return SENT

    async def _remind(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        skipped = await self._still_open(tx, timer)
        if skipped:
            return skipped
        payload = {**timer.payload, "reminder": True}
        await tx.outbox.enqueue(HOW_DID_IT_GO, case_id=timer.case_id, payload=payload)
        return SENT

    @staticmethod
    async def _still_open(tx: Transaction, timer: Timer) -> str | None:
        invitation = await tx.invitations.get(int(timer.payload.get("invitation", 0)))
        if invitation is None:
            return "skipped: the invitation is gone"
        if invitation.answer is not None:
            return "skipped: answered"
        case = await tx.cases.get(invitation.case_id)
        measure = await tx.measures.get(invitation.measure_id)
        if case is None or not case.is_open:
            return "skipped: closed"
        if measure is None or measure.step in CLOSED_STEPS:
            return "skipped: the measure ended"
        return None

    async def _consent_question(self, notification: Notification) -> None:
        async with self.context.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
        if case is None or case.reporter is None:
            raise DeliveryError("the case or its reporter is gone", permanent=True)
        messenger = self.context.messenger(case.reporter.platform)
        address = await messenger.personal_address(case.reporter.user_id)
        await messenger.send(
            address, views.consent_question(case, translator(case.report.language))
        )

    async def _invitation(self, notification: Notification) -> None:
        found = await self._found(notification)
        if found is None:
            return
        invitation, case, measure, actor = found
        settings = self.context.settings
        t = translator(settings.language)
        detail = detail_on(actor.platform, settings)
        message = views.invitation_message(
            case, measure, invitation, self.guidance.of(measure.kind), t, detail
        )
        messenger = self.context.messenger(actor.platform)
        await messenger.send(await messenger.personal_address(actor.user_id), message)

    async def _how(self, notification: Notification) -> None:
        found = await self._found(notification)
        if found is None:
            return
        invitation, case, measure, actor = found
        if invitation.answer is not None:
            return  # answered on the case page while this waited
        t = translator(self.context.settings.language)
        reminder = bool((notification.payload or {}).get("reminder"))
        message = views.how_did_it_go(case, measure, invitation, t, reminder=reminder)
        messenger = self.context.messenger(actor.platform)
        await messenger.send(await messenger.personal_address(actor.user_id), message)

    async def _letter(self, notification: Notification) -> None:
        """The .docx in the manager's chat only with ``channel_content = "full"`` and where
        the platform takes a file from a bot (Slack); else a link. A manager without a
        chat finds it on their page."""
        async with self.context.storage.transaction() as tx:
            letter = await tx.manager_letters.get(
                int((notification.payload or {}).get("letter", 0))
            )
            invitation = await tx.invitations.get(letter.invitation_id) if letter else None
            case = await tx.cases.get(invitation.case_id) if invitation else None
            measure = await tx.measures.get(invitation.measure_id) if invitation else None
        if letter is None or invitation is None or case is None or measure is None:
            raise DeliveryError("the letter or its invitation is gone", permanent=True)
        actor = await self.chat_of(invitation.manager)
        if actor is None:
            log.info("a manager without a chat meldbot can reach: the letter is on their page")
            return
        settings = self.context.settings
        t = translator(settings.language)
        messenger = self.context.messenger(actor.platform)
        address = await messenger.personal_address(actor.user_id)
        base = settings.public_url.rstrip("/")
        if form_for_manager(settings.channel_content) == "file":
            title = views.letter_title(case, measure, t)
            try:
                await messenger.upload(
                    address, letter.filename, letter.content, title=title, alt_text=title
                )
                return
            except DeliveryError as error:
                if not error.permanent:
                    raise
                log.info("letters: %s takes no letter file; a download link", actor.platform)
            link = LinkButton(t("Download letter"), f"{base}{letter_url(invitation.id)}")
            message = views.letter_message(case, measure, t, link, in_meldbot=False)
        else:
            link = detail_on(actor.platform, settings).open_case(t, case.reference)
            message = views.letter_message(case, measure, t, link, in_meldbot=True)
        await messenger.send(address, message)

    async def _found(
        self, notification: Notification
    ) -> tuple[Invitation, Case, Measure, Actor] | None:
        async with self.context.storage.transaction() as tx:
            invitation = await tx.invitations.get(
                int((notification.payload or {}).get("invitation", 0))
            )
            if invitation is None:
                raise DeliveryError("the invitation is gone", permanent=True)
            case = await tx.cases.get(invitation.case_id)
            measure = await tx.measures.get(invitation.measure_id)
        if case is None or measure is None:
            raise DeliveryError("the case is gone", permanent=True)
        actor = await self.chat_of(invitation.manager)
        if actor is None:
            log.info("a manager without a chat meldbot can reach: they answer in meldbot")
            return None
        return invitation, case, measure, actor

    async def chat_of(self, manager: Invitee) -> Actor | None:
        """Where the manager is reached: their chat identity, or their sign-in's linked chat."""
        if manager.kind in CHAT_PLATFORMS:
            return Actor(manager.kind, manager.ident, manager.name)  # type: ignore[arg-type]
        if manager.kind == "console" and self.links is not None:
            principal = await self.links.principal_of(manager.ident)
            chats = await self.links.chats(principal) if principal else []
            return chats[0] if chats else None
        return None
