"""What every dialog may use: settings, the case service, conversation state, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.access.links import Links
from bot.attachments.service import Attachments
from bot.case.service import CaseService
from bot.consultation.service import ConsultationService
from bot.consultation.sessions import ReceiptSessions
from bot.conversations import ConversationStates
from bot.events import Actor
from bot.i18n import Translator, translator
from bot.intake.signals import Recogniser
from bot.manager.service import ManagerService
from bot.measures.proposal import ReporterSay
from bot.onboarding import Onboarding
from bot.settings import Settings


@dataclass(slots=True)
class DialogContext:
    settings: Settings
    cases: CaseService
    consultations: ConsultationService
    states: ConversationStates
    sessions: ReceiptSessions
    clock: Callable[[], datetime]
    intake: Recogniser
    onboarding: Onboarding | None = None  # welcomes newcomers (MembersJoined)
    attachments: Attachments | None = None  # holds the files that come with a message
    links: Links | None = None  # links chat identities to sign-ins (koppel 123456)
    proposals: ReporterSay | None = None  # the reporter's answer to a proposed measure
    managers: ManagerService | None = None  # consent and the manager's answers (bot/manager)

    async def translator_for(self, actor: Actor) -> Translator:
        return translator(await self.states.language(actor, self.settings.language))

    @property
    def coordinator_t(self) -> Translator:
        return translator(self.settings.language)
