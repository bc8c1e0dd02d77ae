"""The console under test: the real application and database with the demo sign-in, a
Slack faked at its edge (so the chat shows minimal content), and quick reports."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aiohttp import ClientResponse

from bot.case.models import Case, NewReport, Reporter
from bot.case.service import CaseService
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import MakeSite, Served, make_site, mock_provider  # noqa: F401
from tests.text import text_of
from tests.waiting import until
from tests.web.conftest import chromium, page  # noqa: F401 (Chromium for test_browser)

STAFF = Reporter("slack", "U-SANNE", "Sanne de Vries")


@dataclass
class Console:
    site: Served
    slack: FakeMessenger

    @property
    def cases(self) -> CaseService:
        return self.site.runtime.cases

    async def report(
        self, narrative: str = "Een klant schreeuwde aan de balie.", **fields: object
    ) -> Case:
        case = await self.cases.report(NewReport(narrative, **fields), STAFF)  # type: ignore[arg-type]
        await self.site.runtime.outbox.settle()
        return case

    async def sign_in(self, persona: str) -> None:
        await self.site.sign_in_locally(persona, back="/koppelen")

    async def get(self, path: str) -> tuple[int, str]:
        return await self.site.page(path)

    async def post(
        self, path: str, data: dict[str, str] | None = None, *, token: str | None = None
    ) -> ClientResponse:
        """A POST from the case page's form (its token), unless ``token`` is given."""
        if token is None:
            page = path.rsplit("/", 1)[0]
            token = await self.site.token(page, f'action="{path}"')
        fields = {"_csrf": token, "_return": path.rsplit("/", 1)[0], **(data or {})}
        return await self.site.client.post(path, data=fields, allow_redirects=False)

    async def thread(self) -> list[str]:
        [root] = await until(self.slack.roots, "the case's card in Slack")
        return [text_of(sent.message) for sent in self.slack.thread(root.ref)]

    async def settle(self) -> None:
        await self.site.runtime.outbox.settle()


async def console_with(make_site: MakeSite, **settings: object) -> Console:  # noqa: F811
    """meldbot with these settings, its chat a Slack faked at the edge."""
    site = await make_site(**settings)
    slack = FakeMessenger("slack", coordinators={"U-JAN"})
    site.runtime.messengers["slack"] = slack
    return Console(site, slack)


@pytest.fixture
async def console(make_site: MakeSite) -> Console:  # noqa: F811
    return await console_with(make_site)
