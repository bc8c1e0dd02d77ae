"""The console's case lists: every view and filter, both orders, keyset pages that neither
repeat nor skip while reports come in, and who may list at all."""

from __future__ import annotations

import pytest

from bot.access.models import Principal, Role
from bot.case.errors import InvalidQuery, NotAllowed
from bot.case.models import Category, Status, Urgency
from bot.case.queries import CaseFilter, Order, View
from tests.core.conftest import JAN, Harness
from tests.core.console import ANNA, BEA, RIA, LinkedAccess, references, report


async def _spread(bot: Harness) -> dict[str, str]:
    """Five cases, one of each kind a list tells apart; name -> reference."""
    plain = await report(bot, "Een klant schold me uit.", category=Category.VERBAL_AGGRESSION)
    bot.clock.advance(minutes=1)
    urgent = await report(
        bot, "Hij staat nu met een mes.", danger_now=True, by="staff-2", category=Category.OTHER
    )
    bot.clock.advance(minutes=1)
    mine = await report(bot, "Bedreiging via de telefoon.", category=Category.THREAT)
    await bot.runtime.cases.claim(JAN, mine.id)
    bot.clock.advance(minutes=1)
    closed = await report(bot, "Duwen bij de ingang.", department="Burgerzaken")
    await bot.runtime.cases.close(JAN, closed.id, "Afgehandeld.", None)
    bot.clock.advance(minutes=1)
    ria = await report(bot, "Spugen naar een collega.", department="Burgerzaken")
    await bot.runtime.cases.claim(RIA, ria.id)
    await bot.settle()
    return {
        "plain": plain.reference,
        "urgent": urgent.reference,
        "mine": mine.reference,
        "closed": closed.reference,
        "ria": ria.reference,
    }


async def test_every_view_lists_exactly_its_cases_newest_first(bot: Harness) -> None:
    cases = await _spread(bot)
    c = cases
    assert await references(bot, JAN, View.ALL) == [
        c["ria"],
        c["closed"],
        c["mine"],
        c["urgent"],
        c["plain"],
    ]
    assert await references(bot, JAN, View.OPEN) == [c["ria"], c["mine"], c["urgent"], c["plain"]]
    assert await references(bot, JAN, View.MINE) == [c["mine"]]
    assert await references(bot, RIA, View.MINE) == [c["ria"]]
    assert await references(bot, JAN, View.UNCLAIMED) == [c["urgent"], c["plain"]]
    assert await references(bot, JAN, View.URGENT) == [c["urgent"]]
    assert await references(bot, JAN, View.CLOSED) == [c["closed"]]
    assert await references(bot, JAN, View.OVERDUE) == []


async def test_mine_is_what_the_person_handles_under_any_identity(bot: Harness) -> None:
    cases = await _spread(bot)
    runtime = bot.runtime
    runtime.cases.access = LinkedAccess(runtime.messengers, linked=(frozenset({JAN.key, RIA.key}),))
    assert await references(bot, RIA, View.MINE) == [cases["ria"], cases["mine"]]
    assert await references(bot, JAN, View.MINE) == [cases["ria"], cases["mine"]]


async def test_overdue_is_past_the_promised_first_contact_or_a_legal_deadline(
    bot: Harness,
) -> None:
    cases = await _spread(bot)
    bot.clock.advance(minutes=31)  # past the urgent case's 30 minutes
    assert await references(bot, JAN, View.OVERDUE) == [cases["urgent"]]
    bot.clock.advance(hours=24)  # past the other unclaimed case's 24 hours
    assert await references(bot, JAN, View.OVERDUE) == [cases["urgent"], cases["plain"]]
    page = await bot.runtime.cases.list(JAN, CaseFilter(view=View.ALL))
    flags = {summary.reference: summary.overdue for summary in page.cases}
    assert flags == {
        cases["ria"]: False,
        cases["closed"]: False,
        cases["mine"]: False,
        cases["urgent"]: True,
        cases["plain"]: True,
    }

    # An integrity report, claimed at once: its feedback is due within three months.
    legal = await report(bot, "Fraude met declaraties.", category=Category.INTEGRITY)
    await bot.runtime.cases.claim(JAN, legal.id)
    bot.clock.advance(days=80)
    assert legal.reference not in await references(bot, JAN, View.OVERDUE)
    bot.clock.advance(days=15)
    assert legal.reference in await references(bot, JAN, View.OVERDUE)
    await bot.runtime.cases.change_status(
        JAN, legal.id, Status.MEASURE, None, "We onderzoeken het."
    )
    assert legal.reference not in await references(bot, JAN, View.OVERDUE)


