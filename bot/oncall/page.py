"""A page: who was paged for an urgent case, kept sealed with the case's escalation timer.

The rota may change while a case waits, so the page remembers whom it reached (and who
backs them up) instead of asking the rota again; the record goes when the page is
answered or the case closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast, get_args

from bot.access.models import Acting
from bot.case.models import CaseEvent, EventKind
from bot.events import Actor, Platform
from bot.oncall.rota import OnCallPerson
from bot.ports import Transaction

ESCALATE = "oncall.escalate"  # the timer kind: nobody answered in time


def timer_prefix(case_id: int) -> str:
    """Every on-call timer of a case: answering or closing ends them at once."""
    return f"case:{case_id}:oncall:"


def escalation_key(case_id: int, round_: int = 0) -> str:
    """One escalation per page; a case raised to urgent again later is a new round."""
    suffix = f":{round_}" if round_ else ""
    return f"{timer_prefix(case_id)}escalate{suffix}"


def since_last_page(events: Sequence[CaseEvent]) -> Sequence[CaseEvent]:
    """What happened since the case was last paged: an answer to an earlier page (before
    a coordinator lowered and raised the urgency again) does not answer this one."""
    last = max((i for i, e in enumerate(events) if e.kind is EventKind.PAGED), default=-1)
    return events[last + 1 :]


def page_job(case_id: int) -> str:
    """Groups the case's on-call timers, so the page can be found again by its case."""
    return f"case:{case_id}:oncall"


@dataclass(frozen=True, slots=True)
class Page:
    """``on_call`` is None when the rota named nobody: the whole channel was paged."""

    platform: Platform
    on_call: OnCallPerson | None
    backup: OnCallPerson | None

    def payload(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "on_call": self.on_call.model_dump() if self.on_call else None,
            "backup": self.backup.model_dump() if self.backup else None,
        }

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Page | None:
        """The page a timer keeps; None once its record was cleared."""
        platform = payload.get("platform")
        if platform not in get_args(Platform):
            return None
        on_call, backup = payload.get("on_call"), payload.get("backup")
        return cls(
            cast(Platform, platform),
            OnCallPerson.model_validate(on_call) if on_call else None,
            OnCallPerson.model_validate(backup) if backup else None,
        )

    def reached(self, actor: Acting) -> bool:
        """True for the person paged and their backup: they may answer the page even if
        they are not on the coordinators' list."""
        if not isinstance(actor, Actor):
            return False  # pages reach chat identities
        people = [person for person in (self.on_call, self.backup) if person is not None]
        return actor.platform == self.platform and any(p.id == actor.user_id for p in people)


async def page_of(tx: Transaction, case_id: int) -> Page | None:
    timer = await tx.timers.latest(page_job(case_id))
    return Page.of(timer.payload) if timer is not None else None


async def end_page(tx: Transaction, case_id: int, now: datetime) -> None:
    """The page is over (answered, or the case closed): it escalates no more, and whom it
    reached need not be kept."""
    await tx.timers.cancel(timer_prefix(case_id), now)
    timer = await tx.timers.latest(page_job(case_id))
    if timer is not None and timer.payload:
        await tx.timers.clear_payload(timer.id)
