"""The taxonomy: topics, their weighted terms and the filters that decide what counts as
discussion, loaded from ``taxonomy.yaml`` (with the word index that makes matching fast)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.errors import DataError
from generator.models import Problem
from generator.support.prefilter import (
    Need,
    any_in,
    needed_all,
    needed_words,
    possible,
)
from generator.support.yamlio import compose_data, load_data

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


UNJOINABLE = re.compile(r"\\\d|\(\?P=|\(\?\(|\(\?[aiLmsux]")  # "\1", "(?P=x)", "(?(1)", "(?i)"


@dataclass(frozen=True)
class Term:
    """A weighted pattern; ``requires``/``unless`` test the whole sentence."""

    pattern: re.Pattern[str]
    weight: int = 1
    requires: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    covers: str = ""
    terms: tuple[Term, ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    threshold: int = 2

    @cached_property
    def any_term(self) -> re.Pattern[str] | None:
        """One pattern matching wherever some term's pattern matches (None when the terms
        cannot be joined: a group reference, an inline flag, mixed flags)."""
        flags = {term.pattern.flags for term in self.terms}
        sources = [term.pattern.pattern for term in self.terms]
        if len(flags) != 1 or any(UNJOINABLE.search(p) for p in sources):
            return None
        try:
            return re.compile("|".join(f"(?:{p})" for p in sources), flags.pop())
        except re.error:
            return None

    @cached_property
    def _needs(self) -> tuple[tuple[Need, ...], Need, tuple[tuple[Need, Need, Need], ...]]:
        """Words each pattern needs (see ``prefilter``): excludes, ``any_term``, terms."""
        return (tuple(_need(p) for p in self.exclude), _need(self.any_term),
                tuple((_need(t.pattern), _need(t.requires), _need(t.unless))
                      for t in self.terms))

    def score(self, text: str) -> int:
        """The weight of this topic's terms in one sentence (each term counted once)."""
        excludes, any_words, term_words = self._needs
        for pattern, words in zip(self.exclude, excludes, strict=True):
            if possible(words, text):
                text = pattern.sub(" ", text)
        if self.any_term is not None and not (possible(any_words, text) and
                                              self.any_term.search(text)):
            return 0
        total = 0
        for term, (words, required, unless) in zip(self.terms, term_words, strict=True):
            if not possible(words, text) or not term.pattern.search(text):
                continue
            if term.requires and not (possible(required, text) and term.requires.search(text)):
                continue
            if term.unless and possible(unless, text) and term.unless.search(text):
                continue
            total += term.weight
        return total


def _need(pattern: re.Pattern[str] | None) -> Need:
    return None if pattern is None else needed_words(pattern.pattern, pattern.flags)


Conj = tuple[frozenset[str], ...]  # each set must have a word in the text (see prefilter)


def conjunction(pattern: re.Pattern[str] | None) -> Conj:
    return () if pattern is None else needed_all(pattern.pattern, pattern.flags)


def holds_all(conj: Conj, low: str) -> bool:
    return all(any_in(need, low) for need in conj)


@dataclass(frozen=True)
class _Index:
    """Which patterns of which topics may match a text, by the words the text holds."""

    words: tuple[str, ...]  # every word some pattern is looked up by
    by_word: dict[str, tuple[tuple[int, int], ...]]  # word -> (topic, term or -1: exclude)
    always: tuple[tuple[int, int], ...]  # patterns that need no word
    needs: dict[tuple[int, int], Conj]

    @classmethod
    def build(cls, topics: Sequence[Topic]) -> _Index:
        by_word: dict[str, list[tuple[int, int]]] = {}
        always: list[tuple[int, int]] = []
        needs: dict[tuple[int, int], Conj] = {}
        for n, topic in enumerate(topics):
            spots = [((n, -1), conjunction(p)) for p in topic.exclude]
            spots += [((n, m), conjunction(t.pattern)) for m, t in enumerate(topic.terms)]
            for spot, conj in spots:
                # two excludes share a spot: no test beyond the words of either
                needs[spot] = () if spot in needs or not conj else conj
                if not conj:
                    always.append(spot)
                    continue
                for word in conj[0]:
                    by_word.setdefault(word, []).append(spot)
        return cls(tuple(sorted(by_word)), {w: tuple(v) for w, v in by_word.items()},
                   tuple(always), needs)

    def candidates(self, low: str) -> dict[int, list[int]]:
        """Topic -> its patterns (term numbers, -1 for an exclude) that may match."""
        spots = set(self.always)
        for word in self.words:
            if word in low:
                spots.update(self.by_word[word])
        found: dict[int, list[int]] = {}
        for topic, term in sorted(spots):
            if holds_all(self.needs.get((topic, term), ()), low):
                found.setdefault(topic, []).append(term)
        return found


