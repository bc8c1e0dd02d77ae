"""Typed SQLAlchemy models. Columns named ``*_sealed`` hold Fernet tokens, never plain text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime}


OPEN = text("status <> 'closed'")

# "Nothing due" as a moment after every real one: the lists sort and compare ``due_at``
# without NULLs (a NULL breaks keyset comparisons); storage turns it back into None.
NOTHING_DUE = datetime(9999, 12, 31, tzinfo=UTC)


def _partial(name: str, *columns: str) -> Index:
    """An index of the open cases only: the lists coordinators work from."""
    return Index(name, *columns, postgresql_where=OPEN, sqlite_where=OPEN)


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("year", "sequence", name="uq_cases_year_sequence"),
        # The lists (storage/queries.py). Newest first is the id, highest first (the
        # primary key over all cases); then the open ones, one category, what one person
        # handles, one year (a reference's start); the most urgent first; overdue.
        _partial("ix_cases_open", "id"),
        Index("ix_cases_category", "category", "id"),
        Index("ix_cases_handler", "handler_hash", "id"),
        Index("ix_cases_year", "year", "id"),
        Index("ix_cases_priority", "urgency_rank", "due_at", "id"),
        _partial("ix_cases_open_priority", "urgency_rank", "due_at", "id"),
        _partial("ix_cases_open_due", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int]
    sequence: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), index=True)
    urgency: Mapped[str] = mapped_column(String(10))
    category: Mapped[str | None] = mapped_column(String(40))
    occurred: Mapped[str | None] = mapped_column(String(20))
    location_sealed: Mapped[str | None] = mapped_column(Text)
    narrative_sealed: Mapped[str] = mapped_column(Text)
    danger_now: Mapped[bool | None]
    wants_feedback: Mapped[bool]
    manager_consent: Mapped[bool | None]
    language: Mapped[str] = mapped_column(String(5))
    # The reporter and the handler by a keyed hash of their key (``slack:U1``,
    # ``console:…``) for the look-ups, the key itself and the name sealed.
    reporter_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    reporter_sealed: Mapped[str | None] = mapped_column(Text)
    reporter_name_sealed: Mapped[str | None] = mapped_column(Text)
    coordination_platform: Mapped[str] = mapped_column(String(10))
    handler_hash: Mapped[str | None] = mapped_column(String(64))
    handler_sealed: Mapped[str | None] = mapped_column(Text)
    handler_name_sealed: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(String(30))
    alert_conversation: Mapped[str | None] = mapped_column(String(200))
    alert_message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    receipt_id: Mapped[int | None] = mapped_column(
        ForeignKey("receipts.id", ondelete="SET NULL"), index=True
    )
    department: Mapped[str | None] = mapped_column(String(100))
    aftercare: Mapped[bool] = mapped_column(default=False)
    category_source: Mapped[str | None] = mapped_column(String(20))
    self_harm: Mapped[bool] = mapped_column(default=False)
    addressee: Mapped[str] = mapped_column(String(20), default="meldpunt", index=True)
    # Kept by the case service after every change (bot/case/due.py): NOTHING_DUE when no
    # clock runs. ``urgency_rank`` is 0 for danger now, 1 otherwise: the urgent sort first.
    due_at: Mapped[datetime] = mapped_column(default=NOTHING_DUE)
    first_contact_at: Mapped[datetime | None]
    urgency_rank: Mapped[int] = mapped_column(SmallInteger, default=1)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The tombstone (bot/retention): when the case was purged, and the first contact and
    # first reaction as the trends counted them from the events that went with it.
    purged_at: Mapped[datetime | None]
    purged_contact_at: Mapped[datetime | None]
    purged_reaction_at: Mapped[datetime | None]


class CaseNumberRow(Base):
    """The last case number given out per year: one upsert claims the next, so concurrent
    reports on several instances never try the same number."""

    __tablename__ = "case_numbers"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int]


class CaseEventRow(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor_name_sealed: Mapped[str | None] = mapped_column(Text)
    text_sealed: Mapped[str | None] = mapped_column(Text)
    note_sealed: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    measure: Mapped[str | None] = mapped_column(String(30))
    reporter_informed: Mapped[bool] = mapped_column(default=False)
    category: Mapped[str | None] = mapped_column(String(40))
    urgency: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime]


class OutboxRow(Base):
    """A message still to be delivered; rows stay as the delivery record once sent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id", ondelete="CASCADE"))
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE")
    )
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_entries.id", ondelete="CASCADE")
    )
    timer_id: Mapped[int | None] = mapped_column(ForeignKey("timers.id", ondelete="CASCADE"))
    # What the message needs beyond the rows it points to (a receipt code, the draft it
    # replaces), sealed, and wiped once delivered or given up.
    payload_sealed: Mapped[str | None] = mapped_column(Text)
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE")
    )
    attempts: Mapped[int] = mapped_column(default=0)  # tries that ended, either way
    claims: Mapped[int] = mapped_column(default=0)  # tries begun: more than ended is in doubt
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    abandoned: Mapped[bool] = mapped_column(default=False)


