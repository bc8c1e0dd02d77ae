"""What people read about attachments: refusals, the count on a receipt, thread notes."""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal

from bot.attachments.models import FileKind, HeldFile, Refusal, StoredFile
from bot.attachments.policy import MIB, Limits
from bot.case.detail import Detail
from bot.i18n import N_, Translator
from bot.ui import Actions, Message, Text

KB = 1024

REFUSALS = {
    Refusal.WRONG_TYPE: N_("I cannot take ‘{name}’: I accept photos (JPG, PNG, HEIC…) and PDFs."),
    Refusal.TOO_LARGE: N_("‘{name}’ is too large ({size}): I accept files up to {limit}."),
    Refusal.TOO_MANY: N_(
        "I did not take ‘{name}’: I take at most {count} files per message. "
        "Please send the rest in a next message."
    ),
    Refusal.UNAVAILABLE: N_("I could not fetch ‘{name}’. Please try sending it again."),
    Refusal.EMPTY: N_("‘{name}’ is empty, so there was nothing to take."),
}


def size_text(size: int, language: str) -> str:
    """``1,2 MB``, ``340 kB``: how big a file is, the way people say it."""
    if size >= MIB:
        return f"{format_decimal(size / MIB, format='#,##0.#', locale=language)} MB"
    return f"{format_decimal(max(1, round(size / KB)), locale=language)} kB"


def refusal_text(file: HeldFile, limits: Limits, t: Translator) -> str:
    assert file.refusal is not None
    return t(
        REFUSALS[file.refusal],
        name=file.name,
        size=size_text(file.size, t.language),
        limit=size_text(limits.max_bytes, t.language),
        count=str(limits.max_files),
    )


def files_taken(count: int, t: Translator) -> str:
    """For the receipt: how many files came along with the report."""
    return t.plural(
        "Your file is stored with the report.",
        "Your {count} files are stored with the report.",
        count,
    )


def with_files(message: Message, count: int, t: Translator) -> Message:
    """``message`` (a receipt) with the line saying how many files came along, if any."""
    if count <= 0:
        return message
    blocks = [*message.blocks, Text.of(files_taken(count, t))]
    return Message(message.summary, blocks, broadcast=message.broadcast)


def ask_for_words(held: Sequence[HeldFile], t: Translator) -> str:
    """A message with files and no text: what happened is still needed."""
    taken = [f for f in held if f.held]
    if taken and all(f.kind is not None and f.kind.is_image for f in taken):
        return t.plural(
            "I have your photo. Tell me in a few sentences what happened.",
            "I have your {count} photos. Tell me in a few sentences what happened.",
            len(taken),
        )
    return t.plural(
        "I have your file. Tell me in a few sentences what happened.",
        "I have your {count} files. Tell me in a few sentences what happened.",
        len(taken),
    )


def upload_title(file: StoredFile, t: Translator) -> str:
    return t("Attachment from the reporter: {name}", name=file.name)


def upload_description(file: StoredFile, reference: str, t: Translator) -> str:
    """The alt text: what it is and where it came from (meldbot cannot see what it shows)."""
    what = t(KIND_WORDS[file.kind])
    return t(
        "{what} sent with report {reference} ({size}).",
        what=what,
        reference=reference,
        size=size_text(file.size, t.language),
    )


def not_shown_note(file: StoredFile, t: Translator) -> Message:
    """In the case thread, when the platform cannot show the file itself."""
    text = t(
        "Attachment ‘{name}’ ({size}) is stored with the case; meldbot cannot show it here.",
        name=file.name,
        size=size_text(file.size, t.language),
    )
    return Message(text, [Text.of(text)])


def in_meldbot_note(reference: str, t: Translator, detail: Detail) -> Message:
    """In the case thread instead of the file: that one came, and the way to it; not its
    name, which can tell what it shows."""
    text = t("The reporter sent a file with this report — see it in meldbot.")
    return Message(
        f"{reference}: {text}", [Text.of(text), Actions([detail.open_case(t, reference)])]
    )


KIND_WORDS = {
    FileKind.PNG: N_("An image"),
    FileKind.JPEG: N_("A photo"),
    FileKind.GIF: N_("An image"),
    FileKind.WEBP: N_("An image"),
    FileKind.HEIC: N_("A photo"),
    FileKind.PDF: N_("A PDF document"),
}
