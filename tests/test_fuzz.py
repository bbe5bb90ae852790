"""Fuzzing with hypothesis, bounded for ``make test`` (each target well under 30 s; more
examples under ``BRIEFING_THOROUGH=1``, see ``examples`` in conftest.py).

- record loading: arbitrary YAML-ish text, and arbitrary Unicode in each field of a valid
  record: loading returns a record or problems naming the file, never another exception; a
  record that loads also renders, and its pages carry no markup that runs;
- front matter: any value written by ``front_matter_value`` reads back through
  ``yaml.safe_load`` as the same text, and placed where the theme puts it (``<title>``,
  ``<meta content>``, unescaped) makes no new element or attribute; analyst notes written by
  ``md_notes`` become no element but paragraphs and lists;
- article reading: arbitrary bytes give text or a skip reason (``SourceError``), never another
  exception.
"""

from __future__ import annotations

import functools
import html
import json
import tempfile
from pathlib import Path

import lxml.html
import markdown
import yaml
from conftest import PROJECT, examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sitesafety import Baseline, check_html

from generator import pipeline
from generator.ingest.sources import SourceError, source_text
from generator.models import SourceArticle
from generator.records.load import read_record_file
from generator.site.escape import WHITESPACE, clean_text, front_matter_value, md_notes

FUZZ = settings(max_examples=examples(250), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
CONFIG = yaml.safe_load((PROJECT / "mkdocs.yml").read_text("utf-8"))
EXTENSIONS = [next(iter(e)) if isinstance(e, dict) else e for e in CONFIG["markdown_extensions"]]

MEETING = """---
id: 2022-08-01-fuzzed-talks
title: {title}
date: 2022-08-01
date_basis: {date_basis}
location:
  city: {city}
  country: JP
format: in_person
setting: standalone
occasion: {occasion}
participants:
- name: {name}
  role: {role}
  country: JP
topics:
- china
sources:
- fuzzed_article
quotes:
- text: {quote}
  speaker: {speaker}
  sources:
  - fuzzed_article
outcomes:
- field: outcomes
  article: fuzzed_article
  line: 3
  text: {outcome}
evidence:
- field: date
  article: fuzzed_article
  line: 2
  text: {evidence}
---
{notes}"""
ARTICLE = """---
id: fuzzed_article
source_file: seeds/fuzzed_article.txt
sha256: {sha}
headline: {headline}
publisher: {publisher}
published: 2022-08-02
meetings:
- 2022-08-01-fuzzed-talks
near_duplicates: []
encoding: utf-8
rights: {rights}
---
"""
FIELDS = ("title", "date_basis", "city", "occasion", "name", "role", "quote", "speaker",
          "outcome", "evidence")
ARTICLE_FIELDS = ("headline", "publisher", "rights")
PLAIN = {**{f: json.dumps(f"plain {f}") for f in FIELDS}, "notes": "",
         "headline": '"A headline"', "publisher": '"Example News"', "rights": '"All rights."'}
HOSTILE = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "\ud800", "\ufffe",
           "??? danger \"x\"", "~~~", "{{ 7*7 }}", "\u202e", "&amp;", "\x85", "="]


def write_records(content: Path, meeting_values: dict[str, str], article_values: dict[str, str]
                  ) -> Path:
    (content / "meetings").mkdir(parents=True, exist_ok=True)
    (content / "articles").mkdir(parents=True, exist_ok=True)
    record = content / "meetings" / "2022-08-01-fuzzed-talks.md"
    record.write_bytes(MEETING.format(**meeting_values).encode("utf-8", "surrogatepass"))
    (content / "articles" / "fuzzed_article.md").write_bytes(
        ARTICLE.format(sha="0" * 64, **article_values).encode("utf-8", "surrogatepass"))
    return record


def converted_pages(content: Path) -> tuple[tuple[object, ...], list[tuple[str, str]]]:
    """The problems of rendering ``content``, and each Markdown page (front matter checked
    to be YAML) converted to HTML as MkDocs converts it."""
    rendered = pipeline.render(content, PROJECT / "templates")
    pages = []
    for page in rendered.pages:
        if not page.path.endswith(".md"):
            continue
        text = page.markdown
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as err:
            raise AssertionError(f"{page.path}: {err.object[err.start:err.end]!a} cannot be "
                                 "written as UTF-8") from err
        if text.startswith("---\n"):
            front, _, text = text[4:].partition("\n---\n")
            assert isinstance(yaml.safe_load(front), dict), page.path
        body = markdown.markdown(text, extensions=EXTENSIONS)
        pages.append((page.path, f"<html><body>{body}</body></html>"))
    return rendered.problems, pages


@functools.cache
def plain_pages() -> Baseline:
    """What the pages of the plain record contain: the templates' own markup."""
    allowed = Baseline()
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        write_records(content, {k: PLAIN[k] for k in (*FIELDS, "notes")},
                      {k: PLAIN[k] for k in ARTICLE_FIELDS})
        for _, page in converted_pages(content)[1]:
            root = lxml.html.document_fromstring(page)
            for element in root.iter():
                if isinstance(element.tag, str):
                    allowed.tags.add(element.tag)
                    allowed.attributes.update((element.tag, a) for a in element.attrib)
    return allowed


