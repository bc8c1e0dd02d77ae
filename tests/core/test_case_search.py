"""Search: by reference (whole, or its start) and by the words a coordinator may read,
through a blind index that never holds a word."""

from __future__ import annotations

from sqlalchemy import text

from bot.case.models import EventKind, Reporter
from bot.case.queries import CaseFilter, View
from bot.case.search import ReferenceRange, reference_prefix, reference_range
from bot.events import Actor
from tests.core.conftest import JAN, SANNE, Harness, MakeBot
from tests.core.console import RIA, integrity, report
from tests.privacy import audit_rows


async def _found(bot: Harness, query: str, by: object = JAN) -> list[str]:
    page = await bot.runtime.cases.list(by, CaseFilter(view=View.ALL, query=query))
    return [c.reference for c in page.cases]


async def test_a_reference_is_found_whole_or_by_its_start(bot: Harness) -> None:
    made = [await report(bot, f"Melding {n}.") for n in range(12)]
    refs = [case.reference for case in made]
    assert refs[0] == "M-2026-0001"
    assert await _found(bot, "M-2026-0007") == ["M-2026-0007"]
    assert await _found(bot, "  m-2026-0007 ") == ["M-2026-0007"], "any case, any spaces"
    assert await _found(bot, "M-2026-001") == ["M-2026-0012", "M-2026-0011", "M-2026-0010"]
    assert len(await _found(bot, "M-2026")) == 12
    assert await _found(bot, "M-2025") == []
    page = await bot.runtime.cases.list(JAN, CaseFilter(query="m-2026-00"))
    assert page.reference == "M-2026-00" and page.words == () and page.exact is None
    whole = await bot.runtime.cases.list(JAN, CaseFilter(query="m-2026-0007"))
    assert whole.exact == "M-2026-0007", "the console may open it at once"


async def test_words_are_found_in_narratives_answers_notes_and_messages(bot: Harness) -> None:
    balie = await report(
        bot, "De klant gooide een koffiebeker naar de balie.", location="Stadskantoor"
    )
    bus = await report(bot, "Op de bushalte werd een collega bedreigd.")
    await bot.runtime.cases.ask(JAN, bus.id, "Wie was erbij?")
    await bot.runtime.cases.reporter_adds(
        Reporter("web", "staff-1"), bus.id, "Een buschauffeur zag alles.", EventKind.ANSWER
    )
    await bot.runtime.cases.note(JAN, balie.id, "Camerabeelden opgevraagd.")
    await bot.runtime.cases.message(JAN, bus.id, "We nemen contact op met het vervoersbedrijf.")

    assert await _found(bot, "koffiebeker") == [balie.reference]
    assert await _found(bot, "KOFFIEBEKER balie") == [balie.reference], "every word, any case"
    assert await _found(bot, "stadskantoor") == [balie.reference], "the place too"
    assert await _found(bot, "buschauffeur") == [bus.reference], "a reporter's answer"
    assert await _found(bot, "camerabeelden") == [balie.reference], "an internal note"
    assert await _found(bot, "vervoersbedrijf") == [bus.reference], "a message"
    assert await _found(bot, "erbij") == [bus.reference], "a coordinator's question"
    assert await _found(bot, "koffiebeker buschauffeur") == [], "all words must be there"
    assert await _found(bot, "koffie") == [], "whole words only"
    page = await bot.runtime.cases.list(JAN, CaseFilter(query="de het een"))
    assert page.cases == [] and page.words == (), "only words that find everything"


async def test_accents_and_capitals_fold_to_one_word(bot: Harness) -> None:
    case = await report(bot, "Ruzie in het Café bij de Één-loket balie.")
    assert await _found(bot, "cafe") == [case.reference]
    assert await _found(bot, "LOKET café") == [case.reference]
    assert await _found(bot, "cafés") == []


async def test_the_index_holds_no_word_only_keyed_hashes(bot: Harness) -> None:
    await report(bot, "Mevrouw Jansen dreigde met haar advocaat.", location="Gemeentewinkel")
    async with bot.runtime.database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT word, case_id FROM case_words"))).all()
        columns = (await connection.execute(text("SELECT * FROM case_words"))).keys()
    assert list(columns) == ["word", "case_id"]
    assert len(rows) == 5, "mevrouw jansen dreigde advocaat gemeentewinkel"
    assert all(isinstance(word, int) and isinstance(case, int) for word, case in rows)
    dump = repr(rows).lower()
    for plain in ("jansen", "advocaat", "gemeentewinkel", "dreigde"):
        assert plain not in dump


async def test_a_search_finds_only_cases_the_asker_may_see(make_bot: MakeBot) -> None:
    bot = await make_bot(integrity_coordinators=["web:coord-2"])
    hidden = await report(bot, **integrity("Een collega vervalst facturen."))
    seen = await report(bot, "De klant noemde valse facturen.")
    assert await _found(bot, "facturen", JAN) == [seen.reference]
    assert await _found(bot, hidden.reference, JAN) == []
    page = await bot.runtime.cases.list(JAN, CaseFilter(query=hidden.reference))
    assert page.exact is None, "a whole reference tells nothing of a case not theirs"
    assert await _found(bot, "facturen", RIA) == [seen.reference]
    coord_2 = Actor("web", "coord-2", "Karin")
    assert await _found(bot, "facturen", coord_2) == [seen.reference, hidden.reference]


async def test_a_text_search_is_audited_without_its_words(bot: Harness) -> None:
    await report(bot, "Een klant gooide met een stoel.")
    await _found(bot, "stoel gooide")
    await _found(bot, "M-2026-0001")
    audit = await audit_rows(bot.runtime.database, "actor", "action", "detail")
    rows = [row for row in audit if row[1] == "search"]
    assert rows == [(JAN.key, "search", "2 words")]
    assert SANNE.key not in repr(rows)


def test_a_reference_start_is_read_as_ranges_of_the_numbers_behind_it() -> None:
    def ranges(prefix: str) -> ReferenceRange:
        found = reference_prefix(prefix)
        assert found is not None, prefix
        return reference_range(found)

    assert ranges("M-2024-0") == ReferenceRange((2024, 2024), ((0, 999),))
    assert ranges("m-2024-0042") == ReferenceRange((2024, 2024), ((42, 42),))
    assert ranges("M-2024-12").sequences == (
        (1200, 1299),
        (12000, 12999),
        (120000, 129999),
        (1200000, 1299999),
    ), "M-2024-1234 and M-2024-123456 both start so"
    assert ranges("M-2024-12345").sequences == (
        (12345, 12345),
        (123450, 123459),
        (1234500, 1234599),
    )
    assert ranges("M-2024-00001").sequences == (), "no number past four digits starts with 0"
    assert ranges("M-2024") == ReferenceRange((2024, 2024), None)
    assert ranges("M-2024-") == ReferenceRange((2024, 2024), None)
    assert ranges("M-20") == ReferenceRange((2000, 2099), None)
    for words_not_a_reference in ("M-20-1", "M-", "M2024", "M-2024-0042-1", "X-2024"):
        assert reference_prefix(words_not_a_reference) is None
