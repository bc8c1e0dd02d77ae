"""What every console page shares: the services, the navigation and the notices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from adapters.site import SITE, principal_of, render
from bot.aangifte.service import AangifteService
from bot.access.models import Role
from bot.audit.service import AuditTrail
from bot.case.service import CaseService
from bot.consultation.service import ConsultationService
from bot.i18n import N_
from bot.letters.sending import LetterSending
from bot.letters.service import LetterService
from bot.manager.service import ManagerService
from bot.measures.ban_service import BanService
from bot.measures.guidance import Guidance
from bot.measures.proposal import ReporterSay
from bot.measures.service import MeasureService
from bot.privacy.service import PrivacyDesk
from bot.registry.service import Registry
from bot.retention.service import Retention
from bot.settings import Settings
from bot.trafficking.service import ExternalReports
from bot.trends.figures import TrendFigures


@dataclass(frozen=True, slots=True)
class Console:
    """The core services the console pages call (never the database)."""

    settings: Settings
    cases: CaseService
    consultations: ConsultationService
    audit: AuditTrail
    figures: TrendFigures
    measures: MeasureService
    guidance: Guidance
    letters: LetterService | None = None  # the letters drafted for the manager
    letter_sending: LetterSending | None = None  # and sent to the invited manager
    bans: BanService | None = None
    proposals: ReporterSay | None = None
    aangifte: AangifteService | None = None
    external_reports: ExternalReports | None = None
    managers: ManagerService | None = None  # the manager in the loop (bot/manager)
    registry: Registry | None = None  # the registry export (bot/registry)
    retention: Retention | None = None  # the cases coming due, the destruction list
    privacy: PrivacyDesk | None = None  # inzage and erasure for admins (bot/privacy)


CONSOLE = web.AppKey("meldbot.console", Console)

# The success notice a page shows after a POST sent the browser back with ?gedaan=<key>;
# only keys travel in the address, never what someone typed.
NOTICES: dict[str, str] = {
    "oppakken": N_("You have claimed this case."),
    "overdragen": N_("The case is handed over."),
    "vragen": N_("Your question is on its way to the reporter."),
    "bericht": N_("Your message is on its way to the reporter."),
    "notitie": N_("Your note is saved. Only coordinators see it."),
    "status": N_("The status is updated."),
    "sluiten": N_("The case is closed."),
    "heropenen": N_("The case is open again."),
    "corrigeren": N_("The category and urgency are saved."),
    "afschermen": N_("Only the coordinators you named see this case now."),
    "openstellen": N_("All coordinators see this case again."),
    "doorgeven": N_("The reporter is asked whether the meldpunt may have this report."),
    "maatregel": N_("The measure is saved."),
    "maatregel-stap": N_("The step is saved."),
    "beantwoord": N_("Your answer is saved. The colleague reads it with their receipt code."),
    "gesloten": N_("The consultation is closed."),
    "verbod-uitkomst": N_("The outcome for the ban is saved."),
    "politie-ingelicht": N_("It is recorded that the police were informed."),
    "voorstel": N_("The proposal is on its way to the reporter."),
    "aangifte-uitleg": N_("The aangifte guidance is on its way to the reporter."),
    "aangifte": N_("The aangifte is recorded."),
    "externe-melding": N_("The external report is recorded."),
    "toestemming": N_("The reporter is asked in their chat whether their manager may be involved."),
    "leidinggevende": N_("The manager is invited."),
    "hoe-ging-het": N_("Thank you, your answer is with the meldpunt."),
    "brief-verstuurd": N_("The letter is on its way to the manager."),
    "brief-al-verstuurd": N_("This letter was sent already. It was not sent again."),
    "bewaren-verlengd": N_("The case is kept longer. The reason is saved."),
}


def console_of(request: web.Request) -> Console:
    return request.config_dict[CONSOLE]


async def console_page(request: web.Request, template: str, **context: Any) -> web.Response:
    """``render`` with what the console's layout needs: the person's roles (for the
    navigation) and the notice asked for by ``?gedaan=``."""
    principal = principal_of(request)
    roles: frozenset[Role] = frozenset()
    if principal is not None:
        roles = await request.config_dict[SITE].access.roles(principal)
    notice = NOTICES.get(request.query.get("gedaan", ""))
    return await render(request, template, roles=roles, Role=Role, notice=notice, **context)
