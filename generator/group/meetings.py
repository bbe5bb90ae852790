"""Grouping: the meetings many articles report, merged into one record each.

Two reports are of the same meeting when their principals overlap (two people at least,
one set inside the other or most of them shared), their dates agree (a call may differ by
a day across time zones), and their format and place do not contradict each other. Being
near duplicates of each other is strong evidence. Clusters are complete-linkage: an item
joins a meeting only if it is compatible with every report already in it, so two meetings
on one day in one city with different counterparts stay two.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from generator.extract.dates import DATE_BASES
from generator.extract.places import same_place
from generator.group.near_duplicates import find_near_duplicates
from generator.ingest.shingles import Sketch
from generator.knowledge.people import PeopleDirectory
from generator.knowledge.places import Gazetteer
from generator.models import (
    ArticleFacts,
    ArticleRecord,
    Evidence,
    MeetingFacts,
    MeetingRecord,
    NearDuplicate,
    Participant,
    Quote,
    QuoteVariant,
)
from generator.support.slugs import slugify, unique_slug

if TYPE_CHECKING:
    from generator.knowledge import KnowledgeBase

SETTING_ORDER = ("2+2", "trilateral", "multilateral", "sidelines", "standalone")
QUOTE_MATCH = 90
OUTCOME_MATCH = 80  # token-set similarity of two outcome sentences saying the same
NAME_MATCH = 85  # rapidfuzz ratio for one misspelled word of a name
MIN_FUZZY = 5  # shorter words must be spelt the same
CALL_DATE_COUNTRY = "JP"  # calls with Japan are dated in Japanese time
TITLE_SKIP = frozenset({"in", "the"})


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


def _item(article: str, facts: MeetingFacts, canon: dict[str, str] | None = None) -> Item:
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
    return shared >= 2 and (a <= b or b <= a or shared / len(a | b) >= 0.5)


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
    return gap == 0 or (loose and gap == 1)


def _places_agree(a: MeetingFacts, b: MeetingFacts, places: Gazetteer) -> bool:
    if a.country and b.country and min(a.place_rank, b.place_rank) >= 2:
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
            for delta in (-1, 0, 1):
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
    ordered = sorted(items, key=lambda i: (i.facts.secondary, _date_rank(i.facts), i.article))
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


def _date_rank(facts: MeetingFacts) -> int:
    if facts.date and facts.date.value and facts.date.basis in DATE_BASES:
        return DATE_BASES.index(facts.date.basis)
    return len(DATE_BASES)


def merge_date(items: Sequence[Item]) -> tuple[MeetingFacts | None, str]:
    """The report whose date is best supported, and the date basis for the meeting."""
    dated = [i for i in items if i.facts.date and i.facts.date.value]
    if not dated:
        return None, "unknown"
    votes = Counter(i.facts.date.value for i in dated if i.facts.date)
    best = min(dated, key=lambda i: (_date_rank(i.facts),
                                     -votes[i.facts.date.value if i.facts.date else None],
                                     i.article))
    if best.facts.format != "in_person" and _involves(items, CALL_DATE_COUNTRY):
        # Tokyo is a day ahead of Washington or Europe: of two adjacent dates reported for
        # a call with Japan, the later one is the Japanese date (as MOFA gives it).
        best = max(dated, key=lambda i: (i.facts.date.value if i.facts.date else dt.date.min,
                                         -_date_rank(i.facts), i.article))
    basis = best.facts.date.basis if best.facts.date else "unknown"
    return best.facts, basis


def _involves(items: Sequence[Item], country: str) -> bool:
    return any(p.country == country for i in items for p in i.facts.participants)


def merge_place(items: Sequence[Item], fmt: str) -> MeetingFacts | None:
    """The report whose city is best supported (none for a call)."""
    if fmt != "in_person":
        return None
    placed = [i for i in items if i.facts.location]
    if not placed:
        return None
    votes = Counter(i.facts.location.city for i in placed if i.facts.location)
    return max(placed, key=lambda i: (i.facts.place_rank,
                                      votes[i.facts.location.city if i.facts.location else ""],
                                      -items.index(i))).facts


def merge_setting(items: Sequence[Item]) -> tuple[str, str | None]:
    """The most reported specific setting (standalone only if none), and its occasion."""
    votes = Counter(i.facts.setting for i in items if i.facts.setting != "standalone")
    if not votes:
        return "standalone", None
    setting = min(votes, key=lambda s: (-votes[s], SETTING_ORDER.index(s)))
    names = Counter(i.facts.occasion for i in items
                    if i.facts.setting == setting and i.facts.occasion)
    occasion = min(names, key=lambda n: (-names[n], -len(n), n)) if names else None
    return setting, occasion


def merge_quotes(items: Sequence[Item]) -> tuple[Quote, ...]:
    """Quotes of every report; near-identical wordings merge, listing every source and
    keeping each other wording as a variant."""
    merged: list[tuple[str, str | None, set[str], dict[str, str]]] = []
    for item in sorted(items, key=lambda i: i.article):
        for quote in item.facts.quotes:
            match = next((m for m in merged if fuzz.ratio(m[0], quote.text) >= QUOTE_MATCH), None)
            if match is None:
                merged.append((quote.text, quote.speaker, {item.article}, {}))
                continue
            match[2].add(item.article)
            if _wording(quote.text) != _wording(match[0]):
                match[3].setdefault(item.article, quote.text)
    return tuple(sorted((Quote(text, speaker, tuple(sorted(sources)),
                               tuple(QuoteVariant(t, a) for a, t in sorted(variants.items())))
                         for text, speaker, sources, variants in merged), key=lambda q: q.text))


def _wording(text: str) -> str:
    """A quote's words, without the closing punctuation sources add or drop."""
    return text.strip().rstrip(".,;:!?\"'’”").casefold()


