"""Typed, immutable records handed from one pipeline stage to the next.

Stages: ``sources`` reads a file into a :class:`SourceArticle`; ``extract`` finds
:class:`ArticleFacts` in it; ``grouping`` turns the facts of many articles into
:class:`MeetingRecord` and :class:`ArticleRecord` values; ``records`` writes and reads them
as YAML front matter; ``render`` turns records into :class:`RenderedPage` values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FORMATS = ("in_person", "phone", "video")
SETTINGS = ("standalone", "sidelines", "2+2", "trilateral", "multilateral")



# Dates every writer can take: the calendar's DTEND is the next day, feeds and the calendar
# stamp date-times, and spreadsheets (the CSV export) know no day before 1900. A briefing
# reports nothing older, and the far end keeps all date arithmetic clear of the year 9999.
# Records outside it are refused when loaded; extraction finds no date outside it.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)


def calendar_date(year: int, month: int, day: int) -> dt.date | None:
    """The day, when it exists and lies from ``FIRST_DATE`` to ``LAST_DATE``; else None."""
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if FIRST_DATE <= value <= LAST_DATE else None

@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with the 1-based line it starts on."""

    article: str
    line: int
    text: str


@dataclass(frozen=True)
class Evidence:
    """The words in a source article that support one fact.

    ``field`` names the fact, e.g. ``date``, ``location``, ``participants``,
    ``topics.china``, ``format``; ``text`` is the supporting words, quoted from the source.
    """

    field: str
    article: str
    line: int
    text: str


@dataclass(frozen=True)
class SourceArticle:
    """An article file read and decoded; the input of extraction."""

    id: str
    source_file: str
    sha256: str
    encoding: str
    text: str
    sentences: tuple[Sentence, ...]
    headline: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    published_evidence: Evidence | None = None
    rights: str | None = None


@dataclass(frozen=True)
class Location:
    city: str
    country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Participant:
    name: str
    role: str | None
    country: str | None


@dataclass(frozen=True)
class PersonMention:
    """A person found in an article; ``principal`` if they took part in the meeting."""

    name: str
    role: str | None
    country: str | None
    principal: bool
    known: bool  # found in the people data file (not only through a role phrase)
    evidence: Evidence


@dataclass(frozen=True)
class DateFact:
    """The meeting day, or ``value=None`` with a weekday cue still to be resolved."""

    value: dt.date | None
    basis: str  # stated, date-line, weekday-before-publication, from-other-source, ...
    weekday: int | None = None  # 0=Monday; a weekday cue such as "on Friday"
    evidence: Evidence | None = None


@dataclass(frozen=True)
class TopicFact:
    topic: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class QuoteFact:
    text: str
    speaker: str | None
    evidence: Evidence


@dataclass(frozen=True)
class MeetingFacts:
    """What one article says about one meeting (its main one or a side meeting)."""

    date: DateFact | None
    location: Location | None
    format: str
    setting: str
    occasion: str | None
    participants: tuple[PersonMention, ...]
    topics: tuple[TopicFact, ...]
    quotes: tuple[QuoteFact, ...]
    outcomes: tuple[Evidence, ...]
    evidence: tuple[Evidence, ...]  # for date, location, format, setting, occasion
    secondary: bool = False
    # added by A1: the country even when no city is known, and how sure the place is
    # (3 stated in a sentence reporting the meeting, 2 said of the principals, 1 dateline)
    country: str | None = None
    place_rank: int = 0
    duration_minutes: int | None = None
    duration_evidence: Evidence | None = None
    summary: tuple[Evidence, ...] = ()  # the lead sentences that report the meeting


@dataclass(frozen=True)
class ArticleFacts:
    article: SourceArticle
    meetings: tuple[MeetingFacts, ...]  # main meeting first; empty if it reports none


@dataclass(frozen=True)
class QuoteVariant:
    """One source's wording of a quote that several sources carry."""

    text: str
    source: str


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None
    sources: tuple[str, ...]
    variants: tuple[QuoteVariant, ...] = ()  # other wordings, when sources differ
    copies: int = 0  # near copies of the sources that carry it too (not listed one by one)


@dataclass(frozen=True)
class NearDuplicate:
    id: str
    similarity: float


@dataclass(frozen=True)
class NearCopyCluster:
    """The near copies an article belongs with: named by its original (the earliest
    published member, then the first by id), and how many articles it holds (itself too)."""

    id: str
    size: int


@dataclass(frozen=True)
class NearCopies:
    """An article's place among its near copies (what its record says of them).

    Attributes:
        cluster: its cluster (None when it has no near copy).
        copy_of: its closest original: the cluster's original when the two are similar
            enough, else a member one link nearer the original (following ``copy_of``
            always ends at the original); None for the original itself and for an article
            with no near copy.
        listed: the near copies its record lists, at most ``NEAR_LISTED`` of them.
    """

    cluster: NearCopyCluster | None = None
    copy_of: NearDuplicate | None = None
    listed: tuple[NearDuplicate, ...] = ()


@dataclass(frozen=True)
class MeetingRecord:
    """One real-world meeting; field names are the RECORDS.md contract."""

    id: str
    title: str
    date: dt.date | None
    date_basis: str
    location: Location | None
    format: str
    setting: str
    occasion: str | None
    participants: tuple[Participant, ...]
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    quotes: tuple[Quote, ...] = ()
    outcomes: tuple[Evidence, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    duration_minutes: int | None = None  # "20-minute talks", "for approximately 30 minutes"
    summary: tuple[Evidence, ...] = ()  # the sentences that best sum the meeting up
    body: str = ""  # analyst notes (Markdown below the front matter)


@dataclass(frozen=True)
class ArticleRecord:
    """One input file; field names are the RECORDS.md contract."""

    id: str
    source_file: str
    sha256: str
    headline: str | None
    publisher: str | None
    published: dt.date | None
    meetings: tuple[str, ...]
    near_duplicates: tuple[NearDuplicate, ...] = ()
    encoding: str = "utf-8"
    rights: str | None = None
    body: str = ""
    copy_of: NearDuplicate | None = None  # its closest original among its near copies
    near_copy_cluster: NearCopyCluster | None = None


@dataclass(frozen=True)
class Problem:
    """A problem with an input, reported as ``path:line:col: message``."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RenderedPage:
    """A Markdown page, ``path`` relative to the docs root (``meetings/x.md``)."""

    path: str
    markdown: str


@dataclass(frozen=True)
class Corpus:
    """Every record loaded from a content folder, with the problems met loading it."""

    meetings: tuple[MeetingRecord, ...]
    articles: tuple[ArticleRecord, ...]
    problems: tuple[Problem, ...] = field(default=())
