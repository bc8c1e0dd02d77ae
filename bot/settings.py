"""Configuration: environment variables plus an optional TOML file (``MELDBOT_CONFIG``).

Environment variables win over the file. A wrong or missing setting stops start-up
with one sentence naming it (``ConfigError``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.access.config import SignIn, checked_origin, is_loopback
from bot.attachments.policy import MAX_MB
from bot.case.detail import ChannelContent
from bot.case.models import Category
from bot.case.policy import CasePolicy, is_key
from bot.confidant.config import Confidant
from bot.letters.config import LetterSettings
from bot.oncall.rota import OnCallRota
from bot.retention.config import RetentionSettings
from bot.schedule.config import OnboardingChannel, Reminder, ResultsPost, TrendReport

Language = Literal["nl", "en"]


class ConfigError(Exception):
    """A setting is wrong or missing; the message is one sentence naming it."""


class Contact(BaseModel):
    """A person reporters can reach: the coordinator or a support contact."""

    name: str
    role: str
    photo_url: str | None = None
    phone: str | None = None
    email: str | None = None


def _comma_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MELDBOT_", extra="ignore", env_nested_delimiter="__"
    )

    organisation: str = "Gemeente Voorbeeld"
    language: Language = "nl"
    database_url: str = "sqlite+aiosqlite:///var/meldbot.db"
    seal_key: str | None = Field(
        default=None, description="Fernet key that seals narratives and messages."
    )
    data_dir: Path = Path("var")

    coordinator_contact: Contact = Contact(
        name="Het meldpunt", role="Coördinator agressie en signalen"
    )
    support_contacts: list[Contact] = []
    confidant: Confidant | None = Field(
        default=None,
        description="The vertrouwenspersoon, whom a reporter may tell instead of the meldpunt.",
    )
    crisis_contacts: list[Contact] = Field(
        default=[],
        description="The organisation's own crisis contacts, shown to coordinators beside "
        "112 and 113 when a report tells of someone threatening to harm themselves.",
    )
    intake_signals: Path | None = Field(
        default=None,
        description="The organisation's own word lists for the intake signals (TOML); they "
        "extend the bundled ones.",
    )
    categories: list[Category] = Field(
        default_factory=lambda: list(Category),
        description="The categories offered to reporters, in this order.",
    )
    first_contact_hours: int = Field(default=24, ge=1)
    urgent_contact_minutes: int = Field(default=30, ge=1)
    consultation_retention_days: int = Field(
        default=30,
        ge=1,
        description="A consultation not turned into a report is deleted after this many "
        "days without activity.",
    )

    departments: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default=[],
        max_length=100,  # a Slack menu holds 100 options
        description="Departments a reporter may choose from (for trends); empty: not asked.",
    )
    oncall: OnCallRota = OnCallRota()
    unclaimed_working_days: int = Field(
        default=1, ge=1, description="An unclaimed case is raised again after this many."
    )
    legal_clock_categories: list[Category] = Field(
        default_factory=lambda: [Category.INTEGRITY],
        description="Reports under the whistleblower act: acknowledge within 7 days, "
        "feedback within 3 months.",
    )
    aftercare_days: int = Field(
        default=5, ge=1, description="Days after closing before the aftercare check-in."
    )
    reminders: list[Reminder] = []
    awareness_library: Path | None = Field(
        default=None, description="The organisation's own awareness messages (TOML)."
    )
    measure_guidance: Path | None = Field(
        default=None, description="The organisation's own guidance per measure (TOML)."
    )
    awareness_links: dict[str, Annotated[str, Field(pattern=r"^https?://\S+$")]] = Field(
        default={}, description="Named links (elearning, news) that awareness messages show."
    )
    results: ResultsPost | None = None
    trends: TrendReport | None = None
    onboarding: list[OnboardingChannel] = []
    scheduler_interval_seconds: float = Field(default=5.0, gt=0, le=60)
    outbox_lease_seconds: float = Field(
        default=60.0,
        ge=1,
        description="How long a claimed message is an instance's to send before another "
        "instance may take it over (when the first died halfway).",
    )

    # -- attachments (bot/attachments): files that come with a message ------------------
    attachment_max_mb: int = Field(
        default=MAX_MB,
        ge=1,
        le=25,  # each file is held in memory while it is checked and sealed
        description="The largest photo or PDF meldbot takes with a report, in MB.",
    )
    # -------------------------------------------------------------------------------------

    # -- channel content (bot/case/detail.py): what Slack and Teams may show of a case ---
    channel_content: ChannelContent = Field(
        default="minimal",
        description="minimal: Slack and Teams get the reference, category, urgency, status, "
        "handler, clocks and buttons, and a link to the case in meldbot; full: also the "
        "narrative, location, names, messages and files (see the README on the DPIA).",
    )

    # -- sign-in and meldbot's own web surfaces (bot/access, adapters/site) ---------------
    public_url: str = Field(
        default="http://127.0.0.1:3978",
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="Where people reach meldbot's own pages; chat messages link to "
        "{public_url}/console/zaken/<reference>, and the sign-in's redirect URI is "
        "public_url + /signin/callback.",
    )
    signin: SignIn | None = Field(
        default=None, description="The organisation's OpenID Connect provider."
    )

    # -- restricted cases (bot/case/policy.py): integrity reports for named people only --
    restricted_categories: list[Category] = Field(
        default_factory=lambda: [Category.INTEGRITY],
        description="Reports in these categories are seen only by the integrity "
        "coordinators (when any are configured).",
    )
    integrity_coordinators: CommaList = Field(
        default=[],
        description="Who sees restricted reports, by key: slack:U…, teams:<Entra object "
        "id>, console:<sign-in subject>, web:<persona>.",
    )
    slack_restricted_channel: str | None = Field(
        default=None, description="Where restricted cases' alerts go on Slack."
    )
    teams_restricted_channel: str | None = Field(
        default=None, description="Where restricted cases' alerts go on Teams (19:…)."
    )
    # -------------------------------------------------------------------------------------

    slack_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "slack_bot_token")
    )
    slack_signing_secret: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "slack_signing_secret"),
    )
    slack_app_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "slack_app_token")
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_URL", "slack_api_url"),
    )
    slack_coordinator_channel: str | None = None
    slack_coordinators: CommaList = []

    teams_coordinator_channel: str | None = None
    teams_coordinators: CommaList = []
    # The Agents SDK's own names, so one set of variables configures both.
    teams_client_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID", "teams_client_id"
        ),
    )
    teams_tenant_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID", "teams_tenant_id"
        ),
    )
    teams_service_url: str = Field(
        default="https://smba.trafficmanager.net/teams/",
        description="Where to reach a channel before Teams has sent meldbot anything from it.",
    )
    teams_openid_metadata: str = Field(
        default="https://login.botframework.com/v1/.well-known/openidconfiguration",
        description="Where the keys that sign Teams' requests are published.",
    )

    web_chat: Literal["auto", "on", "off"] = "auto"
    log_format: Literal["text", "json"] = Field(
        default="text", description="json: one JSON object a line, with the request id."
    )
    metrics_token: str | None = Field(
        default=None,
        description="The bearer token /metrics asks for; without one, /metrics answers "
        "on loopback only.",
    )
    staff_page: bool = Field(
        default=True,
        description="The meldpagina for staff at {public_url}/melden: report with a name "
        "(signed in) or truly anonymously, from the intranet or a zaaksysteem.",
    )
    web_coordinators: CommaList = ["coordinator"]
    ban_review_working_days: int = Field(
        default=5,
        ge=1,
        le=60,
        description="Working days before a ban ends that the coordinators are asked to "
        "re-evaluate it.",
    )
    reaction_hours: int = Field(
        default=48,
        ge=1,
        le=24 * 14,
        description="Hours from the report to the first measure toward the offender (VPT norm).",
    )

    letters: LetterSettings = Field(
        default_factory=LetterSettings,
        description="The letters drafted for the manager: the organisation's address, logo, "
        "the norm from the huisregels, how to object, and its own templates (bot/letters).",
    )
    retention: RetentionSettings = Field(
        default_factory=RetentionSettings,
        description="How long a closed case and the audit log are kept, per outcome and "
        "category, with the warning before and the one extension (bot/retention).",
    )
    aangifte_guidance: Path | None = Field(
        default=None,
        description="The organisation's own aangifte guidance for the reporter (TOML).",
    )
    trafficking_external_reports: Literal["organisation", "individual"] = Field(
        default="organisation",
        description=(
            "Who makes external reports of trafficking signals (police, Arbeidsinspectie, "
            "CoMensha): the organisation on the reporter's behalf, or the individual."
        ),
    )

    # -- the manager in the loop (bot/manager): "Hoe ging het?" ---------------------------
    manager_ask_days: int = Field(
        default=5,
        ge=1,
        le=60,
        description="Working days after the invitation before meldbot asks the manager "
        "how it went, when the measure has no planned date (with one: the working day "
        "after it).",
    )
    manager_reminder_days: int = Field(
        default=3,
        ge=1,
        le=30,
        description="Working days without an answer before meldbot asks the manager once more.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("MELDBOT_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        return checked_origin(value, "MELDBOT_PUBLIC_URL")

    @field_validator(
        "slack_coordinators",
        "teams_coordinators",
        "web_coordinators",
        "integrity_coordinators",
        mode="before",
    )
    @classmethod
    def _split(cls, value: object) -> object:
        return _comma_list(value)

    @field_validator("integrity_coordinators")
    @classmethod
    def _keys(cls, value: list[str]) -> list[str]:
        wrong = [key for key in value if not is_key(key)]
        if wrong:
            raise ValueError(
                f"{wrong[0]!r} is not a person's key (slack:U…, teams:…, console:…, web:…)"
            )
        return value

    def case_policy(self) -> CasePolicy:
        """The case domain's section of the settings."""
        channels = {"slack": self.slack_restricted_channel, "teams": self.teams_restricted_channel}
        return CasePolicy(
            first_contact_hours=self.first_contact_hours,
            urgent_contact_minutes=self.urgent_contact_minutes,
            legal_clock_categories=frozenset(self.legal_clock_categories),
            restricted_categories=frozenset(self.restricted_categories),
            integrity_coordinators=frozenset(self.integrity_coordinators),
            restricted_channels={k: v for k, v in channels.items() if v},
            unwatched=frozenset() if self.web_chat_enabled else frozenset({"web"}),
        )

    def _check_scheduled_platforms(self) -> None:
        """A post planned for a platform meldbot does not talk to would fail at every
        occurrence; say so at start-up instead."""
        enabled = _enabled(self)
        planned: list[tuple[str, str]] = [("[[reminders]]", r.platform) for r in self.reminders]
        planned += [("[[onboarding]]", o.platform) for o in self.onboarding]
        planned += [("[results]", self.results.platform)] if self.results else []
        planned += [("[trends]", self.trends.platform)] if self.trends else []
        if self.oncall.platform:
            planned.append(("[oncall]", self.oncall.platform))
        if self.confidant:
            places = ("slack", "teams", "web")
            planned += [("[confidant]", p) for p in places if getattr(self.confidant, p)]
        for table, platform in planned:
            if platform not in enabled:
                raise ConfigError(
                    f"{table} names platform {platform}, which is not configured "
                    f"(configured: {', '.join(sorted(enabled)) or 'none'})."
                )
        if len(set(self.departments)) < len(self.departments):
            raise ConfigError("MELDBOT_DEPARTMENTS lists a department twice.")

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_coordinator_channel)

    @property
    def web_chat_enabled(self) -> bool:
        if self.web_chat == "auto":
            return not (self.slack_enabled or self.teams_enabled)
        return self.web_chat == "on"

    @property
    def staff_page_url(self) -> str | None:
        """Where staff report on meldbot's own page; None when it is switched off."""
        return f"{self.public_url}/melden" if self.staff_page else None

    @property
    def on_this_machine(self) -> bool:
        """Whether ``public_url`` is a loopback address: the demo's condition."""
        return is_loopback(urlsplit(self.public_url).hostname or "")

    def _check_demo_stays_local(self) -> None:
        """The demo web chat trusts a request whose Host is 127.0.0.1. A reverse proxy on
        this machine that does not pass the Host on makes every visitor look like that, so
        a public address and the demo never go together. (The demo sign-in is simply not
        offered then: see ``adapters.site``.)"""
        if self.web_chat_enabled and not self.on_this_machine:
            host = urlsplit(self.public_url).hostname
            raise ConfigError(
                f"MELDBOT_PUBLIC_URL names {host}, beyond this machine, while the demo web "
                "chat (where anyone can act as anyone) is on: set MELDBOT_WEB_CHAT=off."
            )

    def check(self) -> None:
        """Cross-field rules that a single field's type cannot express."""
        self._check_scheduled_platforms()
        self._check_demo_stays_local()
        if self.slack_enabled:
            if not self.slack_signing_secret and not self.slack_app_token:
                raise ConfigError(
                    "SLACK_SIGNING_SECRET is missing: Slack's requests cannot be verified "
                    "without it (or set SLACK_APP_TOKEN for Socket Mode)."
                )
            if not self.slack_coordinator_channel:
                raise ConfigError(
                    "MELDBOT_SLACK_COORDINATOR_CHANNEL is missing: meldbot needs the id of "
                    "the private channel where coordinators receive cases."
                )
        for name, channel in (
            ("MELDBOT_TEAMS_COORDINATOR_CHANNEL", self.teams_coordinator_channel),
            ("MELDBOT_TEAMS_RESTRICTED_CHANNEL", self.teams_restricted_channel),
        ):
            if channel is not None and not (channel.startswith("19:") and "@thread." in channel):
                raise ConfigError(
                    f"{name} must be a channel id such as 19:…@thread.tacv2 (from the "
                    "channel's link in Teams)."
                )
        if not self.database_url.startswith("sqlite") and not self.seal_key:
            raise ConfigError(
                "MELDBOT_SEAL_KEY is missing: a shared database needs a key from the "
                "environment to seal narratives (generate one with `meldbot seal-key`)."
            )


def _enabled(settings: Settings) -> set[str]:
    enabled = {"slack"} if settings.slack_enabled else set()
    enabled |= {"teams"} if settings.teams_enabled else set()
    return enabled | ({"web"} if settings.web_chat_enabled else set())


def _setting_name(loc: tuple[int | str, ...]) -> str:
    """The name a person would set: the environment variable for a top-level field."""
    if not loc:
        return "configuration"
    head = str(loc[0])
    if head.isupper():  # already an alias such as SLACK_BOT_TOKEN
        return head
    if len(loc) == 1:
        return f"MELDBOT_{head.upper()}"
    # A list item by its place as people count: "reminders #2 schedule".
    return " ".join(f"#{part + 1}" if isinstance(part, int) else str(part) for part in loc)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one clear sentence."""
    config_file = os.environ.get("MELDBOT_CONFIG")
    if config_file and not Path(config_file).is_file():
        raise ConfigError(f"MELDBOT_CONFIG points to {config_file}, which is not a file.")
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        raise ConfigError(
            f"Setting {_setting_name(first['loc'])} is invalid: {first['msg']}."
        ) from None
    settings.check()
    return settings
