"""The composition root: the one module that imports everything and wires it together."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from aiohttp import web

from adapters import console
from adapters.site import Site
from adapters.web.store import Conversations
from adapters.withheld import withhold
from bot.aangifte import guidance as aangifte_guidance
from bot.aangifte.service import AangifteService
from bot.access.links import ROLES_VALID, Links, link_keys
from bot.access.pending import Pending
from bot.access.service import Access
from bot.access.sessions import Sessions, SessionTimes
from bot.aftercare import Aftercare
from bot.attachments.delivery import AttachmentDelivery
from bot.attachments.policy import Limits
from bot.attachments.service import ATTACHMENT, Attachments
from bot.audit.service import AuditTrail
from bot.awareness.results import ResultsPosts
from bot.awareness.service import Awareness
from bot.case.clocks import CaseClocks
from bot.case.handling import CaseHandling
from bot.case.linked_news import LINKED_NEWS, LinkedNews
from bot.case.service import CaseService
from bot.consultation.receipts import SecretHasher
from bot.consultation.service import ConsultationService
from bot.consultation.sessions import ReceiptSessions
from bot.consultation.throttle import guesser_key
from bot.conversations import ConversationStates
from bot.events import Platform
from bot.housekeeping import Housekeeper
from bot.intake.signals import Recogniser
from bot.letters import templates as letter_templates
from bot.letters.sending import LetterSending
from bot.letters.service import LetterService
from bot.manager.access import invited_from
from bot.manager.loop import ManagerLoop
from bot.manager.service import ManagerService
from bot.measures import guidance as measure_guidance
from bot.measures.ban_clocks import BanClocks
from bot.measures.ban_service import BanService
from bot.measures.proposal import ReporterSay
from bot.measures.reaction_clock import ReactionClock
from bot.measures.service import MeasureService
from bot.notifications import OutboxDispatcher
from bot.observability.metrics import Metrics
from bot.onboarding import Onboarding, person_key
from bot.oncall.service import OnCall
from bot.ports import Messenger
from bot.privacy.service import PrivacyDesk
from bot.registry.service import Registry
from bot.retention.notes import WarningSender
from bot.retention.service import WARNING, Retention
from bot.schedule.feature import Feature, FeatureContext
from bot.schedule.scheduler import Scheduler
from bot.settings import ConfigError, Settings
from bot.trafficking.service import ExternalReports
from bot.trends.figures import TrendFigures
from bot.trends.service import TrendReports
from dialogs.context import DialogContext
from dialogs.router import Dialogs
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

log = logging.getLogger(__name__)
# aiohttp logs a request it cannot read, and a handler's failure, with the request line and
# the exception's text: the log keeps what happened, never what was sent.
withhold("aiohttp.server", logging.ERROR)

MAX_REQUEST_BYTES = 256 * 1024


@dataclass(slots=True)
class Runtime:
    """What a running meldbot is made of; tests reach in through ``app[RUNTIME]``."""

    settings: Settings
    database: Database
    outbox: OutboxDispatcher
    cases: CaseService
    consultations: ConsultationService
    dialogs: Dialogs
    messengers: dict[Platform, Messenger]
    scheduler: Scheduler
    audit: AuditTrail
    links: Links | None = None
    sessions: Sessions | None = None
    measures: MeasureService | None = None
    letters: LetterService | None = None
    letter_sending: LetterSending | None = None
    bans: BanService | None = None
    proposals: ReporterSay | None = None
    aangifte: AangifteService | None = None
    external_reports: ExternalReports | None = None
    managers: ManagerService | None = None
    retention: Retention | None = None
    privacy: PrivacyDesk | None = None  # inzage and erasure (bot/privacy)
    metrics: Metrics | None = None  # /metrics reads it


RUNTIME = web.AppKey("runtime", Runtime)
# The web chat's conversations, when the "web" messenger exists (the staff page shows a
# signed-in person's own conversation from them).
WEB_CONVERSATIONS = web.AppKey("meldbot.web.conversations", Conversations)


def local_seal_key(data_dir: Path) -> str:
    """The embedded default keeps its own key beside its SQLite file, readable by no one else."""
    path = data_dir / "seal.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(new_key())
        log.warning("created a local sealing key at %s; keep it with the database", path)
    return path.read_text().strip()


@asynccontextmanager
async def opened_database(settings: Settings) -> AsyncIterator[Database]:
    """The configured database, migrated and opened with the configured key: for the
    commands that work on it beside (or without) a serving meldbot."""
    seal_key = settings.seal_key or local_seal_key(settings.data_dir)
    database = Database(settings.database_url, Sealer(seal_key), _utc_now)
    try:
        await upgrade(database.engine, seal_key=seal_key)
        yield database
    finally:
        await database.close()


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def create_app(
    settings: Settings, *, clock: Callable[[], datetime] = _utc_now
) -> web.Application:
    seal_key = settings.seal_key or local_seal_key(settings.data_dir)
    sealer = Sealer(seal_key)
    database = Database(settings.database_url, sealer, clock)
    await upgrade(database.engine, seal_key=seal_key)

    messengers: dict[Platform, Messenger] = {}
    metrics = Metrics()
    outbox = OutboxDispatcher(database, messengers, settings, clock, metrics=metrics)
    scheduler = Scheduler(
        database, clock, outbox.wake, settings.scheduler_interval_seconds, metrics=metrics
    )
    features = FeatureContext(
        settings,
        database,
        clock,
        outbox.messenger,
        wake_outbox=outbox.wake,
        person_key=person_key(seal_key),
    )
    onboarding = Onboarding(features)
    scheduled: list[Feature] = [
        OnCall(features, metrics),
        CaseClocks(features),
        Aftercare(features),
        Awareness(features),
        TrendReports(features),
        ResultsPosts(features),
        onboarding,
        BanClocks(features),
        ReactionClock(features),
    ]
    intake = _intake(settings)
    guidance = measure_guidance.load(settings.measure_guidance)  # a broken file stops here
    letters = letter_templates.load(settings.letters)  # so does a broken letter template
    aangifte_tips = aangifte_guidance.load(settings.aangifte_guidance)  # and so here
    links, sessions = _identities(settings, database, clock, seal_key)
    scheduled.append(ManagerLoop(features, guidance, links))
    _install(scheduled, scheduler, outbox)
    access = Access(messengers, settings.confidant, links, invited_from(database))
    attachments = Attachments(database, clock, Limits.of_mb(settings.attachment_max_mb))
    delivery = AttachmentDelivery(database, outbox.messenger, settings.language, settings)
    outbox.register([ATTACHMENT], delivery.send)
    cases = CaseService(
        database,
        messengers,
        clock,
        outbox.wake,
        intake,
        watchers=list(scheduled),
        access=access,
        attachments=attachments,
        policy=settings.case_policy(),
    )
    consultations = ConsultationService(
        database, cases, clock, outbox.wake, SecretHasher(), guesser_key(seal_key)
    )
    # Measures, letters, bans, the reporter's say, aangifte and external reports pass the
    # same checks as every case action: they are built from the case service's own parts.
    handling = {f.name: getattr(cases, f.name) for f in fields(CaseHandling)}
    proposals = ReporterSay(**handling)
    context = DialogContext(
        settings,
        cases,
        consultations,
        ConversationStates(database, clock),
        ReceiptSessions(database, clock),
        clock,
        intake,
        onboarding=onboarding,
        attachments=attachments,
        links=links,
        proposals=proposals,
    )
    dialogs = Dialogs(context)
    runtime = Runtime(
        settings,
        database,
        outbox,
        cases,
        consultations,
        dialogs,
        messengers,
        scheduler,
        AuditTrail(database, clock, access),
    )
    runtime.links, runtime.sessions, runtime.metrics = links, sessions, metrics

    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[RUNTIME] = runtime
    adapters = _mount_adapters(app, runtime, clock)
    _mount_site(
        app, settings, Site(settings, sessions, Pending(database, clock), links, access, clock)
    )
    if settings.staff_page:
        _mount_staff_page(app, runtime, seal_key, clock, app.get(WEB_CONVERSATIONS))
    figures = TrendFigures(database, settings, clock, access)
    runtime.measures = MeasureService(**handling)
    runtime.letters = LetterService(
        **handling,
        organisation=settings.organisation,
        settings=settings.letters,
        templates=letters,
    )
    runtime.letter_sending = LetterSending(runtime.letters)
    runtime.bans = BanService(**handling)
    runtime.proposals, runtime.aangifte = proposals, AangifteService(**handling, tips=aangifte_tips)
    runtime.external_reports = ExternalReports(**handling)
    runtime.managers = ManagerService(
        cases, settings.manager_ask_days, settings.manager_reminder_days
    )
    context.managers = runtime.managers
    runtime.retention = Retention(
        database, clock, access, settings.retention, outbox.wake, database.checkpoint
    )
    warning = WarningSender(database, outbox.messenger, settings.language, settings.public_url)
    outbox.register([WARNING], warning)
    report_page = f"{settings.staff_page_url}/melding" if settings.staff_page_url else None
    outbox.register([LINKED_NEWS], LinkedNews(database, links, outbox.messenger, report_page))
    runtime.privacy = PrivacyDesk(database, clock, access)
    parts = (cases, consultations, runtime.audit, figures, runtime.measures, guidance)
    console.mount(
        app,
        console.Console(
            settings,
            *parts,
            letters=runtime.letters,
            letter_sending=runtime.letter_sending,
            bans=runtime.bans,
            proposals=runtime.proposals,
            aangifte=runtime.aangifte,
            external_reports=runtime.external_reports,
            managers=runtime.managers,
            registry=Registry(database, clock, access),
            retention=runtime.retention,
            privacy=runtime.privacy,
        ),
    )

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "platforms": sorted(messengers)})

    app.router.add_get("/healthz", healthz)
    _mount_operations(app, runtime, metrics, clock)

    async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
        for adapter in adapters:
            await adapter.start()
        outbox.start()
        scheduler.start()
        housekeeper.start()
        yield
        await housekeeper.stop()
        await scheduler.stop()
        for adapter in adapters:
            await adapter.drain()  # what was acked is handled while the outbox still sends
        await outbox.stop()
        for adapter in adapters:
            await adapter.stop()
        await database.close()

    housekeeper = Housekeeper(
        database,
        clock,
        consultations,
        messengers,
        settings,
        attachments,
        sessions,
        runtime.retention,
    )
    app.cleanup_ctx.append(lifecycle)
    return app


def _identities(
    settings: Settings, database: Database, clock: Callable[[], datetime], seal_key: str
) -> tuple[Links, Sessions]:
    """Who is signed in on meldbot's own pages, and which chat identities are theirs."""
    signin = settings.signin
    valid = timedelta(days=signin.linked_roles_days) if signin else ROLES_VALID
    times = SessionTimes(signin.session_length, signin.idle_timeout) if signin else SessionTimes()
    return Links(database, clock, link_keys(seal_key), valid), Sessions(database, clock, times)


