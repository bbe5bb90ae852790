"""No meeting, topic, person or article takes the file of one of the site's own pages (an
index, a year page), whatever its case, and no two pages share a file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path

from mkdocs.utils.meta import get_data

import generator
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.models import (
    ArticleRecord,
    Corpus,
    Location,
    MeetingRecord,
    Participant,
)
from generator.site.pages import render_pages
from generator.site.publish import publish_pages

# the project of the code under test (its templates go with it)
PROJECT = Path(generator.__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"


@cache
def knowledge() -> KnowledgeBase:
    return load_knowledge(None)


def meeting(identifier: str, day: int, people: tuple[str, ...], topics: tuple[str, ...]
            ) -> MeetingRecord:
    return MeetingRecord(
        id=identifier, title=f"Talks {identifier}", date=dt.date(2024, 1, day),
        date_basis="stated", location=Location("Tokyo", "JP"), format="in_person",
        setting="standalone", occasion=None,
        participants=tuple(Participant(name, None, "JP") for name in people),
        topics=topics, sources=("index",))


def hostile_corpus() -> Corpus:
    meetings = (meeting("index", 2, ("Index", "Penny Wong"), ("index", "china")),
                meeting("2024-01-03-undated", 3, ("INDEX",), ("Index",)),
                meeting("undated", 4, ("Yoshimasa Hayashi",), ("china",)))
    article = ArticleRecord("index", "seeds/index.txt", "0" * 64, "Headline", None,
                            dt.date(2024, 1, 3), tuple(m.id for m in meetings))
    return Corpus(meetings, (article,))


def pages_of(corpus: Corpus, root: Path) -> dict[str, str]:
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / "index.txt").write_text("An article with no rights notice.\n", "utf-8")
    pages = render_pages(corpus, knowledge(), TEMPLATES, full_text=True, root=root)
    found = Counter(page.path.casefold() for page in pages)
    assert [path for path, n in found.items() if n > 1] == []
    return {page.path: page.markdown for page in pages}


def title(page: str) -> object:
    return get_data(page)[1].get("title")


def test_a_person_named_index_keeps_the_people_index(tmp_path: Path) -> None:
    pages = pages_of(hostile_corpus(), tmp_path)
    assert title(pages["people/index.md"]) == "People"
    persons = [path for path, text in pages.items()
               if path.startswith("people/") and title(text) in ("Index", "INDEX")]
    assert persons == ["people/index-2.md"]  # "Index" and "INDEX" are one person
    assert "(index-2.md)" in pages["people/index.md"]


def test_a_topic_or_meeting_named_like_an_index_gets_a_page_of_its_own(tmp_path: Path
                                                                       ) -> None:
    pages = pages_of(hostile_corpus(), tmp_path)
    assert title(pages["topics/index.md"]) == "Topics"
    assert title(pages["meetings/index.md"]) == "Meetings"
    own = sorted(path for path in pages if path.startswith("topics/index-"))
    assert len(own) == 2  # "index" and "Index" are two topics, with two pages
    meetings = [path for path, text in pages.items()
                if path.startswith("meetings/") and str(title(text)).startswith("Talks ")]
    assert len(meetings) == 3
    assert all(p not in ("meetings/index.md", "meetings/undated.md") for p in meetings)
    assert "articles/index.md" not in pages
    assert [p for p in pages if p.startswith("articles/index-")]


def test_topic_feeds_follow_the_topic_pages(tmp_path: Path) -> None:
    corpus = hostile_corpus()
    pages = pages_of(corpus, tmp_path)
    feeds = {page.path for page in publish_pages(corpus, knowledge().taxonomy, TEMPLATES,
                                                 None, {})
             if page.path.startswith("feeds/topics/")}
    topics = {path.removeprefix("topics/").removesuffix(".md") for path in pages
              if path.startswith("topics/") and path.count("/") == 1 and
              path != "topics/index.md"}
    assert feeds == {f"feeds/topics/{slug}.xml" for slug in topics}
