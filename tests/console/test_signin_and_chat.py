"""The console behind a real OpenID provider process; the chat side: the minimal card's
"Openen in meldbot" lands on the case page, and the local web chat links to the console."""

from __future__ import annotations

import functools

from adapters.web.chrome import Chrome
from adapters.web.page import index
from adapters.web.personas import Personas
from bot.case.models import NewReport
from tests.console.conftest import STAFF, Console
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import MakeSite, authorize_at_mock, mock_user, signin_config
from tests.text import links, text_of
from tests.waiting import until


async def test_a_chat_link_signs_in_at_the_provider_and_opens_the_case(
    make_site: MakeSite, mock_provider: str
) -> None:
    mock_user(
        mock_provider,
        "ria",
        {"name": "Ria de Wit", "roles": ["meldbot.coordinator"]},
    )
    mock_user(mock_provider, "cem", {"name": "Cem Analist", "roles": ["meldbot.analist"]})
    site = await make_site(signin=signin_config(mock_provider))
    slack = FakeMessenger("slack", coordinators={"U-JAN"})
    site.runtime.messengers["slack"] = slack
    case = await site.runtime.cases.report(NewReport("Een klant sloeg op de balie."), STAFF)
    await site.runtime.outbox.settle()
    [root] = await until(slack.roots, "the case's card in Slack")
    assert "sloeg" not in text_of(root.message), "minimal: no content in Slack"
    url = links(root.message)["Openen in meldbot"]
    public = site.runtime.settings.public_url
    assert url == f"{public}/console/zaken/{case.reference}"
    path = url.removeprefix(public)
    first = await site.client.get(path, allow_redirects=False)
    assert first.status == 303 and first.headers["Location"].startswith("/signin?next=")
    done = await site.sign_in_at(functools.partial(authorize_at_mock, subject="ria"), path)
    assert done.status == 303 and done.headers["Location"] == path
    status, html = await site.page(path)
    assert status == 200 and "Een klant sloeg op de balie." in html
    assert "Ingelogd als Ria de Wit" in html
    await site.sign_in_at(functools.partial(authorize_at_mock, subject="cem"), "/koppelen")
    status, html = await site.page(path)
    assert status == 403 and "sloeg" not in html, "an analyst never sees a case"


async def test_the_local_web_chat_links_to_the_console() -> None:
    for language, words in (("nl", "Naar de console"), ("en", "Go to the console")):
        chrome = Chrome(language)
        html = index(chrome, Personas(["coordinator"], chrome), ["general"])
        assert f'<a href="/console/">{words}</a>' in html


async def test_an_action_in_the_console_reaches_the_reporter(console: Console) -> None:
    case = await console.report()
    await console.sign_in("fatima")
    page = f"/console/zaken/{case.reference}"
    sent = await console.post(f"{page}/bericht", {"bericht": "We bellen je vandaag terug."})
    assert sent.status == 303
    await console.settle()

    def heard() -> list[str]:
        texts = [text_of(message.message) for message in console.slack.dms(STAFF.user_id)]
        return [text for text in texts if "We bellen je vandaag terug." in text]

    assert await until(heard, "the message in the reporter's chat")
