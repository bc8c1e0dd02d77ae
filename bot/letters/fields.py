"""The letter kinds, the measure each one belongs to, and the fields meldbot fills in.

A template may use any field of its kind and nothing else (checked at start-up). Each field
that is used but empty when a letter is drafted is refused with its sentence in ``MISSING``.
"""

from __future__ import annotations

from enum import StrEnum

from bot.case.models import MeasureKind
from bot.i18n import N_


class LetterKind(StrEnum):
    WARNING = "waarschuwingsbrief"
    CALL_BAN = "belverbod"
    BUILDING_BAN = "pandverbod"
    INVITATION = "uitnodiging-gesprek"

    @property
    def file_name(self) -> str:
        return f"{self.value}.docx"


LETTER_OF: dict[MeasureKind, LetterKind] = {
    MeasureKind.WARNING_LETTER: LetterKind.WARNING,
    MeasureKind.CALL_BAN: LetterKind.CALL_BAN,
    MeasureKind.BUILDING_BAN: LetterKind.BUILDING_BAN,
    MeasureKind.OFFICE_TALK: LetterKind.INVITATION,
}

COMMON = ("organisatie", "adres", "logo", "datum", "kenmerk", "afzender")
BAN = ("voorval", "datum_voorval", "huisregels", "ingangsdatum", "einddatum", "duur", "bezwaar")
FIELDS: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.WARNING: (*COMMON, "voorval", "datum_voorval", "huisregels"),
    LetterKind.CALL_BAN: (*COMMON, *BAN),
    LetterKind.BUILDING_BAN: (*COMMON, *BAN),
    LetterKind.INVITATION: (
        *COMMON,
        "voorval",
        "huisregels",
        "gesprek_datum",
        "gesprek_tijd",
        "gesprek_plaats",
    ),
}
OPTIONAL = frozenset({"logo"})

# What to fill in when a field a template uses is empty (the console shows it at the form).
MISSING: dict[str, str] = {
    "organisatie": N_("The organisation's name is missing. Set organisation in the settings."),
    "adres": N_(
        "The organisation's address is missing. Set address under [letters] in the "
        "settings, then draft the letter again."
    ),
    "afzender": N_("The measure does not say who carries it out. Advise it again with a name."),
    "voorval": N_("Write what happened, as literally as you can. Nothing was made."),
    "datum_voorval": N_("Fill in the date of the incident. Nothing was made."),
    "huisregels": N_(
        "The norm from the huisregels is missing. Set house_rules under [letters] "
        "in the settings, then draft the letter again."
    ),
    "bezwaar": N_(
        "How to object is missing. Set objection under [letters] in the settings, "
        "then draft the letter again."
    ),
    "ingangsdatum": N_("The ban has no start date. Advise it again with its dates."),
    "einddatum": N_("The ban has no end date. Advise it again with its dates."),
    "duur": N_("The ban has no end date. Advise it again with its dates."),
    "gesprek_datum": N_("Fill in the date of the talk. Nothing was made."),
    "gesprek_tijd": N_("Fill in the time of the talk. Nothing was made."),
    "gesprek_plaats": N_("Fill in where the talk is. Nothing was made."),
    "datum": N_("The letter has no date. Nothing was made."),
    "kenmerk": N_("The letter has no reference. Nothing was made."),
}
