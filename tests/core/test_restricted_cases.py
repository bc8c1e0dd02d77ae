"""Restricted cases: integrity reports are the integrity coordinators' alone — listed,
opened, acted on and told only to them; their alert never reaches the general channel."""

from __future__ import annotations

import pytest

from bot.case.errors import CaseError, CaseNotFound
from bot.case.models import Category, EventKind, NewReport, Reporter, Urgency
from bot.case.queries import CaseFilter, View
from bot.events import Actor
from bot.oncall.rota import OnCallPerson, OnCallRota
from bot.settings import ConfigError, load_settings
from tests.core.conftest import JAN, Harness, MakeBot
from tests.core.console import RIA, integrity, references, report
from tests.fakes.messenger import FakeMessenger
from tests.text import buttons, text_of

KARIN = Actor("web", "coord-2", "Karin Kok")
STORY = "Een collega neemt geld aan van een leverancier."


async def test_an_integrity_report_reaches_only_the_integrity_coordinators(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(integrity_coordinators=[KARIN.key, RIA.key])
    case = await report(bot, **integrity(STORY))
    assert not bot.platform.in_channel(), "nothing in the general coordinator channel"
    [card, *thread] = bot.platform.dms(KARIN.user_id)
    assert case.reference in text_of(card.message)
    assert any(STORY in text_of(note.message) for note in thread)
    assert any("integriteitscoördinatoren" in text_of(note.message) for note in thread)
    assert not bot.platform.dms(JAN.user_id), "a coordinator not named hears nothing"

    assert await references(bot, JAN) == []
    assert await references(bot, KARIN) == [case.reference]
    assert await references(bot, RIA) == [case.reference]
    [summary] = (await bot.runtime.cases.list(RIA, CaseFilter(view=View.ALL))).cases
    assert summary.restricted

    for attempt in (
        bot.runtime.cases.read(JAN, case.reference),
        bot.runtime.cases.read(JAN, case.id),
        bot.runtime.cases.claim(JAN, case.id),
        bot.runtime.cases.note(JAN, case.id, "Even kijken."),
        bot.runtime.cases.attachment(JAN, case.id, 1),
    ):
        with pytest.raises(CaseNotFound):
            await attempt
    refused = await bot.press(JAN, "case.claim", str(case.id), card.ref)
    assert refused.private and "bestaat niet meer" in text_of(refused.private[0])
    assert (await bot.runtime.cases.read(KARIN, case.reference)).case.restricted_to == {
        KARIN.key,
        RIA.key,
    }
    await bot.runtime.cases.claim(KARIN, case.id)


async def test_without_a_chat_place_a_restricted_case_stays_in_meldbot(make_bot: MakeBot) -> None:
    bot = await make_bot(integrity_coordinators=[RIA.key])
    case = await report(bot, **integrity(STORY))
    await bot.runtime.cases.note(RIA, case.id, "Eerst de feiten op een rij.")
    await bot.settle()
    coordinators = [s for s in bot.platform.sent if not s.address.personal]
    assert coordinators == [], "posted nowhere: nobody named is on this platform"
    assert [s.address.conversation for s in bot.platform.sent] == ["dm:staff-1"], "the receipt"
    async with bot.runtime.database.transaction() as tx:
        assert await tx.outbox.claim(bot.clock(), bot.clock(), 100) == [], "nothing left to retry"


async def test_restricting_moves_the_alert_and_lifting_moves_it_back(bot: Harness) -> None:
    case = await report(bot, "Mijn leidinggevende bedreigde me.")
    [root] = bot.platform.roots()
    with pytest.raises(CaseError):
        await bot.runtime.cases.restrict(JAN, case.id, frozenset({"not a key"}))
    with pytest.raises(CaseError):
        await bot.runtime.cases.restrict(JAN, case.id, frozenset())
    await bot.runtime.cases.restrict(JAN, case.id, frozenset({KARIN.key}))
    await bot.settle()
    moved_ref, moved = bot.platform.updates[-1]
    assert moved_ref == root.ref and "verplaatst" in text_of(moved)
    assert "bedreigde" not in text_of(moved) and not buttons(moved)
    [card, *notes] = bot.platform.dms(KARIN.user_id)
    assert "afgeschermd" in text_of(notes[-1].message)
    assert await references(bot, JAN) == []
    assert await references(bot, KARIN) == [case.reference]

    await bot.runtime.cases.lift_restriction(KARIN, case.id)
    await bot.settle()
    assert bot.platform.updates[-1][0] == card.ref
    new_roots = bot.platform.roots()
    assert len(new_roots) == 2 and case.reference in text_of(new_roots[-1].message)
    assert await references(bot, JAN) == [case.reference]
    with pytest.raises(CaseError):
        await bot.runtime.cases.lift_restriction(JAN, case.id)


async def test_a_handler_not_named_must_be_named_or_handed_over_first(bot: Harness) -> None:
    case = await report(bot)
    await bot.runtime.cases.claim(JAN, case.id)
    with pytest.raises(CaseError, match="hand it over"):
        await bot.runtime.cases.restrict(JAN, case.id, frozenset({KARIN.key}))
    await bot.runtime.cases.restrict(JAN, case.id, frozenset({KARIN.key, JAN.key}))
    assert await references(bot, JAN) == [case.reference]


async def test_a_category_set_later_restricts_and_lets_go_of_its_handler(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(integrity_coordinators=[KARIN.key])
    case = await report(bot, "Er verdwijnt geld uit de kas.", category=Category.OTHER)
    await bot.runtime.cases.claim(JAN, case.id)
    await bot.runtime.cases.correct(JAN, case.id, Category.INTEGRITY, Urgency.NORMAL)
    await bot.settle()
    assert await references(bot, JAN) == []
    opened = await bot.runtime.cases.read(KARIN, case.id)
    assert opened.case.handler_id is None, "the integrity coordinators take it from here"
    assert opened.events[-1].kind is EventKind.RESTRICTED
    [root] = bot.platform.roots()
    last_of_root = [message for ref, message in bot.platform.updates if ref == root.ref][-1]
    assert "verplaatst" in text_of(last_of_root), "the general card is cleared"
    assert "kas" not in text_of(last_of_root)
    [card, *_notes] = bot.platform.dms(KARIN.user_id)
    assert case.reference in text_of(card.message)


async def test_the_person_on_call_is_paged_only_when_named(make_bot: MakeBot) -> None:
    rota = OnCallRota(rotation=[OnCallPerson(id=JAN.user_id, name=JAN.name)])
    bot = await make_bot(oncall=rota, integrity_coordinators=[KARIN.key])
    await report(
        bot, **integrity("Hij dreigt nu de administratie te vernietigen."), danger_now=True
    )
    assert not bot.platform.dms(JAN.user_id), "Jan is on call, but not named"
    assert any("Jan Jansen" in text_of(s.message) for s in bot.platform.dms(KARIN.user_id))


async def test_a_restricted_channel_takes_the_alerts_on_its_platform(make_bot: MakeBot) -> None:
    bot = await make_bot(
        integrity_coordinators=["slack:U2"], slack_restricted_channel="C0INTEGRITY"
    )
    slack = FakeMessenger(platform="slack", coordinators={"U1", "U2"})
    bot.runtime.messengers["slack"] = slack
    case = await bot.runtime.cases.report(
        NewReport(STORY, Category.INTEGRITY), Reporter("slack", "U9", "Sanne")
    )
    await bot.runtime.outbox.settle()
    roots = [s for s in slack.sent if s.address.thread is None and not s.address.personal]
    assert [r.address.conversation for r in roots] == ["C0INTEGRITY"]
    assert case.reference in text_of(roots[0].message)
    assert not slack.in_channel()


def test_the_integrity_coordinators_are_keys_and_reach_the_case_policy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MELDBOT_INTEGRITY_COORDINATORS", "slack:U1, console:abc-123")
    monkeypatch.setenv("MELDBOT_TEAMS_RESTRICTED_CHANNEL", "19:integriteit@thread.tacv2")
    policy = load_settings().case_policy()
    assert policy.integrity_coordinators == {"slack:U1", "console:abc-123"}
    assert policy.restricts(Category.INTEGRITY) == policy.integrity_coordinators
    assert policy.restricts(Category.THREAT) == frozenset()
    assert policy.restricted_channels == {"teams": "19:integriteit@thread.tacv2"}
    monkeypatch.setenv("MELDBOT_INTEGRITY_COORDINATORS", "U1")
    with pytest.raises(ConfigError, match="MELDBOT_INTEGRITY_COORDINATORS"):
        load_settings()
    monkeypatch.setenv("MELDBOT_INTEGRITY_COORDINATORS", "slack:U1")
    monkeypatch.setenv("MELDBOT_TEAMS_RESTRICTED_CHANNEL", "integriteit")
    with pytest.raises(ConfigError, match="MELDBOT_TEAMS_RESTRICTED_CHANNEL"):
        load_settings()
