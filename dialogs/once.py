"""A form submitted again — a platform's replay, or the person sending it once more after
an error they saw — stores nothing twice and is answered as the first time was.

The router hands every submission with a key to ``Once.form``. A key already in the
ledger is answered at once; otherwise the form is handled inside ``submitting(key)``,
and the service call that stores what it makes claims the key in the same transaction
(``bot/submission/once.py``), which settles two submissions arriving together too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.case.models import Case, Reporter
from bot.events import FormSubmitted
from bot.i18n import Translator
from bot.submission import once
from bot.submission.models import AlreadySubmitted, Produced, Submitted
from bot.ui import Message, Response, Text
from dialogs import consult as anon
from dialogs.context import DialogContext

log = logging.getLogger(__name__)

Handle = Callable[[FormSubmitted, Translator], Awaitable[Response]]
Receipt = Callable[[Case, Translator], Awaitable[Message]]

# The colleague's anonymous forms: their answers, like their exchanges, are anonymous.
ANONYMOUS_FORMS = frozenset(
    {anon.FORM_CONSULT, anon.FORM_ANONYMOUS, anon.FORM_REPLY, anon.FORM_TO_REPORT}
)


def _say(text: str) -> Message:
    return Message(text, [Text.of(text)])


class Once:
    def __init__(self, ctx: DialogContext, receipt: Receipt) -> None:
        self.ctx = ctx
        self.receipt = receipt  # the named report's receipt, as the report dialog gives it

    async def form(self, event: FormSubmitted, t: Translator, handle: Handle) -> Response:
        if event.key is None:
            return await handle(event, t)
        earlier = await once.earlier(self.ctx.cases.storage, event.key)
        if earlier is None:
            try:
                with once.submitting(event.key):
                    return await handle(event, t)
            except AlreadySubmitted as repeat:
                earlier = repeat.earlier
        log.info("a form came again (%s): nothing stored twice", earlier.kind.value)
        answer = await self._as_before(event, earlier, t)
        answer.anonymous = earlier.kind.anonymous or event.form_id in ANONYMOUS_FORMS
        return answer

    async def _as_before(self, event: FormSubmitted, earlier: Submitted, t: Translator) -> Response:
        case = None
        if earlier.kind in (Produced.REPORT, Produced.ANONYMOUS_REPORT) and earlier.target:
            case = await self.ctx.cases.opened_by_submission(earlier.target)
        if case is not None and earlier.kind is Produced.REPORT:
            actor = event.actor
            if case.reporter is not None and _same(case.reporter, actor.platform, actor.user_id):
                # The receipt, as the first answer showed it (the chat has it already).
                return Response(result=await self.receipt(case, t))
            case = None  # not this person's report: nothing of it is told
        if case is not None and event.form_id == anon.FORM_TO_REPORT:
            text = t(
                "Your anonymous report {ref} has been received. Your receipt code stays the "
                "same: use it to follow the report.",
                ref=case.reference,
            )
            return _shown(text)
        if case is not None:
            return _shown(self._code_once(event, t, case.reference))
        if earlier.kind is Produced.CONSULTATION:
            return _shown(self._code_once(event, t, None))
        return _shown(
            t("This form was sent already and has been received. Nothing was saved twice.")
        )

    @staticmethod
    def _code_once(event: FormSubmitted, t: Translator, reference: str | None) -> str:
        """A receipt code is shown once and stored only as a slow hash: it cannot be shown
        again, and a new one would open nothing. The chat it also went to is named."""
        if reference is None:
            said = t(
                "Your consultation was received already. Its receipt code was shown once, "
                "when you sent it, and cannot be shown again."
            )
        else:
            said = t(
                "Your anonymous report {ref} was received already. Its receipt code was "
                "shown once, when you sent it, and cannot be shown again.",
                ref=reference,
            )
        if event.actor.ephemeral:
            return said
        return f"{said} {t('The code was also sent to this chat: look for it there.')}"


def _same(reporter: Reporter, platform: str, user_id: str) -> bool:
    return (reporter.platform, reporter.user_id) == (platform, user_id)


def _shown(text: str) -> Response:
    """In the form's place only: a platform replaying a form many times must not fill the
    person's chat with it, and what the first submission sent there, it sent."""
    return Response(result=_say(text))