def merge_outcomes(items: Sequence[Item]) -> tuple[Evidence, ...]:
    """Outcome sentences of every report, in source order; a sentence another source
    already gave in other words (a copy or close paraphrase) is given once."""
    kept: list[Evidence] = []
    every = sorted({e for i in items for e in i.facts.outcomes},
                   key=lambda e: (e.article, e.line, e.text))
    for outcome in every:
        if not any(fuzz.token_set_ratio(outcome.text, k.text) >= OUTCOME_MATCH for k in kept):
            kept.append(outcome)
    return tuple(kept)


def merge_duration(items: Sequence[Item]) -> MeetingFacts | None:
    """The report of the duration most reports give (None when none gives one)."""
    timed = [i for i in items if i.facts.duration_minutes]
    if not timed:
        return None
    votes = Counter(i.facts.duration_minutes for i in timed)
    return min(timed, key=lambda i: (-votes[i.facts.duration_minutes], i.article)).facts


def merge_summary(items: Sequence[Item], dated: MeetingFacts | None) -> tuple[Evidence, ...]:
    """The lead sentences of the best-dated report, else of the first report with a lead."""
    if dated is not None and dated.summary:
        return dated.summary
    return next((i.facts.summary for i in sorted(items, key=lambda i: i.article)
                 if i.facts.summary), ())


def merge_participants(items: Sequence[Item], hubs: Counter[str],
                       canon: dict[str, str] | None = None) -> tuple[Participant, ...]:
    """Every principal once, under the spelling most reports use (a misspelt name counts
    as that spelling); the most-met person first, then by name."""
    reports: dict[str, list[Participant]] = {}
    for item in sorted(items, key=lambda i: i.article):
        for person in item.facts.participants:
            key = person_key(person.name)
            reports.setdefault((canon or {}).get(key, key), []).append(
                Participant(person.name, person.role, person.country))
    merged = []
    for key, found in reports.items():
        names = Counter(p.name for p in found)
        name = min(names, key=lambda n: (-names[n], n))
        role = next((p.role for p in found if p.name == name and p.role),
                    next((p.role for p in found if p.role), None))
        country = next((p.country for p in found if p.country), None)
        merged.append((key, Participant(name, role, country)))
    return tuple(p for _, p in sorted(merged, key=lambda kp: (-hubs[kp[0]], kp[1].name)))


def family_name(name: str, people: PeopleDirectory) -> str:
    """The family name as the directory knows it ("Wang" for Wang Yi), else the last word."""
    person = people.lookup(name)
    return person.family if person else name.split()[-1]


def meeting_title(participants: Sequence[Participant], setting: str, fmt: str,
                  city: str | None, places: Gazetteer, people: PeopleDirectory) -> str:
    """A plain-text title: "Hayashi–Blinken meeting in Melbourne", "Japan–U.S. 2+2 ..."."""
    if setting == "2+2" or len(participants) > 3:
        countries = list(dict.fromkeys(p.country for p in participants if p.country))
        head = "–".join(places.short_name(c) for c in countries)
        kind = "2+2" if setting == "2+2" else f"{setting} meeting"
    else:
        head = "–".join(family_name(p.name, people) for p in participants)
        kind = {"phone": "phone call", "video": "video call"}.get(fmt, "meeting")
    title = f"{head} {kind}".strip()
    return f"{title} in {city}" if city and fmt == "in_person" else title


def meeting_evidence(items: Sequence[Item], chosen: Sequence[MeetingFacts | None],
                     participants: Sequence[Participant], topics: Sequence[str],
                     ) -> tuple[Evidence, ...]:
    """Evidence for date, place, format, setting, occasion, participants and each topic."""
    found: set[Evidence] = set()
    for facts in chosen:
        if facts is not None:
            found.update(e for e in facts.evidence if e.field in ("date", "location"))
    keys = {person_key(p.name) for p in participants}
    for item in items:
        found.update(e for e in item.facts.evidence
                     if e.field in ("format", "setting", "occasion"))
        for person in item.facts.participants:
            if person_key(person.name) in keys:
                found.add(Evidence("participants", person.evidence.article,
                                   person.evidence.line, person.evidence.text))
        for topic in item.facts.topics:
            if topic.topic in topics:
                found.update(Evidence(f"topics.{topic.topic}", e.article, e.line, e.text)
                             for e in topic.evidence)
    return tuple(sorted(found, key=lambda e: (e.field, e.article, e.line, e.text)))


