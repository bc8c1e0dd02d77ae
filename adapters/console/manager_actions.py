"""The case page's manager section: what it shows a coordinator, and its two actions —
ask the reporter's consent ("Toestemming vragen"), invite the manager for a measure.

Registered into ``case_actions.ACTIONS``; the core checks the role, the consent and every
value again, and says in a sentence what to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from adapters.site import SITE
from bot.access.models import Principal, Role
from bot.case.errors import CaseError
from bot.case.labels import measure_label
from bot.case.reading import CaseFile
from bot.i18n import N_, Translator
from bot.manager.models import CHAT_PLATFORMS, Consent, Invitation, Invitee, consent_of
from bot.manager.service import CLOSED_STEPS, number
from bot.manager.views import ANSWER_LABELS

if TYPE_CHECKING:  # the actions table imports this module
    from adapters.console.case_actions import Acted
    from adapters.console.pages import Console

CONSENT_SAYS = {
    Consent.GIVEN: N_("The reporter agrees that their manager is involved."),
    Consent.DECLINED: N_("The reporter has not given consent to involve their manager."),
    Consent.ASKED: N_("The reporter has been asked for consent and has not answered yet."),
    Consent.UNKNOWN: N_("The reporter has not said whether their manager may be involved."),
}
WHERE = {
    "slack": "Slack",
    "teams": "Microsoft Teams",
    "web": N_("Web chat"),
    "console": N_("Sign-in (subject)"),
    "email": N_("Sign-in (e-mail)"),
}


@dataclass(frozen=True, slots=True)
class InvitationShown:
    invitation: Invitation
    measure: str
    where: str
    answer: str | None
    in_chat: bool  # meldbot reaches them in a chat; otherwise they answer in meldbot


async def section(
    console: Console, request: Any, principal: Principal, file: CaseFile, t: Translator
) -> dict[str, Any]:
    """What ``case_manager.html`` needs (for those who handle the case)."""
    if console.managers is None:
        return {"manager_section": False}
    case = file.case
    invitations = await console.managers.invitations(principal, case.id)
    measures = await console.measures.of_case(principal, case.id)
    labels = {m.id: m for m in measures}
    known = await request.config_dict[SITE].links.signed_in_with(Role.MANAGER)
    shown = [
        InvitationShown(
            i,
            measure_label(t, labels[i.measure_id].kind) if i.measure_id in labels else "",
            t(WHERE.get(i.manager.kind, i.manager.kind)),
            t(ANSWER_LABELS[i.answer]) if i.answer else None,
            i.manager.kind in CHAT_PLATFORMS or i.manager.kind == "console",
        )
        for i in invitations
    ]
    consent = consent_of(case, file.events)
    return {
        "manager_section": True,
        "consent": consent,
        "consent_says": t(CONSENT_SAYS[consent]),
        "Consent": Consent,
        "invitations": shown,
        "letter_invited": {i.measure_id for i in invitations},  # may be sent a letter
        "open_measures": [
            (m.id, measure_label(t, m.kind)) for m in measures if m.step not in CLOSED_STEPS
        ],
        "known_managers": [(p.key, p.display) for p in known],
        "where": [
            (key, t(label))
            for key, label in WHERE.items()
            if key not in CHAT_PLATFORMS or key in console.cases.messengers
        ],
    }


async def ask_consent(a: Acted) -> None:
    assert a.console.managers is not None  # offered only with the manager loop
    await a.console.managers.ask_consent(a.by, a.case.id)


async def invite(a: Acted) -> None:
    assert a.console.managers is not None
    measure_id = number(str(a.form.get("maatregel_id", "")))
    if measure_id is None:
        raise CaseError("Choose a measure. Nothing was changed.")
    known = str(a.form.get("bekende", ""))
    name = str(a.form.get("naam", "")).strip()
    if known:
        manager = Invitee(known, name)
    else:
        where = str(a.form.get("waar", ""))
        ident = str(a.form.get("id", "")).strip()
        if not ident:
            raise CaseError(
                "Choose the manager from the list, or write their id or e-mail address. "
                "Nothing was saved."
            )
        manager = Invitee(f"{where}:{ident}", name)
    shared = a.text("delen") or ""
    await a.console.managers.invite(a.by, a.case.id, measure_id, manager, shared)
