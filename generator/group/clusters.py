"""Which reports are of the same meeting: principals, dates, places and formats that agree,
gathered by complete linkage (an item joins a meeting only if it fits every report in it)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from generator.extract.dates import DATE_BASES
from generator.extract.places import RANK_MENTIONED, same_place
from generator.extract.principals import MIN_PRINCIPALS
from generator.knowledge.places import Gazetteer
from generator.models import (
    ArticleFacts,
    MeetingFacts,
    NearDuplicate,
)

# rapidfuzz ratio for the one misspelt word of two names that agree on every other word
# (one letter off in a 7-letter word scores 85.7). Looser than the people directory's
# ``FUZZY_CUTOFF`` on purpose: the rest of the name already matches, word for word.
NAME_MATCH = 85
MIN_FUZZY = 5  # shorter words must be spelt the same
MOSTLY_SHARED = 0.5  # share of two reports' principals in common that makes them one group
DAY_SLACK = 1  # days two reports' dates may differ when one is loose (a call, a page date)


@dataclass(frozen=True)
class Item:
    """One article's report of one meeting."""

    article: str
    facts: MeetingFacts
    names: frozenset[str]


def person_key(name: str) -> str:
    """A spelling-independent key for a person's name (tokens sorted, accents dropped)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(sorted(t for t in re.findall(r"[a-z]+", text) if len(t) > 1))


def item_of(article: str, facts: MeetingFacts, canon: dict[str, str] | None = None) -> Item:
    keys = (person_key(p.name) for p in facts.participants)
    return Item(article, facts, frozenset((canon or {}).get(k, k) for k in keys))


def similar_keys(a: str, b: str) -> bool:
    """Two name keys that differ by one misspelled word ("jaishanker" / "jaishankar")."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or a == b:
        return a == b
    differ = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return len(differ) == 1 and min(len(differ[0][0]), len(differ[0][1])) >= MIN_FUZZY and \
        fuzz.ratio(*differ[0]) >= NAME_MATCH


def canonical_names(facts: Sequence[ArticleFacts]) -> dict[str, str]:
    """Each name key -> the most reported spelling of the same name."""
    counts = Counter(person_key(p.name) for f in facts for m in f.meetings
                     for p in m.participants)
    canon: dict[str, str] = {}
    chosen: list[str] = []
    for key in sorted(counts, key=lambda k: (-counts[k], k)):
        match = next((c for c in chosen if similar_keys(key, c)), None)
        canon[key] = match or key
        if match is None:
            chosen.append(key)
    return canon


def same_people(a: frozenset[str], b: frozenset[str]) -> bool:
    """Principals that can be one meeting's: 2+ shared, nested or mostly shared."""
    shared = len(a & b)
    return shared >= MIN_PRINCIPALS and (a <= b or b <= a or shared / len(a | b) >= MOSTLY_SHARED)


def compatible(a: Item, b: Item, places: Gazetteer, duplicates: bool) -> bool:
    """Whether two reports can be of the same meeting."""
    if a.article == b.article or not same_people(a.names, b.names):
        return False
    if a.facts.format != b.facts.format and not duplicates:
        return False
    if duplicates:
        return True
    return _dates_agree(a.facts, b.facts) and _places_agree(a.facts, b.facts, places)


def _dates_agree(a: MeetingFacts, b: MeetingFacts) -> bool:
    if not (a.date and b.date and a.date.value and b.date.value):
        return True
    gap = abs((a.date.value - b.date.value).days)
    loose = a.format != "in_person" or "publication-date" in (a.date.basis, b.date.basis)
    return gap == 0 or (loose and gap <= DAY_SLACK)


def _places_agree(a: MeetingFacts, b: MeetingFacts, places: Gazetteer) -> bool:
    if a.country and b.country and min(a.place_rank, b.place_rank) >= RANK_MENTIONED:
        if a.country != b.country:
            return False
        if a.location and b.location:
            return same_place(a.location.city, b.location.city, places)
    return True


def affinity(item: Item, members: Sequence[Item], dups: set[str],
             places: Gazetteer) -> tuple[int, int, int, int]:
    """How well an item fits a cluster: near duplicates, same city, same weekday, people."""
    same_city = 0
    weekday = 0
    for other in members:
        a, b = item.facts, other.facts
        if a.location and b.location:
            agree = same_place(a.location.city, b.location.city, places)
            same_city += min(a.place_rank, b.place_rank) * (1 if agree else -1)
        if a.date and a.date.value is None and a.date.weekday is not None and b.date and \
                b.date.value is not None:
            weekday += 1 if b.date.value.weekday() == a.date.weekday else -1
    shared = max(len(item.names & o.names) for o in members)
    return sum(o.article in dups for o in members), same_city, weekday, shared


def _day(item: Item) -> dt.date | None:
    date = item.facts.date
    return date.value if date is not None else None


@dataclass
class _Blocks:
    """Clusters by person, and by person and day: an item is only compared with clusters
    that could take it, so a person in thousands of meetings does not make grouping
    quadratic.

    A cluster can take a dated item only if each member shares two people with it and
    is dated within a day of it, undated, or its near duplicate; so each such cluster has
    a member named like the item that is dated within a day, or undated, or a near
    duplicate. Undated items are compared with every cluster sharing a person.
    """

    by_person: dict[str, set[int]]
    by_day: dict[tuple[str, dt.date], set[int]]
    undated: dict[str, set[int]]
    by_article: dict[str, set[int]]

    def options(self, item: Item, dups: set[str]) -> list[int]:
        day = _day(item)
        if day is None:
            return sorted({c for n in item.names for c in self.by_person.get(n, ())})
        found: set[int] = set()
        for name in item.names:
            found.update(self.undated.get(name, ()))
            for delta in range(-DAY_SLACK, DAY_SLACK + 1):
                found.update(self.by_day.get((name, day + dt.timedelta(days=delta)), ()))
        for dup in dups:
            found.update(self.by_article.get(dup, ()))
        return sorted(found)

    def add(self, item: Item, index: int) -> None:
        day = _day(item)
        self.by_article.setdefault(item.article, set()).add(index)
        for name in item.names:
            self.by_person.setdefault(name, set()).add(index)
            if day is None:
                self.undated.setdefault(name, set()).add(index)
            else:
                self.by_day.setdefault((name, day), set()).add(index)


def cluster(items: Sequence[Item], near: dict[str, tuple[NearDuplicate, ...]],
            places: Gazetteer) -> list[list[Item]]:
    """Complete-linkage clusters; items with a known date seed clusters first."""
    ordered = sorted(items, key=lambda i: (i.facts.secondary, date_rank(i.facts), i.article))
    clusters: list[list[Item]] = []
    blocks = _Blocks({}, {}, {}, {})
    for item in ordered:
        dups = {d.id for d in near.get(item.article, ())}
        fits = [c for c in blocks.options(item, dups)
                if all(compatible(item, other, places, other.article in dups)
                       for other in clusters[c])]
        if fits:
            best = max(fits, key=lambda c: (*affinity(item, clusters[c], dups, places), -c))
            clusters[best].append(item)
        else:
            clusters.append([item])
            best = len(clusters) - 1
        blocks.add(item, best)
    return clusters


def date_rank(facts: MeetingFacts) -> int:
    if facts.date and facts.date.value and facts.date.basis in DATE_BASES:
        return DATE_BASES.index(facts.date.basis)
    return len(DATE_BASES)
