"""Every code meldbot issues is seen, and read right, however a person retypes it.

Typed apart in lower case, a code with too few digits reads like four short words and
would slip past the sighting into a draft, under the person's name; one without a digit
at an end is read together with the word beside it, and then does not open. meldbot
issues neither.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.consultation.receipts import (
    format_code,
    new_pseudonym,
    new_secret,
    parse_code,
    recognisable,
)
from bot.consultation.sighting import sight_code

Retyped = Callable[[str], str]
RETYPED: dict[str, Retyped] = {
    "with spaces": lambda code: code.replace("-", " "),
    "lower case": str.lower,
    "lower case with spaces": lambda code: code.lower().replace("-", " "),
    "in one piece": lambda code: code.replace("-", ""),
    "in one piece, lower case": lambda code: code.replace("-", "").lower(),
    "with dots": lambda code: code.replace("-", "."),
    "after mijn code is": lambda code: f"mijn code is {code}",
    "in a sentence": lambda code: (
        f"Hoi, hier is mijn code: {code.lower().replace('-', ' ')}. Is er al nieuws?"
    ),
    "in a sentence without a keyword": lambda code: (
        f"ik kreeg deze {code.lower().replace('-', ' ')}"
    ),
    "followed by words": lambda code: f"{code.lower().replace('-', ' ')} deze week",
}
ISSUED = [format_code(new_pseudonym(), new_secret()) for _ in range(1500)]


@pytest.mark.parametrize("retype", RETYPED.values(), ids=RETYPED.keys())
def test_every_issued_code_is_seen_however_it_is_retyped(retype: Retyped) -> None:
    misread = [
        code
        for code in ISSUED
        if (seen := sight_code(retype(code))) is None or seen.code != parse_code(code)
    ]
    assert misread == []


def test_codes_that_would_be_misread_are_not_issued() -> None:
    """Without a digit in its last group, the word before a code is read as its start."""
    code = "3RB1-5G8W-PG70-SDXM"
    misread = sight_code(f"ik kreeg deze {code.lower().replace('-', ' ')}")
    assert misread is not None and misread.code != parse_code(code)
    assert not recognisable("5G8WPG70SDXM") and recognisable("5G8WPG70SDX3")
