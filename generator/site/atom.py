"""Atom feeds of meetings (RFC 4287), written with ``feedgen``: site-wide and per topic.

Every value is record text, so it only ever lands in element text or attribute values, which
lxml escapes; summaries are ``type="text"``, never HTML. Every date is set from the meetings
(feedgen would otherwise stamp the feed and each entry with the wall clock), entries are added
in order, and the generator is named without a version, so the same records always give the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable, Sequence

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from generator.models import MeetingRecord
from generator.site.pages import topic_title
from generator.site.pubtext import (
    PublishContext,
    clean,
    meeting_path,
    publishers,
    summary_text,
)
from generator.site.views import topic_slug

FEED_CAP = 50
SITE_AUTHOR = "Briefing"
EPOCH = dt.date(1970, 1, 1)


def entry_date(record: MeetingRecord, ctx: PublishContext) -> dt.date | None:
    """The day an entry is dated: the meeting's, else its newest source's publication day."""
    if record.date is not None:
        return record.date
    days = [ctx.articles[s].published for s in record.sources if s in ctx.articles]
    known = [d for d in days if d is not None]
    return max(known) if known else None


def feed_meetings(meetings: Iterable[MeetingRecord], ctx: PublishContext
                  ) -> list[tuple[dt.date, MeetingRecord]]:
    """Meetings that can be dated, newest first (ties by id), at most :data:`FEED_CAP`."""
    dated = [(day, m) for m in meetings if (day := entry_date(m, ctx)) is not None]
    dated.sort(key=lambda pair: (-pair[0].toordinal(), pair[1].id))
    return dated[:FEED_CAP]


def midnight(day: dt.date) -> dt.datetime:
    """Midnight UTC of ``day`` (feedgen wants aware date-times)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class EntryLinkType(BaseEntryExtension):
    """Puts ``rel`` and ``type`` back on an entry's link: feedgen 1.0 writes its ``href`` only
    (lkiesow/python-feedgen#135). An entry's one link is always its meeting page."""

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        """Mark each ``<link>`` of ``entry`` without a ``rel`` as the HTML alternate."""
        for link in entry.iterchildren("link"):
            if link.get("rel") is None:
                link.set("rel", "alternate")
                link.set("type", "text/html")
        return entry


def fill_entry(entry: FeedEntry, day: dt.date, record: MeetingRecord, ctx: PublishContext,
               folder: str) -> None:
    """Set one entry's title, link, id, dates, authors, categories and summary."""
    entry.title(clean(record.title) or record.id)
    entry.link(rel="alternate", type="text/html", href=ctx.url(meeting_path(record), folder))
    entry.id(ctx.tag(f"meeting/{record.id}"))
    entry.updated(midnight(day))
    if record.date is not None:
        entry.published(midnight(record.date))
    for name in publishers(record, ctx.articles) or [SITE_AUTHOR]:
        entry.author(name=name)
    for topic in sorted(set(record.topics)):
        entry.category(term=clean(topic), label=clean(topic_title(ctx.taxonomy, topic)))
    entry.summary(summary_text(record, ctx.taxonomy), type="text")


def atom_feed(path: str, title: str, alternate: str, ident: str,
              meetings: Sequence[MeetingRecord], ctx: PublishContext) -> str:
    """An Atom feed document of ``meetings`` (newest first, capped).

    Args:
        path: where the feed is published, relative to the site root (``feeds/x.xml``).
        title: the feed title (plain text).
        alternate: the site path of the page the feed follows (``topics/china/``).
        ident: the specific part of the feed's tag URI (``feed/meetings``).
        meetings: the meetings to consider (undatable ones are left out).
        ctx: site URL, taxonomy and articles.

    Returns:
        The XML document, UTF-8 declared, ending with a newline.
    """
    entries = feed_meetings(meetings, ctx)
    deps = (title, alternate, ident, *(ctx.record_deps(m) + (day,) for day, m in entries))
    kept = _FEEDS.get(path)
    if kept is not None and kept[0] == deps:
        return kept[1]
    text = _feed_text(path, title, alternate, ident, entries, ctx)
    _FEEDS[path] = (deps, text)
    return text


# The last feed written at each path (one per topic at most), with what it was made from
# (see ``PublishContext.record_deps``): a live preview remakes only the feeds an edit touches.
_FEEDS: dict[str, tuple[tuple[object, ...], str]] = {}


def _feed_text(path: str, title: str, alternate: str, ident: str,
               entries: Sequence[tuple[dt.date, MeetingRecord]], ctx: PublishContext) -> str:
    folder = posixpath.dirname(path)
    feed = FeedGenerator()
    feed.title(clean(title))
    feed.id(ctx.tag(ident))
    feed.updated(midnight(entries[0][0] if entries else EPOCH))
    feed.link(rel="alternate", type="text/html", href=ctx.url(alternate, folder))
    if ctx.site_url:
        feed.link(rel="self", type="application/atom+xml", href=ctx.url(path, folder))
    feed.author(name=SITE_AUTHOR)
    feed.generator("Briefing")  # no version or URI: the bytes do not change with feedgen's
    feed.register_extension("briefing", BaseExtension, EntryLinkType, atom=True, rss=False)
    for day, record in entries:
        fill_entry(feed.add_entry(order="append"), day, record, ctx, folder)
    xml: bytes = feed.atom_str(pretty=True, encoding="UTF-8")
    return xml.decode("utf-8")


def site_feed(meetings: Sequence[MeetingRecord], ctx: PublishContext) -> tuple[str, str]:
    """``(path, xml)`` of the site-wide feed of meetings."""
    path = "feeds/meetings.xml"
    return path, atom_feed(path, "Briefing: meetings", "meetings/", "feed/meetings",
                           meetings, ctx)


def topic_feeds(meetings: Sequence[MeetingRecord], ctx: PublishContext
                ) -> list[tuple[str, str]]:
    """``(path, xml)`` of one feed per topic carried by at least one meeting, by path."""
    feeds = []
    for topic in sorted({t for m in meetings for t in m.topics}):
        slug = topic_slug(topic)
        path = f"feeds/topics/{slug}.xml"
        title = f"Briefing: {topic_title(ctx.taxonomy, topic)}"
        carried = [m for m in meetings if topic in m.topics]
        feeds.append((path, atom_feed(path, title, f"topics/{slug}/", f"feed/topics/{topic}",
                                      carried, ctx)))
    return sorted(feeds)
