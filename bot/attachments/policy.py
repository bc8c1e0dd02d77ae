"""What meldbot takes with a report: photos and PDFs, by their bytes, within limits.

The platform's name and MIME type for a file are input and may lie (a ``.jpg`` that is a
script); the kind is read from the file's first bytes, and anything else is refused with
a reason the person is told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from bot.attachments.models import FileKind, Refusal
from bot.events import IncomingFile
from bot.text import FILENAME_MAX, filename

MIB = 1024 * 1024
MAX_MB = 10
MAX_FILES = 5  # per message

# ISO base media files (HEIF) name their brand at bytes 8..12, after "ftyp" at 4..8.
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})


def sniff(content: bytes) -> FileKind | None:
    """The kind of file these bytes are, from their signature; None for anything else."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if content.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if content.startswith((b"GIF87a", b"GIF89a")):
        return FileKind.GIF
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return FileKind.WEBP
    if content[4:8] == b"ftyp" and _is_heif(content):
        return FileKind.HEIC
    if content.startswith(b"%PDF-"):
        return FileKind.PDF
    return None


def _is_heif(content: bytes) -> bool:
    if content[8:12] in _HEIC_BRANDS:
        return True
    # A generic HEIF brand, with a HEIC brand among the compatible ones (AVIF is not taken).
    box_size = int.from_bytes(content[:4], "big")
    compatible = content[16 : min(box_size, 256)]
    brands = {compatible[i : i + 4] for i in range(0, len(compatible) - 3, 4)}
    return content[8:12] in _HEIF_BRANDS and bool(brands & (_HEIC_BRANDS | _HEIF_BRANDS))


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_MB * MIB
    max_files: int = MAX_FILES

    @classmethod
    def of_mb(cls, megabytes: int) -> Limits:
        return cls(max_bytes=megabytes * MIB)


@dataclass(frozen=True, slots=True)
class Checked:
    """A file after the policy: its kind when it is taken, else why not."""

    name: str
    size: int
    kind: FileKind | None
    refusal: Refusal | None
    content: bytes = field(repr=False, default=b"")


def check(files: Sequence[IncomingFile], limits: Limits) -> list[Checked]:
    """Each file taken or refused, in the order sent; beyond ``max_files`` all refused."""
    return [_check_one(file, index, limits) for index, file in enumerate(files)]


def _check_one(file: IncomingFile, index: int, limits: Limits) -> Checked:
    def refused(refusal: Refusal, name: str = file_name(file.name, None)) -> Checked:
        return Checked(name, file.size, None, refusal)

    if index >= limits.max_files:
        return refused(Refusal.TOO_MANY)
    if file.problem == "too_large" or file.size > limits.max_bytes:
        return refused(Refusal.TOO_LARGE)
    if file.problem is not None or file.content is None:
        return refused(Refusal.UNAVAILABLE)
    if len(file.content) > limits.max_bytes:
        return Checked(file_name(file.name, None), len(file.content), None, Refusal.TOO_LARGE)
    if not file.content:
        return refused(Refusal.EMPTY)
    kind = sniff(file.content)
    if kind is None:
        return refused(Refusal.WRONG_TYPE)
    return Checked(file_name(file.name, kind), len(file.content), kind, None, file.content)


def file_name(raw: str, kind: FileKind | None) -> str:
    """The cleaned name; for a file taken, with an extension that says what it really is
    (platforms pick how to show a file by its extension)."""
    name = filename(raw)
    if kind is None:
        return name or "file"
    extension = PurePath(name).suffix.lower()
    if not name or name.startswith("."):
        return f"file{kind.extensions[0]}"
    if extension in kind.extensions:
        return name
    stem = name[: -len(extension)] if extension in _KNOWN else name
    return filename(stem + kind.extensions[0], FILENAME_MAX)


_KNOWN = frozenset(ext for kind in FileKind for ext in kind.extensions)
