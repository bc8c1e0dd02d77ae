"""Onboarding: a newcomer in a configured team or channel gets one welcome, once ever."""

from __future__ import annotations

from bot.events import Actor, Address, MembersJoined
from bot.ports import DeliveryError
from bot.schedule.config import OnboardingChannel
from bot.ui import Actions, Person
from tests.core.conftest import AHMED, SANNE, Harness, MakeBot
from tests.fakes.messenger import Sent
from tests.privacy import tables_holding

PLACES = [
    OnboardingChannel(platform="web", channel="balie"),
    OnboardingChannel(platform="web", channel="wijkteam"),
]


def joined(channel: str, *people: Actor, team: str | None = None) -> MembersJoined:
    return MembersJoined(people[0], Address("web", channel), tuple(people), team=team)


def welcomes(bot: Harness, person: Actor) -> list[Sent]:
    return [s for s in bot.platform.dms(person.user_id) if s.message.summary.startswith("Welkom")]


async def test_a_newcomer_is_welcomed_once_across_joins_and_channels(make_bot: MakeBot) -> None:
    bot = await make_bot(onboarding=PLACES)
    await bot.runtime.dialogs.handle(joined("balie", SANNE, AHMED))
    await bot.settle()
    [welcome] = welcomes(bot, SANNE)
    assert len(welcomes(bot, AHMED)) == 1

    # the reporting route, the coordinator with name and photo, and the two ways in
    blocks = welcome.message.blocks
    [person] = [b for b in blocks if isinstance(b, Person)]
    assert (person.name, person.photo_url) == ("Jan Jansen", "https://example.org/jan.jpg")
    [actions] = [b for b in blocks if isinstance(b, Actions)]
    assert [(b.label, b.action_id) for b in actions.buttons] == [
        ("Melden", "report.start"),
        ("Twijfel je? Overleg anoniem", "consult.start"),
    ]
    assert "Twijfel je? Overleg gewoon" in str(blocks)
    assert welcome.address.personal

    # joining again, elsewhere, or after time passes: no second welcome
    await bot.runtime.dialogs.handle(joined("balie", SANNE))
    await bot.runtime.dialogs.handle(joined("wijkteam", SANNE, AHMED))
    bot.clock.advance(days=40)
    await bot.tick()
    await bot.runtime.dialogs.handle(joined("wijkteam", SANNE))
    await bot.settle()
    assert len(welcomes(bot, SANNE)) == 1 and len(welcomes(bot, AHMED)) == 1


async def test_only_configured_channels_and_teams_welcome(make_bot: MakeBot) -> None:
    bot = await make_bot(onboarding=[OnboardingChannel(platform="web", channel="team-zuid")])
    await bot.runtime.dialogs.handle(joined("kantine", SANNE))
    await bot.runtime.dialogs.handle(
        MembersJoined(AHMED, Address("slack", "team-zuid"), (Actor("slack", "U1"),))
    )
    await bot.settle()
    assert bot.platform.sent == []

    # a channel of a configured team counts (Teams names the team, not the channel)
    await bot.runtime.dialogs.handle(joined("team-zuid-algemeen", SANNE, team="team-zuid"))
    await bot.settle()
    assert len(welcomes(bot, SANNE)) == 1


async def test_nobody_is_welcomed_without_configuration(bot: Harness) -> None:
    response = await bot.runtime.dialogs.handle(joined("balie", SANNE))
    await bot.settle()
    assert bot.platform.sent == [] and response.messages == [] and response.private == []


async def test_bots_are_never_welcomed(make_bot: MakeBot) -> None:
    """The adapters leave bots out of ``members``; meldbot itself joining is no newcomer."""
    bot = await make_bot(onboarding=PLACES)
    meldbot_added = MembersJoined(SANNE, Address("web", "balie"), (), bot_added=True)
    await bot.runtime.dialogs.handle(meldbot_added)
    await bot.settle()
    assert bot.platform.sent == []


async def test_a_failed_welcome_is_retried_and_not_lost(make_bot: MakeBot) -> None:
    bot = await make_bot(onboarding=PLACES)
    bot.platform.failures.append(DeliveryError("slack is down", retry_after=30))
    await bot.runtime.dialogs.handle(joined("balie", SANNE))
    await bot.settle()
    assert welcomes(bot, SANNE) == []

    await bot.runtime.dialogs.handle(joined("wijkteam", SANNE))  # no second one queued
    bot.clock.advance(seconds=31)
    await bot.settle()
    assert len(welcomes(bot, SANNE)) == 1
    bot.clock.advance(minutes=10)
    await bot.settle()
    assert len(welcomes(bot, SANNE)) == 1


async def test_someone_unreachable_is_tried_again_at_the_next_join(make_bot: MakeBot) -> None:
    bot = await make_bot(onboarding=PLACES)
    bot.platform.unreachable.add(SANNE.user_id)
    await bot.runtime.dialogs.handle(joined("balie", SANNE))
    await bot.settle()
    bot.platform.unreachable.clear()
    await bot.runtime.dialogs.handle(joined("wijkteam", SANNE))
    await bot.settle()
    assert len(welcomes(bot, SANNE)) == 1


async def test_the_person_is_not_kept_after_the_welcome(make_bot: MakeBot) -> None:
    newcomer = Actor("web", "u9nieuw-medewerker7", "Nina Nieuw")
    bot = await make_bot(onboarding=PLACES)
    await bot.runtime.dialogs.handle(joined("balie", newcomer))
    database = bot.runtime.database
    before = await tables_holding(database.engine, database._sealer, [newcomer.user_id])
    assert before == {"timers.payload_sealed": [newcomer.user_id]}  # sealed, until it is sent

    await bot.settle()
    assert len(welcomes(bot, newcomer)) == 1
    assert await tables_holding(database.engine, database._sealer, [newcomer.user_id]) == {}
    # and the once-only record still works without the id
    await bot.runtime.dialogs.handle(joined("wijkteam", newcomer))
    await bot.settle()
    assert len(welcomes(bot, newcomer)) == 1


async def test_a_welcome_that_fails_for_good_drops_the_person_too(make_bot: MakeBot) -> None:
    newcomer = Actor("web", "u9vertrokken-collega3", "Vera Vertrokken")
    bot = await make_bot(onboarding=PLACES)
    bot.platform.failures.append(DeliveryError("account deactivated", permanent=True))
    await bot.runtime.dialogs.handle(joined("balie", newcomer))
    await bot.settle()
    assert welcomes(bot, newcomer) == []
    database = bot.runtime.database
    assert await tables_holding(database.engine, database._sealer, [newcomer.user_id]) == {}
