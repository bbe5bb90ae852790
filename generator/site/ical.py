"""The iCalendar file of meetings (RFC 5545): one all-day VEVENT per dated meeting.

Written by hand with the standard library: CRLF line ends, lines folded at 75 octets (never
inside a UTF-8 character), TEXT values escaped. DTSTAMP comes from ``SOURCE_DATE_EPOCH`` when
it is set, else from the newest meeting date: never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence

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
LINE_OCTETS = 75
PRODID = "-//Briefing//Briefing meetings//EN"


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    text = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets joined by CRLF + space."""
    if line.isascii():  # one octet a character: cut by length
        if len(line) <= LINE_OCTETS:
            return line
        rest = LINE_OCTETS - 1
        return "\r\n ".join([line[:LINE_OCTETS], *(line[i:i + rest] for i in
                                                   range(LINE_OCTETS, len(line), rest))])
    chunks: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # continuation lines start with " "
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def stamp_from(meetings: Sequence[MeetingRecord], environ: Mapping[str, str]) -> str:
    """The DTSTAMP of every event: ``SOURCE_DATE_EPOCH`` if set, else the newest meeting day.

    Raises:
        BriefingError: ``SOURCE_DATE_EPOCH`` is set but is not a non-negative integer.
    """
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        if not raw.isdigit():
            raise BriefingError([Problem("SOURCE_DATE_EPOCH", f"not a Unix time: {raw!r}")])
        moment = dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    else:
        days = [m.date for m in meetings if m.date is not None]
        newest = max(days) if days else dt.date(1970, 1, 1)
        moment = dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


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


def event_lines(record: MeetingRecord, ctx: PublishContext, stamp: str) -> list[str]:
    """The content lines of one meeting's VEVENT (unfolded)."""
    if record.date is None:
        return []
    start = record.date
    end = start + dt.timedelta(days=1)
    lines = ["BEGIN:VEVENT",
             f"UID:{escape_text(record.id + '@' + ctx.authority)}",
             f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
             f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
             f"SUMMARY:{escape_text(clean(record.title) or record.id)}"]
    where = place_text(record)
    if where:
        lines.append(f"LOCATION:{escape_text(where)}")
    lines.append(f"DESCRIPTION:{escape_text(description(record, ctx))}")
    categories = topic_titles(record, ctx.taxonomy)
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in categories))
    if ctx.site_url:  # a URL property must be absolute; without a site URL there is none
        lines.append(f"URL;VALUE=URI:{ctx.url(meeting_path(record), '')}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


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
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:Briefing meetings"]
    used: dict[int, tuple[tuple[object, ...], str]] = {}
    events = [_event_text(record, ctx, stamp, used) for record in dated]
    _EVENTS.clear()
    _EVENTS.update(used)
    head = "".join(fold(line) + "\r\n" for line in lines)
    return head + "".join(events) + "END:VCALENDAR\r\n"


# The folded VEVENT of each meeting in the last calendar, by record identity, with what it
# was made from (see ``PublishContext.record_deps``): a live preview remakes only edits.
_EVENTS: dict[int, tuple[tuple[object, ...], str]] = {}


def _event_text(record: MeetingRecord, ctx: PublishContext, stamp: str,
                used: dict[int, tuple[tuple[object, ...], str]]) -> str:
    deps = (*ctx.record_deps(record), stamp)
    kept = _EVENTS.get(id(record))
    if kept is not None and kept[0] == deps:
        text = kept[1]
    else:
        text = "".join(fold(line) + "\r\n" for line in event_lines(record, ctx, stamp))
    used[id(record)] = (deps, text)
    return text