class TimerRow(Base):
    """Due work that survives restarts. The unique key makes each occurrence happen once;
    done rows stay as the record of what was sent or skipped (and rotate reminders)."""

    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_due", "done_at", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(300), unique=True)
    job: Mapped[str | None] = mapped_column(String(300), index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    payload_sealed: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(100))


class DialogStateRow(Base):
    """Found by a keyed hash of its key (``draft:slack:U1``), the key itself sealed."""

    __tablename__ = "dialog_states"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_sealed: Mapped[str] = mapped_column(Text)
    state_sealed: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class DeliveryRow(Base):
    """Platform delivery keys already processed (Slack retries the same event_id)."""

    __tablename__ = "deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class AddressRow(Base):
    """How a platform reaches a person, channel or team later (Teams conversation references).

    Only the day is kept, not the time: a precise timestamp could be lined up with an
    anonymous consultation written in the same minute. Found by a keyed hash of its key
    (``user:29:…``), the key sealed.
    """

    __tablename__ = "platform_addresses"

    platform: Mapped[str] = mapped_column(String(10), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_sealed: Mapped[str] = mapped_column(Text)
    reference_sealed: Mapped[str] = mapped_column(Text)
    seen_on: Mapped[date] = mapped_column(Date, index=True)


class ReceiptRow(Base):
    """The anonymous handle of a consultation or case. Nothing here names a person: the
    secret is an Argon2id hash, and the optional contact is sealed and deleted at closing.
    """

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(8), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    contact_sealed: Mapped[str | None] = mapped_column(Text)


class CodeGuessRow(Base):
    """Receipt codes tried per guessing person in the current window. ``guesser`` is a
    keyed hash (of a platform id, or of a web session), never the id; no column names a
    receipt, so nothing here links a person to what they opened."""

    __tablename__ = "code_guesses"

    guesser: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int]