def build_meeting(items: Sequence[Item], hubs: Counter[str], places: Gazetteer,
                  people: PeopleDirectory, canon: dict[str, str] | None = None,
                  ) -> MeetingRecord:
    """One meeting record from the reports of one cluster (id filled in later)."""
    formats = Counter(i.facts.format for i in items)
    fmt = min(formats, key=lambda f: (-formats[f], f == "in_person", f))
    dated, basis = merge_date(items)
    placed = merge_place(items, fmt)
    setting, occasion = merge_setting(items)
    participants = merge_participants(items, hubs, canon)
    topics = tuple(sorted({t.topic for i in items for t in i.facts.topics}))
    location = placed.location if placed else None
    outcomes = merge_outcomes(items)
    timed = merge_duration(items)
    return MeetingRecord(
        id="", title=meeting_title(participants, setting, fmt,
                                   location.city if location else None, places, people),
        date=dated.date.value if dated and dated.date else None, date_basis=basis,
        location=location, format=fmt, setting=setting, occasion=occasion,
        participants=participants, topics=topics,
        sources=tuple(sorted({i.article for i in items})), quotes=merge_quotes(items),
        outcomes=outcomes,
        evidence=tuple(sorted({*meeting_evidence(items, (dated, placed), participants, topics),
                               *([timed.duration_evidence] if timed and timed.duration_evidence
                                 else [])}, key=lambda e: (e.field, e.article, e.line, e.text))),
        duration_minutes=timed.duration_minutes if timed else None,
        summary=merge_summary(items, dated))


def assign_ids(meetings: Sequence[MeetingRecord]) -> list[str]:
    """Stable unique ids, in the order given: ``YYYY-MM-DD-<slug>`` or ``undated-<slug>``.

    Clashing ids get ``-2``, ``-3`` in the order of (date, title, sources).
    """
    ids = [""] * len(meetings)
    used: set[str] = set()
    order = sorted(range(len(meetings)), key=lambda k: (str(meetings[k].date), meetings[k].title,
                                                        meetings[k].sources))
    for index in order:
        meeting = meetings[index]
        day = meeting.date.isoformat() if meeting.date else "undated"
        title = slugify(meeting.title, skip=TITLE_SKIP, fallback="meeting", limit=80)
        ids[index] = unique_slug(f"{day}-{title}", used)
    return ids


def group_articles(facts: Sequence[ArticleFacts], kb: KnowledgeBase,
                   sketches: Mapping[str, Sketch] | None = None,
                   ) -> tuple[tuple[MeetingRecord, ...], tuple[ArticleRecord, ...]]:
    """Group the reports of many articles into meetings.

    Args:
        facts: what extraction found in each article.
        kb: the knowledge base (places are used to compare cities, names for titles).
        sketches: the articles' near-duplicate sketches, when already computed.

    Returns:
        Meeting records sorted by id, and one article record per article sorted by id;
        an article's ``meetings`` list its main meeting first.
    """
    near = find_near_duplicates([f.article for f in facts], sketches)
    canon = canonical_names(facts)
    items = [_item(f.article.id, m, canon) for f in facts for m in f.meetings]
    clusters = cluster(items, near, kb.places)
    hubs: Counter[str] = Counter(n for c in clusters for n in {n for i in c for n in i.names})
    drafts = [build_meeting(c, hubs, kb.places, kb.people, canon) for c in clusters]
    ids = assign_ids(drafts)
    meetings = [replace(draft, id=ident) for draft, ident in zip(drafts, ids, strict=True)]
    owner = {id(item.facts): ident for members, ident in zip(clusters, ids, strict=True)
             for item in members}
    articles = [_article_record(f, owner, near) for f in facts]
    return (tuple(sorted(meetings, key=lambda m: m.id)),
            tuple(sorted(articles, key=lambda a: a.id)))


def _article_record(facts: ArticleFacts, owner: dict[int, str],
                    near: dict[str, tuple[NearDuplicate, ...]]) -> ArticleRecord:
    article = facts.article
    ids = list(dict.fromkeys(owner[id(m)] for m in facts.meetings))
    return ArticleRecord(
        id=article.id, source_file=article.source_file, sha256=article.sha256,
        headline=article.headline, publisher=article.publisher, published=article.published,
        meetings=tuple(ids), near_duplicates=near.get(article.id, ()),
        encoding=article.encoding, rights=article.rights)
