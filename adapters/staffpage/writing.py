"""Writing to meldbot from the page, as in the chat: a message with photos, screenshots or
PDFs (``MessageReceived`` with its files). The core makes a draft of it and asks what it
needs; its answers and buttons appear in the person's conversation on the page."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from multidict import MultiDictProxy

from adapters.staffpage.files import incoming, refusals
from adapters.staffpage.personal import PersonalChat
from adapters.staffpage.steps import Shown, Steps, personal
from bot.attachments.policy import Limits
from bot.events import Actor, MessageReceived
from bot.i18n import N_, translator
from bot.text import NARRATIVE_MAX, clean

NOTHING = N_("Type what happened, or add a photo or PDF.")
FILES_AGAIN = N_("Nothing was sent. Your text is still in the box; add your files again.")
TOO_LONG = N_(
    "This text has {length} characters; at most {limit} fit. Make it shorter: your text "
    "is still in the box."
)


@dataclass(slots=True)
class Written:
    """The page after a message: what to show, what stays in the box, and the refusals."""

    page: Shown
    kept: str = ""
    problems: tuple[str, ...] = ()


class Writing:
    def __init__(self, steps: Steps, chat: PersonalChat, limits: Limits) -> None:
        self.steps = steps
        self.chat = chat
        self.limits = limits

    async def send(
        self,
        actor: Actor,
        key: str,
        posted: MultiDictProxy[str | bytes | bytearray | web.FileField],
        language: str,
    ) -> Written:
        t = translator(language)
        text = posted.get("text")
        text = text if isinstance(text, str) else ""
        files = incoming(posted, self.limits)
        problems = refusals(files, self.limits, t)
        if len(text) > NARRATIVE_MAX:
            problems.insert(0, t(TOO_LONG, length=len(text), limit=NARRATIVE_MAX))
        elif not clean(text, len(text)) and not files:
            problems.insert(0, t(NOTHING))
        if problems:
            if files:
                problems.append(t(FILES_AGAIN))
            return Written(Shown(status=400), text, tuple(problems))
        await self.chat.said(key, text, [f.name for f in files])
        response = await self.steps.call(
            MessageReceived(actor, personal(actor), text, tuple(files))
        )
        await self.chat.record(key, response, None)
        # Its messages are in the conversation below; a form or a result shows above it.
        said = [m for m in (response.result,) if m is not None]
        return Written(Shown(messages=said, form=response.form, form_step=None))
