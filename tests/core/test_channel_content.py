"""channel_content in the views: one switch (``Detail``) per platform. Every view a
coordinator's Slack or Teams can get, for every kind of event, is read without content
and found to hold none of what anyone wrote; with content, it is all there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.attachments.models import FileKind, StoredFile
from bot.attachments.views import in_meldbot_note
from bot.case import clock_views
from bot.case.card import case_card
from bot.case.deadlines import ACKNOWLEDGE, EXPIRED
from bot.case.detail import Detail, detail_on
from bot.case.models import (
    Case,
    CaseEvent,
    Category,
    EventKind,
    NewReport,
    Receipt,
    Reporter,
    Status,
    Urgency,
)
from bot.case.page_notes import Paging
from bot.case.views import delivery_failed_note, thread_note
from bot.consultation.models import Consultation, ConsultationStatus, Entry, EntryKind
from bot.consultation.views import consultation_card, entry_note
from bot.i18n import Translator
from bot.oncall.views import page_message
from bot.settings import ConfigError, Settings, load_settings
from bot.ui import Mention, Message
from dialogs.consultation import answer_form
from tests.text import block_text, links, text_of

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
URL = "https://meldbot.example.org"
FULL, MINIMAL = Detail(True, URL), Detail(False, URL)
STORY = "De klant gooide een kwartelvaas kapot."
PLACE = "Balie Parelhoen"
NAME = "Anna Korhoenvlinder"
WRITTEN = "Tekst van een flamingo."
NOTE = "Notitie over de reiger."
SECRETS = ("kwartelvaas", "Parelhoen", "Korhoenvlinder", "UANNA", "flamingo", "reiger")
T = Translator("en")


def make_case(**changes: object) -> Case:
    report = NewReport(
        narrative=STORY,
        category=Category.THREAT,
        location=PLACE,
        danger_now=True,
        manager_consent=True,
        self_harm=True,
    )
    fields: dict[str, object] = {
        "id": 7,
        "reference": "M-2026-0007",
        "status": Status.NEW,
        "urgency": Urgency.URGENT,
        "report": report,
        "reporter": Reporter("slack", "UANNA", NAME),
        "coordination_platform": "slack",
        "created_at": MOMENT,
        "updated_at": MOMENT,
    }
    return Case(**(fields | changes))  # type: ignore[arg-type]


def shown(message: Message) -> str:
    """All a reader sees, mentions by id (a platform turns an id into a name)."""
    parts = [message.summary, text_of(message)]
    for block in message.blocks:
        parts += [f"@{p.user_id} {p.name}" for p in getattr(block, "parts", ()) if _mention(p)]
    return "\n".join(parts)


def _mention(part: object) -> bool:
    return isinstance(part, Mention)


def leaks(message: Message) -> list[str]:
    text = shown(message)
    return [secret for secret in SECRETS if secret in text]


# Where an event's note is not written text: a clock's name, the new handler (who handles
# a case is shown without content too).
_NOTES = {EventKind.CLOCK: "legal:acknowledge", EventKind.REASSIGNED: "Ria"}


def event(kind: EventKind) -> CaseEvent:
    return CaseEvent(
        1,
        7,
        kind,
        MOMENT,
        actor_name="Jan",
        text=WRITTEN,
        note=_NOTES.get(kind, NOTE),
        status=Status.IN_PROGRESS,
    )


def test_the_web_chat_always_shows_content_slack_and_teams_only_with_full() -> None:
    minimal = Settings(public_url=URL)
    full = Settings(public_url=URL, channel_content="full")
    assert minimal.channel_content == "minimal"  # the default
    assert [detail_on(p, minimal).content for p in ("slack", "teams", "web")] == [
        False,
        False,
        True,
    ]
    assert all(detail_on(p, full).content for p in ("slack", "teams", "web"))
    assert MINIMAL.case_url("M-2026-0007") == f"{URL}/console/zaken/M-2026-0007"
    assert Detail(False, URL + "/").consultation_url(3) == f"{URL}/console/overleg/3"


def test_the_settings_refuse_a_wrong_choice_or_address() -> None:
    with pytest.raises(ConfigError, match="MELDBOT_CHANNEL_CONTENT"):
        load_settings(channel_content="some")
    with pytest.raises(ConfigError, match="MELDBOT_PUBLIC_URL"):
        load_settings(public_url="javascript:alert(1)")
    assert Settings().public_url == "http://127.0.0.1:3978"


def test_the_card_without_content_shows_the_handling_and_the_way_to_meldbot() -> None:
    card = case_card(make_case(), T, MINIMAL)
    assert leaks(card) == []
    text = text_of(card)
    assert "Reporter: colleague (name in meldbot)" in text
    assert "This report needs extra care" in text  # not why: that is content too
    for fact in ("Status", "Handled by", "Urgency", "Category"):
        assert fact in text
    assert links(card) == {"Open in meldbot": f"{URL}/console/zaken/M-2026-0007"}
    full = case_card(make_case(), T, FULL)
    assert [s for s in SECRETS if s in shown(full)] == [
        "kwartelvaas",
        "Parelhoen",
        "Korhoenvlinder",
        "UANNA",
    ]
    assert "threatened to harm themselves" in text_of(full)


@pytest.mark.parametrize("kind", list(EventKind))
def test_no_thread_note_without_content_holds_what_anyone_wrote(kind: EventKind) -> None:
    case = make_case()
    paging = Paging(Mention("UKARIN", "Karin"), MOMENT, MOMENT + timedelta(minutes=30))
    note = thread_note(case, event(kind), T, MINIMAL, paging)
    assert leaks(note) == []
    assert "Acute danger: call 112" not in text_of(note)
    full = thread_note(case, event(kind), T, FULL, paging)
    withheld = shown(full) != shown(note)
    if kind in {EventKind.PAGED, EventKind.ESCALATED}:
        assert links(note), "whoever is paged opens the case from the page"
    else:  # where something was left out the note opens the case; else it is as full
        assert bool(links(note)) is withheld
    if kind in {EventKind.QUESTION, EventKind.ANSWER, EventKind.ADDITION}:
        assert "read it in meldbot" in text_of(note) and WRITTEN in text_of(full)


def test_the_other_messages_in_a_case_thread_or_a_personal_chat() -> None:
    case = make_case()
    file = StoredFile(1, 7, "korhoenvlinder-foto.jpg", FileKind.JPEG, 10, MOMENT, b"x")
    messages = [
        page_message(case, T, MINIMAL, MOMENT, backup=False),
        page_message(case, T, MINIMAL, MOMENT, backup=True),
        clock_views.unclaimed(case, 1, T, MINIMAL),
        clock_views.legal_reminder(case, ACKNOWLEDGE, EXPIRED, T, MINIMAL),
        clock_views.legal_deadlines(case, T),
        delivery_failed_note(case, T, MINIMAL),
        in_meldbot_note(case.reference, T, MINIMAL),
    ]
    for message in messages:
        assert leaks(message) == [], message.summary
        assert file.name not in shown(message)
    for message in (*messages[:4], *messages[5:]):
        assert links(message) == {"Open in meldbot": f"{URL}/console/zaken/M-2026-0007"}
    page = page_message(case, T, FULL, MOMENT, backup=False)
    assert NAME in shown(page) and PLACE in shown(page) and not links(page)


def test_a_consultation_without_content_keeps_its_question_and_answers_in_meldbot() -> None:
    consultation = Consultation(
        3, Receipt(1, "K7Q2"), ConsultationStatus.OPEN, "nl", "teams", MOMENT, MOMENT
    )
    wrote = Entry(1, 3, EntryKind.WROTE, MOMENT, text=WRITTEN)
    answered = Entry(2, 3, EntryKind.ANSWERED, MOMENT, author_name="Jan", text=NOTE)
    card = consultation_card(consultation, wrote, T, MINIMAL)
    notes = [entry_note(consultation, e, e is wrote, T, MINIMAL) for e in (wrote, answered)]
    for message in (card, *notes):
        assert leaks(message) == []
        assert links(message) == {"Open in meldbot": f"{URL}/console/overleg/3"}
    assert "K7Q2" in text_of(card) and "Read the question in meldbot." in text_of(card)
    assert WRITTEN in text_of(consultation_card(consultation, wrote, T, FULL))
    form = answer_form(T, 3, MINIMAL)
    intro = " ".join(block_text(block) for block in form.intro)
    assert "Read the question in meldbot." in intro
    assert "Read the question" not in " ".join(
        block_text(block) for block in answer_form(T, 3, FULL).intro
    )
