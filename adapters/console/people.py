"""Whom a case can be handed over or restricted to: the coordinators meldbot knows.

Those configured per chat platform, and the console identities whose sign-in gave them the
coordinator role. A chat identity linked to a console identity is that one person, listed
once. The core checks every choice again (``may_handle``): this list only offers names.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.web.chrome import Chrome
from adapters.web.personas import Personas
from bot.access.links import Links
from bot.access.models import Role
from bot.settings import Settings


@dataclass(frozen=True, slots=True)
class Colleague:
    key: str  # an ``Acting.key``: what ``case.handler_id`` holds
    name: str


async def coordinators(settings: Settings, links: Links) -> list[Colleague]:
    """Every coordinator meldbot knows, by name, each person once."""
    found: list[Colleague] = []
    linked: set[str] = set()
    for principal in await links.signed_in_with(Role.COORDINATOR):
        found.append(Colleague(principal.key, principal.display))
        linked |= {actor.key for actor in await links.chats(principal)}
    web = Personas(settings.web_coordinators, Chrome(settings.language))
    for persona in web.for_pane("coordinators"):
        if persona.id in settings.web_coordinators:  # the pane also shows a non-coordinator
            found.append(Colleague(f"web:{persona.id}", persona.name))
    found += [Colleague(f"slack:{user}", f"Slack · {user}") for user in settings.slack_coordinators]
    found += [Colleague(f"teams:{user}", f"Teams · {user}") for user in settings.teams_coordinators]
    seen: set[str] = set()
    unique = []
    for colleague in found:
        if colleague.key not in linked and colleague.key not in seen:
            seen.add(colleague.key)
            unique.append(colleague)
    return unique


def named(colleagues: list[Colleague], key: str) -> Colleague | None:
    return next((colleague for colleague in colleagues if colleague.key == key), None)
