"""Retraction in the core (real database, a recording platform): every message a case
left is recorded sealed, ``retract_case`` queues one outbox row per message that outlives
the case, and the outbox deletes each once, retrying, blanking, or giving up."""

from __future__ import annotations

from sqlalchemy import delete, text

from bot.case.models import Case, EventKind, NewReport, Reporter
from bot.events import MessageRef
from bot.i18n import translator
from bot.ports import DeliveryError
from bot.retraction.delivery import removed_message
from storage.models import CaseRow
from tests.core.conftest import Harness
from tests.retraction import deliver_retractions, posts_of, retract, retractions

SANNE = Reporter("web", "staff-1", "Sanne de Vries")
AHMED = Reporter("web", "staff-2", "Ahmed Yilmaz")


async def _case(bot: Harness, reporter: Reporter, story: str) -> Case:
    case = await bot.runtime.cases.report(NewReport(story), reporter)
    await bot.runtime.cases.reporter_adds(
        reporter, case.id, f"{story} Nog iets.", EventKind.ADDITION
    )
    await bot.settle()
    found = await _get(bot, case.id)
    assert found is not None and found.alert is not None
    return found


async def _get(bot: Harness, case_id: int) -> Case | None:
    async with bot.runtime.database.transaction() as tx:
        return await tx.cases.get(case_id)


def _left_by(bot: Harness, case: Case) -> set[MessageRef]:
    """What the platform holds about ``case``: its alert, its thread, its reporter's chat."""
    assert case.alert is not None and case.reporter is not None
    chat = f"dm:{case.reporter.user_id}"
    return {
        s.ref
        for s in bot.platform.sent
        if s.ref == case.alert
        or s.address.thread == case.alert.message_id
        or s.address.conversation == chat
    }


async def test_every_message_about_a_case_is_recorded_sealed(bot: Harness) -> None:
    case = await _case(bot, SANNE, "De klant gooide een stoel.")
    assert case.alert is not None
    posts = await posts_of(bot.runtime.database, case.id)
    assert set(posts) == _left_by(bot, case) - {case.alert}, "the alert is kept on the case"
    assert len(posts) >= 3, "two thread lines and the receipt at least"
    async with bot.runtime.database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM case_posts"))).mappings().all()
    assert {str(row["posted_on"]) for row in rows} == {"2026-03-02"}, "the day only"
    assert all(str(row["ref_sealed"]).startswith("gAAAAA") for row in rows), "Fernet tokens"
    stored = " ".join(str(value) for row in rows for value in row.values())
    assert "dm:staff-1" not in stored and "coordinators" not in stored


async def test_retract_case_deletes_what_that_case_left_and_nothing_else(bot: Harness) -> None:
    case = await _case(bot, SANNE, "De klant gooide een stoel.")
    other = await _case(bot, AHMED, "Een man schold bij de balie.")
    left = _left_by(bot, case)

    assert await retract(bot.runtime.database, case.id) == len(left)
    rows = await retractions(bot.runtime.database)
    assert len(rows) == len(left) and all(row.case_id is None for row in rows)
    assert await posts_of(bot.runtime.database, case.id) == []
    await deliver_retractions(bot.runtime, bot.clock)

    assert set(bot.platform.deleted) == left and len(bot.platform.deleted) == len(left)
    assert bot.platform.deleted[-1] == case.alert, "the thread's root goes last"
    assert not _left_by(bot, other) & set(bot.platform.deleted)
    assert len(await posts_of(bot.runtime.database, other.id)) >= 3
    rows = await retractions(bot.runtime.database)
    assert all(row.sent_at and row.payload_sealed is None for row in rows), "payloads wiped"
    gone = await _get(bot, case.id)
    assert gone is not None and gone.alert is None
    assert await retract(bot.runtime.database, case.id) == 0, "once only"


async def test_retractions_outlive_the_purge_of_the_case(bot: Harness) -> None:
    case = await _case(bot, SANNE, "De klant gooide een stoel.")
    left = _left_by(bot, case)
    async with bot.runtime.database.transaction() as tx:
        assert await tx.posts.retract_case(case.id) == len(left)
        await tx.session.execute(delete(CaseRow).where(CaseRow.id == case.id))
    await deliver_retractions(bot.runtime, bot.clock)
    assert set(bot.platform.deleted) == left


async def test_a_refusal_that_may_pass_is_tried_again_later(bot: Harness) -> None:
    case = await _case(bot, SANNE, "De klant gooide een stoel.")
    left = _left_by(bot, case)
    await retract(bot.runtime.database, case.id)
    bot.platform.failures = [DeliveryError("slack: ratelimited", retry_after=30)]
    await bot.settle()
    assert len(bot.platform.deleted) == len(left) - 1, "one refused, the rest not held up"
    [waiting] = [row for row in await retractions(bot.runtime.database) if not row.sent_at]
    assert waiting.attempts == 1 and waiting.last_error == "slack: ratelimited"
    assert waiting.payload_sealed is not None
    await deliver_retractions(bot.runtime, bot.clock)
    assert set(bot.platform.deleted) == left


async def test_a_permanent_refusal_blanks_the_message_instead(bot: Harness) -> None:
    case = await _case(bot, SANNE, "De klant gooide een stoel.")
    left = _left_by(bot, case)
    await retract(bot.runtime.database, case.id)
    updates = len(bot.platform.updates)
    bot.platform.failures = [DeliveryError("slack: cant_delete_message", permanent=True)]
    await deliver_retractions(bot.runtime, bot.clock)
    [(blanked, message)] = bot.platform.updates[updates:]
    assert blanked in left and blanked not in bot.platform.deleted
    assert message == removed_message(translator(bot.runtime.settings.language))
    assert all(row.sent_at for row in await retractions(bot.runtime.database))


async def test_a_message_that_cannot_be_blanked_either_is_given_up(bot: Harness) -> None:
    case = await _case(bot, SANNE, "De klant gooide een stoel.")
    left = _left_by(bot, case)
    await retract(bot.runtime.database, case.id)
    refused = DeliveryError("teams delete: HTTP 403", permanent=True)
    bot.platform.failures = [refused, DeliveryError("teams update: HTTP 403", permanent=True)]
    await deliver_retractions(bot.runtime, bot.clock)
    rows = await retractions(bot.runtime.database)
    [given_up] = [row for row in rows if row.abandoned]
    assert given_up.last_error == "teams update: HTTP 403" and given_up.payload_sealed is None
    assert len(bot.platform.deleted) == len(left) - 1


async def test_a_platform_that_keeps_refusing_is_given_up_after_a_day(bot: Harness) -> None:
    case = await _case(bot, SANNE, "De klant gooide een stoel.")
    left = _left_by(bot, case)
    await retract(bot.runtime.database, case.id)
    bot.platform.failures = [DeliveryError("teams delete: HTTP 500") for _ in left]
    await bot.settle()
    rows = await retractions(bot.runtime.database)
    assert not any(row.abandoned or row.sent_at for row in rows), "tried again later"

    bot.clock.advance(days=1)
    bot.platform.failures = [DeliveryError("teams delete: HTTP 500") for _ in left]
    await bot.settle()
    rows = await retractions(bot.runtime.database)
    assert len(rows) == len(left) and all(row.abandoned for row in rows)
    assert {(row.attempts, row.last_error) for row in rows} == {
        (2, "teams delete: HTTP 500; given up")
    }
    assert all(row.payload_sealed is None for row in rows)
    assert bot.platform.deleted == [] and bot.platform.failures == []