def _mount_site(app: web.Application, settings: Settings, site: Site) -> None:
    """meldbot's own pages: sign-in, sessions and the page kit (the console builds on it)."""
    site.mount(app)
    if settings.signin is None:
        log.info("no [signin]: the demo sign-in is offered on 127.0.0.1 only")


def _mount_staff_page(
    app: web.Application,
    runtime: Runtime,
    seal_key: str,
    clock: Callable[[], datetime],
    conversations: Conversations | None,
) -> None:
    """The staff page at /melden, on the site kit; the same dialogs as the chat."""
    from adapters.staffpage import StaffPage, page_key

    if conversations is None:
        log.warning("the staff page has no web chat: a signed-in person's feedback is not shown")
    page = StaffPage(
        runtime.dialogs.handle,
        page_key(seal_key),
        runtime.settings.public_url,
        conversations,
        Limits.of_mb(runtime.settings.attachment_max_mb),
        clock,
    )
    page.mount(app)


def _mount_operations(
    app: web.Application, runtime: Runtime, metrics: Metrics, clock: Callable[[], datetime]
) -> None:
    """/metrics and /readyz; readiness asks each platform that can check its credentials."""
    from bot.observability import http
    from bot.observability.readiness import Readiness
    from bot.ports.readiness import CredentialCheck
    from storage.observed import Observed

    observed = Observed(runtime.database.engine)
    platforms = {
        str(platform): messenger.check_credentials
        for platform, messenger in runtime.messengers.items()
        if isinstance(messenger, CredentialCheck)
    }
    readiness = Readiness(observed.ping, platforms)
    http.mount(app, metrics, readiness, observed, clock, runtime.settings.metrics_token)


