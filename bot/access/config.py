"""``[signin]``: how people sign in on meldbot's own web surfaces (OpenID Connect).

Without it, the embedded default offers a local sign-in as a demo persona, on 127.0.0.1
only; the CLI refuses to serve beyond this machine without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator, model_validator

from bot.access.models import Role

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(host: str) -> bool:
    return host.strip("[]").lower() in LOOPBACK_HOSTS


def checked_origin(url: str, setting: str) -> str:
    """``https://host[:port]`` (or plain http on this machine), without a trailing slash."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValueError(f"{setting} is not a URL") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{setting} must start with https:// and name a host")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(f"{setting} must use https:// (plain http only on 127.0.0.1)")
    if parts.query or parts.fragment:
        raise ValueError(f"{setting} must not carry a query or fragment")
    return url.rstrip("/")


ClaimValue = Annotated[str, Field(min_length=1, max_length=300)]


class SignIn(BaseModel):
    """The organisation's OpenID Connect provider (Entra ID, Keycloak, …).

    meldbot is a confidential client using the authorization code flow with PKCE; its
    redirect URI is ``public_url + "/signin/callback"``.
    """

    issuer: str = Field(
        description="The provider's issuer URL; meldbot reads "
        "<issuer>/.well-known/openid-configuration."
    )
    client_id: str = Field(min_length=1)
    client_secret: str | None = Field(
        default=None,
        description="From the environment (MELDBOT_SIGNIN__CLIENT_SECRET); without it meldbot "
        "signs in as a public client (PKCE only).",
    )
    scopes: list[str] = ["openid", "profile", "email"]
    roles_claim: str = Field(
        default="roles",
        min_length=1,
        description="The token claim with the person's app roles or groups; a dotted path "
        "reaches into an object (Keycloak: realm_access.roles).",
    )
    roles: dict[Role, list[ClaimValue]] = Field(
        default={}, description="Which claim values give which meldbot role."
    )
    teams_claim: str | None = Field(
        default="oid",
        description="The claim with the person's Entra object id, which is their Teams id: "
        "signing in links the two. Empty: no Teams identities are linked.",
    )
    session_hours: float = Field(default=8, gt=0, le=24)
    idle_minutes: float = Field(default=30, ge=1)
    linked_roles_days: int = Field(
        default=30,
        ge=1,
        description="A chat identity carries the roles of its linked console identity for "
        "this many days after that person last signed in.",
    )

    @field_validator("issuer")
    @classmethod
    def _issuer(cls, value: str) -> str:
        return checked_origin(value, "[signin] issuer") if value else value

    @field_validator("scopes")
    @classmethod
    def _openid(cls, value: list[str]) -> list[str]:
        if "openid" not in value:
            raise ValueError("[signin] scopes must include openid")
        return value

    @field_validator("teams_claim")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _idle_within_session(self) -> SignIn:
        if self.idle_minutes > self.session_hours * 60:
            raise ValueError("[signin] idle_minutes is longer than the session itself")
        return self

    @property
    def session_length(self) -> timedelta:
        return timedelta(hours=self.session_hours)

    @property
    def idle_timeout(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def roles_of(self, claims: Mapping[str, object]) -> frozenset[Role]:
        """The meldbot roles that the ``roles_claim`` values in ``claims`` map to."""
        claim: object = claims
        for step in self.roles_claim.split("."):
            claim = claim.get(step) if isinstance(claim, Mapping) else None
        values = {claim} if isinstance(claim, str) else set()
        if isinstance(claim, list):
            values = {value for value in claim if isinstance(value, str)}
        return frozenset(role for role, wanted in self.roles.items() if values & set(wanted))
