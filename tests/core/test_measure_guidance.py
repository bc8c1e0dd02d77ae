"""The guidance per measure: the built-in file, an organisation's own, and a broken file
that stops start-up with one sentence naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.case.models import MeasureKind
from bot.measures import guidance
from bot.measures.models import LADDER
from bot.settings import ConfigError
from tests.core.conftest import MakeBot


def test_the_default_guidance_covers_the_ladder_but_the_police_report() -> None:
    loaded = guidance.load(None)
    assert set(loaded.advice) == set(LADDER) - {MeasureKind.POLICE_REPORT}
    letter = loaded.of(MeasureKind.WARNING_LETTER)
    assert letter is not None and "letterlijk" in letter.say.nl and "literally" in letter.say.en
    assert loaded.of(MeasureKind.POLICE_REPORT) is None


OWN = """
[order_talk]
purpose = {{ nl = "Doel.", en = "Aim." }}
fits = {{ nl = "Past.", en = "Fits." }}
prepare = {{ nl = "Voorbereiden.", en = "Prepare." }}
say = {{ nl = "{say}", en = "Say." }}
avoid = {{ nl = "Vermijden.", en = "Avoid." }}
"""


def test_an_organisation_can_use_its_own_guidance(tmp_path: Path) -> None:
    own = tmp_path / "maatregelen.toml"
    own.write_text(OWN.format(say="Zeg het rustig."), encoding="utf-8")
    loaded = guidance.load(own)
    assert list(loaded.advice) == [MeasureKind.ORDER_TALK]
    advice = loaded.of(MeasureKind.ORDER_TALK)
    assert advice is not None and advice.say.pick("nl") == "Zeg het rustig."
    assert advice.say.pick("en") == "Say."


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (OWN.format(say=""), "invalid at order_talk.say.nl"),
        (OWN.format(say="Ja.").replace("[order_talk]", "[ordegesprek]"), "invalid at ordegesprek"),
        (
            OWN.format(say="Ja.").replace('avoid = { nl = "Vermijden.", en = "Avoid." }', ""),
            "avoid",
        ),
        ("[order_talk\n", "cannot be read"),
    ],
)
async def test_a_broken_guidance_file_stops_start_up_naming_it(
    make_bot: MakeBot, tmp_path: Path, body: str, complaint: str
) -> None:
    own = tmp_path / "maatregelen.toml"
    own.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        await make_bot(measure_guidance=own)
    message = str(refused.value)
    assert str(own) in message and complaint in message
    assert message.endswith(".") and "\n" not in message
