"""``[confidant]``: the vertrouwenspersoon, to whom a reporter may tell instead of the meldpunt.

Seed 002 (C): "personen met verschillende functies waar een melding gedaan kan worden". The
vertrouwenspersoon sees only the reports addressed to them, in their own channel (or, with
no channel, the personal chat of the first person named), and nobody else sees those.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.events import Platform


class ConfidantPlace(BaseModel):
    """Where on one platform: the channel their reports arrive in, and who may act on them
    (platform user ids: Slack ``U…``, Entra object ids, web chat personas)."""

    channel: str | None = Field(default=None, min_length=1, max_length=200)
    people: list[str] = Field(min_length=1)


class Confidant(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: str = "Vertrouwenspersoon"
    phone: str | None = None
    photo_url: str | None = None
    slack: ConfidantPlace | None = None
    teams: ConfidantPlace | None = None
    web: ConfidantPlace | None = None

    def place(self, platform: Platform) -> ConfidantPlace | None:
        places: dict[Platform, ConfidantPlace | None] = {
            "slack": self.slack,
            "teams": self.teams,
            "web": self.web,
        }
        return places[platform]

    def is_confidant(self, platform: Platform, user_id: str) -> bool:
        place = self.place(platform)
        return place is not None and user_id in place.people
