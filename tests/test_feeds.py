"""Atom feeds and the iCalendar file, parsed back with real parsers (feedparser, icalendar)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser
import icalendar
import pytest

from generator.errors import BriefingError
from generator.knowledge.taxonomy import Taxonomy, Topic
from generator.models import Corpus, Location, MeetingRecord, Participant
from generator.records.store import load_corpus
from generator.site.atom import FEED_CAP, site_feed, topic_feeds
from generator.site.ical import calendar_text
from generator.site.pubtext import PublishContext

DATA = Path(__file__).resolve().parent / "data" / "pub_hostile"
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://example.org/briefing/"
HOSTILE_TITLE = '<script>alert(1)</script> & "quoted" ]]> {{ 7*7 }} talks'


TAXONOMY = Taxonomy((Topic("china", "China"), Topic("g7", "G7 <b>& friends</b>"),
                     Topic("ukraine-russia", "Russia's war against Ukraine")))


def corpus() -> Corpus:
    loaded = load_corpus(DATA)
    assert not loaded.problems and len(loaded.meetings) == 4
    return loaded


def context(corpus: Corpus, site_url: str | None = None) -> PublishContext:
    return PublishContext(site_url, TAXONOMY, {a.id: a for a in corpus.articles})


def parse_feed(text: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(text.encode("utf-8"))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_site_feed_parses_newest_first_with_dates_links_and_ids() -> None:
    c = corpus()
    path, xml = site_feed(c.meetings, context(c, SITE))
    assert path == "feeds/meetings.xml"
    feed = parse_feed(xml)
    assert feed.version == "atom10"
    # the undated meeting without any publication date cannot be dated: left out
    assert [e.id.rsplit(":", 1)[1] for e in feed.entries] == [
        "meeting/2023-05-01-paris", "meeting/2022-02-26-call", "meeting/undated-video"]
    assert [e.updated_parsed[:3] for e in feed.entries] == [(2023, 5, 1), (2022, 2, 26),
                                                            (2021, 6, 1)]
    assert feed.feed.updated_parsed[:3] == (2023, 5, 1)
    assert feed.entries[0].link == SITE + "meetings/2023-05-01-paris/"
    assert all(e.id.startswith("tag:example.org,2024:meeting/") for e in feed.entries)
    assert any(link.rel == "self" and link.href == SITE + "feeds/meetings.xml"
               for link in feed.feed.links)


def test_entry_summary_and_authors_come_from_the_record_and_sources() -> None:
    c = corpus()
    feed = parse_feed(site_feed(c.meetings, context(c))[1])
    call = next(e for e in feed.entries if e.id.endswith("2022-02-26-call"))
    assert call.summary_detail.type == "text/plain"
    assert call.summary.startswith("Saturday, 26 February 2022 — Phone call.")
    assert "Yoshimasa Hayashi (Minister for Foreign Affairs, Japan)" in call.summary
    assert "Antony Blinken (Secretary of State, United States)" in call.summary
    assert "Topics: Russia's war against Ukraine." in call.summary
    assert call.author == "Kyodo News"
    assert [t.term for t in call.tags] == ["ukraine-russia"]


def test_relative_links_resolve_to_the_meeting_page_from_the_feed() -> None:
    c = corpus()
    ctx = context(c)
    for path, xml in [site_feed(c.meetings, ctx), *topic_feeds(c.meetings, ctx)]:
        feed = parse_feed(xml)
        assert feed.entries, path
        for entry in feed.entries:
            meeting = entry.id.rsplit("meeting/", 1)[1]
            base = "https://host.test/site/" + path
            assert urljoin(base, entry.link) == f"https://host.test/site/meetings/{meeting}/"
        assert "rel=\"self\"" not in xml  # no absolute address is known


def test_one_feed_per_topic_with_only_its_meetings() -> None:
    c = corpus()
    feeds = dict(topic_feeds(c.meetings, context(c, SITE)))
    assert sorted(feeds) == ["feeds/topics/china.xml", "feeds/topics/g7.xml",
                             "feeds/topics/ukraine-russia.xml"]
    g7 = parse_feed(feeds["feeds/topics/g7.xml"])
    assert g7.feed.title == "Briefing: G7 <b>& friends</b>"
    assert [e.id.rsplit("/", 1)[1] for e in g7.entries] == ["2023-05-01-paris",
                                                            "undated-video"]
    china = parse_feed(feeds["feeds/topics/china.xml"])
    assert [e.id.rsplit("/", 1)[1] for e in china.entries] == ["2023-05-01-paris"]


def test_hostile_text_keeps_the_feed_well_formed_and_inert() -> None:
    c = corpus()
    xml = site_feed(c.meetings, context(c))[1]
    root = ET.fromstring(xml.encode("utf-8"))  # well-formed, or this raises
    tags = {el.tag.removeprefix(ATOM) for el in root.iter()}
    assert tags <= {"feed", "title", "id", "updated", "published", "link", "author", "name",
                    "generator", "entry", "category", "summary"}
    assert "<script" not in xml and "<b>" not in xml and "<![CDATA[" not in xml
    assert "]]>" not in xml  # escaped as ]]&gt;
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == HOSTILE_TITLE
    summary = entry.find(f"{ATOM}summary")
    assert summary is not None and summary.get("type") == "text"
    assert "Paris & <b>Nice</b>; \"Cannes\", ]]>, France" in (summary.text or "")
    parsed = parse_feed(xml)
    assert parsed.entries[0].title == HOSTILE_TITLE
    assert parsed.entries[0].author == 'Evil & <Co> "News"'


def test_control_characters_are_dropped() -> None:
    c = corpus()
    broken = dataclasses.replace(c.meetings[0], title="Talks\x00\x01\x1b[31m\ufffe done")
    xml = site_feed((broken,), context(c))[1]
    ET.fromstring(xml.encode("utf-8"))
    assert parse_feed(xml).entries[0].title == "Talks[31m done"


def meeting(number: int) -> MeetingRecord:
    day = dt.date(2020, 1, 1) + dt.timedelta(days=number)
    return MeetingRecord(f"m-{number:03d}", f"Meeting {number}", day, "stated",
                         Location("Tokyo", "JP"), "in_person", "standalone", None,
                         (Participant("A B", None, None),), ("china",), ())


def test_feed_is_capped_at_the_newest_meetings() -> None:
    meetings = tuple(meeting(n) for n in range(FEED_CAP + 10))
    feed = parse_feed(site_feed(meetings, context(Corpus(meetings, ())))[1])
    assert len(feed.entries) == FEED_CAP
    assert feed.entries[0].title == f"Meeting {FEED_CAP + 9}"
    assert feed.entries[-1].title == "Meeting 10"


def test_feeds_are_byte_identical_whatever_the_record_order() -> None:
    c = corpus()
    forward = site_feed(c.meetings, context(c))[1]
    backward = site_feed(tuple(reversed(c.meetings)), context(c))[1]
    assert forward == backward


# --- iCalendar -------------------------------------------------------------------------


def events(text: str) -> list[Any]:
    """The VEVENTs of a calendar (typed ``Any``: icalendar's property types are a wide union)."""
    cal = icalendar.Calendar.from_ical(text.encode("utf-8"))
    return list(cal.walk("VEVENT"))


def test_calendar_has_one_all_day_event_per_dated_meeting() -> None:
    c = corpus()
    text = calendar_text(c.meetings, context(c, SITE), environ={})
    found = {str(e["UID"]): e for e in events(text)}
    assert sorted(found) == ["2022-02-26-call@example.org", "2023-05-01-paris@example.org"]
    call = found["2022-02-26-call@example.org"]
    assert call["DTSTART"].dt == dt.date(2022, 2, 26)
    assert call["DTEND"].dt == dt.date(2022, 2, 27)
    assert str(call["LOCATION"]) == "Phone call"
    assert str(call["SUMMARY"]).startswith("林芳正外務大臣とブリンケン国務長官の電話会談")
    assert str(call["URL"]) == SITE + "meetings/2022-02-26-call/"
    description = str(call["DESCRIPTION"])
    assert "Antony Blinken (Secretary of State, United States)" in description
    assert "Topics: Russia's war against Ukraine" in description
    # DTSTAMP without SOURCE_DATE_EPOCH: the newest meeting day, for every event
    assert {e["DTSTAMP"].dt for e in found.values()} == {
        dt.datetime(2023, 5, 1, tzinfo=dt.UTC)}


def test_calendar_text_is_escaped_and_round_trips() -> None:
    c = corpus()
    paris = next(e for e in events(calendar_text(c.meetings, context(c), environ={}))
                 if str(e["UID"]).startswith("2023-05-01-paris@"))
    assert str(paris["SUMMARY"]) == HOSTILE_TITLE
    assert str(paris["LOCATION"]) == 'Paris & <b>Nice</b>; "Cannes", ]]>, France'
    assert "Minister; of, Things\\n, France" in str(paris["DESCRIPTION"])
    assert str(paris["UID"]) == "2023-05-01-paris@briefing.invalid"
    assert "URL" not in paris  # no absolute address without a site URL


def test_calendar_lines_are_crlf_and_folded_at_75_octets() -> None:
    c = corpus()
    text = calendar_text(c.meetings, context(c), environ={})
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long title was folded
    text.encode("utf-8")  # folding never splits a character into invalid UTF-8


def unfold(text: str) -> list[str]:
    """The content lines of a calendar, folded lines joined again (RFC 5545 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")[:-1]


@pytest.mark.parametrize("title", ["A" * 300, "é" * 100, "林" * 60 + "🌏" * 5])
def test_long_titles_fold_at_75_octets_and_unfold_whole(title: str) -> None:
    c = corpus()
    long = dataclasses.replace(c.meetings[0], title=title)
    text = calendar_text((long,), context(c), environ={})
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert f"SUMMARY:{title}" in unfold(text)


def test_text_values_are_escaped() -> None:
    c = corpus()
    odd = dataclasses.replace(c.meetings[0], title="a\\b;c,d\ne")
    text = calendar_text((odd,), context(c), environ={})
    assert "SUMMARY:a\\\\b\\;c\\,d e" in unfold(text)  # the line break was cleaned away
    assert str(events(text)[0]["SUMMARY"]) == "a\\b;c,d e"


def test_calendar_dtstamp_follows_source_date_epoch() -> None:
    c = corpus()
    text = calendar_text(c.meetings, context(c), environ={"SOURCE_DATE_EPOCH": "1700000000"})
    assert {e["DTSTAMP"].dt for e in events(text)} == {
        dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)}
    assert "DTSTAMP:20231114T221320Z\r\n" in text


def test_calendar_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    c = corpus()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert "DTSTAMP:19700101T000000Z" in calendar_text(c.meetings, context(c))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BriefingError, match="SOURCE_DATE_EPOCH: not a Unix time"):
        calendar_text(c.meetings, context(c))


def test_calendar_is_byte_identical_twice_and_whatever_the_order() -> None:
    c = corpus()
    first = calendar_text(c.meetings, context(c), environ={})
    assert calendar_text(tuple(reversed(c.meetings)), context(c), environ={}) == first
    uids = [str(e["UID"]) for e in events(first)]
    assert len(uids) == len(set(uids))