@dataclass(frozen=True)
class Taxonomy:
    """The topics, with the sentence filters that decide what counts as discussion."""

    topics: tuple[Topic, ...]
    cues: tuple[re.Pattern[str], ...] = ()
    skip: tuple[re.Pattern[str], ...] = ()
    skip_after: tuple[re.Pattern[str], ...] = ()

    @functools.cached_property
    def ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.topics)

    @functools.cached_property
    def filters(self) -> tuple[tuple[tuple[re.Pattern[str], Need], ...], ...]:
        """``skip_after``, ``skip`` and ``cues``, each pattern with the words it needs."""
        return tuple(tuple((p, _need(p)) for p in patterns)
                     for patterns in (self.skip_after, self.skip, self.cues))

    @functools.cached_property
    def index(self) -> _Index:
        """The topics' patterns by the words they need (see ``prefilter``)."""
        return _Index.build(self.topics)

    @functools.cached_property
    def _titles(self) -> dict[str, str]:
        titles: dict[str, str] = {}
        for t in self.topics:
            titles.setdefault(t.id, t.title)
        return titles

    def title(self, topic_id: str) -> str:
        """The display title of ``topic_id`` (the id itself when unknown)."""
        return self._titles.get(topic_id, topic_id)


def load_taxonomy(path: Path) -> Taxonomy:
    """Load a taxonomy data file.

    Raises:
        DataError: unreadable file, bad YAML, a duplicate or malformed id, a bad pattern
            (every problem, each with its line).
    """
    try:
        text = path.read_text(encoding="utf-8")
        root = compose_data(text)
        data = load_data(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError([Problem(str(path), f"cannot read taxonomy: {err}")]) from err
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise DataError([Problem(str(path), "expected a mapping with a `topics` list", 1)])
    problems: list[Problem] = []
    lines = _item_lines(root, "topics")
    topics: list[Topic] = []
    for entry, line in zip(data["topics"], lines, strict=False):
        topic = _topic(entry, str(path), line, problems)
        if topic and topic.id in {t.id for t in topics}:
            problems.append(Problem(str(path), f"duplicate topic id {topic.id!r}", line))
        elif topic:
            topics.append(topic)
    lists = [_patterns(data.get(key) or [], str(path), key, problems)
             for key in ("discussion_cues", "skip_sentences", "skip_after")]
    if problems:
        raise DataError(problems)
    return Taxonomy(tuple(topics), *lists)


def _item_lines(root: yaml.Node | None, key: str) -> list[int]:
    for k, v in getattr(root, "value", []) or []:
        if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _compile(raw: Any, where: str, path: str, problems: list[Problem],
             line: int | None = None) -> re.Pattern[str] | None:
    try:
        return re.compile(str(raw), re.IGNORECASE)
    except re.error as err:
        problems.append(Problem(path, f"{where}: bad pattern {raw!r}: {err}", line))
        return None


def _patterns(raw: Any, path: str, key: str,
              problems: list[Problem]) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, list):
        problems.append(Problem(path, f"{key}: expected a list of patterns"))
        return ()
    compiled = [_compile(p, key, path, problems) for p in raw]
    return tuple(p for p in compiled if p)


def _topic(entry: Any, path: str, line: int, problems: list[Problem]) -> Topic | None:
    if not isinstance(entry, dict) or not entry.get("id") or not entry.get("title"):
        problems.append(Problem(path, "topic: expected a mapping with `id` and `title`", line))
        return None
    topic_id = str(entry["id"])
    if not ID.match(topic_id):
        problems.append(Problem(path, f"topic id {topic_id!r}: use lower-case words and "
                                      "hyphens", line))
    terms = []
    for raw in entry.get("terms") or []:
        spec = raw if isinstance(raw, dict) else {"pattern": raw}
        where = f"{topic_id}: terms"
        pattern = _compile(spec.get("pattern", ""), where, path, problems, line)
        requires = spec.get("requires")
        unless = spec.get("unless")
        term = Term(pattern, int(spec.get("weight", 1)),
                    _compile(requires, where, path, problems, line) if requires else None,
                    _compile(unless, where, path, problems, line) if unless else None
                    ) if pattern else None
        if term:
            terms.append(term)
    exclude = tuple(p for p in (_compile(x, f"{topic_id}: exclude", path, problems, line)
                                for x in entry.get("exclude") or []) if p)
    return Topic(topic_id, str(entry["title"]), str(entry.get("covers", "")), tuple(terms),
                 exclude, int(entry.get("threshold", 2)))
