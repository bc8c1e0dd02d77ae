"""Letters drafted for the manager (seed 004): each kind generated from its template and
opened with python-docx, with the literal excerpt, the norm and the ban's end date; the
start-up check of the templates; refusals that say what to fill in; the audit entry; the
role check. On SQLite and PostgreSQL (the ``database_url`` fixture), controlled clock."""

from __future__ import annotations

import io
import shutil
from datetime import date, time
from pathlib import Path

import pytest
from docx import Document

from bot.case.errors import CaseError, CaseNotFound, NotAllowed
from bot.case.models import Category, MeasureKind
from bot.letters import shipped
from bot.letters import templates as letter_templates
from bot.letters.config import LetterSettings
from bot.letters.delivery import form_for_manager
from bot.letters.fields import FIELDS, LetterKind
from bot.letters.service import DOCX, Letter, LetterService
from bot.letters.values import Filled, duration
from bot.measures.models import Plan, Step
from bot.settings import ConfigError, load_settings
from bot.settings_overview import overview
from tests.core.conftest import JAN, Harness, MakeBot
from tests.core.console import ANNA, BEA, report

NORM = "Wij behandelen elkaar met respect. Schelden en dreigen accepteren wij niet."
OBJECT = "Stuur binnen zes weken een brief aan het college, Postbus 123, 1234 AB Voorbeeld."
LETTERS = LetterSettings(address="Markt 1\n1234 AB Voorbeeld", house_rules=NORM, objection=OBJECT)
STORY = 'De klant riep: "Ik weet waar je woont & ik <kom> terug." Toen sloeg hij op de balie.'
EXCERPT = 'De klant riep: "Ik weet waar je woont & ik <kom> terug."'
BAN = Plan(
    MeasureKind.BUILDING_BAN,
    "Leidinggevende Burgerzaken",
    starts_on=date(2026, 3, 5),
    ends_on=date(2026, 9, 5),
)
INCIDENT = Filled(EXCERPT, incident_on=date(2026, 2, 27))
TALK = Filled(
    EXCERPT, talk_on=date(2026, 3, 10), talk_at=time(14, 30), talk_place="Stadskantoor, Markt 1"
)


