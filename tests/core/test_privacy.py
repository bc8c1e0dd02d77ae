"""Inzage and erasure for one person (AVG art. 15 and 17): a reporter, a coordinator and a
manager, on SQLite and PostgreSQL, with the scan of every table after an erasure."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from bot.access.models import Principal
from bot.access.models import Role as Role_
from bot.attachments.models import FileKind
from bot.case.errors import InvalidQuery
from bot.case.models import Case, EventKind, MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.manager.models import Answer, Invitee
from bot.measures.models import Plan
from bot.privacy.files import as_json, summary
from bot.privacy.models import Person, Role
from bot.privacy.service import PrivacyDesk
from tests.core.conftest import JAN, PIET, Harness
from tests.privacy import tables_holding

SANNE = Reporter("web", "u7sanne-balie", "Sanne de Vries")
AHMED = Reporter("web", "u8ahmed-loket", "Ahmed Yilmaz")
HER_STORY = "Een bezoeker dreigde bij loket Vuurtoren met een paraplu."
HIS_STORY = "Een klant gooide een stoel door de wachtkamer Zeemeeuw."
QUESTION = "Hoe gaat het nu met je?"
HER_ANSWER = "Het gaat wel, ik ben geschrokken van die kwallenkweker."
NOTE = "Interne notitie: de bezoeker is bekend van eerdere incidenten."
ON = date(2026, 3, 1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def desk(bot: Harness) -> PrivacyDesk:
    assert bot.runtime.privacy is not None
    return bot.runtime.privacy


async def _report(bot: Harness, story: str, by: Reporter, **fields: object) -> Case:
    case = await bot.runtime.cases.report(NewReport(story, **fields), by)  # type: ignore[arg-type]
    await bot.settle()
    return case


async def _handled(bot: Harness, case: Case, *, close: bool) -> None:
    """JAN claims, asks, notes; the reporter answers; JAN closes (when asked to)."""
    cases = bot.runtime.cases
    await cases.claim(JAN, case.id)
    await cases.ask(JAN, case.id, QUESTION)
    await cases.note(JAN, case.id, NOTE)
    assert case.reporter is not None
    answer = HER_ANSWER if case.reporter == SANNE else "Het gaat goed, dank je."
    await cases.reporter_adds(case.reporter, case.id, answer, EventKind.ANSWER)
    if close:
        await cases.close(JAN, case.id, "Afgerond na gesprek.", "Dank je voor je melding.")
    await bot.settle()


async def _scan(bot: Harness, *needles: str) -> dict[str, list[str]]:
    database = bot.runtime.database
    return await tables_holding(database.engine, database._sealer, needles)


async def _facts(bot: Harness) -> list[str]:
    """What the trend figures count, in an order that does not depend on the backend."""
    now = bot.clock()
    async with bot.runtime.database.transaction() as tx:
        facts = await tx.cases.facts_between(now - timedelta(days=30), now + timedelta(days=1))
    return sorted(map(repr, facts))


async def _audit(bot: Harness) -> list[tuple[str, str, str | None]]:
    async with bot.runtime.database.transaction() as tx:
        entries = await tx.audit.between(
            bot.clock().replace(year=2000), bot.clock().replace(year=2100)
        )
    return [(e.actor, e.action, e.detail) for e in entries]


async def test_a_reporter_sees_their_cases_and_messages_and_no_one_elses(bot: Harness) -> None:
    hers = await _report(bot, HER_STORY, SANNE, location="Stadhuis, balie 3")
    await _report(bot, HIS_STORY, AHMED)
    await _handled(bot, hers, close=False)
    found = await desk(bot).export(None, Person.of(Role.REPORTER, "web:u7sanne-balie"))
    document = json.loads(as_json(found, ON))
    [case] = document["cases"]
    assert (case["reference"], case["narrative"], case["place"]) == (
        hers.reference,
        HER_STORY,
        "Stadhuis, balie 3",
    )
    assert case["your_name"] == "Sanne de Vries"
    said = [(e["from"], e["text"]) for e in case["events"] if e["text"]]
    assert ("meldpunt", QUESTION) in said and ("you", HER_ANSWER) in said
    written = json.dumps(document, ensure_ascii=False)
    assert "Zeemeeuw" not in written and "Ahmed" not in written, "never another reporter's"
    assert "Interne notitie" not in written, "internal notes are counted, not given"
    assert found.counts["cases"] == 1 and found.counts["withheld"] >= 1
    text = summary(found, ON, "Gemeente Ergens")
    assert "1 melding(en) die je op je naam deed" in text
    assert "ontvangstcode" in text and "Autoriteit Persoonsgegevens" in text
    assert "meldbot-inzage-2026-03-01.json" in text and "Gemeente Ergens" in text
    [entry] = [a for a in await _audit(bot) if a[1] == "privacy.export"]
    assert entry[0] == "cli" and entry[2] is not None and entry[2].startswith("reporter: ")
    assert "u7sanne" not in entry[2] and "Sanne" not in entry[2], "the log names no one"


async def test_after_erasing_a_reporter_nothing_of_them_is_left(bot: Harness) -> None:
    async with bot.runtime.database.transaction() as tx:
        photo = await tx.attachments.hold("vuurtoren-balie.png", FileKind.PNG, PNG, bot.clock())
    first = await _report(bot, HER_STORY, SANNE, location="Stadhuis, balie 3", attachments=(photo,))
    second = await _report(bot, "Nog een keer bij loket Vuurtoren gescholden.", SANNE)
    his = await _report(bot, HIS_STORY, AHMED)
    for case in (first, second, his):
        await _handled(bot, case, close=True)
    # How the platform reaches her, and a draft she has not sent yet: both under her id.
    await bot.runtime.database.remember("web", f"user:{SANNE.user_id}", {"conversation": "dm"})
    await bot.say(
        Actor(SANNE.platform, SANNE.user_id, SANNE.name), "Weer iemand boos bij de balie."
    )
    person = Person.of(Role.REPORTER, "web:u7sanne-balie")
    needles = ("u7sanne-balie", "Sanne de Vries", "Vuurtoren", "kwallenkweker", "balie 3")

    planned = await desk(bot).erase(None, person, confirm=False)
    assert planned.forgotten["cases"] == 2 and not planned.refused
    assert planned.forgotten["states"] >= 1
    exported = await desk(bot).export(None, person)
    assert [f["name"] for c in exported.data["cases"] for f in c["files"]] == [
        "vuurtoren-balie.png"
    ]
    assert await _scan(bot, *needles), "a dry run changes nothing"

    facts = await _facts(bot)
    erased = await desk(bot).erase(None, person, confirm=True)
    assert erased.forgotten["cases"] == 2 and erased.done
    await bot.settle()  # what meldbot posted about her cases is taken down, and forgotten
    assert await _facts(bot) == facts, "the trend figures count the same"
    assert await _scan(bot, *needles) == {}
    # Ahmed's case is untouched; Sanne's cases remain as bare facts for the figures.
    async with bot.runtime.database.transaction() as tx:
        kept = await tx.cases.get(his.id)
        gone = await tx.cases.get(first.id)
    assert kept is not None and kept.report.narrative == HIS_STORY
    assert kept.reporter == AHMED
    assert gone is not None and gone.report.narrative == "" and gone.reporter is None
    assert (gone.reference, gone.status, gone.closed_at) == (
        first.reference,
        first.status.CLOSED,
        gone.closed_at,
    )
    assert "Zeemeeuw" in str(await _scan(bot, "Zeemeeuw"))
    [entry] = [a for a in await _audit(bot) if a[1] == "privacy.erase"]
    states = erased.forgotten["states"]
    assert entry[0] == "cli" and entry[2] == f"reporter: cases 2, refused 0, states {states}"


async def test_a_case_in_handling_is_kept_and_named(bot: Harness) -> None:
    open_one = await _report(bot, HER_STORY, SANNE)
    closed = await _report(bot, "Gescholden bij de ingang.", SANNE)
    await _handled(bot, open_one, close=False)
    await _handled(bot, closed, close=True)
    address = f"user:{SANNE.user_id}"
    await bot.runtime.database.remember("web", address, {"conversation": "dm"})
    erased = await desk(bot).erase(
        None, Person.of(Role.REPORTER, SANNE.platform + ":" + SANNE.user_id), confirm=True
    )
    assert await bot.runtime.database.recall("web", address), "the open case still reaches her"
    assert erased.forgotten["cases"] == 1
    assert [(r.reference, r.reason) for r in erased.refused] == [
        (open_one.reference, "in_handling")
    ]
    async with bot.runtime.database.transaction() as tx:
        still = await tx.cases.get(open_one.id)
    assert still is not None and still.report.narrative == HER_STORY and still.reporter == SANNE


async def test_a_coordinator_sees_their_work_and_is_erased_but_for_the_audit_log(
    bot: Harness,
) -> None:
    hers = await _report(bot, HER_STORY, SANNE)
    his = await _report(bot, HIS_STORY, AHMED)
    await _handled(bot, hers, close=True)
    await _handled(bot, his, close=False)
    person = Person.of(Role.COORDINATOR, JAN.key)
    found = await desk(bot).export(None, person)
    refs = {c["reference"]: c for c in found.data["cases"]}
    assert set(refs) == {hers.reference, his.reference}
    assert refs[hers.reference]["you_handle_it"] is True
    wrote = [e["note"] or e["text"] for e in refs[hers.reference]["what_you_wrote"]]
    assert NOTE in wrote and QUESTION in wrote
    assert HER_STORY not in json.dumps(found.data), "the reporter's story is not theirs"
    assert found.data["audit_entries"] and found.data["names"] == ["Jan Jansen"]
    told = summary(found, ON, "Gemeente Ergens")
    assert "2 zaak of zaken" in told and "$" not in told and "(0 samen)" in told

    erased = await desk(bot).erase(None, person, confirm=True)
    assert [r.reference for r in erased.refused] == [his.reference]
    assert erased.kept_audit_entries > 0
    await bot.runtime.cases.close(JAN, his.id, "Klaar.", None)
    await desk(bot).erase(None, person, confirm=True)
    left = await _scan(bot, JAN.user_id, "Jan Jansen")
    assert set(left) == {"audit_log.actor_sealed", "audit_log.actor_name_sealed"}, left
    async with bot.runtime.database.transaction() as tx:
        kept = await tx.cases.get(hers.id)
    assert kept is not None and kept.report.narrative == HER_STORY, "the case stays"
    assert kept.reporter == SANNE and kept.handler_name is None


async def test_a_console_coordinator_with_their_sign_in_links_sessions_and_answers(
    bot: Harness,
) -> None:
    ria = Principal("oidc-ria", "Ria de Wit", frozenset({Role_.COORDINATOR}), "ria@example.org")
    assert bot.runtime.links is not None and bot.runtime.sessions is not None
    await bot.runtime.links.signed_in(ria, also=Actor("teams", "29:ria-teams", "Ria de Wit"))
    await bot.runtime.sessions.start(ria)
    case = await _report(bot, HER_STORY, SANNE)
    await bot.runtime.cases.claim(ria, case.id)
    await bot.runtime.cases.note(ria, case.id, NOTE)
    await bot.runtime.cases.close(ria, case.id, "Afgerond.", None)
    consultations = bot.runtime.consultations
    asked, _code = await consultations.start(
        "Mag ik twijfelen?", platform="web", language="nl", contact=None
    )
    await consultations.answer(ria, asked.id, "Ja, overleg gerust met ons.")
    await bot.settle()
    person = Person.of(Role.COORDINATOR, ria.key)
    found = await desk(bot).export(None, person)
    console = found.data["console"]
    assert (console["name"], console["email"], console["roles"]) == (
        "Ria de Wit",
        "ria@example.org",
        ["coordinator"],
    )
    assert console["linked_chat_identities"] == ["teams:29:ria-teams"]
    assert console["sessions"] == 1
    assert found.data["consultations_answered"] == [
        [
            {
                "at": found.data["consultations_answered"][0][0]["at"],
                "text": "Ja, overleg gerust met ons.",
            }
        ]
    ]
    assert "Mag ik twijfelen" not in json.dumps(found.data), "the colleague's words are theirs"

    erased = await desk(bot).erase(None, person, confirm=True)
    assert erased.forgotten == {"cases": 1, "consultations": 1, "console": 2}
    left = await _scan(bot, "oidc-ria", "Ria de Wit", "ria@example.org", "29:ria-teams")
    assert set(left) == {"audit_log.actor_sealed", "audit_log.actor_name_sealed"}, left
    assert await _scan(bot, "Ja, overleg gerust"), "the answer stays for the colleague"
    assert await bot.runtime.links.principal_of("oidc-ria") is None


async def test_a_manager_sees_their_invitation_and_is_erased_after_closing(
    bot: Harness,
) -> None:
    case = await _report(bot, HER_STORY, SANNE, manager_consent=True)
    assert bot.runtime.measures is not None and bot.runtime.managers is not None
    planned_on = bot.clock().date() + timedelta(days=3)
    plan = Plan(MeasureKind.ORDER_TALK, "Leidinggevende Burgerzaken", planned_on=planned_on)
    measure = await bot.runtime.measures.advise(JAN, case.id, plan)
    shared = "Een klant schreeuwde tegen Sanne bij loket Vuurtoren."
    invitee = Invitee(PIET.key, "Piet Pieters")
    invitation = await bot.runtime.managers.invite(JAN, case.id, measure.id, invitee, shared)
    await bot.runtime.managers.answer(PIET, invitation.id, Answer.DONE, "Gesprek was goed.")
    await bot.settle()
    person = Person.of(Role.MANAGER, PIET.key)
    found = await desk(bot).export(None, person)
    [mine] = found.data["invitations"]
    assert (mine["reference"], mine["shared_with_you"]) == (case.reference, shared)
    assert (mine["your_answer"], mine["your_note"]) == ("done", "Gesprek was goed.")
    assert HER_STORY not in json.dumps(found.data)

    refused = await desk(bot).erase(None, person, confirm=True)
    assert [r.reference for r in refused.refused] == [case.reference]
    assert "invitations" in str(await _scan(bot, "Piet Pieters")), "kept while in handling"
    await bot.runtime.cases.close(JAN, case.id, "Klaar.", None)
    erased = await desk(bot).erase(None, person, confirm=True)
    assert erased.forgotten["invitations"] == 1
    left = await _scan(bot, PIET.key, "Piet Pieters")
    kept = {"audit_log.actor_sealed", "audit_log.actor_name_sealed"}
    assert set(left) == kept, "kept: who did what"
    assert erased.kept_audit_entries == 1
    assert await _scan(bot, HER_STORY), "the reporter's case is not the manager's to erase"


async def test_an_unknown_person_is_told_so_and_a_bad_key_is_refused(bot: Harness) -> None:
    await _report(bot, HER_STORY, SANNE)
    person = Person.of(Role.REPORTER, "slack:U-NIEMAND")
    assert (await desk(bot).export(None, person)).empty
    assert (await desk(bot).erase(None, person, confirm=True)).nothing_found
    for role, typed in (
        (Role.REPORTER, "U-NIEMAND"),
        (Role.REPORTER, "console:iemand"),
        (Role.MANAGER, "fax:123"),
        (Role.COORDINATOR, "slack:"),
    ):
        with pytest.raises(InvalidQuery):
            Person.of(role, typed)
