"""axe-core in a Playwright page: no WCAG 2.1 A/AA violations, or a failure that names each.

axe-core is not committed: scripts/axe-core (run by ``make install-test``) fetches the
pinned, checksummed npm package into .cache/axe-core/. It is evaluated through the
DevTools protocol, so the page's Content-Security-Policy (no inline script) stays as it is.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Page

from tests.conftest import _require

AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA: what EN 301 549 asks of a web page.
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}"""


@cache
def _source() -> str:
    if not AXE.is_file():
        _require(f"axe-core in {AXE} (run scripts/axe-core; needs npm)")
    return AXE.read_text(encoding="utf-8")


async def violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.1 A/AA in the page as it is now."""
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate(_source() + "\n;true")
    found: list[dict[str, Any]] = await page.evaluate(_RUN, list(TAGS))
    return found


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}\n      {node['summary']}" for node in violation["nodes"]]
    return "\n".join(lines)


async def assert_accessible(page: Page, state: str) -> None:
    """No axe-core violation of WCAG 2.1 A/AA in ``state`` (a few words naming it)."""
    found = await violations(page)
    if found:
        report = describe(found)
        print(f"\naxe-core, {state}:\n{report}")
        raise AssertionError(f"axe-core finds {len(found)} violation(s) in {state}:\n{report}")
