"""What the reporter of a trafficking signal reads in the receipt, and the coordinators'
guidance on the case page (seed 000: the organisation decides beforehand who reports
outside it; nobody investigates on their own)."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.trafficking.models import ReportsMadeBy
from bot.ui import Message, Strong, Text

MADE_BY: dict[ReportsMadeBy, str] = {
    "organisation": N_(
        "If the signal is reported to the police, the Arbeidsinspectie or CoMensha, the "
        "organisation does that for you. You do not have to do it yourself."
    ),
    "individual": N_(
        "If the signal is reported to the police, the Arbeidsinspectie or CoMensha, you do "
        "that yourself. The coordinator helps you and tells you how."
    ),
}
DO_NOT_INVESTIGATE = N_(
    "Do not go and investigate yourself. Do not ask the person questions and do not follow "
    "anyone. That can be dangerous, for you and for them."
)
# For coordinators, on the case page (Dutch: "Ga niet zelf op onderzoek uit").
COORDINATOR_GUIDANCE = (
    N_("Do not go and investigate yourself."),
    N_(
        "Collect only what you heard and saw. Do not question the possible victim or the "
        "possible offender, and tell the reporter the same."
    ),
)


def with_receipt_note(message: Message, made_by: ReportsMadeBy, t: Translator) -> Message:
    """A trafficking receipt with who reports outside the organisation, and the warning."""
    blocks = [*message.blocks, Text.of(t(MADE_BY[made_by])), Text.of(Strong(t(DO_NOT_INVESTIGATE)))]
    return Message(message.summary, blocks, broadcast=message.broadcast)
