"""The files published next to the pages: feeds, calendar, data exports, the briefing book.

Each is a :class:`RenderedPage` (non-Markdown ones too): the MkDocs plugin adds every page as
a generated file, so MkDocs copies ``feeds/*.xml``, ``calendar/meetings.ics`` and ``data/*``
into the site as they are and renders ``book.md`` like any other page.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.export import export_csv, export_json
from generator.feeds import site_feed, topic_feeds
from generator.ical import CALENDAR_PATH, calendar_text
from generator.models import Corpus, RenderedPage
from generator.pubtext import PublishContext
from generator.render import (
    TopicTitles,
    build_site,
    date_order,
    make_environment,
    render_template,
)

if TYPE_CHECKING:
    from generator.extract.topics import Taxonomy

BOOK_TEMPLATE = "book.md.j2"
BOOK_PATH = "book.md"
BRIEF_CLASS = "briefing-brief"  # print.css starts a new page at each element of this class


def render_book(corpus: Corpus, taxonomy: Taxonomy | TopicTitles, templates: Path
                ) -> RenderedPage:
    """Every meeting brief on one page, oldest first (undated last), for printing.

    Args:
        corpus: the records.
        taxonomy: topic ids and titles.
        templates: the folder holding ``book.md.j2``.

    Returns:
        ``book.md``; each brief is preceded by an empty ``div`` of class
        :data:`BRIEF_CLASS`, where the print stylesheet breaks the page.

    Raises:
        BriefingError: the template is missing, invalid or uses an undefined value.
    """
    site = build_site(corpus, taxonomy)
    meetings = tuple(sorted(site.meetings, key=date_order))
    env = make_environment(templates)
    return render_template(env, BOOK_TEMPLATE, BOOK_PATH, site=site, meetings=meetings,
                           brief_class=BRIEF_CLASS)


def publish_pages(corpus: Corpus, taxonomy: Taxonomy | TopicTitles, templates: Path,
                  site_url: str | None, environ: Mapping[str, str] | None = None
                  ) -> tuple[RenderedPage, ...]:
    """Every published file besides the site's pages.

    Args:
        corpus: the records to publish.
        taxonomy: topic ids and titles (``Taxonomy`` from ``generator.extract.topics``).
        templates: folder holding ``book.md.j2``.
        site_url: the site's public URL (MkDocs ``site_url``); links in feeds and the
            calendar are absolute under it, relative when it is ``None`` or empty.
        environ: where ``SOURCE_DATE_EPOCH`` is read (``os.environ`` when ``None``).

    Returns:
        Pages sorted by path: ``book.md``, ``calendar/meetings.ics``, ``data/briefing.json``,
        ``data/meetings.csv``, ``feeds/meetings.xml`` and ``feeds/topics/<topic>.xml``.

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
    pages.append(render_book(corpus, taxonomy, templates))
    return tuple(sorted(pages, key=lambda page: page.path))
