"""Which message opened which modal, so a submission can replace that message.

Kept in memory and bounded: after a restart (or on another instance) a submission
simply does not replace anything, which is harmless.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.events import MessageRef

REMEMBERED = 1000


class Openers:
    def __init__(self, size: int = REMEMBERED) -> None:
        self._size = size
        self._refs: OrderedDict[str, MessageRef] = OrderedDict()

    def remember(self, view_id: str, message: MessageRef) -> None:
        self._refs[view_id] = message
        self._refs.move_to_end(view_id)
        while len(self._refs) > self._size:
            self._refs.popitem(last=False)

    def get(self, view_id: str | None) -> MessageRef | None:
        return self._refs.get(view_id) if view_id else None

    def forget(self, view_id: str | None) -> None:
        if view_id:
            self._refs.pop(view_id, None)