async def test_filters_narrow_any_view(bot: Harness) -> None:
    cases = await _spread(bot)
    threat = await references(bot, JAN, View.ALL, category=Category.THREAT)
    assert threat == [cases["mine"]]
    in_progress = await references(bot, JAN, View.ALL, status=Status.IN_PROGRESS)
    assert in_progress == [cases["ria"], cases["mine"]]
    burgerzaken = await references(bot, JAN, View.OPEN, department="Burgerzaken")
    assert burgerzaken == [cases["ria"]]
    assert len(await references(bot, JAN, View.ALL, platform="web")) == 5
    assert await references(bot, JAN, View.ALL, platform="slack") == []
    assert await references(bot, JAN, View.CLOSED, department="Burgerzaken") == [cases["closed"]]


async def test_most_urgent_first_then_the_earliest_clock(bot: Harness) -> None:
    cases = await _spread(bot)
    order = await references(bot, JAN, View.ALL, Order.MOST_URGENT)
    # Danger now first; then the unclaimed case whose first contact is due; then the
    # cases with nothing due, oldest first.
    assert order == [
        cases["urgent"],
        cases["plain"],
        cases["mine"],
        cases["closed"],
        cases["ria"],
    ]
    page = await bot.runtime.cases.list(JAN, CaseFilter(view=View.URGENT))
    [summary] = page.cases
    assert summary.urgency is Urgency.URGENT and summary.due_at is not None
    assert "mes" in summary.summary and summary.platform == "web"


@pytest.mark.parametrize("order", list(Order))
async def test_pages_neither_repeat_nor_skip_while_reports_come_in(
    bot: Harness, order: Order
) -> None:
    first = [await report(bot, f"Melding nummer {n}.", danger_now=n % 3 == 0) for n in range(11)]
    seen: list[str] = []
    page = await bot.runtime.cases.list(JAN, CaseFilter(view=View.OPEN, order=order), limit=4)
    seen += [c.reference for c in page.cases]
    while page.next_cursor is not None:
        # New reports between pages: they belong before the first page (newest) or among
        # the ones due; either way no earlier case may show twice or go missing.
        bot.clock.advance(minutes=1)
        await report(bot, "Nog een melding tussendoor.", danger_now=True)
        page = await bot.runtime.cases.list(
            JAN, CaseFilter(view=View.OPEN, order=order), page.next_cursor, limit=4
        )
        seen += [c.reference for c in page.cases]
    assert len(seen) == len(set(seen)), "no case twice"
    assert {c.reference for c in first} <= set(seen), "no case skipped"


async def test_analysts_and_admins_never_list_cases(bot: Harness) -> None:
    await report(bot)
    for who in (ANNA, BEA, Principal("nobody", "Niemand")):
        with pytest.raises(NotAllowed):
            await bot.runtime.cases.list(who, CaseFilter())
    both = Principal("both", "Analist en coördinator", frozenset({Role.ANALYST, Role.COORDINATOR}))
    assert len((await bot.runtime.cases.list(both, CaseFilter())).cases) == 1


async def test_bad_list_requests_are_refused_with_a_reason(bot: Harness) -> None:
    await report(bot)
    await report(bot)
    cases = bot.runtime.cases
    page = await cases.list(JAN, CaseFilter(), limit=1)
    assert page.next_cursor is not None
    for cursor in ("kapot", page.next_cursor[:-3] + "AAA", "W10"):
        with pytest.raises(InvalidQuery):
            await cases.list(JAN, CaseFilter(), cursor)
    with pytest.raises(InvalidQuery):  # a cursor of the other order
        await cases.list(JAN, CaseFilter(order=Order.MOST_URGENT), page.next_cursor)
    for limit in (0, 101):
        with pytest.raises(InvalidQuery):
            await cases.list(JAN, CaseFilter(), limit=limit)
    with pytest.raises(InvalidQuery):
        await cases.list(JAN, CaseFilter(query="woord " * 50))
    with pytest.raises(InvalidQuery):
        await cases.list(
            JAN, CaseFilter(query="alfa bravo charlie delta echo foxtrot golf hotel india")
        )
    following = await cases.list(JAN, CaseFilter(), page.next_cursor, limit=1)
    assert len(following.cases) == 1 and following.next_cursor is None
