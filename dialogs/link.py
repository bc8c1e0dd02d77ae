"""``koppel 123456``: someone links their chat identity to their sign-in on meldbot's pages.

The code comes from the page ``/koppelen`` (``bot.access.links``); typing it in the
personal chat with meldbot proves that this chat identity is the person signed in there.
"""

from __future__ import annotations

import re

from bot.access.links import TooManyTries
from bot.events import Actor
from bot.i18n import Translator
from bot.ui import Message, Response, Text
from dialogs.context import DialogContext

LINK = re.compile(r"^(?:koppel|link)\s+(\d{3})\s?(\d{3})$", re.IGNORECASE)


def link_code(text: str) -> str | None:
    """The six digits of ``koppel 123456`` (or ``koppel 123 456``), else None."""
    found = LINK.match(text.strip())
    return found.group(1) + found.group(2) if found else None


def _say(text: str) -> Response:
    return Response(messages=[Message(text, [Text.of(text)])])


class LinkDialog:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    async def link(self, actor: Actor, code: str, t: Translator) -> Response:
        if self.ctx.links is None:
            return _say(t("Linking accounts is not available here."))
        try:
            principal = await self.ctx.links.redeem(actor, code)
        except TooManyTries as refused:
            return _say(
                t(
                    "You have tried too many codes. You can try again from {time}.",
                    time=t.time_of_day(refused.until),
                )
            )
        if principal is None:
            return _say(
                t(
                    "I do not know that code, or it has expired. Make a new one on the page "
                    "Koppelen in meldbot."
                )
            )
        return _say(
            t(
                "Linked. This chat account now belongs to {name} in meldbot: you have the "
                "same rights here as there.",
                name=principal.display,
            )
        )