def _intake(settings: Settings) -> Recogniser:
    try:
        return Recogniser.load(settings.intake_signals)
    except (OSError, ValueError) as error:
        raise ConfigError(f"MELDBOT_INTAKE_SIGNALS cannot be used: {error}") from None


def _install(features: list[Feature], scheduler: Scheduler, outbox: OutboxDispatcher) -> None:
    for feature in features:
        for kind, handler in feature.timer_handlers().items():
            scheduler.handle(kind, handler)
        for kind, sender in feature.senders().items():
            outbox.register([kind], sender)
        scheduler.add_jobs(feature.jobs())


class _Lifecycle(Protocol):
    async def start(self) -> None: ...

    async def drain(self) -> None: ...

    async def stop(self) -> None: ...


def _mount_adapters(
    app: web.Application, runtime: Runtime, clock: Callable[[], datetime]
) -> list[_Lifecycle]:
    settings, handler = runtime.settings, runtime.dialogs.handle
    started: list[_Lifecycle] = []

    async def first_delivery(key: str) -> bool:
        return await runtime.database.first_delivery(key, clock())

    if settings.slack_enabled:
        from adapters.slack import SlackAdapter

        slack = SlackAdapter(settings, handler, first_delivery)
        runtime.messengers["slack"] = slack.messenger
        if runtime.metrics is not None:
            runtime.metrics.queues.watched["slack"] = slack.listeners.inbox
        slack.mount(app)
        started.append(slack)
    if settings.teams_enabled:
        from adapters.teams.adapter import TeamsAdapter

        teams = TeamsAdapter(settings, handler, runtime.database)
        runtime.messengers["teams"] = teams.messenger
        teams.mount(app)
        started.append(teams)
    if settings.web_chat_enabled or settings.staff_page:
        # The staff page and the local demo share the web chat's conversations, kept in
        # the database; the demo's own page only when it is on.
        from adapters.web import WebChatAdapter

        web_chat = WebChatAdapter(settings, handler, runtime.database.web_history())
        runtime.messengers["web"] = web_chat.messenger
        app[WEB_CONVERSATIONS] = web_chat.conversations
        started.append(web_chat)
        if settings.web_chat_enabled:
            web_chat.mount(app)
    if not runtime.messengers:
        log.warning("no platform is enabled: set Slack or Teams settings, or MELDBOT_WEB_CHAT=on")
    return started