class ConsultationRow(Base):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int | None] = mapped_column(
        ForeignKey("receipts.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(5))
    coordination_platform: Mapped[str] = mapped_column(String(10))
    answered_by_sealed: Mapped[str | None] = mapped_column(Text)
    alert_conversation: Mapped[str | None] = mapped_column(String(200))
    alert_message_id: Mapped[str | None] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]


class ConsultationEntryRow(Base):
    __tablename__ = "consultation_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    author_name_sealed: Mapped[str | None] = mapped_column(Text)
    text_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class AuditRow(Base):
    """Who read or changed which case or consultation, when. Append-only: no repository
    updates or deletes a row, and on PostgreSQL a trigger refuses it (migration 0009); the
    only change allowed is the foreign key emptied when its case or consultation is
    deleted, and the reference stays.

    A colleague's own anonymous actions are never audited: the actor would name them.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    reference: Mapped[str | None] = mapped_column(String(20), index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )
    # The acting key by a keyed hash (whose actions), the key and the name sealed.
    actor_hash: Mapped[str] = mapped_column(String(64), index=True)
    actor_sealed: Mapped[str] = mapped_column(Text)
    actor_name_sealed: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(index=True)


class CaseWordRow(Base):
    """The blind index: a keyed hash (64 bits of an HMAC) of each word a coordinator may
    read in a case, never the word. Searching intersects the cases of the words asked."""

    __tablename__ = "case_words"

    word: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseRestrictionRow(Base):
    """Who may see a restricted case: a keyed hash of each person's key for the lists'
    look-up, and the key sealed for reading it back."""

    __tablename__ = "case_restrictions"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    person: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    person_sealed: Mapped[str] = mapped_column(Text)


class AttachmentRow(Base):
    """A file that came with a message: held for a draft (``held_at`` set, no case), then
    part of a case. The name and the bytes are sealed; ``content_type`` is what meldbot
    read from the bytes, never what the platform said."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    # Held since (renewed when its draft is touched); None once part of a case.
    held_at: Mapped[datetime | None] = mapped_column(index=True)
    filename_sealed: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class SessionRow(Base):
    """A signed-in session on meldbot's own pages. The cookie holds a random token; only
    its SHA-256 is kept. A session ends at ``expires_at`` or ``idle_until``, whichever
    comes first; housekeeping deletes it a while after."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    principal_sealed: Mapped[str] = mapped_column(Text)
    csrf_sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    idle_until: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ConsoleIdentityRow(Base):
    """Someone who signed in, as of their last sign-in (roles included), by a keyed hash
    of their subject: the roles their linked chat identities carry."""

    __tablename__ = "console_identities"

    subject_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    principal_sealed: Mapped[str] = mapped_column(Text)
    signed_in_at: Mapped[datetime]


class IdentityLinkRow(Base):
    """A chat identity (``slack:U1``) that belongs to a console identity. Looked up by a
    keyed hash; the identity itself is sealed, read back only for that person's own cases.
    Only the day is kept: a time could be lined up with something written in the chat."""

    __tablename__ = "identity_links"

    chat_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_hash: Mapped[str] = mapped_column(
        ForeignKey("console_identities.subject_hash", ondelete="CASCADE"), index=True
    )
    chat_sealed: Mapped[str] = mapped_column(Text)
    how: Mapped[str] = mapped_column(String(20))
    linked_on: Mapped[date] = mapped_column(Date)


class MeasureRow(Base):
    """A measure of a case (bot/measures); who carries it out is sealed, as names are."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    carried_out_by_sealed: Mapped[str] = mapped_column(Text)
    step: Mapped[str] = mapped_column(String(20))
    planned_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MeasureStepRow(Base):
    """One step in a measure's life: who, when, which step, and a note (sealed)."""

    __tablename__ = "measure_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(String(20))
    actor_name_sealed: Mapped[str | None] = mapped_column(Text)
    note_sealed: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


# -- bans that end (bot/measures/bans.py) ----------------------------------------------


class BanRecordRow(Base):
    """What happened to a ban after it was imposed: extended (the new end date), ending
    on its date, ended, the police informed. Names and notes sealed."""

    __tablename__ = "ban_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    ends_on: Mapped[date | None] = mapped_column(Date)
    actor_name_sealed: Mapped[str | None] = mapped_column(Text)
    note_sealed: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


# The reporter's say, the aangifte and external reports (bot/measures/proposal.py,
# bot/aangifte, bot/trafficking).


class ProposalRow(Base):
    """A measure proposed to the reporter; ``event_id`` is what their buttons point at."""

    __tablename__ = "measure_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(Integer, unique=True)
    asked_by_sealed: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(20))
    answered_at: Mapped[datetime | None]


class AangifteRow(Base):
    """The case's aangifte: when, by whom, and the registration number (sealed)."""

    __tablename__ = "aangifte_records"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    done_on: Mapped[date] = mapped_column(Date)
    filed_by: Mapped[str] = mapped_column(String(20))
    number_sealed: Mapped[str] = mapped_column(Text)
    recorded_by_sealed: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]


class ExternalReportRow(Base):
    """An external report of a trafficking signal; who made it is sealed, as names are."""

    __tablename__ = "external_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(30))
    reported_on: Mapped[date] = mapped_column(Date)
    made_by_sealed: Mapped[str] = mapped_column(Text)
    recorded_by_sealed: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]


