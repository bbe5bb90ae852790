"""Bounded caches for the pure functions extraction calls again and again on one text.

One article's sentences are searched many times over (for everyone in it, for each side
meeting, for the principals of each meeting, once more with roles of another day); what a
function finds in one sentence's text depends only on that text and the data it searches
with, so it is worked out once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

MEMO_SIZE = 1 << 16  # entries one cache keeps before it starts afresh

D = TypeVar("D")
V = TypeVar("V")


class TextMemo(Generic[D, V]):
    """The results of ``compute(owner, text)``, the owner (a data object) compared by
    identity so that no large object is hashed on each call."""

    def __init__(self, compute: Callable[[D, str], V], size: int = MEMO_SIZE) -> None:
        self._compute = compute
        self._size = size
        self._data: dict[tuple[int, str], tuple[D, V]] = {}

    def __call__(self, owner: D, text: str) -> V:
        """``compute(owner, text)``, worked out once per owner and text."""
        key = (id(owner), text)
        hit = self._data.get(key)
        if hit is not None and hit[0] is owner:
            return hit[1]
        value = self._compute(owner, text)
        if len(self._data) >= self._size:
            self._data.clear()
        self._data[key] = (owner, value)
        return value

    def clear(self) -> None:
        """Forget every result."""
        self._data.clear()
