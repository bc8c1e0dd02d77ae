"""The demo personas of the embedded default's local sign-in.

The web chat's personas (its coordinators are coordinators here too, the
vertrouwenspersoon's web people confidants, the staff have no role), and two more to
show what other roles see: ``analist`` (analyst) and ``beheerder`` (admin). Signing in
as one links the console identity ``local:<id>`` to the web chat persona ``<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.web.chrome import Chrome
from adapters.web.personas import Personas
from bot.access.models import Role
from bot.i18n import N_, translator
from bot.settings import Settings

ROLE_NAMES = {
    Role.COORDINATOR: N_("coordinator"),
    Role.ANALYST: N_("analyst"),
    Role.ADMIN: N_("admin"),
    Role.MANAGER: N_("manager"),
    Role.CONFIDANT: N_("confidant"),
}
EXTRA = (
    ("analist", N_("Analyst"), Role.ANALYST),
    ("beheerder", N_("Administrator"), Role.ADMIN),
    ("leidinggevende", N_("Manager"), Role.MANAGER),  # sees only what they were invited to
)


@dataclass(frozen=True, slots=True)
class LocalPersona:
    id: str
    name: str
    roles: frozenset[Role]

    @property
    def role_names(self) -> list[str]:
        """Message ids of the roles, in a fixed order."""
        return [ROLE_NAMES[role] for role in Role if role in self.roles]


def local_personas(settings: Settings) -> list[LocalPersona]:
    chrome = Chrome(settings.language)
    web = Personas(settings.web_coordinators, chrome)
    people: dict[str, LocalPersona] = {}
    for persona in web.for_pane("chat") + web.for_pane("coordinators"):
        roles = {Role.COORDINATOR} if persona.group == "coordinators" else set()
        if settings.confidant is not None and settings.confidant.is_confidant("web", persona.id):
            roles.add(Role.CONFIDANT)
        people.setdefault(persona.id, LocalPersona(persona.id, persona.name, frozenset(roles)))
    t = translator(settings.language)
    for persona_id, name, role in EXTRA:
        people.setdefault(persona_id, LocalPersona(persona_id, t(name), frozenset({role})))
    return list(people.values())
