"""Files posted with a message on the page, as the core takes them from any chat
(``IncomingFile``), checked against the same limits before anything is sent."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web
from multidict import MultiDictProxy

from bot.attachments.models import HeldFile
from bot.attachments.policy import Limits, check
from bot.attachments.views import refusal_text
from bot.events import IncomingFile
from bot.i18n import Translator

FILE_FIELD = "files"


def incoming(
    posted: MultiDictProxy[str | bytes | bytearray | web.FileField], limits: Limits
) -> list[IncomingFile]:
    """Each file chosen; one beyond the size limit is named ``too_large``, not read."""
    files = []
    for value in posted.getall(FILE_FIELD, []):
        if not isinstance(value, web.FileField):
            continue
        content = value.file.read(limits.max_bytes + 1)
        if not value.filename and not content:
            continue  # the field was left empty
        declared = value.content_type or ""
        if len(content) > limits.max_bytes:
            files.append(IncomingFile(value.filename, declared, len(content), None, "too_large"))
        else:
            files.append(IncomingFile(value.filename, declared, len(content), content))
    return files


def refusals(files: Sequence[IncomingFile], limits: Limits, t: Translator) -> list[str]:
    """Why files are not taken, in words; empty when every file may go."""
    said = []
    for checked in check(files, limits):
        if checked.refusal is not None:
            held = HeldFile(checked.name, checked.size, refusal=checked.refusal)
            said.append(refusal_text(held, limits, t))
    return said
