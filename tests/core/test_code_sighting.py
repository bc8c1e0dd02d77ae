"""Seeing a receipt code however it is typed, and only a code: a story stays a story."""

from __future__ import annotations

import pytest

from bot.consultation.sighting import sight_code

# Digits in one group only, as in about one code in 27.
CODE = "7D6Q-DHPA-SJBA-SBSK"


@pytest.mark.parametrize(
    "typed",
    [
        "Hoi, hier is mijn code: 7d6q dhpa sjba sbsk. Is er al nieuws?",
        "Ik kreeg 7d6q dhpa sjba sbsk van jullie, klopt dat?",
        "Ik heb 7D6Q-DHPA-SJBA-SBSK gekregen, klopt dat?",
        "ik heb 7d6q dhpa sjba sbsk gekregen",
        "7d6q dhpa sjba sbsk",
        "mijn code is 7D6Q DHPA SJBA SBSK",
    ],
)
def test_a_code_with_few_digits_is_seen_in_lower_case_and_in_a_sentence(typed: str) -> None:
    sighting = sight_code(typed)
    assert sighting is not None and sighting.code is not None
    assert sighting.code.pseudonym + sighting.code.secret == CODE.replace("-", "")


@pytest.mark.parametrize(
    "story",
    [
        "HELP HELP HELP HELP",
        "In mei 2024 kwam hij drie keer terug naar de balie.",
        "Hij belde vanaf 06 1234 5678 en schold me uit.",
        "Mijn IBAN is NL91 ABNA 0417 1643 00, hij wilde geld.",
        "M-2026-0001 hij kwam vandaag weer terug",
        "Het gebeurde om 9 uur bij loket 3 van het stadhuis.",
    ],
)
def test_a_story_with_numbers_is_no_code(story: str) -> None:
    assert sight_code(story) is None
