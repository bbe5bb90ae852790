"""publish_pages: the published files, the exports, the briefing book and its print styles."""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import icalendar
import markdown
import pytest

from generator.knowledge.taxonomy import Taxonomy, Topic
from generator.models import Corpus
from generator.pipeline import load
from generator.records.store import load_corpus
from generator.site.escape import md_inline
from generator.site.export import export_csv, export_json
from generator.site.publish import BRIEF_CLASS, publish_pages

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "pub_hostile"
TEMPLATES = ROOT / "templates"
PRINT_CSS = ROOT / "docs" / "assets" / "print.css"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# the Markdown extensions of mkdocs.yml that the book's briefs use
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details",
              "pymdownx.superfences"]


TAXONOMY = Taxonomy((Topic("china", "China"), Topic("g7", "G7"),
                     Topic("ukraine-russia", "Russia's war against Ukraine")))


def hostile() -> Corpus:
    corpus = load_corpus(DATA)
    assert not corpus.problems
    return corpus


def pages_of(corpus: Corpus, site_url: str | None = None) -> dict[str, str]:
    pages = publish_pages(corpus, TAXONOMY, TEMPLATES, site_url, environ={})
    assert [p.path for p in pages] == sorted(p.path for p in pages)
    return {p.path: p.markdown for p in pages}


def test_every_published_file_at_its_contract_path() -> None:
    assert sorted(pages_of(hostile())) == [
        "book.md", "calendar/meetings.ics", "data/briefing.json", "data/meetings.csv",
        "feeds/meetings.xml", "feeds/topics/china.xml", "feeds/topics/g7.xml",
        "feeds/topics/ukraine-russia.xml"]


def test_data_files_are_the_exports() -> None:
    corpus = hostile()
    pages = pages_of(corpus)
    assert pages["data/briefing.json"] == export_json(corpus)
    assert pages["data/meetings.csv"] == export_csv(corpus)
    assert len(json.loads(pages["data/briefing.json"])["meetings"]) == 4


def test_same_bytes_twice_and_whatever_the_record_order() -> None:
    corpus = hostile()
    shuffled = Corpus(tuple(reversed(corpus.meetings)), tuple(reversed(corpus.articles)))
    assert pages_of(corpus, "https://example.org/") == pages_of(shuffled, "https://example.org/")


def test_source_date_epoch_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    pages = {p.path: p.markdown for p in publish_pages(hostile(), TAXONOMY, TEMPLATES, None)}
    assert "DTSTAMP:19700102T000000Z\r\n" in pages["calendar/meetings.ics"]


def book_html(text: str) -> str:
    _, _, body = text.split("---\n", 2)
    return markdown.markdown(body, extensions=EXTENSIONS)


def test_book_has_every_meeting_in_date_order_each_on_a_new_page() -> None:
    corpus = hostile()
    book = pages_of(corpus)["book.md"]
    headings = re.findall(r"^# (.+)$", book, flags=re.M)[1:]  # after "# Briefing book"
    assert headings == [md_inline(corpus.meetings[i].title) for i in (0, 1, 2, 3)]
    assert [m.id for m in corpus.meetings] == [  # by id: the order the records load in
        "2022-02-26-call", "2023-05-01-paris", "undated-unknown", "undated-video"]
    assert book.count(f'<div class="{BRIEF_CLASS}"></div>') == len(corpus.meetings)
    assert "## " not in book.split(f'<div class="{BRIEF_CLASS}">')[0]  # no brief before one
    html = book_html(book)
    assert html.count(f'<div class="{BRIEF_CLASS}"></div>') == len(corpus.meetings)
    assert len(re.findall(rf'<div class="{BRIEF_CLASS}"></div>\s*<h1', html)) == 4
    assert "meetings/2023-05-01-paris.md" in book and "people/antony-blinken.md" in book


def test_book_shows_hostile_text_inert() -> None:
    html = book_html(pages_of(hostile())["book.md"])
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert "{{" not in html
    text = htmllib.unescape(html)
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text
    assert "All rights reserved <b>." in text


def test_book_of_an_empty_corpus() -> None:
    book = pages_of(Corpus((), ()))["book.md"]
    assert "No meetings recorded yet." in book and "## " not in book


