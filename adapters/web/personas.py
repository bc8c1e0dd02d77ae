"""Who one can act as in the local web chat, per pane.

The web chat is a local surface: anyone at the keyboard may act as anyone, so the
role checks that matter happen in the core (``Messenger.is_coordinator``), never here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from adapters.web.chrome import Chrome

Pane = Literal["chat", "coordinators", "team"]
PANES: tuple[Pane, ...] = ("chat", "coordinators", "team")
Group = Literal["staff", "coordinators", "confidants"]


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    name: str
    role: str
    group: Group

    @property
    def label(self) -> str:
        if self.name.casefold() == self.role.casefold():
            return self.name  # "Coördinator", not "Coördinator (coördinator)"
        return f"{self.name} ({self.role})"


# (id, name); the last one is the non-coordinator that shows the core's refusals.
_STAFF: tuple[tuple[str, str], ...] = (
    ("sanne", "Sanne de Vries"),
    ("ahmed", "Ahmed Yilmaz"),
)
NON_COORDINATOR = ("piet", "Piet")


def _display_name(user_id: str, chrome: Chrome) -> str:
    words = [word for word in re.split(r"[._\-\s]+", user_id) if word]
    name = " ".join(word[:1].upper() + word[1:] for word in words) or user_id
    if name.lower() in {"coordinator", "coördinator"}:
        return chrome("coordinator_default")
    return name


class Personas:
    """The personas of each pane, built from ``settings.web_coordinators`` and the
    vertrouwenspersoon's people (``confidants``: id and name), whose reports arrive in
    their personal chat."""

    def __init__(
        self,
        coordinators: Sequence[str],
        chrome: Chrome,
        confidants: Sequence[tuple[str, str]] = (),
    ) -> None:
        coordinator_ids = list(dict.fromkeys(user_id for user_id in coordinators if user_id))
        people: dict[str, Persona] = {}
        for user_id in coordinator_ids:
            people[user_id] = Persona(
                user_id, _display_name(user_id, chrome), chrome("role_coordinator"), "coordinators"
            )
        for user_id, name in confidants:
            people.setdefault(
                user_id,
                Persona(
                    user_id,
                    name or _display_name(user_id, chrome),
                    chrome("role_confidant"),
                    "confidants",
                ),
            )
        for user_id, name in _STAFF:
            people.setdefault(user_id, Persona(user_id, name, chrome("role_staff"), "staff"))
        piet_id, piet_name = NON_COORDINATOR
        people.setdefault(
            piet_id, Persona(piet_id, piet_name, chrome("role_not_coordinator"), "staff")
        )
        self._people = people
        staff = [person for person in people.values() if person.group == "staff"]
        coords = [person for person in people.values() if person.group == "coordinators"]
        confidant = [person for person in people.values() if person.group == "confidants"]
        non_coordinator = [people[piet_id]] if people[piet_id].group == "staff" else []
        self._panes: dict[Pane, list[Persona]] = {
            "chat": staff + coords + confidant,
            "coordinators": coords + non_coordinator,
            "team": staff + coords,
        }

    def for_pane(self, pane: Pane) -> list[Persona]:
        return list(self._panes[pane])

    def get(self, pane: Pane, persona_id: str) -> Persona | None:
        """The persona when it may act in this pane, else None."""
        for person in self._panes[pane]:
            if person.id == persona_id:
                return person
        return None

    def name(self, user_id: str) -> str | None:
        person = self._people.get(user_id)
        return person.name if person else None
