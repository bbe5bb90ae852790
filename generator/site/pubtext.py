"""Plain-text views of meetings for the published files (feeds, calendar): no Markdown.

Feeds and the calendar carry text, not Markdown, so record values are only cleaned here
(whitespace collapsed, and what no output may carry removed by ``escape.clean_text``: the
characters XML 1.0 forbids, bidi controls, zero-width characters); each writer escapes for
its own format (feedgen for the Atom feeds, icalendar for the calendar).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from generator.knowledge.countries import english_name
from generator.models import ArticleRecord, MeetingRecord, Participant
from generator.site.escape import clean_text, format_day
from generator.site.pages import TopicTitles, topic_title
from generator.site.views import meeting_slug

WHITESPACE = re.compile(r"\s+")
FORMAT_TEXT = {"in_person": "in person", "phone": "phone call", "video": "video call"}
CALL_PLACE = {"phone": "Phone call", "video": "Video call"}
# Tag URIs (RFC 4151) name an authority and a date at which it held the name; both are fixed
# so that an entry keeps its id whatever changes in its record.
DEFAULT_AUTHORITY = "briefing.invalid"
TAG_DATE = "2024"


@dataclass(frozen=True)
class PublishContext:
    """What every published file needs besides the meetings themselves."""

    site_url: str | None
    taxonomy: TopicTitles
    articles: dict[str, ArticleRecord]

    def record_deps(self, record: MeetingRecord) -> tuple[object, ...]:
        """What a published text of ``record`` is made from besides the record: the site
        URL, the taxonomy and the record's source articles. Records and articles loaded
        again unchanged are the same objects (see ``generator.records.store``), so comparing these
        tuples is quick, and a text can be kept from one build of a live preview to the
        next while they compare equal."""
        return (record, self.site_url, self.taxonomy,
                *(self.articles.get(key) for key in record.sources))

    @property
    def authority(self) -> str:
        """The host of ``site_url`` (for tag URIs and UIDs), or a reserved placeholder."""
        host = urlsplit(self.site_url or "").hostname
        return host.lower() if host else DEFAULT_AUTHORITY

    def tag(self, specific: str) -> str:
        """A stable ``tag:`` URI for ``specific`` (``meeting/<id>``, ``feed/meetings``)."""
        return f"tag:{self.authority},{TAG_DATE}:{quote(specific, safe='/-._~')}"

    def url(self, target: str, base_folder: str) -> str:
        """The link to site path ``target`` (``meetings/x/``) from a file in ``base_folder``.

        Absolute under ``site_url`` when it is set, else relative to ``base_folder``.
        """
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + target
        relative = posixpath.relpath(target, base_folder or ".")
        return relative + "/" if target.endswith("/") else relative


def clean(value: object) -> str:
    """``value`` as one line of text: cleaned (``escape.clean_text``), whitespace collapsed."""
    return WHITESPACE.sub(" ", clean_text(value)).strip()


def place_text(record: MeetingRecord) -> str:
    """``Melbourne, Australia``, ``Phone call``, ``Video call``, or ``""`` when not known."""
    if record.format in CALL_PLACE:
        return CALL_PLACE[record.format]
    if record.location is None:
        return ""
    parts = (clean(record.location.city), clean(english_name(record.location.country)))
    return ", ".join(p for p in parts if p)


def participant_text(participant: Participant) -> str:
    """``Antony Blinken (Secretary of State, United States)``."""
    details = [clean(participant.role), clean(english_name(participant.country))]
    shown = ", ".join(d for d in details if d)
    name = clean(participant.name)
    return f"{name} ({shown})" if shown else name


def topic_titles(record: MeetingRecord, taxonomy: TopicTitles) -> list[str]:
    """The titles of a meeting's topics, sorted as the meeting page lists them."""
    return [clean(topic_title(taxonomy, t))
            for t in sorted(set(record.topics), key=lambda t: (topic_title(taxonomy, t), t))]


def publishers(record: MeetingRecord, articles: dict[str, ArticleRecord]) -> list[str]:
    """The distinct publishers of a meeting's sources, sorted."""
    names = {clean(articles[s].publisher) for s in record.sources
             if s in articles and articles[s].publisher}
    return sorted(n for n in names if n)


def summary_text(record: MeetingRecord, taxonomy: TopicTitles) -> str:
    """One paragraph: date, place and format, occasion, participants, topics."""
    where = [p for p in (place_text(record), FORMAT_TEXT.get(record.format, "")) if p]
    if record.format in CALL_PLACE:
        where = where[:1]
    if record.occasion:
        where.append(clean(record.occasion))
    parts = [f"{format_day(record.date)}" + (f" — {'; '.join(where)}" if where else "") + "."]
    people = [participant_text(p) for p in record.participants]
    parts.append("Participants: " + ("; ".join(people) if people else "none recorded") + ".")
    topics = topic_titles(record, taxonomy)
    parts.append("Topics: " + ("; ".join(topics) if topics else "none recorded") + ".")
    return " ".join(parts)


def meeting_path(record: MeetingRecord) -> str:
    """The site path of a meeting's page (directory URLs): ``meetings/<slug>/``."""
    return f"meetings/{meeting_slug(record.id)}/"


def newest_first(record: MeetingRecord) -> tuple[int, str]:
    """Sort key: newest dated meeting first, ties by id (undated ones are not passed in)."""
    return (-(record.date or dt.date.min).toordinal(), record.id)
