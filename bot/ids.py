"""Record ids as they come back from a button or a form: text a platform hands over."""

from __future__ import annotations

# The largest id an INTEGER column holds (PostgreSQL): a larger number is no record.
ID_MAX = 2**31 - 1


def record_id(text: str) -> int | None:
    """The id written in ``text``, or None: only ASCII digits (not '²' or other scripts'
    digits, which ``int`` refuses or reads differently) and never beyond ``ID_MAX``."""
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None
