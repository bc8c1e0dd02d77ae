"""Writes the shipped letter templates (``templates/*.docx``) with python-docx.

Run ``make letter-templates`` after changing the wording here; the files are committed as
package data. The output is byte-for-byte the same on every run (fixed dates in the
document and in the zip), so a test can tell when the files and this script differ.
Dutch at B1, formal but warm: "u" toward the citizen.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as Doc
from docx.shared import Mm, Pt, RGBColor

from bot.letters.fields import LetterKind
from bot.letters.templates import SHIPPED

FIXED = datetime(2026, 1, 1)
GREY = RGBColor(0x55, 0x55, 0x55)
CLOSING = ("Met vriendelijke groet,", "", "", "{{ afzender }}", "{{ organisatie }}")


def _start(subject: str) -> Doc:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    core = doc.core_properties
    core.author = core.last_modified_by = "meldbot"
    core.title, core.created, core.modified, core.revision = subject, FIXED, FIXED, 1
    doc.add_paragraph("{%p if logo %}")
    doc.add_paragraph("{{ logo }}")
    doc.add_paragraph("{%p endif %}")
    name = doc.add_paragraph().add_run("{{ organisatie }}")
    name.bold, name.font.size = True, Pt(14)
    address = doc.add_paragraph().add_run("{{ adres }}")
    address.font.size, address.font.color.rgb = Pt(9), GREY
    doc.add_paragraph()
    for line in ("[Naam van de ontvanger]", "[Straat en huisnummer]", "[Postcode en plaats]"):
        doc.add_paragraph(line).paragraph_format.space_after = Pt(0)
    doc.add_paragraph()
    for label, field in (("Datum", "{{ datum }}"), ("Kenmerk", "{{ kenmerk }}")):
        fact = doc.add_paragraph()
        fact.paragraph_format.space_after = Pt(0)
        fact.add_run(f"{label}: ").bold = True
        fact.add_run(field)
    about = doc.add_paragraph()
    about.add_run("Onderwerp: ").bold = True
    about.add_run(subject)
    doc.add_paragraph()
    doc.add_paragraph("Geachte heer, mevrouw,")
    return doc


def _quote(doc: Doc, field: str) -> None:
    quoted = doc.add_paragraph()
    quoted.paragraph_format.left_indent = Mm(10)
    quoted.add_run(field).italic = True


def _points(doc: Doc, *points: str) -> None:
    for point in points:
        doc.add_paragraph(point, style="List Bullet")


def _end(doc: Doc, *closing: str) -> None:
    for text in closing:
        doc.add_paragraph(text)
    for line in CLOSING:
        doc.add_paragraph(line).paragraph_format.space_after = Pt(0)


def warning() -> Doc:
    doc = _start("Waarschuwing")
    doc.add_paragraph(
        "Op {{ datum_voorval }} had u contact met een medewerker van {{ organisatie }}. "
        "Wij schrijven u over wat er toen gebeurde. Onze medewerker heeft dit gemeld:"
    )
    _quote(doc, "{{ voorval }}")
    doc.add_paragraph(
        "Dit gedrag accepteren wij niet. Onze medewerkers helpen u graag. Zij moeten hun "
        "werk wel veilig en met respect kunnen doen. In onze huisregels staat:"
    )
    _quote(doc, "{{ huisregels }}")
    doc.add_paragraph(
        "Wij vragen u zich hieraan te houden. Gebeurt het opnieuw? Dan kunnen wij andere "
        "maatregelen nemen. Bijvoorbeeld:"
    )
    _points(
        doc,
        "een belverbod: u mag ons dan een tijd niet bellen;",
        "een pandverbod: u mag dan een tijd niet in ons gebouw komen;",
        "aangifte bij de politie.",
    )
    _end(
        doc,
        "Wij gaan ervan uit dat dit niet nodig is. Heeft u vragen over deze brief? Neem dan "
        "contact met ons op en noem het kenmerk {{ kenmerk }}.",
    )
    return doc


def _ban(subject: str, what: str, meanwhile: str, *after: str) -> Doc:
    doc = _start(subject)
    doc.add_paragraph(
        "Op {{ datum_voorval }} had u contact met een medewerker van {{ organisatie }}. "
        "Onze medewerker heeft dit gemeld:"
    )
    _quote(doc, "{{ voorval }}")
    doc.add_paragraph(
        "Met dit gedrag heeft u zich niet gehouden aan onze huisregels. Daarin staat:"
    )
    _quote(doc, "{{ huisregels }}")
    doc.add_paragraph(what)
    line = doc.add_paragraph()
    line.add_run(
        f"Het {subject.lower()} duurt {{{{ duur }}}}: van {{{{ ingangsdatum }}}} tot en met "
        "{{ einddatum }}."
    ).bold = True
    for text in (meanwhile, *after):
        doc.add_paragraph(text)
    doc.add_paragraph("Bent u het niet eens met dit besluit? {{ bezwaar }}")
    _end(doc, "Noem bij contact met ons altijd het kenmerk {{ kenmerk }}.")
    return doc


def call_ban() -> Doc:
    return _ban(
        "Belverbod",
        "Daarom krijgt u een belverbod. Dat betekent: u mag {{ organisatie }} in deze periode "
        "niet bellen. Belt u toch? Dan beëindigen wij het gesprek.",
        "Heeft u ons in deze periode nodig? Stuur ons dan een brief of een e-mail. Wij "
        "antwoorden u zoals u van ons gewend bent.",
    )


def building_ban() -> Doc:
    return _ban(
        "Pandverbod",
        "Daarom krijgt u een pandverbod. Dat betekent: u mag in deze periode niet in de "
        "gebouwen van {{ organisatie }} komen.",
        "Heeft u ons in deze periode nodig? Stuur ons dan een brief of een e-mail, of bel ons. "
        "Wij helpen u zoals u van ons gewend bent.",
        "Komt u toch in ons gebouw terwijl het verbod geldt? Dan is dat lokaalvredebreuk "
        "(artikel 138 van het Wetboek van Strafrecht). Dat is strafbaar. Wij vragen dan de "
        "politie om u te laten vertrekken en wij kunnen aangifte doen.",
    )


def invitation() -> Doc:
    doc = _start("Uitnodiging voor een gesprek")
    doc.add_paragraph(
        "Wij willen graag met u praten over uw contact met een medewerker van "
        "{{ organisatie }}. Het gaat om het volgende:"
    )
    _quote(doc, "{{ voorval }}")
    doc.add_paragraph(
        "In het gesprek vertellen wij wat er volgens ons is gebeurd. U kunt uw kant van het "
        "verhaal vertellen. Samen kijken we hoe het contact in de toekomst goed verloopt. "
        "Wij vertellen ook wat wij van u verwachten. In onze huisregels staat:"
    )
    _quote(doc, "{{ huisregels }}")
    doc.add_paragraph("U bent welkom op:")
    for label, field in (
        ("Datum", "{{ gesprek_datum }}"),
        ("Tijd", "{{ gesprek_tijd }} uur"),
        ("Plaats", "{{ gesprek_plaats }}"),
    ):
        line = doc.add_paragraph()
        line.paragraph_format.left_indent = Mm(10)
        line.paragraph_format.space_after = Pt(0)
        line.add_run(f"{label}: ").bold = True
        line.add_run(field)
    doc.add_paragraph()
    _end(
        doc,
        "Kunt u niet op dit moment? Laat het ons dan zo snel mogelijk weten. Dan zoeken we "
        "samen een ander moment. Noem daarbij het kenmerk {{ kenmerk }}.",
    )
    return doc


BUILDERS: dict[LetterKind, Callable[[], Doc]] = {
    LetterKind.WARNING: warning,
    LetterKind.CALL_BAN: call_ban,
    LetterKind.BUILDING_BAN: building_ban,
    LetterKind.INVITATION: invitation,
}


def content(kind: LetterKind) -> bytes:
    """The template's bytes, the same on every run: each zip entry gets a fixed date."""
    saved = io.BytesIO()
    BUILDERS[kind]().save(saved)
    fixed = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(fixed, "w") as target:
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(entry.filename))
    return fixed.getvalue()


def main(folder: Path = SHIPPED) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for kind in LetterKind:
        (folder / kind.file_name).write_bytes(content(kind))
        print(f"wrote {folder / kind.file_name}", file=sys.stderr)


if __name__ == "__main__":
    main()
