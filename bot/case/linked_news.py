"""News for someone who reported on the staff page, in the Slack or Teams chat they linked.

What the meldpunt tells a person who reported with their name on the staff page arrives on
that page (``reporter.notice`` to ``web``, ``console:<subject>``). Where they linked a chat
identity, their chat says there is news too — only that, with the link: the content stays
on meldbot's own page (the DPIA's rule), and an answer typed in the chat could not reach a
question asked on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.access.links import Links
from bot.access.models import Principal
from bot.case.models import Case
from bot.events import Platform
from bot.i18n import translator
from bot.ports import DeliveryError, Messenger, Notification, Storage
from bot.ui import Actions, LinkButton, Message, Text

LINKED_NEWS = "reporter.linked_news"
PAGE_REPORTER = "console:"  # the key of a person signed in on meldbot's own pages


def on_the_page(case: Case) -> bool:
    """Reported with a name on the staff page (not in a chat, not anonymously)."""
    reporter = case.reporter
    return (
        reporter is not None
        and reporter.platform == "web"
        and reporter.user_id.startswith(PAGE_REPORTER)
    )


def news_note(reference: str, page_url: str, language: str) -> Message:
    t = translator(language)
    text = t("There is news about your report {ref}. Read it on the reporting page.", ref=reference)
    button = LinkButton(t("Open the reporting page"), page_url)
    return Message(text, [Text.of(text), Actions([button])])


@dataclass(slots=True)
class LinkedNews:
    """Delivers ``reporter.linked_news`` from the outbox."""

    storage: Storage
    links: Links
    messenger: Callable[[Platform], Messenger]
    page_url: str | None  # the report's page, ``{public_url}/melden/melding``

    async def __call__(self, notification: Notification) -> None:
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
        if case is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        if self.page_url is None or case.reporter is None or not on_the_page(case):
            return  # the page was switched off meanwhile: the notice on it is all there is
        subject = case.reporter.user_id.removeprefix(PAGE_REPORTER)
        chats = await self.links.chats(Principal(subject, ""))
        note = news_note(case.reference, self.page_url, case.report.language)
        for chat in chats:
            if chat.platform == "web":
                continue  # the page itself has the full notice
            messenger = self.messenger(chat.platform)
            await messenger.send(await messenger.personal_address(chat.user_id), note)