def text_of(letter: Letter) -> str:
    document = Document(io.BytesIO(letter.content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def letters(bot: Harness) -> LetterService:
    assert bot.runtime.letters is not None
    return bot.runtime.letters


async def _measure(bot: Harness, plan: Plan) -> tuple[int, int]:
    case = await report(bot, STORY)
    assert bot.runtime.measures is not None
    measure = await bot.runtime.measures.advise(JAN, case.id, plan)
    REFERENCES[case.id] = case.reference
    return case.id, measure.id


REFERENCES: dict[int, str] = {}


@pytest.fixture
async def lettered(make_bot: MakeBot) -> Harness:
    return await make_bot(organisation="Gemeente Voorbeeld", letters=LETTERS)


@pytest.mark.parametrize(
    ("plan", "filled", "expected"),
    [
        (
            Plan(MeasureKind.WARNING_LETTER, "Leidinggevende Burgerzaken"),
            INCIDENT,
            ["Onderwerp: Waarschuwing", "Op 27 februari 2026", "belverbod", "aangifte"],
        ),
        (
            BAN,
            INCIDENT,
            ["duurt 6 maanden: van 5 maart 2026 tot en met 5 september 2026", OBJECT],
        ),
        (
            Plan(
                MeasureKind.CALL_BAN,
                "Leidinggevende Burgerzaken",
                starts_on=date(2026, 3, 5),
                ends_on=date(2026, 4, 15),
            ),
            INCIDENT,
            ["belverbod duurt 6 weken", "tot en met 15 april 2026", "niet bellen", OBJECT],
        ),
        (
            Plan(MeasureKind.OFFICE_TALK, "Leidinggevende Burgerzaken"),
            TALK,
            ["Datum: 10 maart 2026", "Tijd: 14:30 uur", "Plaats: Stadskantoor, Markt 1"],
        ),
    ],
)
async def test_each_letter_holds_the_literal_excerpt_the_norm_and_its_own_facts(
    lettered: Harness, plan: Plan, filled: Filled, expected: list[str]
) -> None:
    case_id, measure_id = await _measure(lettered, plan)
    letter = await letters(lettered).draft(JAN, case_id, measure_id, filled)
    assert letter.content_type == DOCX and letter.filename.endswith(".docx")
    body = text_of(letter)
    assert EXCERPT in body, "the excerpt as typed, not escaped twice and not cut"
    assert "Toen sloeg hij" not in body, "only the excerpt, not the whole narrative"
    assert NORM in body and "Gemeente Voorbeeld" in body and "Markt 1" in body
    assert "Datum: 2 maart 2026" in body and "Leidinggevende Burgerzaken" in body
    for part in expected:
        assert part in body
    assert "{{" not in body and "{%" not in body


async def test_the_building_ban_letter_says_entering_anyway_is_lokaalvredebreuk(
    lettered: Harness,
) -> None:
    case_id, measure_id = await _measure(lettered, BAN)
    letter = await letters(lettered).draft(JAN, case_id, measure_id, INCIDENT)
    body = text_of(letter)
    assert letter.kind is LetterKind.BUILDING_BAN
    assert "lokaalvredebreuk" in body and "artikel 138 van het Wetboek van Strafrecht" in body
    assert "5 september 2026" in body


async def test_what_a_coordinator_typed_is_text_in_the_letter_never_a_field(
    lettered: Harness,
) -> None:
    case_id, measure_id = await _measure(lettered, BAN)
    typed = "Hij schreef {{ bezwaar }} en {% if 1 %}ja{% endif %} op de balie.\nEn ging weg."
    letter = await letters(lettered).draft(
        JAN, case_id, measure_id, Filled(typed, date(2026, 3, 1))
    )
    body = text_of(letter)
    assert "Hij schreef {{ bezwaar }} en {% if 1 %}ja{% endif %} op de balie." in body
    assert "En ging weg." in body, "a line break stays a line break"


async def test_a_download_is_audited_with_its_kind_never_its_text(lettered: Harness) -> None:
    case_id, measure_id = await _measure(lettered, BAN)
    letter = await letters(lettered).draft(JAN, case_id, measure_id, INCIDENT)
    reference = REFERENCES[case_id]
    assert letter.filename == f"pandverbod-{reference}.docx"
    entries = await lettered.runtime.audit.of_case(BEA, reference)
    found = [(e.action, e.detail, e.actor_name) for e in entries if e.action.startswith("letter")]
    assert found == [("letter.download", "pandverbod", "Jan Jansen")]
    assert not any("woont" in (e.detail or "") for e in entries)


@pytest.mark.parametrize(
    ("settings", "filled", "says"),
    [
        (LETTERS.model_copy(update={"address": ""}), INCIDENT, "address under [letters]"),
        (LETTERS.model_copy(update={"house_rules": " "}), INCIDENT, "house_rules under"),
        (LETTERS.model_copy(update={"objection": ""}), INCIDENT, "objection under"),
        (LETTERS, Filled("  ", incident_on=date(2026, 2, 27)), "Write what happened"),
        (LETTERS, Filled(EXCERPT), "date of the incident"),
        (LETTERS, Filled(EXCERPT, incident_on=date(2026, 3, 3)), "in the future"),
    ],
)
async def test_a_missing_value_is_refused_with_what_to_fill_in_and_nothing_is_made(
    make_bot: MakeBot, settings: LetterSettings, filled: Filled, says: str
) -> None:
    bot = await make_bot(letters=settings)
    case_id, measure_id = await _measure(bot, BAN)
    with pytest.raises(CaseError) as refused:
        await letters(bot).draft(JAN, case_id, measure_id, filled)
    assert type(refused.value) is CaseError and says in refused.value.reason
    entries = await bot.runtime.audit.of_case(BEA, REFERENCES[case_id])
    assert not [e for e in entries if e.action == "letter.download"], (
        "nothing made, nothing audited"
    )


async def test_the_invitation_needs_when_and_where(lettered: Harness) -> None:
    case_id, measure_id = await _measure(
        lettered, Plan(MeasureKind.OFFICE_TALK, "Leidinggevende Burgerzaken")
    )
    for filled, says in (
        (Filled(EXCERPT, talk_at=time(14), talk_place="Stadskantoor"), "date of the talk"),
        (Filled(EXCERPT, talk_on=date(2026, 3, 10), talk_place="Stadskantoor"), "time of"),
        (Filled(EXCERPT, talk_on=date(2026, 3, 10), talk_at=time(14)), "where the talk is"),
        (Filled(EXCERPT, talk_on=date(2026, 3, 1), talk_at=time(14), talk_place="X"), "past"),
    ):
        with pytest.raises(CaseError, match=says):
            await letters(lettered).draft(JAN, case_id, measure_id, filled)


async def test_a_measure_without_a_letter_or_dropped_or_of_another_case_is_refused(
    lettered: Harness,
) -> None:
    assert lettered.runtime.measures is not None
    case_id, talk_id = await _measure(
        lettered, Plan(MeasureKind.ORDER_TALK, "Leidinggevende Burgerzaken")
    )
    with pytest.raises(CaseError, match="has no letter"):
        await letters(lettered).draft(JAN, case_id, talk_id, INCIDENT)
    other_case, ban_id = await _measure(lettered, BAN)
    with pytest.raises(CaseError, match="not with this case"):
        await letters(lettered).draft(JAN, case_id, ban_id, INCIDENT)
    await lettered.runtime.measures.step(JAN, other_case, ban_id, Step.DROPPED, "Verhuisd.")
    with pytest.raises(CaseError, match="dropped"):
        await letters(lettered).draft(JAN, other_case, ban_id, INCIDENT)


async def test_only_the_cases_coordinators_draft_letters(make_bot: MakeBot) -> None:
    from tests.core.test_restricted_cases import KARIN

    bot = await make_bot(letters=LETTERS, integrity_coordinators=[KARIN.key])
    case_id, measure_id = await _measure(bot, BAN)
    with pytest.raises(NotAllowed):
        await letters(bot).draft(ANNA, case_id, measure_id, INCIDENT)
    restricted = await report(bot, STORY, category=Category.INTEGRITY)
    assert bot.runtime.measures is not None
    ban = await bot.runtime.measures.advise(KARIN, restricted.id, BAN)
    with pytest.raises(CaseNotFound):
        await letters(bot).draft(JAN, restricted.id, ban.id, INCIDENT)
    letter = await letters(bot).draft(KARIN, restricted.id, ban.id, INCIDENT)
    assert EXCERPT in text_of(letter)


def _own(tmp_path: Path, kind: LetterKind, *paragraphs: str) -> Path:
    folder = tmp_path / "brieven"
    folder.mkdir(exist_ok=True)
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(folder / kind.file_name))
    return folder


def test_an_organisations_own_template_is_used_and_the_others_stay_shipped(
    tmp_path: Path,
) -> None:
    folder = _own(tmp_path, LetterKind.WARNING, "{{ organisatie }} waarschuwt: {{ voorval }}")
    loaded = letter_templates.load(LetterSettings(templates=folder))
    assert loaded.files[LetterKind.WARNING] == folder / "waarschuwingsbrief.docx"
    assert loaded.used[LetterKind.WARNING] == {"organisatie", "voorval"}
    assert loaded.files[LetterKind.CALL_BAN] == letter_templates.SHIPPED / "belverbod.docx"


def test_a_template_with_an_unknown_field_stops_start_up_naming_the_file_and_the_field(
    tmp_path: Path,
) -> None:
    folder = _own(tmp_path, LetterKind.CALL_BAN, "Tot {{ einddatum }}, {{ geboortedatum }}.")
    with pytest.raises(ConfigError) as stopped:
        letter_templates.load(LetterSettings(templates=folder))
    message = str(stopped.value)
    assert str(folder / "belverbod.docx") in message and "the field geboortedatum" in message
    assert message.count(".") >= 1 and "\n" not in message


def test_a_field_of_another_letter_is_unknown_in_this_one(tmp_path: Path) -> None:
    folder = _own(tmp_path, LetterKind.WARNING, "Tot {{ einddatum }}.")
    with pytest.raises(ConfigError, match="the field einddatum"):
        letter_templates.load(LetterSettings(templates=folder))


@pytest.mark.parametrize(
    ("write", "says"),
    [
        (lambda p: p.write_bytes(b"not a zip"), "cannot be read"),
        (lambda p: shutil.copy(letter_templates.SHIPPED / "pandverbod.docx", p), None),
    ],
)
def test_a_broken_template_stops_start_up_naming_it(
    tmp_path: Path, write: object, says: str | None
) -> None:
    folder = tmp_path / "brieven"
    folder.mkdir()
    path = folder / "waarschuwingsbrief.docx"
    write(path)  # type: ignore[operator]
    if says is None:  # the building ban's template holds fields a warning letter lacks
        with pytest.raises(ConfigError, match="the field bezwaar"):
            letter_templates.load(LetterSettings(templates=folder))
        return
    with pytest.raises(ConfigError, match=says) as stopped:
        letter_templates.load(LetterSettings(templates=folder))
    assert str(path) in str(stopped.value)


def test_broken_jinja_an_unknown_file_and_a_bad_logo_stop_start_up(tmp_path: Path) -> None:
    folder = _own(tmp_path, LetterKind.WARNING, "{% if voorval %}zonder einde")
    with pytest.raises(ConfigError, match=r"waarschuwingsbrief\.docx cannot be read"):
        letter_templates.load(LetterSettings(templates=folder))
    (folder / "waarschuwingsbrief.docx").unlink()
    (folder / "waarschuwing.docx").write_bytes(b"")
    with pytest.raises(ConfigError, match=r"waarschuwing\.docx is not a letter meldbot knows"):
        letter_templates.load(LetterSettings(templates=folder))
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"plain text")
    with pytest.raises(ConfigError, match=r"logo\.png is not a PNG or JPEG"):
        letter_templates.load(LetterSettings(logo=logo))
    with pytest.raises(ConfigError, match="cannot be read"):
        letter_templates.load(LetterSettings(logo=tmp_path / "missing.png"))


