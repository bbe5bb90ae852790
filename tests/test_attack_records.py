"""Hostile values in hand-edited records: what passes ``briefing check`` always builds.

A value that no writer can take (a lone surrogate, a date whose next day or timestamp is out
of range, a line number no consumer holds) is refused where records are loaded, with the
file, line and column; ``check`` reports the same, and every command skips the bad record and
finishes the others.

Fixture: ``tests/data/records_attack/content`` holds two valid meetings and their articles;
each case rewrites one line of one of them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import examples
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.cli import cli
from generator.knowledge import load_knowledge
from generator.records.fields import normalise, record_text
from generator.records.schema import parse_record_text
from generator.records.store import check_content, load_corpus

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "records_attack" / "content"
TEMPLATES = Path(__file__).parents[1] / "templates"
VICTIM = "2024-03-04-wong-kamikawa-meeting-canberra"
OTHER = "2022-02-26-hayashi-blinken-call"
MEETING = f"meetings/{VICTIM}.md"
ARTICLE = "articles/article.md"
SURROGATE = ("character 1 is U+D800, half of a surrogate pair, which no text file can hold "
             "alone; write the character itself")

# case: (file, line as written, hostile line, the problem check reports)
CASES = {
    "title-lone-surrogate": (MEETING, "title: Wong–Kamikawa meeting in Canberra",
                             r'title: "\ud800"', f"3:1: title: {SURROGATE}"),
    "low-surrogate-in-role": (MEETING, "  role: Minister for Foreign Affairs",
                              r'  role: "Minister \udfff"',
                              "15:3: participants[0].role: character 10 is U+DFFF, half of a "
                              "surrogate pair, which no text file can hold alone; write the "
                              "character itself"),
    "city-lone-surrogate": (MEETING, "  city: Canberra", r'  city: "\ud800"',
                            f"7:3: location.city: {SURROGATE}"),
    "speaker-lone-surrogate": (MEETING, "  speaker: Penny Wong", r'  speaker: "\ud800"',
                               f"37:3: quotes[0].speaker: {SURROGATE}"),
    "evidence-lone-surrogate": (MEETING, "  text: March 4, 2024", r'  text: "\ud800"',
                                f"57:3: evidence[0].text: {SURROGATE}"),
    "publisher-lone-surrogate": (ARTICLE, "publisher: Reuters", r'publisher: "\ud800"',
                                 f"6:1: publisher: {SURROGATE}"),
    "source-file-lone-surrogate": (ARTICLE, "source_file: seeds/article.txt",
                                   r'source_file: "seeds/\ud800.txt"',
                                   "3:1: source_file: character 7 is U+D800, half of a "
                                   "surrogate pair, which no text file can hold alone; write "
                                   "the character itself"),
    "title-raw-delete": (MEETING, "title: Wong–Kamikawa meeting in Canberra",
                         "title: Wong\x7f", "3:12: invalid YAML: character U+007F is not "
                         "allowed; write it as an escape in a double-quoted string"),
    "source-file-nul": (ARTICLE, "source_file: seeds/article.txt", r'source_file: "seeds/\0.txt"',
                        '3:1: source_file: expected a file path (no control characters), got '
                        '"seeds/\\u0000.txt"'),
    "date-9999-12-31": (MEETING, "date: 2024-03-04", "date: 9999-12-31",
                        "4:1: date: 9999-12-31 is out of range: a date must be from "
                        "1900-01-01 to 2999-12-31"),
    "date-year-1": (MEETING, "date: 2024-03-04", "date: 0001-01-01",
                    "4:1: date: 0001-01-01 is out of range: a date must be from 1900-01-01 to "
                    "2999-12-31"),
    "published-9999-12-31": (ARTICLE, "published: 2024-03-04", "published: '9999-12-31'",
                             "7:1: published: 9999-12-31 is out of range: a date must be from "
                             "1900-01-01 to 2999-12-31"),
    "line-number-huge": (MEETING, "  line: 5", "  line: 99999999999999999999999999999",
                         "51:3: outcomes[2].line: expected a line number, got "
                         "99999999999999999999999999999"),
    "duration-huge": (MEETING, "duration_minutes: null", "duration_minutes: 2147483648",
                      "10:1: duration_minutes: expected a number of minutes, got 2147483648"),
    "variant-source-missing": (MEETING, "  - article", "  - article\n  variants:\n"
                               "  - text: We share a vision\n    source: nowhere",
                               '42:5: quotes[0].variants[0].source: unknown article "nowhere" '
                               "(no file articles/nowhere.md)"),
}


def write_seeds(root: Path) -> None:
    """The article files the fixture's records name, so that their whole texts render."""
    for record in sorted((FIXTURE / "articles").glob("*.md")):
        found = re.search(r"^source_file: (.+)$", record.read_text("utf-8"), re.MULTILINE)
        assert found is not None, record
        (root / found[1]).parent.mkdir(parents=True, exist_ok=True)
        (root / found[1]).write_text(f"Text of {record.stem}.\n", "utf-8")


