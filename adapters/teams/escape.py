"""Plain text as Teams TextBlock markdown that shows exactly these characters.

Teams renders a CommonMark subset in TextBlocks and Facts (emphasis, links, lists) and
turns ``<at>…</at>`` into mentions and ``{{DATE(…)}}`` into dates. User text must
become none of these: markdown characters get a backslash (desktop, web and current
mobile clients honour CommonMark escapes), the rest is broken up without a backslash.
Only what could act is escaped, so ordinary sentences reach the screen unchanged.
"""

from __future__ import annotations

import re

_NEWLINES = re.compile(r"\r\n?")
# One or more line breaks (blank lines included) end a line; Teams needs "\n\n" to show one.
_LINE_BREAK = re.compile(r"\n(?:[ \t]*\n)*")
_LEADING_SPACE = re.compile(r"^[ \t]+")
# Emphasis, code, strikethrough, link brackets, tables; backslash so ours cannot be undone.
_INLINE = re.compile(r"[\\*_`~\[\]|]")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Block markers only count at the start of a line: headings, lists, rules, setext underlines.
_BLOCK_MARK = re.compile(r"^(?:([#+=-])|(\d{1,9})([.)]))")
# Backslash does not stop Teams reading <at> tags, so angle brackets become their
# full-width forms (U+FF1C, U+FF1E): the same sign to a reader, never a tag to Teams.
_ANGLES = str.maketrans({"<": "\uff1c", ">": "\uff1e"})
_DATE_OPEN = re.compile(r"\{(?=\{)")  # {{DATE(…)}}: a zero-width space keeps the braces apart
_MENTION_UNSAFE = re.compile(r"[\\*_`~\[\]|<>{}()#&!=+\x00-\x1f\x7f]")
_URL = re.compile(
    r"(?:https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][A-Za-z0-9\-._~:/?#@!$&+,;=%()]*)?"
    r"|mailto:[A-Za-z0-9\-._~:/?#@!$&+,;=%]+|tel:\+?[0-9\-.()]+)",
    re.IGNORECASE,
)
URL_MAX = 2000


def escape(text: str, *, line_start: bool = True) -> str:
    """``text`` as TextBlock markdown; ``line_start``: it begins a line of the block."""
    lines = _LINE_BREAK.split(_NEWLINES.sub("\n", text))
    return "\n\n".join(
        _line(line, at_start=line_start or index > 0) for index, line in enumerate(lines)
    )


def _line(line: str, *, at_start: bool) -> str:
    if at_start:
        # Indentation would make a code block; non-breaking spaces look the same.
        line = _LEADING_SPACE.sub(lambda match: "\u00a0" * len(match.group()), line)
    line = _INLINE.sub(lambda match: "\\" + match.group(), line)
    line = line.replace("\\](", "\\]\\(")  # clients that ignore \] still see no "](" link
    line = _ENTITY.sub("\\&", line).translate(_ANGLES)
    line = _DATE_OPEN.sub("{\u200b", line)
    if at_start:
        line = _BLOCK_MARK.sub(_escape_mark, line, count=1)
    return line


def _escape_mark(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def mention_name(name: str | None, limit: int = 64) -> str:
    """A display name that needs no escaping, so it reads the same inside ``<at>…</at>``,
    in the mention entity and on screen ("" when nothing usable is left)."""
    if not name:
        return ""
    flat = " ".join(_MENTION_UNSAFE.sub(" ", name).split())
    return shorten(flat, limit).strip()


def safe_url(url: str) -> str | None:
    """The URL as a markdown link target, or None unless it is http(s), mailto or tel."""
    if len(url) > URL_MAX or _URL.fullmatch(url) is None:
        return None
    # Parentheses would end the markdown link early; percent-encoded they mean the same.
    return url.replace("(", "%28").replace(")", "%29")


def shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """Plain text cut to at most ``limit`` characters, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(ellipsis), 0)] + ellipsis
