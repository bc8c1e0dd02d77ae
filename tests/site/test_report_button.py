"""The report button on the administrator's settings page: the link and the HTML for the
intranet's editors, shown as text to copy (escaped, never a live element of the page),
and when pasted, one plain link with no script that opens the report."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import escape

from bot.report_button import report_button
from tests.site.conftest import MakeSite

# A path with every character that means something in HTML: the snippet must carry it
# as the address, and the page must show it as text.
PUBLIC_URL = 'http://127.0.0.1:3978/intranet&meld"<bot>'
REPORT_URL = PUBLIC_URL + "/melden/melding"
LABEL = "Agressie, geweld of een signaal melden"
SNIPPET = re.compile(
    r'<pre class="utrecht-code-block meldbot-snippet">'
    r'<code class="utrecht-code-block__content">(.*?)</code></pre>',
    re.S,
)


class Pasted(HTMLParser):
    """What an intranet page would hold after the editor pasted the snippet."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


async def test_the_settings_page_shows_the_button_to_copy(make_site: MakeSite) -> None:
    site = await make_site(public_url=PUBLIC_URL)
    await site.sign_in_locally("beheerder", back="/console/instellingen")
    status, page = await site.page("/console/instellingen")
    assert status == 200, page
    assert "De meldknop voor het intranet" in page
    link = f'<code class="utrecht-code meldbot-settings__value">{escape(REPORT_URL)}</code>'
    assert link in page, "the link, as text"
    [shown] = SNIPPET.findall(page)
    assert "<" not in shown and '"' not in shown, "the snippet is text on the page, not markup"
    assert 'href="' + REPORT_URL not in page and "<bot>" not in page

    pasted = Pasted()
    pasted.feed(html.unescape(shown))
    [(tag, attributes)] = pasted.tags
    assert tag == "a" and attributes["href"] == REPORT_URL
    assert attributes["rel"] == "noreferrer"
    assert set(attributes) == {"href", "rel", "style"}, "no script, no on… handler, no class"
    assert "".join(pasted.text) == LABEL


async def test_with_the_page_off_there_is_no_button_to_place(make_site: MakeSite) -> None:
    site = await make_site(staff_page=False)
    await site.sign_in_locally("beheerder", back="/console/instellingen")
    status, page = await site.page("/console/instellingen")
    assert status == 200, page
    assert "De meldpagina staat uit (staff_page)" in page
    assert "meldbot-snippet" not in page and "/melden/melding" not in page


def test_the_readme_shows_the_button_meldbot_makes() -> None:
    """The intranet editor's copy in the README is the button itself, not an old one."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = report_button("https://meldbot.gemeente-voorbeeld.nl/melden", LABEL)
    assert f"```html\n{example.html}\n```" in readme
    assert f"    {example.url}  " in readme