def hostile_content(tmp_path: Path, case: str) -> tuple[Path, str]:
    """A copy of the fixture with the case's line rewritten; returns it and the problem."""
    name, line, hostile, problem = CASES[case]
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    write_seeds(tmp_path)
    path = content / name
    text = path.read_text("utf-8")
    assert re.search(f"^{re.escape(line)}$", text, re.MULTILINE), line
    path.write_text(text.replace(f"\n{line}\n", f"\n{hostile}\n", 1), "utf-8")
    return content, f"{path}:{problem}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_refuses_the_value_at_its_place(case: str, tmp_path: Path) -> None:
    content, problem = hostile_content(tmp_path, case)
    found = [str(p) for p in check_content(content, load_knowledge().taxonomy.ids)]
    assert problem in found
    assert all(p.encode("utf-8") for p in found)  # a message never holds a lone surrogate


@pytest.mark.parametrize("case", sorted(c for c in CASES if c != "variant-source-missing"))
def test_render_and_export_skip_the_record_and_finish_the_rest(case: str,
                                                               tmp_path: Path) -> None:
    content, problem = hostile_content(tmp_path, case)
    corpus = load_corpus(content, load_knowledge().taxonomy.ids)
    assert [str(p) for p in corpus.problems] == [problem]
    result = pipeline.render(content, TEMPLATES, full_text=True, root=tmp_path)
    assert [str(p) for p in result.problems] == [problem]
    paths = {page.path for page in result.pages}
    assert f"meetings/{OTHER}.md" in paths
    for page in result.pages:
        page.markdown.encode("utf-8")
    exported = pipeline.export(content, "json")
    assert OTHER in [m["id"] for m in json.loads(exported.text)["meetings"]]
    assert OTHER in pipeline.export(content, "csv").text
    assert [str(p) for p in exported.problems] == [problem]


