"""Bounded caches for the pure functions extraction calls again and again on one text.

One article's sentences are searched many times over (for everyone in it, for each side
meeting, for the principals of each meeting, once more with roles of another day); what a
function finds in one sentence's text depends only on that text and the data it searches
with, so it is worked out once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
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


class RecentMemo(Generic[V]):
    """The results of one pure function for the last few sets of arguments (one article's
    meetings are read twice, with roles of two days, and much of that does not depend on
    roles). ``key`` holds the arguments' values or the ids of data objects, which are
    given as ``owners`` and compared by identity."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._data: dict[Hashable, tuple[tuple[object, ...], V]] = {}

    def __call__(self, key: Hashable, owners: tuple[object, ...], compute: Callable[[], V]) -> V:
        """``compute()``, or its result for the same key and owners if remembered."""
        hit = self._data.get(key)
        if hit is not None and len(hit[0]) == len(owners) and all(
                a is b for a, b in zip(hit[0], owners, strict=True)):
            return hit[1]
        value = compute()
        if len(self._data) >= self._size:
            self._data.clear()
        self._data[key] = (owners, value)
        return value
