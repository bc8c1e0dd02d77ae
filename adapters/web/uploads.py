"""``POST /web/api/message`` as ``multipart/form-data``: a message's text with its files.

The app's ``client_max_size`` (256 kB) is for JSON; this route reads its parts itself,
with a running cap over the whole body (every file at its limit, plus the text), so a
large upload is answered 413 with the page's own message and never read into memory
whole. A single file over the limit is drained, counted and passed on as ``too_large``:
the core names it to the person, and the rest of their message still arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import BodyPartReader, web

from adapters.web.guard import MAX_BODY, BadBody, BodyTooLarge
from bot.attachments.policy import Limits
from bot.events import IncomingFile

CHUNK = 64 * 1024
MAX_PARTS = 30
TEXT_FIELDS = frozenset({"pane", "persona", "text", "thread", "channel"})


class FilesTooLarge(BodyTooLarge):
    """More than the route takes at once (its own limit, not the JSON one)."""


@dataclass(slots=True)
class Posted:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[IncomingFile] = field(default_factory=list)


def route_limit(limits: Limits) -> int:
    return limits.max_files * limits.max_bytes + MAX_BODY


async def read_message_form(request: web.Request, limits: Limits) -> Posted:
    cap = route_limit(limits)
    if request.content_length is not None and request.content_length > cap:
        raise FilesTooLarge
    posted, total, parts = Posted(), 0, 0
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            parts += 1
            if parts > MAX_PARTS or not isinstance(part, BodyPartReader):
                raise BadBody("parts")
            if part.filename is None:
                total += await _text_field(part, posted)
            else:
                file, read = await _file(part, limits.max_bytes, cap - total)
                total += read
                if file is not None:
                    posted.files.append(file)
            if total > cap:
                raise FilesTooLarge
    except (ValueError, AssertionError, KeyError) as error:  # a malformed body
        raise BadBody("multipart") from error
    return posted


async def _text_field(part: BodyPartReader, posted: Posted) -> int:
    name = part.name or ""
    if name not in TEXT_FIELDS or name in posted.fields:
        raise BadBody(f"field {name}")
    raw = bytearray()
    while chunk := await part.read_chunk(CHUNK):
        raw += chunk
        if len(raw) > MAX_BODY:
            raise BodyTooLarge
    posted.fields[name] = raw.decode("utf-8")
    return len(raw)


async def _file(part: BodyPartReader, limit: int, room: int) -> tuple[IncomingFile | None, int]:
    """The file, or (beyond ``limit``) its size only; stops reading past ``room``."""
    if part.name != "files":
        raise BadBody(f"file field {part.name}")
    declared = part.headers.get("Content-Type", "")
    content, size = bytearray(), 0
    while chunk := await part.read_chunk(CHUNK):
        size += len(chunk)
        if size > room:
            raise FilesTooLarge
        if size <= limit:
            content += chunk
    name = part.filename or ""
    if not name and size == 0:
        return None, 0  # an empty file field: nothing was chosen
    if size > limit:
        return IncomingFile(name, declared, size, None, "too_large"), size
    return IncomingFile(name, declared, size, bytes(content)), size
