"""A bounded memory by key, oldest forgotten first: what an adapter keeps only for a while.

Used for things that are harmless to lose at a restart (which message opened a form,
the card a message showed); it never grows without bound.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, V] = OrderedDict()

    def remember(self, key: str, value: V) -> None:
        if not key:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def get(self, key: str | None) -> V | None:
        return self._items.get(key) if key else None

    def forget(self, key: str | None) -> None:
        if key:
            self._items.pop(key, None)
