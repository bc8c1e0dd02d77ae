"""The last card meldbot showed in each message, so a closed form can give it back."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

CARDS_KEPT = 2000


class CardMemory:
    """A bounded memory (oldest forgotten first); after a restart it starts empty."""

    def __init__(self, size: int = CARDS_KEPT) -> None:
        self._cards: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._size = size

    def remember(self, message_id: str, card: dict[str, Any]) -> None:
        if not message_id:
            return
        self._cards[message_id] = card
        self._cards.move_to_end(message_id)
        while len(self._cards) > self._size:
            self._cards.popitem(last=False)

    def get(self, message_id: str | None) -> dict[str, Any] | None:
        return self._cards.get(message_id) if message_id else None