async def test_a_broken_template_stops_the_application_starting(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    folder = _own(tmp_path, LetterKind.INVITATION, "Op {{ gesprek_dag }}.")
    with pytest.raises(ConfigError, match=r"uitnodiging-gesprek\.docx uses the field gesprek_dag"):
        await make_bot(letters=LetterSettings(templates=folder))


async def test_the_logo_is_in_the_letter_when_configured(make_bot: MakeBot, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    bot = await make_bot(letters=LETTERS.model_copy(update={"logo": logo}))
    case_id, measure_id = await _measure(bot, BAN)
    letter = await letters(bot).draft(JAN, case_id, measure_id, INCIDENT)
    assert len(Document(io.BytesIO(letter.content)).inline_shapes) == 1
    assert bot.runtime.letters is not None
    plain = bot.runtime.letters.templates.compose(
        LetterKind.WARNING,
        {"voorval": "x"} | {name: "x" for name in FIELDS[LetterKind.WARNING] if name != "logo"},
    )
    assert len(Document(io.BytesIO(plain)).inline_shapes) == 1, "the logo is the templates'"
    shipped_only = letter_templates.load(LETTERS).compose(
        LetterKind.WARNING, {name: "x" for name in FIELDS[LetterKind.WARNING] if name != "logo"}
    )
    document = Document(io.BytesIO(shipped_only))
    assert len(document.inline_shapes) == 0
    assert not any("logo" in p.text or "{%" in p.text for p in document.paragraphs)


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x52\x93")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_the_shipped_templates_are_what_the_script_writes() -> None:
    for kind in LetterKind:
        shipped_file = letter_templates.SHIPPED / kind.file_name
        assert shipped_file.read_bytes() == shipped.content(kind), (
            f"run make letter-templates ({kind})"
        )


def test_each_shipped_template_uses_only_its_fields() -> None:
    loaded = letter_templates.load(LetterSettings())
    for kind in LetterKind:
        assert loaded.used[kind] <= set(FIELDS[kind])
        assert {"voorval", "huisregels", "kenmerk"} <= loaded.used[kind]
    bans = (LetterKind.CALL_BAN, LetterKind.BUILDING_BAN)
    assert all({"einddatum", "bezwaar", "duur"} <= loaded.used[kind] for kind in bans)


def test_the_manager_gets_the_file_only_when_chats_may_carry_content() -> None:
    assert form_for_manager("full") == "file"
    assert form_for_manager("minimal") == "link"


@pytest.mark.parametrize(
    ("starts", "ends", "said"),
    [
        (date(2026, 3, 5), date(2026, 9, 5), "6 maanden"),
        (date(2026, 3, 5), date(2026, 4, 5), "1 maand"),
        (date(2026, 3, 5), date(2026, 3, 11), "1 week"),
        (date(2026, 3, 5), date(2026, 4, 15), "6 weken"),
        (date(2026, 3, 5), date(2026, 3, 5), "1 dag"),
        (date(2026, 3, 5), date(2026, 3, 14), "10 dagen"),
    ],
)
def test_a_bans_duration_reads_as_a_letter_says_it(starts: date, ends: date, said: str) -> None:
    assert duration(starts, ends) == said


def test_the_letters_block_is_read_from_the_environment_and_shown_to_admins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MELDBOT_LETTERS__ADDRESS", "Markt 1")
    monkeypatch.setenv("MELDBOT_LETTERS__HOUSE_RULES", NORM)
    settings = load_settings()
    assert settings.letters.address == "Markt 1" and settings.letters.templates is None
    rows = {row.name: row.value for row in overview(settings)}
    assert rows["letters.address"] == "Markt 1" and rows["letters.house_rules"] == NORM
    monkeypatch.setenv("MELDBOT_LETTERS__COLOUR", "blauw")
    with pytest.raises(ConfigError, match="letters"):
        load_settings()
