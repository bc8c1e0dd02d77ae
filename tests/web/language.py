"""Whether a page, or a piece of its HTML, speaks one language: no common word of the other.

The words are short, frequent ones that the other language does not use (Dutch "of" and
"is" are English words too, so they are not listed), plus the words of the web chat's own
chrome. Names of people and places are neither, and the language's own name on the
language switch ("English", "Nederlands") is no marker either.
"""

from __future__ import annotations

import re
from html import unescape

from playwright.async_api import Page


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DUTCH = _words(
    """
    het een niet geen je jouw jij wat waar wie wil hier deze dit naar voor met ook maar
    nog als bij dan uit ik ben melding melden versturen verstuur optioneel verplicht keuze
    bericht berichten kanaal annuleren sluiten zaken zaak terug gebeurd vul kies tekens
    """
)
ENGLISH = _words(
    """
    the you your and what this that with from please here there will would send optional
    required choice message messages channel cancel close cases back happened fill
    choose report characters
    """
)
_OTHER = {"nl": ENGLISH, "en": DUTCH}
_WORD = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"<[^>]+>")
_ATTRIBUTE = re.compile(r'(?:aria-label|title|placeholder|alt|data-near|data-over)="([^"]*)"')

# Everything a person can see or hear in ``root``: the rendered text, the page's title,
# and the names and descriptions that only a screen reader speaks.
_TEXT = """(root) => {
  const scope = document.querySelector(root);
  const parts = [scope.innerText];
  if (scope === document.body) parts.push(document.title);
  for (const element of scope.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      const value = element.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join("\\n");
}"""


def foreign_words(text: str, language: str) -> list[str]:
    """The words of ``text`` that belong to the other language, in order."""
    other = _OTHER[language]
    return [word for word in _WORD.findall(text) if word.casefold() in other]


def html_text(html: str) -> str:
    """The text and spoken attributes of server-rendered HTML."""
    return " ".join([unescape(_TAG.sub(" ", html)), *map(unescape, _ATTRIBUTE.findall(html))])


async def assert_speaks(page: Page, language: str, state: str, root: str = "body") -> None:
    """``root`` (the page, or a part of it) is in ``language``, and says so in ``lang``."""
    declared = await page.evaluate(
        "(root) => document.querySelector(root).closest('[lang]').lang", root
    )
    assert declared == language, state
    text: str = await page.evaluate(_TEXT, root)
    found = foreign_words(text, language)
    assert not found, f"{state}: words of the other language in {language}: {found}"
