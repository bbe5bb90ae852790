"""Property: rendering arbitrary text in any untrusted slot never yields executable HTML.

Every value an article or a hand edit can carry (title, names, roles, place, occasion, quotes,
speakers, variants, evidence, summary, outcomes, notes, headline, publisher, rights and the
whole article text) is drawn by hypothesis, rendered through ``render_pages`` and the briefing
book, then turned into HTML by Python-Markdown with the extensions of ``mkdocs.yml`` (as MkDocs
does), and scanned with the site checker's rules. Derandomized in CI by tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.knowledge import KnowledgeBase, load_knowledge
from generator.models import (
    ArticleRecord,
    Corpus,
    Evidence,
    Location,
    MeetingRecord,
    Participant,
    Quote,
    QuoteVariant,
)
from generator.site.escape import (
    HTML_ENTITIES,
    LINE_START,
    LINE_START_ENTITY,
    MARKDOWN_SPECIAL,
    WHITESPACE,
    clean_text,
    md_inline,
)
from generator.site.htmlscan import check_html
from generator.site.pages import render_pages
from generator.site.publish import render_book

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"
# Pieces of every injection the issue names, mixed with arbitrary text by the strategy.
FRAGMENTS = [
    "<script>", "</script>", "alert(1)", "<img src=x onerror=alert(1)>", "<svg onload=",
    "<iframe src=", "<!--", "-->", "javascript:", "JaVaScRiPt:", "&#106;avascript:", "data:",
    "vbscript:", "[a](", "[a][r]", "[r]: ", "](", ")", "![i](", "<", ">", "&", "&amp;",
    "\n", "\n\n", "\r", "\t", "    ", "# ", "> ", "---", "===", "| a |", "- [ ] ", "* ", "1. ",
    "{{ 7*7 }}", "{%", "%}", "{% raw %}", "{:", "}", 'onclick="alert(1)"', '"', "'", "`",
    "```", "~~~", "*", "_", "\\", "--8<-- ", ';--8<-- "README.md"', "!!! note ", "??? x ",
    '=== "t"', "*[HTML]: ", "<div markdown>", "</div>", "<a href=", " ", "\u2028", "\x00",
]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)),
                max_size=12).map("".join)
OPTIONAL = st.one_of(st.none(), TEXT)
SLOTS = ("title", "name", "role", "city", "occasion", "quote", "speaker", "variant",
         "evidence", "summary", "outcome", "notes", "headline", "publisher", "rights",
         "article")


@cache
def site_markdown() -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions of mkdocs.yml and their settings, as MkDocs passes them."""
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text("utf-8"))
    names: list[str] = []
    settings_: dict[str, dict[str, Any]] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, options), = item.items()
            names.append(name)
            settings_[name] = options or {}
        else:
            names.append(item)
    return names, settings_


@cache
def knowledge() -> KnowledgeBase:
    return load_knowledge(None)


def to_html(page_markdown: str) -> str:
    """A page as the site shows it: front matter values in the head, the body as HTML."""
    body, meta = get_data(page_markdown)
    names, configs = site_markdown()
    html = markdown.Markdown(extensions=names, extension_configs=configs).convert(body)
    head = "".join(f'<title>{meta.get("title", "")}</title>'
                   f'<meta name="description" content="{meta.get("description", "")}">'
                   for _ in (0,))
    return head + html


