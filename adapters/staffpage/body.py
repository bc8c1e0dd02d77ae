"""Whether a posted form is text at all: a browser sends UTF-8, and aiohttp would quietly
turn broken bytes into "�". The page refuses such a form instead, with the text kept."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from aiohttp import web

URLENCODED = "application/x-www-form-urlencoded"


async def readable(request: web.Request) -> bool:
    if request.content_type != URLENCODED:
        return True
    raw = await request.read()  # already read for the form: it is cached
    for pair in raw.split(b"&"):
        for piece in pair.split(b"=", 1):
            try:
                unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True
