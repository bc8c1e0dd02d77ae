"""Attachment domain types: the kinds meldbot takes, why a file was refused, what is kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class FileKind(StrEnum):
    """What a file is, as its first bytes say (never its name or declared type)."""

    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    WEBP = "webp"
    HEIC = "heic"  # HEIC/HEIF: what phones take photos in
    PDF = "pdf"

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self]

    @property
    def extensions(self) -> tuple[str, ...]:
        """The usual extensions, the one meldbot gives a file first."""
        return _EXTENSIONS[self]

    @property
    def is_image(self) -> bool:
        return self is not FileKind.PDF


_CONTENT_TYPES = {
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
    FileKind.GIF: "image/gif",
    FileKind.WEBP: "image/webp",
    FileKind.HEIC: "image/heic",
    FileKind.PDF: "application/pdf",
}
_EXTENSIONS = {
    FileKind.PNG: (".png",),
    FileKind.JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    FileKind.GIF: (".gif",),
    FileKind.WEBP: (".webp",),
    FileKind.HEIC: (".heic", ".heif", ".hif"),
    FileKind.PDF: (".pdf",),
}


def kind_of_type(content_type: str) -> FileKind | None:
    """The kind stored under ``content_type`` (which meldbot itself derived from the bytes)."""
    return next((kind for kind, known in _CONTENT_TYPES.items() if known == content_type), None)


class Refusal(StrEnum):
    """Why a file was not taken; each has a sentence for the person (``views``)."""

    WRONG_TYPE = "wrong_type"
    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"
    UNAVAILABLE = "unavailable"  # the platform would not give it to meldbot
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class HeldFile:
    """One file of a message after the policy: held (``id``, waiting for its case) or
    refused (``refusal``). ``name`` is cleaned and safe to show, escaped for the surface."""

    name: str
    size: int
    kind: FileKind | None = None
    id: int | None = None
    refusal: Refusal | None = None

    @property
    def held(self) -> bool:
        return self.id is not None


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A file kept with a case (or held for a draft), without its bytes."""

    id: int
    case_id: int | None
    name: str
    kind: FileKind
    size: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredFile(FileInfo):
    """A kept file with its bytes, unsealed."""

    content: bytes = field(repr=False, default=b"")
