"""What the console tests share: people signed in on the console, and quick reports."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access.models import Acting, Principal, Role
from bot.access.service import Access
from bot.case.models import Case, Category, NewReport, Reporter
from bot.case.queries import CaseFilter, Order, View
from bot.ports import Transaction
from tests.core.conftest import Harness

RIA = Principal("ria-sub", "Ria Coördinator", frozenset({Role.COORDINATOR}))
ANNA = Principal("anna-sub", "Anna Analist", frozenset({Role.ANALYST}))
BEA = Principal("bea-sub", "Bea Beheer", frozenset({Role.ADMIN}))
MAX = Principal("max-sub", "Max Manager", frozenset({Role.MANAGER}))


async def report(
    bot: Harness,
    narrative: str = "Een klant schreeuwde aan de balie.",
    *,
    by: str = "staff-1",
    **fields: object,
) -> Case:
    """A named report from the web chat, delivered; the case as stored."""
    case = await bot.runtime.cases.report(NewReport(narrative, **fields), Reporter("web", by, by))
    await bot.settle()
    return case


def integrity(
    narrative: str = "Een collega neemt geld aan van een leverancier.",
) -> dict[str, object]:
    return {"narrative": narrative, "category": Category.INTEGRITY}


async def references(
    bot: Harness, by: Acting, view: View = View.ALL, order: Order = Order.NEWEST, **filters: object
) -> list[str]:
    """Every reference in the list, page after page."""
    found: list[str] = []
    cursor = None
    while True:
        page = await bot.runtime.cases.list(
            by,
            CaseFilter(view=view, order=order, **filters),
            cursor,
            limit=4,
        )
        found += [c.reference for c in page.cases]
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


@dataclass(slots=True)
class LinkedAccess(Access):
    """Access where one person has two identities (the links come with the sign-in)."""

    linked: tuple[frozenset[str], ...] = ()

    async def keys(self, by: Acting, tx: Transaction | None = None) -> frozenset[str]:
        for keys in self.linked:
            if by.key in keys:
                return keys
        return frozenset({by.key})
