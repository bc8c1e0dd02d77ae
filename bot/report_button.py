"""The report button for an intranet or a zaaksysteem: a plain link, styled as a button.

No script and no class to load: many CMSes strip scripts and some strip stylesheets, and a
link still works where only the ``href`` survives. ``rel="noreferrer"`` keeps the browser
from telling meldbot which intranet page someone came from. The page it opens goes straight
into the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

REPORT_PATH = "/melding"  # under the staff page: opens straight into the report form
# White on this blue has a contrast of 6.1:1 (WCAG AA asks 4.5:1).
_STYLE = (
    "display:inline-block;padding:12px 20px;border-radius:4px;background:#01689b;"
    "color:#ffffff;font-weight:bold;text-decoration:none"
)


@dataclass(frozen=True, slots=True)
class ReportButton:
    url: str  # the link itself, for a menu item or a zaaksysteem's link field
    html: str  # the snippet an editor pastes


def report_button(staff_page_url: str, label: str) -> ReportButton:
    url = staff_page_url + REPORT_PATH
    html = f'<a href="{escape(url)}" rel="noreferrer" style="{_STYLE}">{escape(label)}</a>'
    return ReportButton(url, html)
