"""A cheap test that rules a regular expression out before it is searched.

Most sentences match few of the many patterns extraction tries. Each pattern's parse tree
tells words that any match must contain ("talks" or "met" for one, "alliance" for another);
when a text (lower-cased) holds none of them, the pattern cannot match and is not searched.
The test never rules out a text the pattern matches: it is derived only from literal ASCII
characters that a match must consume (or that a positive lookaround must see), and a text
holding one of the few characters that case-insensitive matching pairs with an ASCII
letter ("K" with the Kelvin sign) is always searched. Rules are untouched: the same
compiled patterns run on every text that may match.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

Need = frozenset[str] | None  # words one of which every match holds; None: no such words

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def _better(first: Need, second: Need) -> Need:
    """The more selective of two needs: the longer shortest word, then fewer words."""
    if first is None:
        return second
    if second is None:
        return first
    rank = (min(map(len, first)), -len(first))
    return first if rank >= (min(map(len, second)), -len(second)) else second


_RUN = object()  # a run of ASCII literals, joined into one lower-case word


def _pieces(items: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    """The items of a parse tree, each run of ASCII literals joined into one ``(_RUN,
    word)``."""
    run: list[str] = []
    for op, arg in items:
        if op is sre.LITERAL and arg < 128:
            run.append(chr(arg).lower())
            continue
        if run:
            yield _RUN, "".join(run)
            run = []
        yield op, arg
    if run:
        yield _RUN, "".join(run)


def _sequence(items: Iterable[tuple[Any, Any]]) -> Need:
    """The need of a run of items: its best literal run or best single item."""
    best: Need = None
    for op, arg in _pieces(items):
        best = _better(best, frozenset({arg}) if op is _RUN else _item(op, arg))
    return best


def _item(op: Any, arg: Any) -> Need:
    """The need of one item of a parse tree (None when it may match without a word)."""
    if op is sre.SUBPATTERN:
        return _sequence(arg[-1])
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(arg)
    if op is sre.ASSERT:  # a positive lookaround: the text holds its match somewhere
        return _sequence(arg[1])
    if op in _REPEATS:
        return _sequence(arg[2]) if arg[0] >= 1 else None
    if op is sre.BRANCH:
        words: set[str] = set()
        for alternative in arg[1]:
            need = _sequence(alternative)
            if need is None:
                return None
            words |= need
        return frozenset(words)
    return None


@functools.lru_cache(maxsize=4096)
def needed_words(pattern: str, flags: int) -> frozenset[str] | None:
    """Lower-case words one of which every match of the pattern contains, or None when no
    such words are known (the pattern must always be searched)."""
    try:
        tree = sre_parse.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - any parser trouble: no prefilter
        return None
    need = _sequence(list(tree))
    if need is None or any(_weak(word) for word in need):
        return None
    return need


def _all_of(items: Iterable[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every need of a run of items (each must hold): literal runs and items' own needs."""
    needs: list[frozenset[str]] = []
    for op, arg in _pieces(items):
        if op is _RUN:
            needs.append(frozenset({arg}))
        elif op is sre.SUBPATTERN:
            needs += _all_of(arg[-1])
        elif op is sre.ASSERT:
            needs += _all_of(arg[1])
        elif op in _REPEATS and arg[0] >= 1:
            needs += _all_of(arg[2])
        else:
            need = _item(op, arg)
            if need is not None:
                needs.append(need)
    return needs


@functools.lru_cache(maxsize=4096)
def needed_all(pattern: str, flags: int) -> tuple[frozenset[str], ...]:
    """Sets of lower-case words such that every match holds a word of each set (a finer
    test than ``needed_words``); empty when none is known."""
    try:
        tree = sre_parse.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - any parser trouble: no prefilter
        return ()
    needs = {need for need in _all_of(list(tree)) if not any(_weak(w) for w in need)}
    return tuple(sorted(needs, key=lambda n: (-min(map(len, n)), len(n), sorted(n))))