class ManagerInvitationRow(Base):
    """A manager invited into a case for one measure (bot/manager). Found by a keyed hash
    of their identity; the identity, their name, the shared text and the note are sealed."""

    __tablename__ = "manager_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    manager_hash: Mapped[str] = mapped_column(String(64), index=True)
    manager_sealed: Mapped[str] = mapped_column(Text)
    manager_name_sealed: Mapped[str] = mapped_column(Text)
    shared_sealed: Mapped[str] = mapped_column(Text)
    invited_at: Mapped[datetime]
    invited_by_sealed: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(String(20))
    answer_note_sealed: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]


class ManagerLetterRow(Base):
    """A letter sent to an invited manager (bot/letters/sending.py): the .docx as it was
    made, sealed, for the manager to download. ``request_key`` is the form's one-time key:
    pressing twice, or a resent POST, stores and sends the letter once."""

    __tablename__ = "manager_letters"
    __table_args__ = (
        UniqueConstraint(
            "invitation_id", "request_key", name="uq_manager_letters_invitation_id_request_key"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("manager_invitations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    request_key: Mapped[str] = mapped_column(String(64))
    filename_sealed: Mapped[str] = mapped_column(Text)
    content_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    sent_at: Mapped[datetime]
    sent_by_sealed: Mapped[str] = mapped_column(Text)


class CasePostRow(Base):
    """A message meldbot posted about a case (a thread line, a message to the reporter or
    a manager, a reminder): where it is, sealed, so that retention can take it down again
    (storage/posts.py). Only the day: a precise time could be set beside something else."""

    __tablename__ = "case_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(10))
    ref_sealed: Mapped[str] = mapped_column(Text)
    posted_on: Mapped[date] = mapped_column(Date)


# -- retention (bot/retention) ----------------------------------------------------------


class CaseRetentionRow(Base):
    """A closed case's retention: the due moment coordinators were told of, and the one
    extension (its reason and who gave it sealed). Deleted with the case's purge."""

    __tablename__ = "case_retention"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    warned_due: Mapped[datetime | None]
    extended_at: Mapped[datetime | None]
    reason_sealed: Mapped[str | None] = mapped_column(Text)
    extended_by_sealed: Mapped[str | None] = mapped_column(Text)


class DestroyedCaseRow(Base):
    """The destruction list (vernietigingslijst): one row per purged case, nothing that
    names or tells: the reference, category, month, outcome and the rule that applied."""

    __tablename__ = "destroyed_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    category: Mapped[str | None] = mapped_column(String(40))
    month: Mapped[str] = mapped_column(String(7))
    outcome: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(100))
    due_at: Mapped[datetime]
    purged_at: Mapped[datetime] = mapped_column(index=True)


# -- the web chat's history (storage/web_history.py) ------------------------------------


class WebEntryRow(Base):
    """A message of the web chat, in order (``seq``). Everything a person wrote or that
    names someone is sealed: the message, its author, who alone sees it, its file; the
    conversation too (``dm:<user id>`` names a person), found by its keyed hash. The
    people of an ``anon-`` id and anonymous exchanges are never kept."""

    __tablename__ = "web_entries"
    # An id once used is never used again (SQLite would reuse a deleted last one).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), unique=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    conversation_hash: Mapped[str] = mapped_column(String(64), index=True)
    conversation_sealed: Mapped[str] = mapped_column(Text)
    thread: Mapped[str | None] = mapped_column(String(64), index=True)
    content_sealed: Mapped[str] = mapped_column(Text)  # message, author, visible to, file
    file_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    file_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    posted_on: Mapped[date] = mapped_column(Date)  # the day only; the time is sealed


class WebMemberRow(Base):
    """Who joined which of the web chat's team channels (the person sealed, hashed)."""

    __tablename__ = "web_members"

    channel: Mapped[str] = mapped_column(String(80), primary_key=True)
    person_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_sealed: Mapped[str] = mapped_column(Text)


class SubmissionRow(Base):
    """A form submission already processed: its key as a keyed hash, and what it made
    (the case or consultation), so the same submission again stores nothing."""

    __tablename__ = "submissions"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(index=True)
