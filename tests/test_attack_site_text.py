"""Hand-edited record text in every output: no spreadsheet formula in the CSV tables, no
block syntax of the site's Markdown extensions, no invisible reordering characters, and
front matter escaped once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from mkdocs.utils.meta import get_data

import generator
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.models import (
    ArticleRecord,
    Corpus,
    Location,
    MeetingRecord,
    Participant,
    Quote,
)
from generator.site.export import export_csv
from generator.site.pages import render_pages
from generator.site.publish import publish_pages

# the project of the code under test (its templates go with it)
PROJECT = Path(generator.__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"
# bidi embeddings, overrides, isolates and marks; zero-width characters; the byte order mark
INVISIBLE = ("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066"
             "\u2067\u2068\u2069\ufeff\u061c")


@cache
def knowledge() -> KnowledgeBase:
    return load_knowledge(None)


def meeting(**fields: Any) -> MeetingRecord:
    values: dict[str, Any] = {
        "id": "2024-01-02-x", "title": "Talks", "date": dt.date(2024, 1, 2),
        "date_basis": "stated", "location": Location("Tokyo", "JP"), "format": "in_person",
        "setting": "standalone", "occasion": None,
        "participants": (Participant("Penny Wong", None, "AU"),),
        "topics": ("china",), "sources": ("art",),
    }
    values.update(fields)
    return MeetingRecord(**values)


def corpus_of(record: MeetingRecord, publisher: str | None = None) -> Corpus:
    article = ArticleRecord("art", "seeds/art.txt", "0" * 64, "Headline", publisher,
                            dt.date(2024, 1, 3), (record.id,))
    return Corpus((record,), (article,))


def published(corpus: Corpus) -> dict[str, str]:
    return {page.path: page.markdown
            for page in publish_pages(corpus, knowledge().taxonomy, TEMPLATES, None, {})}


# --- CSV: no cell a spreadsheet would run as a formula

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "  =1+1"]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_that_would_start_a_formula_get_a_quote_in_front(formula: str) -> None:
    record = meeting(title=formula, occasion=formula, location=Location(formula, "JP"),
                     participants=(Participant(formula, formula, "JP"),))
    corpus = corpus_of(record)
    for text in (export_csv(corpus), published(corpus)["data/meetings.csv"]):
        row, = rows(text)
        for column in ("title", "occasion", "city", "participants", "participant_roles"):
            assert row[column].startswith("'"), (column, row[column])


def test_csv_cells_keep_ordinary_text_as_it_is() -> None:
    record = meeting(title="Talks = progress", occasion="G7 + partners")
    row, = rows(export_csv(corpus_of(record)))
    assert row["title"] == "Talks = progress" and row["occasion"] == "G7 + partners"


# --- Markdown: no block syntax of the site's extensions from record text

@cache
def site_markdown() -> tuple[list[str], dict[str, dict[str, Any]]]:
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text("utf-8"))
    names: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, settings), = item.items()
            names.append(name)
            options[name] = settings or {}
        else:
            names.append(item)
    return names, options


def to_html(page: str) -> str:
    body, _ = get_data(page)
    names, options = site_markdown()
    return markdown.Markdown(extensions=names, extension_configs=options).convert(body)


BLOCKS = ["??? note \"Opened\"\n    hidden", "???+ warning\n    shown", "~~~\ncode\n~~~",
          "```\ncode\n```", "!!! danger \"Boom\"\n    text", "=== \"Tab\"\n    tab text",
          "::: block\ntext\n:::", "Term\n: definition"]
BLOCK_MARKUP = re.compile(r"<(details|pre|code|summary|dl|dt)\b|class=\"(admonition|tabbed)")


def block_markup(block: str, root: Path) -> dict[str, list[str]]:
    """The block elements of the meeting and article pages with ``block`` in the notes, a
    quote and the article's text."""
    record = meeting(body=f"Notes.\n\n{block}\n\nEnd.",
                     quotes=(Quote(block, "Penny Wong", ("art",)),))
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / "art.txt").write_text(f"Opening line.\n\n{block}\n\nClosing line.\n",
                                            "utf-8")
    pages = {page.path: page.markdown
             for page in render_pages(corpus_of(record), knowledge(), TEMPLATES,
                                      full_text=True, root=root)}
    return {path: BLOCK_MARKUP.findall(to_html(pages[path]))
            for path in ("articles/art.md", "meetings/2024-01-02-x.md")}


@pytest.mark.parametrize("block", BLOCKS)
def test_block_syntax_in_notes_and_texts_is_only_text(block: str, tmp_path: Path) -> None:
    # the templates' own blocks (the evidence details) are there either way
    assert block_markup(block, tmp_path) == block_markup("Plain words.", tmp_path)


# --- invisible characters: removed from every output

def test_bidi_and_zero_width_characters_reach_no_output(tmp_path: Path) -> None:
    hostile = f"Evil{INVISIBLE}Talks"
    record = meeting(title=hostile, occasion=hostile, location=Location(hostile, "JP"),
                     participants=(Participant(f"Penny{INVISIBLE} Wong", hostile, "AU"),),
                     body=f"Note {INVISIBLE} here")
    corpus = corpus_of(record, publisher=hostile)
    outputs = published(corpus)
    outputs.update({page.path: page.markdown
                    for page in render_pages(corpus, knowledge(), TEMPLATES)})
    for name in ("data/meetings.csv", "feeds/meetings.xml", "calendar/meetings.ics",
                 "meetings/2024-01-02-x.md", "index.md"):
        assert name in outputs
    for path, text in sorted(outputs.items()):
        if path == "data/briefing.json":
            continue  # the data export keeps the records as they are (JSON escapes them)
        found = sorted({f"U+{ord(c):04X}" for c in text if c in INVISIBLE})
        assert found == [], path
    assert "EvilTalks" in outputs["feeds/meetings.xml"]
    assert "EvilTalks" in outputs["calendar/meetings.ics"]


# --- front matter: escaped once

def test_the_description_escapes_the_place_once() -> None:
    record = meeting(location=Location("Port & <Spain>", "TT"))
    page = next(page for page in render_pages(corpus_of(record), knowledge(), TEMPLATES)
                if page.path == "meetings/2024-01-02-x.md")
    _, meta = get_data(page.markdown)
    assert meta["description"] == ("Talks: Tuesday, 2 January 2024, "
                                   "Port &amp; &lt;Spain&gt;, Trinidad and Tobago")
    assert "&amp;amp;" not in page.markdown and "\\&" not in meta["description"]