def test_a_surrogate_pair_of_escapes_is_one_character(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    path = content / MEETING
    text = path.read_text("utf-8")
    path.write_text(text.replace("\ntitle: Wong–Kamikawa meeting in Canberra\n",
                                 '\ntitle: "Meeting \\ud83e\\udd1d"\n'), "utf-8")
    corpus = load_corpus(content, load_knowledge().taxonomy.ids)
    assert corpus.problems == ()
    assert [m.title for m in corpus.meetings if m.id == VICTIM] == ["Meeting \U0001f91d"]


def test_a_meeting_id_with_other_digits_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    odd = "٢٠٢٤-03-04-call"  # Arabic-Indic digits: a page slug would lose them
    (content / MEETING).write_text((content / MEETING).read_text("utf-8").replace(
        f"id: {VICTIM}", f"id: {odd}"), "utf-8")
    (content / MEETING).rename(content / "meetings" / f"{odd}.md")
    (content / ARTICLE).write_text((content / ARTICLE).read_text("utf-8").replace(
        f"- {VICTIM}", f"- {odd}"), "utf-8")
    assert [str(p) for p in check_content(content, load_knowledge().taxonomy.ids)] == [
        f'{content / ARTICLE}:9:3: meetings[0]: expected a meeting id, got "{odd}"',
        f"{content}/meetings/{odd}.md:2:1: id: expected a meeting id like "
        f'2022-02-11-melbourne or undated-call, got "{odd}"']


def test_an_unknown_field_named_by_a_surrogate_is_shown_escaped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    path = content / MEETING
    path.write_text(path.read_text("utf-8").replace("\nformat: in_person\n",
                                                    '\nformat: in_person\n"\\ud800": x\n'))
    assert [str(p) for p in check_content(content, load_knowledge().taxonomy.ids)] == [
        f"{path}:10:1: \\ud800: unknown field"]


@pytest.mark.parametrize("command", [
    ["check"], ["export", "--format", "json"], ["export", "--format", "csv"],
    ["render", "--out", "out", "--templates", str(TEMPLATES)]])
def test_every_command_names_the_file_and_exits_1(command: list[str], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    hostile_content(tmp_path, "title-lone-surrogate")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*command, "--content", "content"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"content/{MEETING}:3:1: title: {SURROGATE}"
    if command[0] == "render":
        assert (tmp_path / "out" / "meetings" / f"{OTHER}.md").is_file()
        assert not (tmp_path / "out" / "meetings" / f"{VICTIM}.md").exists()


def test_ingest_leaves_a_record_with_a_surrogate_untouched(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(DATA / "bad_twins" / "lf.txt", seeds / "article.txt")
    content = tmp_path / "content"
    pipeline.ingest(seeds, content, tmp_path)
    record = content / "meetings" / f"{VICTIM}.md"
    text = record.read_text("utf-8")
    hostile = re.sub(r"^title: .*$", r'title: "\\ud800"', text, count=1, flags=re.MULTILINE)
    record.write_text(hostile, "utf-8")
    report = pipeline.ingest(seeds, content, tmp_path, force=True)
    assert record.read_text("utf-8") == hostile
    assert report.save is not None
    assert f"{record}:3:1: title: {SURROGATE}" in report.save.messages()
    assert f"{record}: not updated by ingest until its problems are fixed" in \
        report.save.messages()


# --- property: whatever passes check renders and exports -------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # surrogates, controls, private use, all
EDGES = st.sampled_from(["", " ", "\x00", "\x1b", "\u2028", "\ufeff", "\uffff", "index",
                         "..", "9999-12-31", "0001-01-01", "1899-12-31", "2999-12-31",
                         "<script>", "=1+1", "]]>", "javascript:alert(1)", "\ud800", "a\udfff"])
VALUE = st.one_of(
    st.text(ANY_CHAR, max_size=30), EDGES, st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, 1, 2**31 - 1, 2**31]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates().map(dt.date.isoformat),
    st.lists(st.one_of(st.text(ANY_CHAR, max_size=10), EDGES), max_size=3),
)
# the places of a record a mutation may change, by file
PLACES = {
    MEETING: ("title", "date", "date_basis", "location.city", "location.country", "format",
              "setting", "occasion", "duration_minutes", "participants.0.name",
              "participants.0.role", "participants.0.country", "topics.0", "sources.0",
              "quotes.0.text", "quotes.0.speaker", "quotes.0.sources.0", "outcomes.0.text",
              "outcomes.0.line", "outcomes.0.article", "evidence.0.field", "summary.0.text",
              "location", "participants", "quotes", "evidence.0.line", "summary.0.article",
              "participants.1.name", "quotes.0.variants", "id", "outcomes"),
    ARTICLE: ("source_file", "headline", "publisher", "published", "encoding", "rights",
              "meetings.0", "near_duplicates", "sha256", "meetings"),
}


def front_matter_values(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((FIXTURE / name).read_text("utf-8").split("---\n")[1])
    return json.loads(json.dumps(loaded, default=str))  # dates as ISO strings


def put(values: Any, place: str, value: Any) -> None:
    """Set the value at ``place`` (``quotes.0.text``); nothing when an earlier mutation
    replaced what holds it."""
    *parents, last = place.split(".")
    try:
        for step in parents:
            values = values[int(step)] if isinstance(values, list) else values[step]
        values[int(last) if isinstance(values, list) else last] = value
    except (TypeError, IndexError, KeyError, ValueError):
        pass


def record_file(values: dict[str, Any]) -> str:
    """Front matter as JSON (which is YAML); a lone surrogate written as its escape."""
    flow = json.dumps(values, ensure_ascii=False, allow_nan=False, default=str)
    return "---\n" + SURROGATE_CHAR.sub(lambda m: f"\\u{ord(m.group()):04x}", flow) + "\n---\n"


SURROGATE_CHAR = re.compile("[\ud800-\udfff]")
MUTATIONS = st.lists(st.one_of(*(st.tuples(st.just(name), st.sampled_from(places), VALUE)
                                 for name, places in PLACES.items())), min_size=1, max_size=3)


@settings(max_examples=examples(1000), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(MUTATIONS)
def test_a_record_that_passes_check_renders_and_exports(
        mutations: list[tuple[str, str, Any]]) -> None:
    originals = {name: front_matter_values(name) for name in PLACES}
    for name, place, value in mutations:
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)  # JSON has no NaN: written as the word, which YAML reads as text
        put(originals[name], place, value)
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        shutil.copytree(FIXTURE, content)
        write_seeds(Path(scratch))
        for name, values in originals.items():
            (content / name).write_text(record_file(values), "utf-8")
        problems = pipeline.check(content).problems  # the review queue is made too
        event("refused by check" if problems else "passes check")
        for problem in problems:
            str(problem).encode("utf-8")
        # never raises, whatever the records
        result = pipeline.render(content, TEMPLATES, full_text=True, root=content.parent)
        pages = {page.path: page.markdown.encode("utf-8") for page in result.pages}
        exported = {fmt: pipeline.export(content, fmt).text.encode("utf-8")
                    for fmt in pipeline.EXPORT_FORMATS}
    assert f"meetings/{OTHER}.md" in pages
    assert OTHER.encode() in exported["json"]
    if not problems:  # it passed check: it is on the site, in the feeds, calendar, exports
        for name, values in originals.items():  # and ingest can write it back as it was
            kind, stem = name.removesuffix(".md").split("/")
            parsed = parse_record_text(record_file(values), name, kind, stem)
            assert parsed.fields is not None
            fields = normalise(kind, parsed.fields)
            again = parse_record_text(record_text(fields, ""), name, kind, stem)
            assert again.fields is not None and normalise(kind, again.fields) == fields
        # a source_file that is not an article of the seeds is valid, but its text is not
        # published (the only warning render may give about a record that passes check)
        assert [p for p in result.problems
                if not p.message.endswith("its text is not published")] == []
        assert f"meetings/{VICTIM}.md" in pages
        assert VICTIM.encode() in exported["json"] and VICTIM.encode() in exported["csv"]
        assert b"BEGIN:VCALENDAR" in pages["calendar/meetings.ics"]
        assert VICTIM.encode() in pages["feeds/meetings.xml"] or \
            originals[MEETING]["date"] is None


def test_a_record_file_of_gigabytes_is_refused_without_reading_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    with (content / MEETING).open("r+b") as handle:
        handle.truncate(2**31)  # sparse: two gigabytes that take no room on disk
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30)); "
    run = subprocess.run([sys.executable, "-c", limit + "from generator.cli import main; main()",
                          "check", "--content", str(content)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"{content / MEETING}:1:1: file is larger than 2000000 bytes"]


def test_a_record_that_is_a_symbolic_link_is_refused_not_followed(tmp_path: Path) -> None:
    """A link committed into a content folder could publish any file the builder can read:
    it is named as a problem, never read, and the rest of the site is built."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    write_seeds(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text((content / MEETING).read_text("utf-8").replace(
        "title: ", "title: SECRET-TOKEN ", 1), "utf-8")
    (content / MEETING).unlink()
    (content / MEETING).symlink_to(secret)
    said = "a symbolic link: a record is a file of its own (links are not followed)"
    found = [str(p) for p in check_content(content, load_knowledge().taxonomy.ids)]
    assert f"{content / MEETING}: {said}" in found
    result = pipeline.render(content, TEMPLATES, root=tmp_path)
    assert f"meetings/{OTHER}.md" in {page.path for page in result.pages}
    assert not any("SECRET-TOKEN" in page.markdown for page in result.pages)


def test_a_record_saved_with_cr_line_endings_reads_as_written(tmp_path: Path) -> None:
    """Old Mac editors end lines with a carriage return alone: the record is read as it was
    meant (it was refused as having no front matter, though it starts with ``---``)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    text = (content / MEETING).read_text("utf-8")
    (content / MEETING).write_bytes(text.replace("\n", "\r").encode("utf-8"))
    assert check_content(content, load_knowledge().taxonomy.ids) == ()
    corpus = load_corpus(content, load_knowledge().taxonomy.ids)
    assert VICTIM in {m.id for m in corpus.meetings}
