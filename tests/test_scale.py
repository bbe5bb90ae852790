"""The site's Markdown grows linearly with the number of meetings: every list page is bounded.

A synthetic corpus (meetings spread over ten years, eight topics, twenty people) is rendered
at two sizes; no page may list more than the page bound of meetings, the largest page must
stay about the same size and the total size must grow in proportion.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest

from generator.knowledge.people import PeopleDirectory
from generator.knowledge.taxonomy import Taxonomy, Topic
from generator.models import (
    ArticleRecord,
    Corpus,
    Evidence,
    Location,
    MeetingRecord,
    Participant,
    RenderedPage,
)
from generator.site.pages import render_pages
from generator.site.paginate import PAGE_SIZE, RECENT_MEETINGS, RECENT_ON_PAGE

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TOPICS = ("ukraine-russia", "china", "g7", "climate", "trade", "energy", "korea", "sanctions")
TAXONOMY = Taxonomy(tuple(Topic(t, t.replace("-", " ").title()) for t in TOPICS))
COUNTRIES = ("JP", "US", "DE", "FR", "GB", "IT", "CA", "AU")
PEOPLE = tuple(Participant(f"Minister {chr(65 + i // 8)}{i % 8} Example", "Minister",
                           COUNTRIES[i % len(COUNTRIES)]) for i in range(20))
FORMATS = ("in_person", "phone", "video")
MEETING_LINK = re.compile(r"\]\((?:\.\./)*meetings/([^)/]+)\.md\)")
YEAR_PAGE = re.compile(r"(?:index|undated|[0-9]{4})")
LARGEST = 200_000  # bytes: no Markdown page may reach this


class Knowledge:
    """The taxonomy of the synthetic corpus and an empty people directory."""

    taxonomy = TAXONOMY
    people = PeopleDirectory(())


def meeting(n: int) -> MeetingRecord:
    """The n-th synthetic meeting: a date in 2015–2024 (every 97th undated), 2 topics, 2 people."""
    date = None if n % 97 == 0 else dt.date(2015, 1, 1) + dt.timedelta(days=(n * 7919) % 3650)
    first, second = PEOPLE[n % 20], PEOPLE[(n * 7 + 3) % 20]
    if first == second:
        second = PEOPLE[(n + 1) % 20]
    topics = (TOPICS[n % 8], TOPICS[(n * 3 + 1) % 8])
    ident = f"{date.isoformat() if date else 'undated'}-meeting-{n:05d}"
    return MeetingRecord(
        id=ident, title=f"Talks number {n} between {first.name} and {second.name}", date=date,
        date_basis="stated" if date else "unknown", location=Location("Tokyo", "JP"),
        format=FORMATS[n % 3], setting="standalone", occasion=None,
        participants=(first, second), topics=tuple(sorted(set(topics))), sources=(f"a{n:05d}",),
        summary=(Evidence("summary", f"a{n:05d}", 1, f"The ministers met for talks {n}."),),
        evidence=tuple(Evidence(f"topics.{t}", f"a{n:05d}", 2 + i,
                                f"They discussed {t} at some length in meeting {n}.")
                       for i, t in enumerate(sorted(set(topics)))))


@cache
def rendered(count: int) -> tuple[RenderedPage, ...]:
    meetings = tuple(meeting(n) for n in range(1, count + 1))
    articles = tuple(ArticleRecord(m.sources[0], f"seeds/{m.sources[0]}.txt", "0" * 64,
                                   f"Headline {m.id}", "Wire", m.date, (m.id,))
                     for m in meetings)
    return render_pages(Corpus(meetings, articles), Knowledge(), TEMPLATES)


def size(page: RenderedPage) -> int:
    return len(page.markdown.encode("utf-8"))


def listed(page: RenderedPage) -> set[str]:
    """The meetings a page links to (year pages of the meetings section excluded)."""
    return {s for s in MEETING_LINK.findall(page.markdown) if not YEAR_PAGE.fullmatch(s)}


@pytest.mark.parametrize("count", [500, 2000])
def test_no_page_lists_more_than_the_bound(count: int) -> None:
    pages = rendered(count)
    bound = max(PAGE_SIZE, RECENT_MEETINGS, RECENT_ON_PAGE)
    widest = max(pages, key=lambda p: len(listed(p)))
    assert len(listed(widest)) <= bound, widest.path
    assert max(size(p) for p in pages) < LARGEST


@pytest.mark.parametrize("count", [500, 2000])
def test_every_meeting_is_on_exactly_one_page_of_its_year(count: int) -> None:
    pages = rendered(count)
    years = [p for p in pages if re.fullmatch(r"meetings/(undated|[0-9]{4})(/[0-9]+)?\.md",
                                              p.path)]
    found = [s for p in years for s in sorted(listed(p))]
    assert sorted(found) == sorted({m.id for m in (meeting(n) for n in range(1, count + 1))})
    assert any("/" in p.path.removeprefix("meetings/") for p in years)  # a year split in pages
    topic_years = [p for p in pages if re.fullmatch(r"topics/[a-z-]+/[0-9]{4}\.md", p.path)]
    person_years = [p for p in pages if re.fullmatch(r"people/[a-z0-9-]+/[0-9]{4}\.md", p.path)]
    assert topic_years and person_years


def test_total_size_grows_linearly_and_the_largest_page_stays_put() -> None:
    small, large = rendered(500), rendered(2000)
    total_ratio = sum(map(size, large)) / sum(map(size, small))
    largest_ratio = max(map(size, large)) / max(map(size, small))
    assert total_ratio < 4.5, total_ratio
    assert largest_ratio < 1.5, largest_ratio
    assert len(large) < 4.5 * len(small)
