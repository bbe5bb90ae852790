"""The files published next to the pages: feeds, calendar, data exports, the briefing book.

Each is a :class:`RenderedPage` (non-Markdown ones too): the MkDocs plugin adds every page as
a generated file, so MkDocs copies ``feeds/*.xml``, ``calendar/meetings.ics`` and ``data/*``
into the site as they are and renders ``book.md`` like any other page.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.models import Corpus, RenderedPage
from generator.site.atom import site_feed, topic_feeds
from generator.site.export import export_csv, export_json
from generator.site.ical import CALENDAR_PATH, calendar_text
from generator.site.memo import PageMemo, templates_digest
from generator.site.pages import Memo, TopicTitles, date_order, make_environment, remembered
from generator.site.paginate import year_label, year_path
from generator.site.pubtext import PublishContext
from generator.site.views import MeetingView, meeting_views

if TYPE_CHECKING:
    from generator.knowledge.taxonomy import Taxonomy

BOOK_TEMPLATE = "book.md.j2"
BOOK_PATH = "book.md"
BRIEF_CLASS = "briefing-brief"  # print.css starts a new page at each element of this class
BOOK_PART = 20  # briefs on one page of a long book (about 40 printed pages)


def render_book(corpus: Corpus, taxonomy: Taxonomy | TopicTitles, templates: Path,
                memo: Memo | None = None) -> list[RenderedPage]:
    """The briefing book: every meeting brief, oldest first (undated last), for printing.

    Up to :data:`BOOK_PART` meetings, the book is ``book.md`` alone. A longer book is cut
    into parts of at most :data:`BOOK_PART` briefs per year (``book/<year>.md``, then
    ``book/<year>/2.md``…), and ``book.md`` lists the parts: no page grows with the archive.

    Args:
        corpus: the records.
        taxonomy: topic ids and titles.
        templates: the folder holding ``book.md.j2``.
        memo: pages rendered before, with the templates' digest (see ``generator.site.pages``).

    Returns:
        The book's pages; each brief is preceded by an empty ``div`` of class
        :data:`BRIEF_CLASS`, where the print stylesheet breaks the page.

    Raises:
        BriefingError: the template is missing, invalid or uses an undefined value.
    """
    # the book is read in date order: a brief's links to the series' previous and next
    # meetings are left out (and an edit to one meeting changes only its own part)
    meetings = tuple(sorted(meeting_views(corpus, taxonomy, linked=False), key=date_order))
    env = make_environment(templates)
    if len(meetings) <= BOOK_PART:
        return [remembered(memo, env, BOOK_TEMPLATE, BOOK_PATH, meetings,
                           meetings=meetings, brief_class=BRIEF_CLASS, parts=(), part=None,
                           base="")]
    parts = book_parts(meetings)
    pages = [remembered(memo, env, BOOK_TEMPLATE, BOOK_PATH, parts, meetings=(),
                        brief_class=BRIEF_CLASS, parts=parts, part=None, base="")]
    for part in parts:
        base = "../" * part.path.count("/")
        pages.append(remembered(memo, env, BOOK_TEMPLATE, part.path, part,
                                meetings=part.meetings, brief_class=BRIEF_CLASS, parts=(),
                                part=part, base=base))
    return pages


@dataclass(frozen=True)
class BookPart:
    """One page of a long briefing book: some briefs of one year."""

    path: str  # book/2023.md, book/2023/2.md
    title: str  # "2023", "2023, part 2"
    meetings: tuple[MeetingView, ...]  # oldest first


def book_parts(meetings: tuple[MeetingView, ...]) -> tuple[BookPart, ...]:
    """The book's parts: meetings by year in book order, at most BOOK_PART a part."""
    years: dict[str, list[MeetingView]] = {}
    for m in meetings:  # already in book order: oldest first, undated last
        years.setdefault(year_label(m), []).append(m)
    parts = []
    for label, items in years.items():
        for number, start in enumerate(range(0, len(items), BOOK_PART), 1):
            title = label if number == 1 else f"{label}, part {number}"
            parts.append(BookPart(year_path("book", label, number), title,
                                  tuple(items[start:start + BOOK_PART])))
    return tuple(parts)


def publish_pages(corpus: Corpus, taxonomy: Taxonomy | TopicTitles, templates: Path,
                  site_url: str | None, environ: Mapping[str, str] | None = None,
                  memo: PageMemo | None = None) -> tuple[RenderedPage, ...]:
    """Every published file besides the site's pages.

    Args:
        corpus: the records to publish.
        taxonomy: topic ids and titles (``Taxonomy`` from ``generator.extract.topics``).
        templates: folder holding ``book.md.j2``.
        site_url: the site's public URL (MkDocs ``site_url``); links in feeds and the
            calendar are absolute under it, relative when it is ``None`` or empty.
        environ: where ``SOURCE_DATE_EPOCH`` is read (``os.environ`` when ``None``).
        memo: pages rendered before: a book page whose briefs are unchanged is reused.

    Returns:
        Pages sorted by path: ``book.md`` (and ``book/…``), ``calendar/meetings.ics``,
        ``data/briefing.json``, ``data/meetings.csv``, ``feeds/meetings.xml`` and
        ``feeds/topics/<topic>.xml``.

    Raises:
        BriefingError: the book template fails, or ``SOURCE_DATE_EPOCH`` is not a Unix time.
    """
    ctx = PublishContext(site_url or None, taxonomy, {a.id: a for a in corpus.articles})
    meetings = tuple(sorted(corpus.meetings, key=lambda m: m.id))
    files = [site_feed(meetings, ctx), *topic_feeds(meetings, ctx),
             (CALENDAR_PATH, calendar_text(meetings, ctx,
                                           os.environ if environ is None else environ)),
             ("data/briefing.json", export_json(corpus)),
             ("data/meetings.csv", export_csv(corpus))]
    pages = [RenderedPage(path, text) for path, text in files]
    keyed = (memo, templates_digest(templates)) if memo is not None else None
    pages += render_book(corpus, taxonomy, templates, keyed)
    return tuple(sorted(pages, key=lambda page: page.path))
