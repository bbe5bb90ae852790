"""Grouping: the meetings many articles report, merged into one record each.

Two reports are of the same meeting when their principals overlap (two people at least,
one set inside the other or most of them shared), their dates agree (a call may differ by
a day across time zones), and their format and place do not contradict each other. Being
near duplicates of each other is strong evidence. Clusters are complete-linkage: an item
joins a meeting only if it is compatible with every report already in it, so two meetings
on one day in one city with different counterparts stay two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from generator.group.clusters import (
    Item,
    canonical_names,
    cluster,
    item_of,
    person_key,
)
from generator.group.copies import shown_and_counted
from generator.group.merge import (
    merge_date,
    merge_duration,
    merge_outcomes,
    merge_participants,
    merge_place,
    merge_quotes,
    merge_setting,
    merge_summary,
)
from generator.group.near_duplicates import find_near_copies
from generator.ingest.shingles import Sketch
from generator.knowledge.people import PeopleDirectory
from generator.knowledge.places import Gazetteer
from generator.models import (
    ArticleFacts,
    ArticleRecord,
    Evidence,
    MeetingFacts,
    MeetingRecord,
    NearCopies,
    Participant,
)
from generator.support.slugs import slugify, unique_slug

if TYPE_CHECKING:
    from generator.knowledge import KnowledgeBase

TITLE_SKIP = frozenset({"in", "the"})
TITLE_NAMES = 3  # with more principals a title names their countries, not each of them
ID_SLUG_LENGTH = 80  # characters of a title kept in a meeting's id (and file name)


def family_name(name: str, people: PeopleDirectory) -> str:
    """The family name as the directory knows it ("Wang" for Wang Yi), else the last word."""
    person = people.lookup(name)
    return person.family if person else name.split()[-1]


def meeting_title(participants: Sequence[Participant], setting: str, fmt: str,
                  city: str | None, places: Gazetteer, people: PeopleDirectory) -> str:
    """A plain-text title: "Hayashi–Blinken meeting in Melbourne", "Japan–U.S. 2+2 ..."."""
    if setting == "2+2" or len(participants) > TITLE_NAMES:
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
                     shown: Collection[str] | None = None) -> tuple[Evidence, ...]:
    """Evidence for date, place, format, setting, occasion, participants and each topic.

    Only the reports of the ``shown`` articles give evidence (all when None), and the others
    only for a fact none of those supports: a story's near copies are not repeated."""
    found: set[Evidence] = set()
    for facts in chosen:
        if facts is not None:
            found.update(e for e in facts.evidence if e.field in ("date", "location"))
    keys = {person_key(p.name) for p in participants}
    ordered = sorted(items, key=lambda i: shown is not None and i.article not in shown)
    supported: set[str] = set()
    for item in ordered:
        given = _item_evidence(item, keys, topics)
        if shown is not None and item.article not in shown:
            given = [e for e in given if e.field not in supported]
        supported.update(e.field for e in given)
        found.update(given)
    return tuple(sorted(found, key=lambda e: (e.field, e.article, e.line, e.text)))


def _item_evidence(item: Item, keys: Collection[str], topics: Sequence[str]) -> list[Evidence]:
    """The evidence one report gives for format, setting, occasion, participants, topics."""
    found = [e for e in item.facts.evidence if e.field in ("format", "setting", "occasion")]
    found += [Evidence("participants", p.evidence.article, p.evidence.line, p.evidence.text)
              for p in item.facts.participants if person_key(p.name) in keys]
    found += [Evidence(f"topics.{t.topic}", e.article, e.line, e.text)
              for t in item.facts.topics if t.topic in topics for e in t.evidence]
    return found


def build_meeting(items: Sequence[Item], hubs: Counter[str], places: Gazetteer,
                  people: PeopleDirectory, canon: dict[str, str] | None = None,
                  groups: Mapping[str, str] | None = None) -> MeetingRecord:
    """One meeting record from the reports of one cluster (id filled in later).

    ``groups`` names the near-copy cluster of the articles that have one: of each, the
    record gives the words of the first few (``generator.group.copies``) and counts the
    rest, so that it grows with what its sources say, not with how often it was copied."""
    known = groups or {}
    shown = set(shown_and_counted((i.article for i in items), known.get)[0])
    formats = Counter(i.facts.format for i in items)
    fmt = min(formats, key=lambda f: (-formats[f], f == "in_person", f))
    dated, basis = merge_date(items)
    placed = merge_place(items, fmt)
    setting, occasion = merge_setting(items)
    participants = merge_participants(items, hubs, canon)
    topics = tuple(sorted({t.topic for i in items for t in i.facts.topics}))
    location = placed.location if placed else None
    outcomes = merge_outcomes(items, shown)
    timed = merge_duration(items)
    return MeetingRecord(
        id="", title=meeting_title(participants, setting, fmt,
                                   location.city if location else None, places, people),
        date=dated.date.value if dated and dated.date else None, date_basis=basis,
        location=location, format=fmt, setting=setting, occasion=occasion,
        participants=participants, topics=topics,
        sources=tuple(sorted({i.article for i in items})), quotes=merge_quotes(items, shown),
        outcomes=outcomes,
        evidence=tuple(sorted({*meeting_evidence(items, (dated, placed), participants, topics,
                                                 shown),
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
        title = slugify(meeting.title, skip=TITLE_SKIP, fallback="meeting", limit=ID_SLUG_LENGTH)
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
    near = find_near_copies([f.article for f in facts], sketches)
    groups = {key: found.cluster.id for key, found in near.items() if found.cluster}
    canon = canonical_names(facts)
    items = [item_of(f.article.id, m, canon) for f in facts for m in f.meetings]
    clusters = cluster(items, groups, kb.places)
    hubs: Counter[str] = Counter(n for c in clusters for n in {n for i in c for n in i.names})
    drafts = [build_meeting(c, hubs, kb.places, kb.people, canon, groups) for c in clusters]
    ids = assign_ids(drafts)
    meetings = [replace(draft, id=ident) for draft, ident in zip(drafts, ids, strict=True)]
    owner = {id(item.facts): ident for members, ident in zip(clusters, ids, strict=True)
             for item in members}
    articles = [_article_record(f, owner, near) for f in facts]
    return (tuple(sorted(meetings, key=lambda m: m.id)),
            tuple(sorted(articles, key=lambda a: a.id)))


def _article_record(facts: ArticleFacts, owner: dict[int, str],
                    near: dict[str, NearCopies]) -> ArticleRecord:
    article = facts.article
    ids = list(dict.fromkeys(owner[id(m)] for m in facts.meetings))
    copies = near.get(article.id, NearCopies())
    return ArticleRecord(
        id=article.id, source_file=article.source_file, sha256=article.sha256,
        headline=article.headline, publisher=article.publisher, published=article.published,
        meetings=tuple(ids), near_duplicates=copies.listed,
        encoding=article.encoding, rights=article.rights, copy_of=copies.copy_of,
        near_copy_cluster=copies.cluster)
