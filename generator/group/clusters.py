"""Which reports are of the same meeting: principals, dates, places and formats that agree,
gathered by complete linkage (an item joins a meeting only if it fits every report in it)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from generator.extract.dates import DATE_BASES
from generator.extract.places import RANK_MENTIONED, same_place
from generator.extract.principals import MIN_PRINCIPALS
from generator.knowledge.places import Gazetteer
from generator.models import (
    ArticleFacts,
    MeetingFacts,
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


def affinity(item: Item, members: Sequence[tuple[Item, int]], group: str,
             groups: Sequence[str], places: Gazetteer) -> tuple[int, int, int, int]:
    """How well an item fits a cluster: near copies, same city, same weekday, people.

    ``members`` are the cluster's distinct kinds of report with how many there are, and
    ``groups`` the near-copy cluster of each (``group`` is the item's)."""
    same_city = 0
    weekday = 0
    for other, count in members:
        a, b = item.facts, other.facts
        if a.location and b.location:
            agree = same_place(a.location.city, b.location.city, places)
            same_city += count * min(a.place_rank, b.place_rank) * (1 if agree else -1)
        if a.date and a.date.value is None and a.date.weekday is not None and b.date and \
                b.date.value is not None:
            weekday += count * (1 if b.date.value.weekday() == a.date.weekday else -1)
    shared = max(len(item.names & o.names) for o, _ in members)
    copies = sum(count for (_, count), g in zip(members, groups, strict=True) if g == group)
    return copies, same_city, weekday, shared


def report_kind(item: Item, group: str) -> tuple[object, ...]:
    """What grouping reads of a report (besides its article): two reports alike in these
    fit and rank alike, so a meeting compares a new report with each kind once."""
    facts, date, where = item.facts, item.facts.date, item.facts.location
    return (group, item.names, facts.format, date is None,
            *((date.value, date.basis, date.weekday) if date else (None, None, None)),
            where.city if where else None, facts.country, facts.place_rank)


@dataclass
class _Meeting:
    """One cluster's reports, and each distinct kind of them once with how many there are:
    a story's near copies report alike, so its 20,000 copies are compared as one (compared
    one by one, grouping was quadratic in them)."""

    items: list[Item]
    kinds: dict[tuple[object, ...], tuple[Item, int]]
    articles: set[str]

    def admits(self, item: Item, group: str, places: Gazetteer) -> bool:
        """Whether the item fits every report (complete linkage)."""
        return item.article not in self.articles and all(
            compatible(item, other, places, kind[0] == group)
            for kind, (other, _) in self.kinds.items())

    def affinity(self, item: Item, group: str, places: Gazetteer) -> tuple[int, int, int, int]:
        groups = [str(kind[0]) for kind in self.kinds]
        return affinity(item, list(self.kinds.values()), group, groups, places)

    def add(self, item: Item, group: str) -> None:
        self.items.append(item)
        self.articles.add(item.article)
        kind = report_kind(item, group)
        first, count = self.kinds.get(kind, (item, 0))
        self.kinds[kind] = (first, count + 1)


def _day(item: Item) -> dt.date | None:
    date = item.facts.date
    return date.value if date is not None else None


@dataclass
class _Blocks:
    """Clusters by person, and by person and day: an item is only compared with clusters
    that could take it, so a person in thousands of meetings does not make grouping
    quadratic.

    A cluster can take a dated item only if each member shares two people with it and
    is dated within a day of it, undated, or its near copy; so each such cluster has
    a member named like the item that is dated within a day, or undated, or a near
    copy. Undated items are compared with every cluster sharing a person.
    """

    by_person: dict[str, set[int]]
    by_day: dict[tuple[str, dt.date], set[int]]
    undated: dict[str, set[int]]
    by_group: dict[str, set[int]]

    def options(self, item: Item, group: str) -> list[int]:
        day = _day(item)
        if day is None:
            return sorted({c for n in item.names for c in self.by_person.get(n, ())})
        found: set[int] = set()
        for name in item.names:
            found.update(self.undated.get(name, ()))
            for delta in range(-DAY_SLACK, DAY_SLACK + 1):
                found.update(self.by_day.get((name, day + dt.timedelta(days=delta)), ()))
        found.update(self.by_group.get(group, ()))
        return sorted(found)

    def add(self, item: Item, index: int, group: str) -> None:
        day = _day(item)
        self.by_group.setdefault(group, set()).add(index)
        for name in item.names:
            self.by_person.setdefault(name, set()).add(index)
            if day is None:
                self.undated.setdefault(name, set()).add(index)
            else:
                self.by_day.setdefault((name, day), set()).add(index)


def cluster(items: Sequence[Item], groups: Mapping[str, str],
            places: Gazetteer) -> list[list[Item]]:
    """Complete-linkage clusters; items with a known date seed clusters first.

    ``groups`` names each article's cluster of near copies (an article not in it has
    none): reports in one cluster are near copies of each other, strong evidence that they
    report one meeting."""
    ordered = sorted(items, key=lambda i: (i.facts.secondary, date_rank(i.facts), i.article))
    meetings: list[_Meeting] = []
    blocks = _Blocks({}, {}, {}, {})
    for item in ordered:
        group = groups.get(item.article, item.article)
        fits = [c for c in blocks.options(item, group) if meetings[c].admits(item, group, places)]
        if fits:
            best = max(fits, key=lambda c: (*meetings[c].affinity(item, group, places), -c))
        else:
            meetings.append(_Meeting([], {}, set()))
            best = len(meetings) - 1
        meetings[best].add(item, group)
        blocks.add(item, best, group)
    return [m.items for m in meetings]


def date_rank(facts: MeetingFacts) -> int:
    if facts.date and facts.date.value and facts.date.basis in DATE_BASES:
        return DATE_BASES.index(facts.date.basis)
    return len(DATE_BASES)
