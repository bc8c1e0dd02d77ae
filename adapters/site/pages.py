"""The Jinja2 environment of meldbot's own pages: autoescape on, every template extends
``site/base.html``, texts through ``bot.i18n`` in the person's language (``t``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.i18n import N_, translator

TEMPLATES = Path(__file__).resolve().parent / "templates"


class Pages:
    def __init__(self, organisation: str, stylesheets: list[str]) -> None:
        self._loader = FileSystemLoader([TEMPLATES])
        self.env = Environment(
            loader=self._loader,
            autoescape=True,
            undefined=StrictUndefined,  # a misspelt name fails the test, not the person
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # N_ marks a message id handed to a macro: {{ submit(N_("Save")) }}.
        self.env.globals.update(organisation=organisation, stylesheets=stylesheets, N_=N_)

    def add_templates(self, directory: Path) -> None:
        """Another folder of templates (the console's), searched after the kit's."""
        if str(directory) not in self._loader.searchpath:
            self._loader.searchpath.append(str(directory))

    def render(self, name: str, language: str, context: dict[str, Any]) -> str:
        t = translator(language)
        return self.env.get_template(name).render(t=t, language=t.language, **context)