def names_file(problems: tuple[object, ...], name: str) -> bool:
    return all(name in str(problem) for problem in problems)


# --- record loading --------------------------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list("-:[]{}&*!|>'\"#%@`,?\n\t abc01\\\ufeff\r"))
                  | st.characters(), max_size=300)


@FUZZ
@given(front=YAMLISH, body=st.text(max_size=50))
@example(front="a: &a [*a]", body="")
@example(front="title: !!python/object/apply:os.system ['true']", body="")
def test_any_front_matter_loads_or_is_a_problem_naming_the_file(front: str, body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2022-08-01-x.md"
        path.write_bytes(f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))
        record = read_record_file(path, "meetings")
    assert record.fields is not None or record.problems
    assert names_file(record.problems, str(path))


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_record_load_or_are_a_problem(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.md"
        path.write_bytes(b"---\n" + data)
        record = read_record_file(path, "articles")
    assert record.fields is not None or record.problems
    assert names_file(record.problems, str(path))


@settings(FUZZ, max_examples=examples(150))
@given(field=st.sampled_from(FIELDS + ARTICLE_FIELDS + ("notes",)),
       value=st.text(max_size=80) | st.sampled_from(HOSTILE))
def test_any_text_in_a_field_is_checked_and_rendered_or_named(field: str, value: str) -> None:
    """Each field of a valid record gets arbitrary Unicode (written as a YAML escape string,
    so a lone surrogate or U+FFFE reaches the loader as written): check either names the
    file, or the record renders and none of its pages has markup that runs."""
    values = {**PLAIN, field: value if field == "notes" else json.dumps(value)}
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        record = write_records(content, {k: values[k] for k in (*FIELDS, "notes")},
                               {k: values[k] for k in ARTICLE_FIELDS})
        checked = pipeline.check(content)
        assert names_file(checked.problems, record.name) or names_file(
            checked.problems, "fuzzed_article")
        problems, pages = converted_pages(content)
    assert checked.problems == problems
    found = [f for path, page in pages for f in check_html(page, plain_pages(), path)]
    assert found == [], found


# --- front matter and notes --------------------------------------------------------------

@FUZZ
@given(value=st.text(max_size=200) | st.sampled_from(HOSTILE))
@example(value='"><script>alert(1)</script>')
@example(value="</title><img src=x onerror=alert(1)>")
def test_front_matter_value_round_trips_and_is_inert_in_the_head(value: str) -> None:
    written = front_matter_value(value)
    loaded = yaml.safe_load(f"title: {written}\n")["title"]
    expected = WHITESPACE.sub(" ", clean_text(value)).strip()
    assert html.unescape(loaded) == expected
    head = (f"<html><head><title>{loaded}</title><meta name=\"description\" "
            f"content=\"{loaded}\"></head><body></body></html>")
    root = lxml.html.document_fromstring(head)
    tags = sorted(str(e.tag) for e in root.iter() if isinstance(e.tag, str))
    assert tags == ["body", "head", "html", "meta", "title"], tags
    assert sorted(root.find(".//meta").attrib) == ["content", "name"]


@FUZZ
@given(notes=st.text(alphabet=st.sampled_from(list("?~`-*>#<[]()!|= \nabcx:/.\"{}")),
                     max_size=120) | st.text(max_size=120))
@example(notes='??? danger "x"\n    body')
@example(notes="~~~\ncode\n~~~")
def test_notes_become_paragraphs_and_lists_only(notes: str) -> None:
    converted = markdown.markdown(md_notes(notes), extensions=EXTENSIONS)
    root = lxml.html.document_fromstring(f"<html><body>{converted}</body></html>")
    tags = {str(e.tag) for e in root.iter() if isinstance(e.tag, str)}
    assert tags <= {"html", "body", "p", "ul", "li"}, (tags, converted)
    assert all(not e.attrib for e in root.iter() if isinstance(e.tag, str))


# --- article reading -------------------------------------------------------------------

@FUZZ
@given(raw=st.binary(max_size=2000)
       | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))
       | st.tuples(st.text(max_size=300), st.sampled_from(
           ["utf-16-le", "utf-16", "utf-32", "shift_jis", "gb18030", "cp1252", "utf-8-sig"]))
       .map(lambda p: p[0].encode(p[1], "ignore")))
@example(raw=b"\x00")
@example(raw=b"\xff\xfe\x00")
@example(raw=b"a\rb\rc")
def test_any_bytes_give_an_article_or_a_skip_reason(raw: bytes) -> None:
    try:
        article = source_text(raw, Path("seeds/fuzzed.txt"), "seeds/fuzzed.txt")
    except SourceError as err:
        assert "seeds/fuzzed.txt" in str(err.args[0])
        return
    assert isinstance(article, SourceArticle) and article.text.strip()
