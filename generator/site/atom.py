"""Atom feeds of meetings (RFC 4287), written with ElementTree: site-wide and per topic.

Every value is record text, so it only ever lands in element text or attribute values, which
ElementTree escapes; summaries are ``type="text"``, never HTML. Entries are dated by the
meeting (no wall clock), so the same records always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from generator.models import MeetingRecord
from generator.site.pages import page_slug, topic_title
from generator.site.pubtext import (
    PublishContext,
    clean,
    meeting_path,
    publishers,
    summary_text,
)

ATOM = "http://www.w3.org/2005/Atom"
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


def timestamp(day: dt.date) -> str:
    """An RFC 3339 date-time for a day: midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Append a child element with optional text and attributes (in the order given)."""
    child = ET.SubElement(parent, tag, attrs)
    if text is not None:
        child.text = text
    return child


def add_entry(feed: ET.Element, day: dt.date, record: MeetingRecord, ctx: PublishContext,
              folder: str) -> None:
    """One ``<entry>``: title, link, id, updated, summary, authors, categories."""
    entry = add(feed, "entry")
    add(entry, "title", clean(record.title) or record.id, type="text")
    add(entry, "link", rel="alternate", type="text/html",
        href=ctx.url(meeting_path(record), folder))
    add(entry, "id", ctx.tag(f"meeting/{record.id}"))
    add(entry, "updated", timestamp(day))
    if record.date is not None:
        add(entry, "published", timestamp(record.date))
    for name in publishers(record, ctx.articles) or [SITE_AUTHOR]:
        add(add(entry, "author"), "name", name)
    for topic in sorted(set(record.topics)):
        add(entry, "category", term=clean(topic),
            label=clean(topic_title(ctx.taxonomy, topic)))
    add(entry, "summary", summary_text(record, ctx.taxonomy), type="text")


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
    feed = ET.Element("feed", {"xmlns": ATOM})
    add(feed, "title", clean(title), type="text")
    add(feed, "id", ctx.tag(ident))
    add(feed, "updated", timestamp(entries[0][0] if entries else EPOCH))
    add(feed, "link", rel="alternate", type="text/html", href=ctx.url(alternate, folder))
    if ctx.site_url:
        add(feed, "link", rel="self", type="application/atom+xml", href=ctx.url(path, folder))
    add(add(feed, "author"), "name", SITE_AUTHOR)
    add(feed, "generator", "Briefing")
    for day, record in entries:
        add_entry(feed, day, record, ctx, folder)
    ET.indent(feed, space="  ")
    body = ET.tostring(feed, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


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
        slug = page_slug(topic)
        path = f"feeds/topics/{slug}.xml"
        title = f"Briefing: {topic_title(ctx.taxonomy, topic)}"
        carried = [m for m in meetings if topic in m.topics]
        feeds.append((path, atom_feed(path, title, f"topics/{slug}/", f"feed/topics/{topic}",
                                      carried, ctx)))
    return sorted(feeds)
