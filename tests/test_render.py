"""Rendering records to Markdown: golden pages, escaping, determinism, writing.

Refresh the golden pages with ``make golden`` (``BRIEFING_UPDATE_GOLDEN=1``, which refreshes
the ingest goldens too) and review the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as htmllib
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import BriefingError
from generator.knowledge.people import PeopleDirectory, Person, Role
from generator.knowledge.taxonomy import Taxonomy, Topic
from generator.models import (
    ArticleRecord,
    Corpus,
    Evidence,
    Location,
    MeetingRecord,
    NearDuplicate,
    Participant,
    Quote,
    QuoteVariant,
    RenderedPage,
)
from generator.site.escape import clean_text, md_inline, md_notes
from generator.site.pages import make_environment, render_pages, write_pages

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"
GOLDEN = PROJECT / "tests" / "golden" / "render"
UPDATE = os.environ.get("BRIEFING_UPDATE_GOLDEN") == "1"


@dataclasses.dataclass(frozen=True)
class StubKnowledge:
    """Stands in for generator.knowledge.KnowledgeBase: taxonomy and people data."""

    taxonomy: Taxonomy
    people: PeopleDirectory


TAXONOMY = Taxonomy((Topic("ukraine-russia", "Russia's war against Ukraine"),
                     Topic("china", "China"), Topic("g7", "G7"),
                     Topic("climate", "Climate")))
HAYASHI = Participant("Yoshimasa Hayashi", "Minister for Foreign Affairs", "JP")
BLINKEN = Participant("Antony Blinken", "Secretary of State", "US")
PEOPLE = PeopleDirectory((
    Person("Yoshimasa Hayashi", "Hayashi", "JP", (), (
        Role("Minister for Foreign Affairs", "foreign-minister", dt.date(2021, 11, 10),
             dt.date(2023, 9, 13)),
        Role("Chief Cabinet Secretary", "other", dt.date(2023, 12, 14), None))),))
KB = StubKnowledge(TAXONOMY, PEOPLE)
EVIL_TITLE = "<script>alert(1)</script> meeting {{ 7*7 }}"
EVIL_QUOTE = "See [x](javascript:alert(1)) and ![i](http://e.x/i.png) {% raw %} <b>bold</b>"


def ev(field: str, article: str, line: int, text: str) -> Evidence:
    return Evidence(field, article, line, text)


def sample_corpus() -> Corpus:
    """Three meetings (one undated phone call), three articles, one near-duplicate pair."""
    melbourne = MeetingRecord(
        id="2022-02-11-melbourne", title="Hayashi–Blinken meeting in Melbourne",
        date=dt.date(2022, 2, 11), date_basis="weekday-before-publication",
        location=Location("Melbourne", "AU"), format="in_person", setting="sidelines",
        occasion="Quad Foreign Ministers' Meeting", participants=(HAYASHI, BLINKEN),
        topics=("ukraine-russia", "china"), sources=("a_one", "a_two"),
        quotes=(Quote("strongly opposed unilateral attempts", None, ("a_one", "a_two"),
                      (QuoteVariant("firmly opposed unilateral attempts", "a_two"),)),),
        duration_minutes=20,
        summary=(ev("summary", "a_one", 1, "The top diplomats vowed support."),),
        outcomes=(ev("outcomes", "a_one", 4, "agreed to continue close coordination"),),
        evidence=(ev("date", "a_one", 1, "on Friday"),
                  ev("location", "a_one", 3, "in Australia"),
                  ev("topics.china", "a_one", 9, "East and South China Seas"),
                  ev("topics.ukraine-russia", "a_one", 1, "sovereignty of Ukraine")),
        body="Checked against the readout.\n\n- second source is a paraphrase\n")
    call = MeetingRecord(
        id="undated-hayashi-blinken-call", title=EVIL_TITLE, date=None,
        date_basis="unknown", location=None, format="phone", setting="standalone",
        occasion=None, participants=(BLINKEN, HAYASHI), topics=("ukraine-russia",),
        sources=("a_three",), quotes=(Quote(EVIL_QUOTE, "Antony Blinken", ("a_three",)),),
        evidence=(ev("topics.ukraine-russia", "a_three", 2, "*Ukraine* | `code`"),))
    karuizawa = MeetingRecord(
        id="2023-04-17-karuizawa", title="G7 talks in Karuizawa",
        date=dt.date(2023, 4, 17), date_basis="stated", location=Location("Karuizawa", "JP"),
        format="in_person", setting="multilateral", occasion="G7 Foreign Ministers' Meeting",
        participants=(HAYASHI,), topics=("g7",), sources=("a_three",))
    articles = (
        ArticleRecord("a_one", "seeds/a_one.txt", "1" * 64, "Japan, US vow support",
                      "Anadolu Agency", None, ("2022-02-11-melbourne",),
                      (NearDuplicate("a_two", 0.87),), rights="All rights reserved."),
        ArticleRecord("a_two", "seeds/a_two.txt", "2" * 64, None, None, dt.date(2022, 2, 11),
                      ("2022-02-11-melbourne",), (NearDuplicate("a_one", 0.87),)),
        ArticleRecord("a_three", "seeds/a_three.txt", "3" * 64, "Calls & talks", "Kyodo News",
                      dt.date(2023, 4, 17), ("2023-04-17-karuizawa",)),
    )
    return Corpus((melbourne, call, karuizawa), articles)


def golden_name(page: RenderedPage) -> str:
    return page.path.replace("/", "__")


def test_pages_match_golden_files() -> None:
    pages = render_pages(sample_corpus(), KB, TEMPLATES)
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in GOLDEN.glob("*.md"):
            stale.unlink()
        for page in pages:
            (GOLDEN / golden_name(page)).write_text(page.markdown, "utf-8")
    expected = {p.name: p.read_text("utf-8") for p in sorted(GOLDEN.glob("*.md"))}
    assert sorted(expected) == sorted(golden_name(p) for p in pages)
    for page in pages:
        assert page.markdown == expected[golden_name(page)], page.path


def test_one_page_per_meeting_topic_and_person() -> None:
    paths = [p.path for p in render_pages(sample_corpus(), KB, TEMPLATES)]
    assert paths == sorted(paths)
    assert paths == [
        "data.md", "index.md", "meetings/2022-02-11-melbourne.md", "meetings/2022.md",
        "meetings/2023-04-17-karuizawa.md", "meetings/2023.md", "meetings/index.md",
        "meetings/undated-hayashi-blinken-call.md", "meetings/undated.md",
        "people/antony-blinken.md", "people/index.md", "people/yoshimasa-hayashi.md",
        "timeline.md", "timeline/2022.md", "timeline/2023.md", "timeline/undated.md",
        "topics/china.md", "topics/g7.md", "topics/index.md",
        "topics/ukraine-russia.md"]  # no page for "climate": no meeting carries it


# the Markdown extensions mkdocs.yml enables (the ones the pages use)
EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "toc",
              "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"]


def html_of(page: RenderedPage) -> str:
    _, _, body = page.markdown.split("---\n", 2)
    return markdown.markdown(body, extensions=EXTENSIONS)


def test_untrusted_text_renders_inert() -> None:
    pages = {p.path: p for p in render_pages(sample_corpus(), KB, TEMPLATES)}
    for path in ("meetings/undated-hayashi-blinken-call.md", "index.md", "timeline/undated.md",
                 "topics/ukraine-russia.md", "meetings/index.md", "meetings/undated.md",
                 "people/antony-blinken.md"):
        html = html_of(pages[path])
        assert "<script" not in html and "<b>" not in html, path
        assert "javascript:" not in re.findall(r'href="([^"]*)"', html), path
        assert "<img" not in html, path
        assert "{{ 7*7 }}" in htmllib.unescape(html) and "49" not in html, path
        assert "{{" not in html and "{%" not in html, path  # nothing left for a macro plugin
    call = html_of(pages["meetings/undated-hayashi-blinken-call.md"])
    assert "[x](javascript:alert(1))" in call
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in call
    assert "*Ukraine* | `code`" in call
    assert "<code>" not in call and "<em>Ukraine</em>" not in call


def test_front_matter_is_yaml_and_html_safe() -> None:
    pages = {p.path: p for p in render_pages(sample_corpus(), KB, TEMPLATES)}
    meta = yaml.safe_load(pages["meetings/undated-hayashi-blinken-call.md"].markdown
                          .split("---\n", 2)[1])
    assert htmllib.unescape(meta["title"]) == EVIL_TITLE
    assert "<" not in meta["title"] and "{" not in meta["title"]
    assert meta["tags"] == ["Russia's war against Ukraine"]
    assert "<" not in meta["description"]


def test_links_point_only_to_generated_pages() -> None:
    pages = render_pages(sample_corpus(), KB, TEMPLATES)
    paths = {p.path for p in pages}
    for page in pages:
        for target in re.findall(r'href="([^"]*)"', html_of(page)):
            if target.startswith("#"):
                continue
            target = target.split("#", 1)[0]
            resolved = os.path.normpath(os.path.join(os.path.dirname(page.path), target))
            assert resolved in paths, (page.path, target)


def test_output_does_not_depend_on_record_order() -> None:
    corpus = sample_corpus()
    shuffled = Corpus(tuple(reversed(corpus.meetings)), tuple(reversed(corpus.articles)))
    assert render_pages(corpus, KB, TEMPLATES) == render_pages(shuffled, KB, TEMPLATES)


def test_meeting_page_facts() -> None:
    pages = {p.path: p.markdown for p in render_pages(sample_corpus(), KB, TEMPLATES)}
    page = pages["meetings/2022-02-11-melbourne.md"]
    assert "| Date | Friday, 11 February 2022 |" in page
    assert "    - How the date was found: weekday-before-publication" in page
    assert "| Duration | 20 minutes |" in page
    assert "| Place | Melbourne, Australia |" in page
    assert "close paraphrase of *Japan, US vow support* (file a\\_one, similarity 0.87)" in page
    assert "rights: All rights reserved\\." not in page  # the full stop needs no escape
    assert "rights: All rights reserved." in page
    call = pages["meetings/undated-hayashi-blinken-call.md"]
    assert "| Place | phone call |" in call and "| Date | undated" in call
    meetings = pages["meetings/index.md"]
    assert (meetings.index("- [2023](../meetings/2023.md): 1 meeting")
            < meetings.index("- [2022](../meetings/2022.md): 1 meeting")
            < meetings.index("- [Undated](../meetings/undated.md): 1 meeting"))


def test_missing_template_and_undefined_value_name_the_template(tmp_path: Path) -> None:
    with pytest.raises(BriefingError, match="home.md.j2"):
        render_pages(sample_corpus(), KB, tmp_path)
    for path in TEMPLATES.glob("*.j2"):
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (tmp_path / "timeline.md.j2").write_text("{{ site.no_such_thing }}\n", "utf-8")
    with pytest.raises(BriefingError, match=r"timeline\.md\.j2.*no_such_thing"):
        render_pages(sample_corpus(), KB, tmp_path)


def test_unescaped_expressions_are_escaped_by_the_environment() -> None:
    env = make_environment(TEMPLATES)
    assert env.from_string("{{ x }}").render(x="<b>[a](b)</b>") == (
        "&lt;b&gt;\\[a\\]\\(b\\)&lt;/b&gt;")
    assert env.from_string("{{ x }}").render(x="{% raw %}") == "&#123;% raw %&#125;"
    assert env.from_string("{{ x | md }}").render(x="*a*") == "\\*a\\*"


def test_write_pages_writes_only_changed_files(tmp_path: Path) -> None:
    pages = [RenderedPage("index.md", "# A\n"), RenderedPage("meetings/x.md", "# X\n")]
    assert write_pages(pages, tmp_path) == 2
    assert (tmp_path / "meetings" / "x.md").read_text("utf-8") == "# X\n"
    stamp = (tmp_path / "index.md").stat().st_mtime_ns
    assert write_pages(pages, tmp_path) == 0
    assert (tmp_path / "index.md").stat().st_mtime_ns == stamp
    assert write_pages([RenderedPage("index.md", "# B\n")], tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.md", "meetings"]


@pytest.mark.parametrize("path", ["../escape.md", "/abs.md", "meetings/../../x.md"])
def test_write_pages_refuses_paths_outside_the_folder(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="leaves the output folder"):
        write_pages([RenderedPage(path, "x")], tmp_path / "out")


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1, max_size=40)


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@given(TEXT)
def test_md_inline_renders_exactly_the_text(text: str) -> None:
    # exactly the text, less what no output carries (bidi controls, zero-width characters)
    collapsed = " ".join(clean_text(text).split())
    html = markdown.markdown(md_inline(text), extensions=["tables", "toc"])
    if not collapsed:
        assert html == ""
        return
    shown = visible(html)
    assert shown.startswith("<p>") and shown.endswith("</p>")
    inner = shown[3:-4]
    assert "<" not in inner  # no element at all, only text and entities
    assert htmllib.unescape(inner) == collapsed


@given(st.lists(TEXT, min_size=1, max_size=4))
def test_md_notes_never_yields_markup_beyond_paragraphs_and_lists(lines: list[str]) -> None:
    html = markdown.markdown(md_notes("\n".join(lines)), extensions=["tables", "toc"])
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "ul", "li"}


PUBLISHED = ("book.md", "calendar/meetings.ics", "data/briefing.json", "data/meetings.csv",
             "feeds/meetings.xml", "feeds/topics/china.xml", "feeds/topics/g7.xml",
             "feeds/topics/ukraine-russia.xml")


def test_feeds_and_data_are_linked_only_when_published() -> None:
    bare = {p.path: p.markdown for p in render_pages(sample_corpus(), KB, TEMPLATES)}
    assert ".xml" not in bare["data.md"] and ".ics" not in bare["index.md"]
    assert "feeds/" not in bare["topics/china.md"]
    pages = {p.path: p.markdown
             for p in render_pages(sample_corpus(), KB, TEMPLATES, published=PUBLISHED)}
    data = pages["data.md"]
    for path in PUBLISHED:
        assert f"]({path})" in data, path
    assert "](feeds/meetings.xml)" in pages["index.md"]
    assert "](calendar/meetings.ics)" in pages["index.md"]
    assert "](../feeds/topics/china.xml)" in pages["topics/china.md"]


def test_meeting_brief_shows_summary_variants_and_evidence_blocks() -> None:
    pages = {p.path: p for p in render_pages(sample_corpus(), KB, TEMPLATES)}
    page = pages["meetings/2022-02-11-melbourne.md"]
    assert "- The top diplomats vowed support. (source 1, line 1)" in page.markdown
    assert "— speaker not known, in 2 sources (source 1, source 2)" in page.markdown
    html = html_of(page)
    assert '<details class="evidence">' in html and "Evidence for the place" in html
    assert "<td>source 2</td>\n<td>“firmly opposed unilateral attempts”</td>" in html
    assert "Evidence for the duration" not in html  # no evidence recorded for it


def test_previous_and_next_meeting_of_the_same_counterparts() -> None:
    corpus = sample_corpus()
    melbourne = corpus.meetings[0]
    later = dataclasses.replace(melbourne, id="2022-03-01-tokyo", title="Tokyo talks",
                                date=dt.date(2022, 3, 1), participants=(BLINKEN, HAYASHI))
    pages = {p.path: p.markdown for p in render_pages(
        Corpus((*corpus.meetings, later), corpus.articles), KB, TEMPLATES)}
    first = pages["meetings/2022-02-11-melbourne.md"]
    assert "## More meetings of Japan–United States" in first
    assert "- Next: [Tokyo talks](../meetings/2022-03-01-tokyo.md), Tuesday, 1 March 2022" in first
    assert "Previous:" not in first
    second = pages["meetings/2022-03-01-tokyo.md"]
    assert "- Previous: [Hayashi–Blinken meeting in Melbourne]" in second
    assert "More meetings of" not in pages["meetings/2023-04-17-karuizawa.md"]


def test_person_roles_over_time_come_from_the_people_data() -> None:
    pages = {p.path: p.markdown for p in render_pages(sample_corpus(), KB, TEMPLATES)}
    hayashi = pages["people/yoshimasa-hayashi.md"]
    assert ("- Minister for Foreign Affairs, Japan: from 10 November 2021 to 13 September 2023"
            in hayashi)
    assert "- Chief Cabinet Secretary, Japan: from 14 December 2023 (in office)" in hayashi
    blinken = pages["people/antony-blinken.md"]  # not in the people data: roles as recorded
    assert "- Secretary of State, United States (as the meetings record it)" in blinken


def timeline_entries(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<div class="briefing-meeting" data-format="([^"]*)" '
                      r'data-people="([^"]*)" data-topics="([^"]*)">', html)


def test_timeline_entries_carry_filter_attributes() -> None:
    pages = {p.path: p for p in render_pages(sample_corpus(), KB, TEMPLATES)}
    html = html_of(pages["timeline.md"])  # the latest year, and links to every year
    for control in ("filter-topic", "filter-person", "filter-format"):
        assert f'<select id="{control}">\n<option value="">' in html
    assert timeline_entries(html) == [("in_person", "yoshimasa-hayashi", "g7")]
    for year in ("2023", "2022", "undated"):
        assert f'href="timeline/{year}.md"' in html
    entries = [entry for year in ("2022", "2023", "undated")
               for entry in timeline_entries(html_of(pages[f"timeline/{year}.md"]))]
    assert entries == [("in_person", "antony-blinken yoshimasa-hayashi", "china ukraine-russia"),
                       ("in_person", "yoshimasa-hayashi", "g7"),
                       ("phone", "antony-blinken yoshimasa-hayashi", "ukraine-russia")]
    undated = html_of(pages["timeline/undated.md"])
    assert "<option value=\"ukraine-russia\">Russia&#x27;s war against Ukraine</option>" in undated
    assert '<option value="g7">' not in undated  # the filter offers what the page shows
    assert '<option value="in_person">' in undated  # every format, on every page


def fulltext_corpus() -> Corpus:
    def article(aid: str, rights: str | None = None) -> ArticleRecord:
        return ArticleRecord(aid, f"seeds/{aid}.txt", "0" * 64, aid.replace("_", " "), None,
                             None, ("2024-01-02-oslo",), rights=rights)
    meeting = MeetingRecord(
        id="2024-01-02-oslo", title="Oslo talks", date=dt.date(2024, 1, 2), date_basis="stated",
        location=Location("Oslo", "NO"), format="in_person", setting="standalone",
        occasion=None, participants=(HAYASHI,), topics=(),
        sources=("free_text", "outside", "quiet_copyright", "reserved_text"))
    articles = (article("free_text"), article("quiet_copyright"), article("reserved_text"),
                dataclasses.replace(article("outside"), source_file="../../etc/hostname"))
    return Corpus((meeting,), articles)


def test_whole_text_only_on_request_and_only_without_rights_notice() -> None:
    root = PROJECT / "tests" / "data" / "site_fulltext"
    default = render_pages(fulltext_corpus(), KB, TEMPLATES, root=root)
    assert not [p for p in default if p.path.startswith("articles/")]
    assert "Whole text" not in "".join(p.markdown for p in default)
    pages = {p.path: p.markdown
             for p in render_pages(fulltext_corpus(), KB, TEMPLATES, full_text=True, root=root)}
    assert [p for p in pages if p.startswith("articles/")] == ["articles/free_text.md"]
    text = pages["articles/free_text.md"]
    assert "They discussed energy security and the war in Ukraine at length." in text
    assert "[Whole text of source 1](../articles/free_text.md)" in pages[
        "meetings/2024-01-02-oslo.md"]


SEEDS_GOLDEN = PROJECT / "tests" / "golden" / "seeds"


def test_seed_meeting_pages_match_golden_files() -> None:
    """The committed content/ records, rendered with the shipped knowledge base."""
    from generator.pipeline import load

    corpus, kb = load(PROJECT / "content")
    assert corpus.meetings and not corpus.problems
    pages = [p for p in render_pages(corpus, kb, TEMPLATES)
             if p.path.startswith("meetings/")
             and not re.fullmatch(r"meetings/(index|undated|[0-9]{4})(/.*)?\.md", p.path)]
    if UPDATE:
        SEEDS_GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in SEEDS_GOLDEN.glob("*.md"):
            stale.unlink()
        for page in pages:
            (SEEDS_GOLDEN / Path(page.path).name).write_text(page.markdown, "utf-8")
    expected = {p.name: p.read_text("utf-8") for p in sorted(SEEDS_GOLDEN.glob("*.md"))}
    assert sorted(expected) == sorted(Path(p.path).name for p in pages)
    for page in pages:
        assert page.markdown == expected[Path(page.path).name], page.path


def test_plugin_option_full_text_builds_article_pages(site_project: Any) -> None:
    """``full_text: true`` in mkdocs.yml: pages for the seeds without a rights notice only."""
    config = site_project.root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "full_text: false" in text
    config.write_text(text.replace("full_text: false", "full_text: true"), "utf-8")
    result = subprocess.run(site_project.mkdocs("build", "--strict", "--quiet"),
                            cwd=site_project.root, env=site_project.env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    site = site_project.root / "site"
    built = sorted(p.parent.name for p in site.glob("articles/*/index.html"))
    notices = sorted(p.stem for p in (site_project.root / "seeds").glob("*.txt")
                     if "rights reserved" in p.read_text("utf-8").casefold())
    assert built and notices and not set(built) & set(notices)


def test_meeting_pages_rendered_in_a_pool_equal_those_rendered_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site import pages as render

    monkeypatch.setattr(render, "PARALLEL_MIN", 10_000)
    here = render_pages(sample_corpus(), KB, TEMPLATES)
    monkeypatch.setattr(render, "PARALLEL_MIN", 1)  # a pool of forked processes
    assert render_pages(sample_corpus(), KB, TEMPLATES) == here
    for path in TEMPLATES.glob("*.j2"):
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (tmp_path / "meeting.md.j2").write_text("{{ m.no_such_thing }}\n", "utf-8")
    with pytest.raises(BriefingError, match=r"meeting\.md\.j2.*no_such_thing"):
        render_pages(sample_corpus(), KB, tmp_path)  # an error in a worker, as it is here
