"""The iCalendar file of meetings (RFC 5545): one all-day VEVENT per dated meeting.

Written with the ``icalendar`` library, which escapes TEXT values, writes CRLF line ends and
folds lines at 75 octets. DTSTAMP comes from ``SOURCE_DATE_EPOCH`` when it is set, else from
the newest meeting date: never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence

from icalendar import Calendar, Event

from generator.errors import BriefingError
from generator.models import MeetingRecord, Problem
from generator.site.pubtext import (
    PublishContext,
    clean,
    meeting_path,
    newest_first,
    participant_text,
    place_text,
    publishers,
    topic_titles,
)

CALENDAR_PATH = "calendar/meetings.ics"
PRODID = "-//Briefing//Briefing meetings//EN"
CALENDAR_END = "END:VCALENDAR\r\n"


def stamp_from(meetings: Sequence[MeetingRecord], environ: Mapping[str, str]) -> dt.datetime:
    """The DTSTAMP of every event: ``SOURCE_DATE_EPOCH`` if set, else the newest meeting day.

    Raises:
        BriefingError: ``SOURCE_DATE_EPOCH`` is set but is not a non-negative integer.
    """
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        if not raw.isdigit():
            raise BriefingError([Problem("SOURCE_DATE_EPOCH", f"not a Unix time: {raw!r}")])
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    days = [m.date for m in meetings if m.date is not None]
    newest = max(days) if days else dt.date(1970, 1, 1)
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)


def description(record: MeetingRecord, ctx: PublishContext) -> str:
    """Participants, topics and sources, one per line."""
    people = [participant_text(p) for p in record.participants]
    lines = ["Participants: " + ("; ".join(people) if people else "none recorded"),
             "Topics: " + ("; ".join(topic_titles(record, ctx.taxonomy)) or "none recorded")]
    if record.occasion:
        lines.append("Occasion: " + clean(record.occasion))
    sources = publishers(record, ctx.articles)
    if sources:
        lines.append("Sources: " + "; ".join(sources))
    return "\n".join(lines)


def meeting_event(record: MeetingRecord, ctx: PublishContext, stamp: dt.datetime) -> Event:
    """The all-day VEVENT of a dated meeting."""
    if record.date is None:
        raise ValueError(f"{record.id}: an undated meeting has no calendar event")
    event = Event()
    event.add("uid", f"{clean(record.id)}@{ctx.authority}")
    event.add("dtstamp", stamp)
    event.add("dtstart", record.date)
    event.add("dtend", record.date + dt.timedelta(days=1))
    event.add("summary", clean(record.title) or record.id)
    where = place_text(record)
    if where:
        event.add("location", where)
    event.add("description", description(record, ctx))
    categories = topic_titles(record, ctx.taxonomy)
    if categories:
        event.add("categories", categories)
    if ctx.site_url:  # a URL property must be absolute; without a site URL there is none
        event.add("url", ctx.url(meeting_path(record), ""), parameters={"VALUE": "URI"})
    event.add("transp", "TRANSPARENT")
    return event


def calendar_text(meetings: Sequence[MeetingRecord], ctx: PublishContext,
                  environ: Mapping[str, str] | None = None) -> str:
    """The iCalendar document: one VEVENT per dated meeting, newest first.

    Args:
        meetings: every meeting; undated ones are left out.
        ctx: site URL, taxonomy and articles.
        environ: where to read ``SOURCE_DATE_EPOCH`` (``os.environ`` when ``None``).

    Returns:
        The calendar text with CRLF line ends and folded lines.

    Raises:
        BriefingError: ``SOURCE_DATE_EPOCH`` is set to something other than a Unix time.
    """
    dated = sorted((m for m in meetings if m.date is not None), key=newest_first)
    stamp = stamp_from(dated, os.environ if environ is None else environ)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Briefing meetings")
    used: dict[int, tuple[tuple[object, ...], str]] = {}
    events = [_event_text(record, ctx, stamp, used) for record in dated]
    _EVENTS.clear()
    _EVENTS.update(used)
    # What ``Calendar.to_ical`` writes with the events added: the calendar's own lines, each
    # event's, then END:VCALENDAR. The events are serialized one by one so that each can be
    # kept between builds (icalendar takes about a millisecond an event).
    head = calendar.to_ical().decode("utf-8").removesuffix(CALENDAR_END)
    return head + "".join(events) + CALENDAR_END


# The serialized VEVENT of each meeting in the last calendar, by record identity, with what it
# was made from (see ``PublishContext.record_deps``): a live preview remakes only edits.
_EVENTS: dict[int, tuple[tuple[object, ...], str]] = {}


def _event_text(record: MeetingRecord, ctx: PublishContext, stamp: dt.datetime,
                used: dict[int, tuple[tuple[object, ...], str]]) -> str:
    deps = (*ctx.record_deps(record), stamp)
    kept = _EVENTS.get(id(record))
    if kept is not None and kept[0] == deps:
        text = kept[1]
    else:
        text = meeting_event(record, ctx, stamp).to_ical().decode("utf-8")
    used[id(record)] = (deps, text)
    return text
