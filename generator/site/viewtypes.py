"""The view objects every template reads: small, immutable, compared by value.

A meeting with its sources numbered, its evidence grouped by fact and links to its
neighbours among meetings of the same counterparts; a topic with its meetings in date
order; a person with roles over time, meetings and counterparts; and the whole site. Their
hashes are cached, as they key the page memo of a live preview (see ``generator.site.memo``).
How records become these views is in ``generator.site.views``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from generator.models import ArticleRecord, Evidence, MeetingRecord, Participant, Quote

# Facts of the facts panel, in the order shown, with the label of their evidence block.
FACT_LABELS = (("date", "Date"), ("location", "Place"), ("format", "Format"),
               ("setting", "Setting"), ("occasion", "Occasion"), ("duration", "Duration"),
               ("participants", "Participants"))


class TopicTitles(Protocol):
    """What rendering needs from a taxonomy: its ids and their titles."""

    @property
    def ids(self) -> frozenset[str]: ...

    def title(self, topic_id: str) -> str: ...


class PeopleLookup(Protocol):
    """What rendering needs from the people directory: a person by name."""

    def lookup(self, name: str) -> Any:
        """A ``generator.knowledge.people.Person`` (``country``, ``roles``) or ``None``."""


class Knowledge(Protocol):
    """What rendering needs from the knowledge base (``generator.knowledge.KnowledgeBase``)."""

    @property
    def taxonomy(self) -> TopicTitles: ...
    @property
    def people(self) -> PeopleLookup: ...


class NoPeople:
    """A people directory that knows nobody."""

    def lookup(self, name: str) -> Any:
        return None


@dataclass(frozen=True)
class BareKnowledge:
    """A taxonomy without people data, for callers that only have a taxonomy."""

    taxonomy: TopicTitles
    people: PeopleLookup = dataclasses.field(default_factory=NoPeople)


def _cached_hash(self: Any) -> int:
    """A frozen view's hash, computed once: views are dictionary keys of the page memo
    (``generator.site.memo``), and hashing a meeting's whole record every time adds up."""
    known: int | None = self.__dict__.get("_hash")
    if known is None:
        known = hash(tuple(getattr(self, f.name) for f in dataclasses.fields(self)))
        object.__setattr__(self, "_hash", known)
    return known


@dataclass(frozen=True)
class SourceView:
    """One source article of a meeting, numbered as it is cited on the meeting page."""

    number: int
    id: str
    article: ArticleRecord | None
    paraphrases: tuple[tuple[str, str, float], ...]  # (id, label, similarity)
    text_page: str | None = None  # the article's full-text page, when the site has one
    copies: tuple[str, ...] = ()  # its near copies that are counted here, not listed


@dataclass(frozen=True)
class TopicSection:
    """One topic of one meeting with the sentences that discuss it."""

    id: str
    title: str
    slug: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ParticipantView:
    participant: Participant
    slug: str


@dataclass(frozen=True)
class MeetingLink:
    """A meeting named from another page: its page slug, title and day."""

    slug: str
    title: str
    date: dt.date | None


@dataclass(frozen=True)
class MeetingView:
    """A meeting record with everything its page shows, resolved and sorted."""

    __hash__ = _cached_hash
    record: MeetingRecord
    slug: str
    participants: tuple[ParticipantView, ...]
    topics: tuple[TopicSection, ...]
    sources: tuple[SourceView, ...]
    facts_evidence: tuple[tuple[str, tuple[Evidence, ...]], ...]
    counterparts: str = ""  # "Japan–United States": who meets in this series of meetings
    previous: MeetingLink | None = None  # the series' meeting before this one
    next: MeetingLink | None = None

    def cite(self, article_id: str) -> str:
        """How evidence from ``article_id`` is cited on this page: ``source 2``, ``a near
        copy of source 2`` (one counted, not listed) or the id."""
        for source in self.sources:
            if source.id == article_id:
                return f"source {source.number}"
        for source in self.sources:
            if article_id in source.copies:
                return f"a near copy of source {source.number}"
        return article_id

    def fact_evidence(self, field: str) -> tuple[Evidence, ...]:
        """The evidence recorded for one fact of the facts panel."""
        return next((evs for name, evs in self.facts_evidence if name == field), ())

    def other_evidence(self) -> tuple[tuple[str, tuple[Evidence, ...]], ...]:
        """Evidence for facts the facts panel does not name."""
        known = {name for name, _ in FACT_LABELS}
        return tuple((f, evs) for f, evs in self.facts_evidence if f not in known)

    def topic_ids(self) -> str:
        return " ".join(sorted(t.slug for t in self.topics))

    def person_slugs(self) -> str:
        return " ".join(sorted({p.slug for p in self.participants}))

    def quotes(self) -> tuple[Quote, ...]:
        """Quotes carried by the most sources first, then by text."""
        return tuple(sorted(self.record.quotes, key=lambda q: (-len(set(q.sources)), q.text)))


@dataclass(frozen=True)
class TopicView:
    __hash__ = _cached_hash

    id: str
    title: str
    slug: str
    meetings: tuple[tuple[MeetingView, tuple[Evidence, ...]], ...]  # date order


@dataclass(frozen=True)
class RoleSpan:
    """A post a person held, from the people data (dates may be unknown)."""

    title: str
    country: str | None
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class PersonView:
    __hash__ = _cached_hash

    slug: str
    name: str
    roles: tuple[tuple[str, str], ...]  # (role, country code) as the meetings record them
    meetings: tuple[MeetingView, ...]  # date order
    counterparts: tuple[tuple[str, str, int], ...]  # (name, slug, meetings together)
    history: tuple[RoleSpan, ...] = ()  # roles over time from the people data, oldest first


@dataclass(frozen=True)
class Site:
    """The whole site's view, handed to every template as ``site``."""

    meetings: tuple[MeetingView, ...]  # newest first, undated last
    topics: tuple[TopicView, ...]  # taxonomy order, only topics with meetings
    people: tuple[PersonView, ...]  # by name
    articles: tuple[ArticleRecord, ...]
    labels: dict[str, str]  # article id -> headline or id
    published: frozenset[str] = frozenset()  # feeds, calendar, data files, book.md

    def topics_by_count(self) -> tuple[TopicView, ...]:
        """Topics with the most meetings first, then by title."""
        return tuple(sorted(self.topics, key=lambda t: (-len(t.meetings), t.title, t.id)))

    def people_by_count(self) -> tuple[PersonView, ...]:
        """People with the most meetings first, then by name."""
        return tuple(sorted(self.people, key=lambda p: (-len(p.meetings), p.name, p.slug)))

    def has(self, path: str) -> bool:
        """Whether the build publishes ``path`` (a feed, the calendar, a data file)."""
        return path in self.published

    def formats(self) -> tuple[str, ...]:
        return tuple(sorted({m.record.format for m in self.meetings}))
