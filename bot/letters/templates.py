"""The letter templates: the shipped ones (``templates/`` beside this module) or the
organisation's own (``[letters] templates``), each checked when meldbot starts.

A template that cannot be read, uses a field meldbot does not fill in, or fails to render
stops start-up with one sentence naming the file (and the field), as the measure guidance
and the awareness library do. Rendering runs in a sandbox with autoescape: what a person
typed is text in the letter, never markup or a Jinja expression.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from bot.letters.config import LetterSettings
from bot.letters.fields import FIELDS, LetterKind
from bot.settings import ConfigError

SHIPPED = Path(__file__).with_name("templates")
LOGO_WIDTH = Mm(40)


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


@dataclass(frozen=True, slots=True)
class LetterTemplates:
    """One checked template file per letter kind, the fields each uses, and the logo."""

    files: Mapping[LetterKind, Path]
    used: Mapping[LetterKind, frozenset[str]]
    logo: bytes | None = None

    def compose(self, kind: LetterKind, values: Mapping[str, str]) -> bytes:
        """The letter as .docx bytes, with ``values`` for its fields (the logo is added)."""
        template = DocxTemplate(self.files[kind])
        context: dict[str, object] = dict(values)
        context["logo"] = (
            InlineImage(template, io.BytesIO(self.logo), width=LOGO_WIDTH) if self.logo else ""
        )
        template.render(context, _environment(), autoescape=True)
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()


def _fields_of(path: Path) -> frozenset[str]:
    return frozenset(DocxTemplate(path).get_undeclared_template_variables(_environment()))


def _files(folder: Path | None) -> dict[LetterKind, Path]:
    files = {kind: SHIPPED / kind.file_name for kind in LetterKind}
    if folder is None:
        return files
    if not folder.is_dir():
        raise ConfigError(f"The letter templates folder {folder} is not a folder.")
    known = {kind.file_name: kind for kind in LetterKind}
    for path in sorted(folder.glob("*.docx")):
        if path.name.startswith("~$"):  # Word's lock file while the template is open
            continue
        if path.name not in known:
            raise ConfigError(
                f"The letter template {path} is not a letter meldbot knows; name it one of "
                f"{', '.join(sorted(known))}."
            )
        files[known[path.name]] = path
    return files


def _logo(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        content = path.read_bytes()
        Image.from_blob(content)
    except OSError as error:
        raise ConfigError(f"The letters' logo {path} cannot be read: {error.strerror}.") from None
    except UnrecognizedImageError:
        raise ConfigError(f"The letters' logo {path} is not a PNG or JPEG image.") from None
    return content


def _used(path: Path, kind: LetterKind) -> frozenset[str]:
    try:
        used = _fields_of(path)
    except Exception as error:  # a damaged .docx or broken Jinja raises many kinds
        raise ConfigError(f"The letter template {path} cannot be read: {error}.") from None
    unknown = sorted(used - set(FIELDS[kind]))
    if unknown:
        raise ConfigError(
            f"The letter template {path} uses the field {unknown[0]}, which meldbot does "
            f"not fill in for this letter (it fills in: {', '.join(FIELDS[kind])})."
        )
    return used


def _try(templates: LetterTemplates, kind: LetterKind) -> None:
    path = templates.files[kind]
    try:
        templates.compose(kind, {name: "x" for name in FIELDS[kind]})
    except Exception as error:  # a filter or tag that only fails when it runs
        raise ConfigError(f"The letter template {path} cannot be filled in: {error}.") from None


def load(settings: LetterSettings) -> LetterTemplates:
    """The checked templates; any fault is one ``ConfigError`` naming the file."""
    files = _files(settings.templates)
    used = {kind: _used(path, kind) for kind, path in files.items()}
    templates = LetterTemplates(files, used, _logo(settings.logo))
    for kind in LetterKind:
        _try(templates, kind)
    return templates
