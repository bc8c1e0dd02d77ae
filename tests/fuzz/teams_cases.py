"""Teams activities for the fuzz suite: the shapes the Bot Connector posts, then broken."""

from __future__ import annotations

import random
from typing import Any

from tests.fakes.teams_payloads import Channel, Team, TeamsPayloads, TeamsUser
from tests.fuzz.hostile import ID_MARK, MARK, mutated
from tests.fuzz.slack_cases import ACTIONS, FIELDS, VALUES
from tests.teams.support import COORDINATION, COORDINATOR_CHANNEL

PEOPLE = [TeamsUser(f"29:{ID_MARK}{n}", f"{MARK} Naam {n}", f"aad-{ID_MARK}-{n}") for n in range(4)]


def _data(rng: random.Random) -> dict[str, Any]:
    """What a card's button or form sends back (our marker, then hostile parts)."""
    if rng.random() < 0.5:
        return {"meldbot": 1, "kind": "button", "action": rng.choice(ACTIONS),
                "value": rng.choice(VALUES)}  # fmt: skip
    fields = {f"field.{name}": rng.choice([*VALUES, f"{MARK} " * 30]) for name in FIELDS[:6]}
    return {"meldbot": 1, "kind": rng.choice(["form", "cancel"]), "form": rng.choice(
        ["report", "report.details", "case.question", "consult", "receipt", "x"]),
        "state": rng.choice(VALUES), **fields}  # fmt: skip


def activity(rng: random.Random, teams: TeamsPayloads) -> dict[str, Any]:
    user = rng.choice(PEOPLE)
    shape = rng.randrange(5)
    if shape == 0:
        base = teams.personal_message(rng.choice([f"{MARK} een klant schreeuwde", "meld"]), user)
    elif shape == 1:
        base = teams.channel_message(f"{MARK} hallo", user, COORDINATION, COORDINATOR_CHANNEL)
    elif shape == 2:
        thread = teams.channel_thread(COORDINATOR_CHANNEL, "1700000000001")
        in_channel = rng.random() < 0.5
        base = teams.card_action_invoke(
            _data(rng), "meldbot", "1700000000001",
            conversation=thread if in_channel else None, user=user,
            team=COORDINATION, channel=COORDINATOR_CHANNEL if in_channel else None,
        )  # fmt: skip
    elif shape == 3:
        base = teams.personal_message("", user, value=_data(rng))
    else:
        team = Team(f"19:{ID_MARK}@thread.tacv2", f"{MARK} team",
                    channels=(Channel(f"19:{ID_MARK}c@thread.tacv2", MARK),))  # fmt: skip
        base = teams.conversation_update([user, *PEOPLE[:2]], team)
    return mutated(base, rng)
