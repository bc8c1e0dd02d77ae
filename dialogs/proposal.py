"""The reporter's answer to a proposed measure, from the buttons under the question."""

from __future__ import annotations

from bot.events import ActionInvoked
from bot.i18n import N_, Translator
from bot.measures.proposal_models import ANSWER_OF, Answer
from bot.ui import Message, Response, Text
from dialogs.context import DialogContext

THANKS: dict[Answer, str] = {
    Answer.AGREE: N_("Thank you. The coordinator now knows you agree with this measure for {ref}."),
    Answer.RATHER_NOT: N_(
        "Thank you for telling us. The coordinator knows you would rather not have this "
        "measure for {ref}, and will contact you about it."
    ),
    Answer.TALK: N_(
        "Fine. The coordinator knows you want to talk about it, and will contact you about {ref}."
    ),
}
ACTIONS = frozenset(ANSWER_OF)


async def answer(ctx: DialogContext, event: ActionInvoked, t: Translator) -> Response:
    assert ctx.proposals is not None  # wired by the composition root
    chosen = ANSWER_OF[event.action_id]
    case = await ctx.proposals.answer(event.actor, event.value, chosen)
    text = t(THANKS[chosen], ref=case.reference)
    return Response(replace=Message(text, [Text.of(text)]))
