"""Slack mrkdwn escaping: user text can never become a mention, a broadcast or a link.

Slack reads ``<…>`` as control sequences (``<!channel>``, ``<@U123>``, ``<url|label>``),
so ``&``, ``<`` and ``>`` in plain text are always escaped as HTML entities.
"""

from __future__ import annotations

import re

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile("[&<>]")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
_URL = re.compile(r"https?://[^\s<>|\"]+", re.IGNORECASE)


def escape(text: str) -> str:
    """Plain text as mrkdwn that shows exactly these characters."""
    return _SPECIAL.sub(lambda match: _ENTITIES[match.group()], text)


def is_user_id(value: str) -> bool:
    """True for a Slack user id (``U…`` or ``W…``); anything else is never a mention."""
    return _USER_ID.fullmatch(value) is not None


def is_web_url(value: str) -> bool:
    """True for an http(s) URL that can sit inside ``<url|label>`` unchanged."""
    return _URL.fullmatch(value) is not None


def mention(user_id: str) -> str:
    return f"<@{user_id}>" if is_user_id(user_id) else escape(f"@{user_id}")


def link(url: str, label: str) -> str:
    shown = escape(label.strip() or url)
    if not is_web_url(url):
        return shown
    return f"<{url}|{shown}>"


def shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """Plain text cut to at most ``limit`` characters, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(ellipsis), 0)] + ellipsis


def split_mrkdwn(text: str, limit: int) -> list[str]:
    """Escaped mrkdwn cut into pieces of at most ``limit`` characters.

    Cuts prefer a line break, then a space, and never fall inside an entity
    (``&amp;``) or a control sequence (``<…>``).
    """
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        pieces.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    cut = window.rfind("\n")
    if cut < limit // 2:
        cut = window.rfind(" ")
    if cut < limit // 2:
        cut = limit
    opened = max(window.rfind("&", 0, cut), window.rfind("<", 0, cut))
    if opened != -1 and _unclosed(window[opened:cut]):
        cut = opened
    return cut if cut > 0 else limit


def _unclosed(fragment: str) -> bool:
    if fragment.startswith("&"):
        return ";" not in fragment
    return ">" not in fragment
