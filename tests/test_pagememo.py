"""The page memo of the live preview: after an edit, the memo renders only the pages that
show the edited record, and the site is exactly the one a full render gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from test_scale import TAXONOMY, TEMPLATES, Knowledge, meeting

from generator.models import ArticleRecord, Corpus, RenderedPage
from generator.site.memo import PageMemo, templates_digest
from generator.site.pages import render_pages
from generator.site.paginate import PAGE_SIZE
from generator.site.publish import BOOK_PART, BOOK_PATH, publish_pages

COUNT = 3 * PAGE_SIZE  # enough for paged years, topics, people and book parts


def corpus(title_of_7: str | None = None) -> Corpus:
    meetings = [meeting(n) for n in range(1, COUNT + 1)]
    if title_of_7 is not None:
        meetings[6] = dataclasses.replace(meetings[6], title=title_of_7)
    articles = tuple(ArticleRecord(m.sources[0], f"seeds/{m.sources[0]}.txt", "0" * 64,
                                   f"Headline {m.id}", "Wire", m.date, (m.id,))
                     for m in meetings)
    return Corpus(tuple(meetings), articles)


def site(data: Corpus, memo: PageMemo | None, templates: Path = TEMPLATES
         ) -> dict[str, str]:
    published = publish_pages(data, TAXONOMY, templates, None, {}, memo=memo)
    pages: tuple[RenderedPage, ...] = render_pages(
        data, Knowledge(), templates, published=tuple(p.path for p in published), memo=memo)
    if memo is not None:
        memo.end_round()
    return {p.path: p.markdown for p in (*published, *pages)}


def test_an_edit_renders_only_what_shows_it_and_gives_the_full_site() -> None:
    memo = PageMemo()
    first = site(corpus(), memo)
    assert first == site(corpus(), None)
    rendered = memo.misses
    memo.hits = memo.misses = 0
    assert site(corpus(), memo) == first and memo.misses == 0  # nothing changed
    edited = site(corpus("A title edited by an analyst"), memo)
    assert edited == site(corpus("A title edited by an analyst"), None)
    changed = {path for path in edited if edited[path] != first.get(path)}
    assert "A title edited by an analyst" in "".join(edited[p] for p in changed)
    # the meeting, its neighbours, its topics', people's, year and book pages: not the rest
    assert 0 < memo.misses < rendered / 4, (memo.misses, rendered)


def test_a_long_book_is_cut_into_parts_listed_on_book_md() -> None:
    pages = site(corpus(), None)
    parts = sorted(path for path in pages if path.startswith("book/"))
    assert parts and all(pages[p].count('class="briefing-brief"') <= BOOK_PART for p in parts)
    assert sum(pages[p].count('class="briefing-brief"') for p in parts) == COUNT
    assert all(f"]({p})" in pages[BOOK_PATH] for p in parts)
    assert "](../meetings/" in pages[parts[0]] and "](meetings/" not in pages[parts[0]]


def test_a_template_edit_renders_every_page_again(tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    copy.mkdir()
    for path in TEMPLATES.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    memo = PageMemo()
    site(corpus(), memo, copy)
    digest = templates_digest(copy)
    meeting_template = copy / "meeting.md.j2"
    meeting_template.write_text(meeting_template.read_text("utf-8") + "\nEdited template.\n",
                                "utf-8")
    assert templates_digest(copy) != digest
    memo.hits = memo.misses = 0
    pages = site(corpus(), memo, copy)
    assert all("Edited template." in text for path, text in pages.items()
               if "-meeting-" in path and path.startswith("meetings/"))
