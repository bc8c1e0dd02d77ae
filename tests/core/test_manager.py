"""The manager in the loop, only with consent (seed 004, seed 002): consent from the report
or asked in the reporter's chat, the invitation, what the manager sees, "Hoe ging het?" with
its reminder, and every refusal saving nothing. SQLite and PostgreSQL, controlled clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from bot.access.models import Principal
from bot.case.errors import CaseError, NotAllowed
from bot.case.models import EventKind, MeasureKind, Reporter, Status
from bot.events import Actor
from bot.manager.models import Answer, Consent, Invitee
from bot.manager.service import ManagerService, ask_moment
from bot.measures.models import Plan, Step
from bot.ui import Choice
from tests.core.conftest import AHMED, JAN, PIET, SANNE, Harness
from tests.core.console import MAX, report
from tests.privacy import audit_rows
from tests.text import buttons, links, text_of

TALK = Plan(MeasureKind.ORDER_TALK, "Leidinggevende Burgerzaken", planned_on=date(2026, 3, 4))
SHARED = "Een klant schreeuwde op 1 maart aan de balie tegen Sanne."
PIET_KEY = Invitee("web:piet", "Piet Pieters")
MAX_SIGNED_IN = Principal(MAX.subject, MAX.name, MAX.roles, "max@example.org")
NO_ROLE = Principal("other-sub", "Zelfde adres", frozenset(), "max@example.org")


def managers(bot: Harness) -> ManagerService:
    assert bot.runtime.managers is not None
    return bot.runtime.managers


async def _count(bot: Harness, table: str) -> int:
    async with bot.runtime.database.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def _audit(bot: Harness) -> list[tuple[str, str, str | None]]:
    rows = await audit_rows(bot.runtime.database, "actor", "action", "detail")
    return [(str(a), str(b), c if c is None else str(c)) for a, b, c in rows]


async def _events(bot: Harness, case_id: int) -> list[EventKind]:
    async with bot.runtime.database.transaction() as tx:
        return [e.kind for e in await tx.cases.events(case_id)]


def _thread(bot: Harness) -> list[str]:
    [root] = bot.platform.roots()
    return [text_of(sent.message) for sent in bot.platform.thread(root.ref)]


async def _measure(bot: Harness, case_id: int, plan: Plan = TALK) -> int:
    assert bot.runtime.measures is not None
    return (await bot.runtime.measures.advise(JAN, case_id, plan)).id


async def test_consent_from_the_report_lets_a_coordinator_invite(bot: Harness) -> None:
    case = await report(bot, manager_consent=True)
    measure_id = await _measure(bot, case.id)
    assert await managers(bot).consent(JAN, case.id) is Consent.GIVEN
    invitation = await managers(bot).invite(JAN, case.id, measure_id, PIET_KEY, SHARED)
    await bot.settle()
    assert (invitation.manager.key, invitation.shared) == ("web:piet", SHARED)
    [dm] = bot.platform.dms(PIET.user_id)
    said = text_of(dm.message)
    assert "Ordegesprek" in said and "4 maart 2026" in said
    assert SHARED in said, "the web chat is meldbot's own surface: the shared text is there"
    assert "Tips voor jou" in said, "the ordegesprek's guidance goes along before the talk"
    assert links(dm.message)["Openen in meldbot"].endswith(f"/console/zaken/{case.reference}")
    assert case.report.narrative not in said, "nothing else of the case is shared"
    assert any("leidinggevende uitgenodigd" in line for line in _thread(bot))
    assert ("web:coord-1", "manager.invite", None) in await _audit(bot)


async def test_without_consent_the_invitation_is_refused_and_consent_is_asked(
    bot: Harness,
) -> None:
    case = await report(bot, by=SANNE.user_id)
    measure_id = await _measure(bot, case.id)
    with pytest.raises(CaseError, match="not given consent"):
        await managers(bot).invite(JAN, case.id, measure_id, PIET_KEY, SHARED)
    assert await _count(bot, "manager_invitations") == 0
    await managers(bot).ask_consent(JAN, case.id)
    with pytest.raises(CaseError, match="asked already"):
        await managers(bot).ask_consent(JAN, case.id)
    await bot.settle()
    question = bot.platform.dms(SANNE.user_id)[-1].message
    assert set(buttons(question)) == {"consent.yes", "consent.no"}
    assert "Niets gebeurt zonder jouw ja" in text_of(question)

    stranger = await bot.press(PIET, "consent.yes", str(case.id))
    assert stranger.private and "niet van jou" in text_of(stranger.private[0])
    forged = await bot.press(SANNE, "consent.yes", "abc")
    assert forged.private and "niet geldig" in text_of(forged.private[0])
    declined = await bot.press(SANNE, "consent.no", str(case.id))
    assert declined.replace is not None and "niet betrokken" in text_of(declined.replace)
    again = await bot.press(SANNE, "consent.yes", str(case.id))
    assert again.private, "an answered question cannot be answered again"
    with pytest.raises(CaseError, match="not given consent"):
        await managers(bot).invite(JAN, case.id, measure_id, PIET_KEY, SHARED)

    await managers(bot).ask_consent(JAN, case.id)
    agreed = await bot.press(SANNE, "consent.yes", str(case.id))
    assert agreed.replace is not None and "mag de coördinator" in text_of(agreed.replace)
    await managers(bot).invite(JAN, case.id, measure_id, PIET_KEY, SHARED)
    await bot.settle()
    kinds = await _events(bot, case.id)
    assert kinds.count(EventKind.CONSENT_ASKED) == 2
    assert EventKind.CONSENT_DECLINED in kinds and EventKind.CONSENT_GIVEN in kinds
    thread = "\n".join(_thread(bot))
    assert "leidinggevende betrokken mag worden" in thread
    assert ("reporter", "manager.consent", "yes") in await _audit(bot)


async def test_an_anonymous_reporter_cannot_be_asked(bot: Harness) -> None:
    values = {"narrative": "Iemand intimideert me bij de ingang.", "danger": "no", "notify": "no"}
    await bot.submit(SANNE, "report.anonymous", values)
    await bot.settle()
    [root] = bot.platform.roots()
    case_id = int(buttons(root.message)["case.ask"])
    with pytest.raises(CaseError, match="anonymous"):
        await managers(bot).ask_consent(JAN, case_id)
    assert EventKind.CONSENT_ASKED not in await _events(bot, case_id)


async def test_bad_invitations_are_refused_and_nothing_is_saved(bot: Harness) -> None:
    case = await report(bot, manager_consent=True)
    measure_id = await _measure(bot, case.id)
    other = await report(bot, "Een tweede melding.", manager_consent=True)
    other_measure = await _measure(bot, other.id)
    invite = managers(bot).invite
    refusals = {
        "meldbot does not know this person": [
            Invitee("slack:U123", "Op Slack"),  # Slack is not on here
            Invitee("console:nobody", ""),  # never signed in
            Invitee("fax:123", "Fax"),
            Invitee("web:<script>", "x"),
        ],
        "whole e-mail address": [Invitee("email:piet", "Piet")],
        "name under": [Invitee("web:piet", "P" * 500)],
    }
    for reason, invitees in refusals.items():
        for invitee in invitees:
            with pytest.raises(CaseError, match=reason):
                await invite(JAN, case.id, measure_id, invitee, SHARED)
    with pytest.raises(CaseError, match="Write what you share"):
        await invite(JAN, case.id, measure_id, PIET_KEY, "   ")
    with pytest.raises(CaseError, match="not with this case"):
        await invite(JAN, case.id, other_measure, PIET_KEY, SHARED)
    with pytest.raises(NotAllowed):
        await invite(PIET, case.id, measure_id, PIET_KEY, SHARED)
    assert bot.runtime.measures is not None
    await bot.runtime.measures.step(JAN, case.id, measure_id, Step.DROPPED, "Niet nodig.")
    with pytest.raises(CaseError, match="dropped or evaluated"):
        await invite(JAN, case.id, measure_id, PIET_KEY, SHARED)
    await bot.runtime.cases.close(JAN, other.id, "Afgehandeld.", None)
    with pytest.raises(CaseError, match="closed"):
        await invite(JAN, other.id, other_measure, PIET_KEY, SHARED)
    assert await _count(bot, "manager_invitations") == 0
    assert EventKind.MANAGER_INVITED not in await _events(bot, case.id)


def test_the_question_comes_the_working_day_after_the_planned_date() -> None:
    invited = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    # Wednesday 4 March planned: Thursday 10:00 in Amsterdam.
    assert ask_moment(date(2026, 3, 4), invited, 5) == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    # Friday planned: Monday. Without a date: 5 working days after Monday 2 March.
    assert ask_moment(date(2026, 3, 6), invited, 5) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    assert ask_moment(None, invited, 5) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    # King's Day (27 April 2026, a Monday) is no working day.
    assert ask_moment(date(2026, 4, 24), invited, 5) == datetime(2026, 4, 28, 8, 0, tzinfo=UTC)


async def test_how_did_it_go_is_asked_reminded_once_and_answered(bot: Harness) -> None:
    case = await report(bot, manager_consent=True)
    measure_id = await _measure(bot, case.id)
    invitation = await managers(bot).invite(JAN, case.id, measure_id, PIET_KEY, SHARED)
    await bot.settle()
    bot.clock.now = datetime(2026, 3, 5, 8, 59, tzinfo=UTC)
    await bot.tick()
    assert len(bot.platform.dms(PIET.user_id)) == 1, "not before the working day after"
    bot.clock.now = datetime(2026, 3, 5, 9, 1, tzinfo=UTC)
    await bot.tick()
    asked = bot.platform.dms(PIET.user_id)[-1].message
    assert "Hoe ging het?" in text_of(asked)
    assert buttons(asked) == dict.fromkeys(
        ("manager.done", "manager.not_done", "manager.help"), str(invitation.id)
    )
    bot.clock.now = datetime(2026, 3, 10, 8, 59, tzinfo=UTC)
    await bot.tick()
    assert len(bot.platform.dms(PIET.user_id)) == 2, "the reminder waits 3 working days"
    bot.clock.now = datetime(2026, 3, 10, 9, 1, tzinfo=UTC)
    await bot.tick()
    reminder = bot.platform.dms(PIET.user_id)[-1].message
    assert "herinnering" in text_of(reminder).lower()

    opened = await bot.press(PIET, "manager.help", str(invitation.id))
    assert opened.form is not None and opened.form.state == str(invitation.id)
    stranger = await bot.submit(
        SANNE, "manager.answer", {"answer": "done", "note": None}, str(invitation.id)
    )
    assert stranger.private and "niet voor jou" in text_of(stranger.private[0])
    bad = await bot.submit(PIET, "manager.answer", {"answer": "great"}, str(invitation.id))
    assert "answer" in bad.errors
    forged = await bot.submit(PIET, "manager.answer", {"answer": "done"}, "99999")
    assert forged.private and "niet voor jou" in text_of(forged.private[0])
    note = "De burger wil een tweede gesprek. Kunnen jullie meedenken?"
    done = await bot.submit(
        PIET, "manager.answer", {"answer": "need_help", "note": note}, str(invitation.id)
    )
    assert done.messages and "neemt contact met je op" in text_of(done.messages[0])
    twice = await bot.submit(PIET, "manager.answer", {"answer": "done"}, str(invitation.id))
    assert twice.private and "al beantwoord" in text_of(twice.private[0])
    await bot.settle()
    [root] = bot.platform.roots()
    [help_line] = [s for s in bot.platform.thread(root.ref) if "hulp" in text_of(s.message)]
    assert help_line.message.broadcast, "the whole coordinator channel hears it"
    assert note in text_of(help_line.message), "the web chat shows the note"
    assert ("web:piet", "manager.answer", "need_help") in await _audit(bot)
    bot.clock.now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    await bot.tick()
    assert len(bot.platform.dms(PIET.user_id)) == 3, "nothing more is asked once answered"
    [stored] = await managers(bot).invitations(JAN, case.id)
    assert (stored.answer, stored.answer_note) == (Answer.NEED_HELP, note)


async def test_nothing_is_asked_once_the_measure_or_case_ended(bot: Harness) -> None:
    case = await report(bot, manager_consent=True)
    measure_id = await _measure(bot, case.id, Plan(MeasureKind.WARNING_LETTER, "Leidinggevende"))
    await managers(bot).invite(JAN, case.id, measure_id, PIET_KEY, SHARED)
    await bot.settle()
    await bot.runtime.cases.change_status(JAN, case.id, Status.CLOSED, None, None, "Klaar.")
    bot.clock.now = datetime(2026, 3, 9, 9, 1, tzinfo=UTC)  # 5 working days later
    await bot.tick()
    assert len(bot.platform.dms(PIET.user_id)) == 1, "only the invitation"


async def test_a_manager_reads_only_the_cases_and_measures_they_were_invited_for(
    bot: Harness,
) -> None:
    case = await report(bot, manager_consent=True)
    measure_id = await _measure(bot, case.id)
    await _measure(bot, case.id, Plan(MeasureKind.WARNING_LETTER, "Leidinggevende"))
    other = await report(bot, "Een andere melding.", manager_consent=True)
    manager = Invitee("email:MAX@example.org", "Max Manager")
    max_signed_in = MAX_SIGNED_IN
    with pytest.raises(NotAllowed):
        await managers(bot).invitation_page(max_signed_in, case.reference)
    await managers(bot).invite(JAN, case.id, measure_id, manager, SHARED)

    assert await bot.runtime.cases.rights.may_read(max_signed_in, case)
    assert not await bot.runtime.cases.rights.may_read(max_signed_in, other)
    listed = await managers(bot).invited_to(max_signed_in)
    assert [(c.reference, m.kind) for c, _i, m in listed] == [
        (case.reference, MeasureKind.ORDER_TALK)
    ]
    shown_case, shown = await managers(bot).invitation_page(max_signed_in, case.reference)
    assert shown_case.id == case.id and [i.shared for i, _m in shown] == [SHARED]
    with pytest.raises(NotAllowed):
        await managers(bot).invitation_page(max_signed_in, other.reference)
    with pytest.raises(NotAllowed):  # without the manager role, no invitation counts
        await managers(bot).invitation_page(NO_ROLE, case.reference)
    with pytest.raises(NotAllowed):
        await bot.runtime.cases.read(max_signed_in, case.id)
    with pytest.raises(NotAllowed):
        await bot.runtime.cases.claim(max_signed_in, case.id)
    with pytest.raises(NotAllowed):
        await managers(bot).ask_consent(max_signed_in, case.id)
    audit = await _audit(bot)
    assert ("console:max-sub", "open", "manager") in audit
    assert ("console:max-sub", "list", "manager") in audit


async def test_a_manager_invited_by_chat_answers_only_for_themselves(bot: Harness) -> None:
    case = await report(bot, manager_consent=True)
    measure_id = await _measure(bot, case.id)
    invitation = await managers(bot).invite(JAN, case.id, measure_id, PIET_KEY, SHARED)
    impostor = Actor("slack", "piet", "Piet op Slack")
    with pytest.raises(NotAllowed):
        await managers(bot).answer(impostor, invitation.id, Answer.DONE, None)
    await managers(bot).answer(PIET, invitation.id, Answer.DONE, None)
    assert EventKind.MANAGER_DONE in await _events(bot, case.id)


async def test_the_report_asks_for_consent_as_an_optional_detail_no_unless_chosen(
    bot: Harness,
) -> None:
    form = await bot.command(SANNE)
    assert form.form is not None
    [manager] = [f for f in form.form.fields if isinstance(f, Choice) and f.id == "manager"]
    assert manager.initial == "no" and [o.value for o in manager.options] == ["yes", "no"]
    await bot.submit(SANNE, "report", {"narrative": "Bedreigd aan de balie.", "manager": "yes"})
    await bot.submit(AHMED, "report", {"narrative": "Uitgescholden aan de telefoon."})
    await bot.settle()
    [given] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    [unsaid] = await bot.runtime.cases.cases_of(Reporter("web", AHMED.user_id))
    assert await managers(bot).consent(JAN, given.id) is Consent.GIVEN
    assert await managers(bot).consent(JAN, unsaid.id) is Consent.UNKNOWN
