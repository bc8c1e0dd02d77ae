"""Messages held until the person says what they are.

A message typed while a draft waits, or while a coordinator's question is open, might
belong there or be something new. It is kept (sealed, like every conversation state) and
the person is asked; their answer decides where it goes. Nothing is filed without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from bot.conversations import DRAFT_TTL
from bot.events import Actor
from dialogs.context import DialogContext

HELD = "held"
Purpose = Literal["draft", "answer"]
HELD_FOR_DRAFT: Purpose = "draft"
HELD_FOR_ANSWER: Purpose = "answer"


class Held:
    def __init__(self, ctx: DialogContext) -> None:
        self.ctx = ctx

    async def hold(
        self,
        actor: Actor,
        purpose: Purpose,
        text: str,
        case_id: int = 0,
        files: Sequence[int] = (),
    ) -> int:
        """Keeps ``text`` (and the ids of files held with it) with what is already held for
        the same question; returns how many messages wait. Another question starts anew."""
        state = await self.ctx.states.get(HELD, actor)
        texts: list[str] = []
        kept: list[int] = []
        if state and state.get("purpose") == purpose and int(state.get("case", 0)) == case_id:
            texts = [str(t) for t in state.get("texts", [])]
            kept = [int(i) for i in state.get("files", [])]
        texts.append(text)
        held = {"purpose": purpose, "case": case_id, "texts": texts, "files": [*kept, *files]}
        await self.ctx.states.put(HELD, actor, held, DRAFT_TTL)
        return len(texts)

    async def files(self, actor: Actor) -> list[int]:
        state = await self.ctx.states.get(HELD, actor)
        return [int(i) for i in state.get("files", [])] if state else []

    async def texts(self, actor: Actor, purpose: Purpose) -> list[str] | None:
        state = await self.ctx.states.get(HELD, actor)
        if not state or state.get("purpose") != purpose:
            return None
        return [str(t) for t in state.get("texts", [])] or None

    async def case_of(self, actor: Actor) -> int | None:
        state = await self.ctx.states.get(HELD, actor)
        return int(state["case"]) if state and state.get("purpose") == HELD_FOR_ANSWER else None

    async def forget(self, actor: Actor) -> None:
        await self.ctx.states.delete(HELD, actor)