def corpus_of(v: dict[str, Any]) -> Corpus:
    """One meeting and its article, every untrusted slot filled from ``v``."""
    ev = lambda field, text: Evidence(field, "art", 2, text)  # noqa: E731
    record = MeetingRecord(
        id="2024-01-02-x", title=v["title"], date=dt.date(2024, 1, 2), date_basis="stated",
        location=Location(v["city"], "JP"), format="in_person", setting="standalone",
        occasion=v["occasion"], participants=(Participant(v["name"], v["role"], "JP"),
                                              Participant("Penny Wong", None, "AU")),
        topics=("china",), sources=("art",),
        quotes=(Quote(v["quote"], v["speaker"], ("art",), (QuoteVariant(v["variant"], "art"),)),),
        outcomes=(ev("outcomes", v["outcome"]),), summary=(ev("summary", v["summary"]),),
        evidence=(ev("topics.china", v["evidence"]), ev("date", v["evidence"]),
                  ev(v["evidence"] or "remarks", v["evidence"])),
        body=v["notes"])
    article = ArticleRecord("art", "seeds/art.txt", "0" * 64, v["headline"], v["publisher"],
                            dt.date(2024, 1, 3), (record.id,), rights=v["rights"])
    return Corpus((record,), (article,))


def rendered_html(v: dict[str, Any]) -> dict[str, str]:
    """Every page (and the book) rendered from ``v``, as HTML, by page path."""
    corpus = corpus_of(v)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "seeds").mkdir()
        (root / "seeds" / "art.txt").write_text(v["article"], "utf-8")
        pages = render_pages(corpus, knowledge(), TEMPLATES, full_text=True, root=root)
    pages += tuple(render_book(corpus, knowledge().taxonomy, TEMPLATES))
    return {page.path: to_html(page.markdown) for page in pages}


def unsafe(pages: dict[str, str]) -> list[str]:
    return [str(p) for path, html in sorted(pages.items()) for p in check_html(html, path)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({slot: TEXT for slot in SLOTS}))
def test_arbitrary_text_in_every_slot_never_renders_executable_html(values: dict[str, Any]
                                                                    ) -> None:
    assert unsafe(rendered_html(values)) == []


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(SLOTS), TEXT)
@example("title", "[a](javascript:\x7f")  # YAML holds no DEL: the front matter was refused
@example("title", "[a](javascript:alert(1)) \ufffe")
@example("name", "[a](javascript:alert(1)) \x85\x9f")
def test_arbitrary_text_in_one_slot_never_renders_executable_html(slot: str, text: str
                                                                  ) -> None:
    values: dict[str, Any] = {name: "plain" for name in SLOTS}
    values[slot] = text
    assert unsafe(rendered_html(values)) == []


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "[a](javascript:alert(1))", "<a href=\"JaVaScRiPt:alert(1)\">a</a>",
    "[a](&#106;avascript:alert(1))", "[a][r]\n\n[r]: vbscript:alert(1)",
])
def test_the_check_would_catch_markup_that_was_not_escaped(payload: str) -> None:
    names, configs = site_markdown()
    raw = markdown.Markdown(extensions=names, extension_configs=configs).convert(payload)
    assert check_html(raw, "raw.md"), raw
    # ... and the same payload in a title renders inert
    values: dict[str, Any] = {name: "plain" for name in SLOTS}
    values["title"] = payload
    pages = rendered_html(values)
    assert unsafe(pages) == []
    assert any("alert(1)" in html for html in pages.values())


def _inline_one_char_at_a_time(value: str) -> str:
    """md_inline as first written, one character at a time: the reference for the table."""
    text = WHITESPACE.sub(" ", clean_text(value)).strip()
    out: list[str] = []
    if text[:1] in LINE_START_ENTITY:
        out.append(LINE_START_ENTITY[text[0]])
        text = text[1:]
    start = LINE_START.match(text)
    if start:
        out.append(start[0][:-1] + "\\" + start[0][-1])
        text = text[len(start[0]):]
    for char in text:
        if char in HTML_ENTITIES:
            out.append(HTML_ENTITIES[char])
        elif char in MARKDOWN_SPECIAL:
            out.append("\\" + char)
        elif not (ord(char) < 32 or 0x7F <= ord(char) < 0xA0):
            out.append(char)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_inline_escaping_by_table_equals_the_character_loop(value: str) -> None:
    assert md_inline(value) == _inline_one_char_at_a_time(value)
