"""Someone who reported with their name on the staff page hears in the Slack chat they
linked that there is news — only that, with the page's link; the content stays on the page."""

from __future__ import annotations

from bot.access.models import Principal
from bot.case.models import NewReport, Reporter
from bot.events import Actor
from bot.ui import Actions, LinkButton
from tests.core.conftest import JAN, MakeBot
from tests.fakes.messenger import FakeMessenger
from tests.text import text_of

SANNE = Principal("oidc-sanne", "Sanne de Vries")
ON_THE_PAGE = Reporter("web", SANNE.key, SANNE.name)
IN_SLACK = Actor("slack", "U0SANNE")
QUESTION = "Stond de collega van de receptie erbij?"
STORY = "Een bezoeker gooide een stoel om bij de balie en schold de medewerker uit."


async def test_news_about_a_report_from_the_page_reaches_the_linked_chat_without_content(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(public_url="https://meldbot.example.nl")
    slack = FakeMessenger(platform="slack")
    bot.runtime.messengers["slack"] = slack
    await bot.runtime.links.signed_in(SANNE, also=IN_SLACK)
    case = await bot.runtime.cases.report(NewReport(STORY), ON_THE_PAGE)
    await bot.settle()

    await bot.runtime.cases.claim(JAN, case.id)
    await bot.runtime.cases.ask(JAN, case.id, QUESTION)
    await bot.settle()

    on_the_page = [s for s in bot.platform.sent if s.address.conversation == f"dm:{SANNE.key}"]
    assert any(QUESTION in text_of(s.message) for s in on_the_page)
    personal = [s for s in slack.sent if s.address.personal]
    assert [s.address.conversation for s in personal] == [f"dm:{IN_SLACK.user_id}"] * 2
    for sent in personal:
        words = text_of(sent.message)
        assert case.reference in words and "meldpagina" in words
        assert QUESTION not in words and STORY not in words
        links = [
            b.url
            for block in sent.message.blocks
            if isinstance(block, Actions)
            for b in block.buttons
            if isinstance(b, LinkButton)
        ]
        assert links == ["https://meldbot.example.nl/melden/melding"]


async def test_a_report_from_a_chat_or_with_the_page_off_gets_no_second_notice(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(staff_page=False)
    slack = FakeMessenger(platform="slack")
    bot.runtime.messengers["slack"] = slack
    await bot.runtime.links.signed_in(SANNE, also=IN_SLACK)
    from_the_page = await bot.runtime.cases.report(NewReport(STORY), ON_THE_PAGE)
    from_slack = await bot.runtime.cases.report(
        NewReport(STORY), Reporter("slack", IN_SLACK.user_id, SANNE.name)
    )
    for case in (from_the_page, from_slack):
        await bot.runtime.cases.claim(JAN, case.id)
        await bot.runtime.cases.ask(JAN, case.id, QUESTION)
    await bot.settle()

    to_sanne = [text_of(s.message) for s in slack.sent if s.address.personal]
    assert to_sanne and all("meldpagina" not in words for words in to_sanne)
    assert any(QUESTION in words for words in to_sanne)  # the Slack reporter's own question