def test_seed_records_publish_completely() -> None:
    corpus, kb = load(ROOT / "content")
    assert corpus.meetings
    pages = {p.path: p.markdown
             for p in publish_pages(corpus, kb.taxonomy, TEMPLATES, None, environ={})}
    feed = feedparser.parse(pages["feeds/meetings.xml"].encode())
    assert feed.bozo == 0 and len(feed.entries) == len(corpus.meetings)
    for topic in {t for m in corpus.meetings for t in m.topics}:
        assert feedparser.parse(pages[f"feeds/topics/{topic}.xml"].encode()).bozo == 0
    cal = icalendar.Calendar.from_ical(pages["calendar/meetings.ics"].encode())
    dated = sorted(f"{m.id}@briefing.invalid" for m in corpus.meetings if m.date)
    assert sorted(str(e["UID"]) for e in cal.walk("VEVENT")) == dated
    for record in corpus.meetings:
        assert f"\n# {md_inline(record.title)}\n" in pages["book.md"], record.id
    karuizawa = [e for e in feed.entries if "Karuizawa" in e.summary]
    assert karuizawa and all(e.updated_parsed[:3] == (2023, 4, 17) for e in karuizawa)


# --- the print stylesheet -----------------------------------------------------------------


def test_print_stylesheet_rules() -> None:
    css = PRINT_CSS.read_text("utf-8")
    assert css.count("@media print") == 1
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary",
                     ".md-footer", ".md-search", 'a[href^="http"]::after',
                     f".{BRIEF_CLASS}", "details::details-content", "@page"):
        assert selector in css, selector
    assert css.count("{") == css.count("}")


@pytest.fixture(scope="module")
def book_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Material site holding only the book page and the print stylesheet."""
    project = tmp_path_factory.mktemp("book")
    docs = project / "docs"
    (docs / "assets").mkdir(parents=True)
    shutil.copy2(PRINT_CSS, docs / "assets" / "print.css")
    book = pages_of(hostile())["book.md"]
    book += '\n<details><summary>More</summary><p id="hidden-part">Folded text</p></details>\n'
    book += "\n[External](https://example.org/page)\n"
    (docs / "book.md").write_text(book, "utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Book\ntheme:\n  name: material\n  font: false\n"
        "extra_css:\n  - assets/print.css\nmarkdown_extensions:\n"
        + "".join(f"  - {name}\n" for name in EXTENSIONS if name != "toc")
        + "  - toc:\n      permalink: true\n", "utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project,
                   check=True)
    return project / "site" / "book" / "index.html"


def browser_or_skip() -> object:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI=true but Chromium is missing")
        pytest.skip("Chromium is not installed")
    return pytest.importorskip("playwright.sync_api")


def test_book_prints_one_brief_per_page_without_navigation(book_site: Path) -> None:
    api = browser_or_skip()
    with api.sync_playwright() as p:  # type: ignore[attr-defined]
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.goto(book_site.as_uri())
        page.emulate_media(media="print")
        for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary",
                         ".md-footer"):
            shown = page.eval_on_selector_all(
                selector, "els => els.filter(e => getComputedStyle(e).display !== 'none')"
                ".length")
            assert shown == 0, selector
        breaks = page.eval_on_selector_all(
            f".{BRIEF_CLASS} + h1", "els => els.map(e => getComputedStyle(e).breakBefore)")
        assert breaks == ["page"] * 4
        after = page.eval_on_selector(
            'a[href="https://example.org/page"]',
            "e => getComputedStyle(e, '::after').content")
        assert "https://example.org/page" in after
        assert page.is_visible("#hidden-part")  # a closed <details> prints expanded
        evidence = page.locator("details.evidence")
        assert evidence.count() > 0 and not evidence.first.is_visible()  # on the web only
        color = page.eval_on_selector(".md-typeset h1", "e => getComputedStyle(e).color")
        assert color == "rgb(0, 0, 0)"
        with_breaks = pdf_pages(page.pdf(format="A4"))
        page.evaluate(f"document.querySelectorAll('.{BRIEF_CLASS}').forEach(e => e.remove())")
        without_breaks = pdf_pages(page.pdf(format="A4"))
        browser.close()
    assert with_breaks >= 5  # the title page, then each of the four briefs on a new page
    assert with_breaks > without_breaks


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF written by Chromium has (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))