def _weak(word: str) -> bool:
    """A word too common to rule texts out ("", " ", "us", "he")."""
    return not word.strip() or (len(word) < 3 and word.isalnum())


# The only characters outside ASCII that case-insensitive matching pairs with an ASCII
# one, or that lower-case to one: "İ", "ı", "ſ" and the Kelvin sign (tests check this
# against every character).
CASE_TWINS = "\u0130\u0131\u017f\u212a"
_TWIN = re.compile(f"[{CASE_TWINS}]")
# the text last lowered, and its lower-case form (one pair, replaced whole: thread-safe)
_LAST: list[tuple[str, str | None]] = [("", "")]


def plain(text: str) -> bool:
    """Whether lower-casing ``text`` is what case-insensitive matching does to it for ASCII
    letters (no character of ``CASE_TWINS``), so that a prefilter may be used."""
    return text.isascii() or _TWIN.search(text) is None


def any_in(words: frozenset[str], low: str) -> bool:
    """Whether the lower-case text ``low`` holds one of ``words``."""
    for word in words:  # noqa: SIM110 - a plain loop is faster than any() here
        if word in low:
            return True
    return False


def possible(words: frozenset[str] | None, text: str) -> bool:
    """False only when ``text`` holds none of ``words`` (lower-cased, see ``plain``); True
    when ``words`` is None. (``lowered`` and ``any_in`` written out: this runs very often.)"""
    if words is None:
        return True
    last = _LAST[0]
    if last[0] is text:
        low = last[1]
    else:
        low = text.lower() if text.isascii() or _TWIN.search(text) is None else None
        _LAST[0] = (text, low)
    if low is None:
        return True
    for word in words:  # noqa: SIM110 - a plain loop is faster than any() here
        if word in low:
            return True
    return False


class Quick:
    """A compiled pattern with a prefilter, used like the pattern itself: each method gives
    what the pattern's would, without searching a text that cannot match."""

    __slots__ = ("compiled", "words", "pattern", "flags")

    def __init__(self, compiled: re.Pattern[str]) -> None:
        self.compiled = compiled
        self.pattern = compiled.pattern
        self.flags = compiled.flags
        self.words = needed_words(compiled.pattern, compiled.flags)

    def possible(self, text: str) -> bool:
        """False only when the pattern cannot match anywhere in ``text``."""
        return possible(self.words, text)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
               ) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compiled.search(text, pos, endpos) if possible(self.words, text) else None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
              ) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.compiled.match(text, pos, endpos) if possible(self.words, text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.compiled.finditer(text) if possible(self.words, text) else iter(())

    def findall(self, text: str) -> list[Any]:
        """``re.Pattern.findall``."""
        return self.compiled.findall(text) if possible(self.words, text) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        """``re.Pattern.sub``."""
        return self.compiled.sub(repl, text) if possible(self.words, text) else text


def quick(pattern: str, flags: int = 0) -> Quick:
    """``re.compile(pattern, flags)`` with a prefilter."""
    return Quick(re.compile(pattern, flags))


def alternation(words: Sequence[str], fold: bool = False) -> str:
    """A pattern matching what ``"|".join(map(re.escape, words))`` matches, trying the
    words in the same order, as a trie ("Foreign (?:Minister|Secretary)") that the regular
    expression engine runs much faster than a long list.

    The trie tries longer words first, which is the list's order when its words run from
    longest to shortest (of two words that both match at one place, one is a prefix of
    the other); any other list is joined as it is. ``fold``: the pattern is matched
    ignoring case, so ASCII words may share a trie path whatever their case.
    """
    if any(len(a) < len(b) for a, b in zip(words, words[1:], strict=False)) or \
            (fold and not all(w.isascii() for w in words)):
        return "|".join(re.escape(w) for w in words)
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word.lower() if fold else word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _trie_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word ends here: the longer ones first, then this one
        return f"(?:{body})?"
    return body
