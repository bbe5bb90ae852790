"""Hand-edited records gone wrong: each bad file is reported as ``path:line:col: message``,
every other record still loads, checks, exports and renders; nothing is ever constructed
from a YAML tag, and ingest never overwrites a record it cannot read.

Fixture: ``tests/data/bad_records/content`` holds one good meeting and article and one
meeting file per kind of mistake.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import cli
from generator.knowledge import load_knowledge
from generator.records.store import check_content, load_corpus

CONTENT = Path(__file__).parent / "data" / "bad_records" / "content"
GOOD = "2024-03-04-wong-kamikawa-meeting-canberra"
EXPECTED = {
    "alias-bomb": "2:7: anchors and aliases (& and *) are not allowed",
    "bad-country": '8:3: location.country: expected a two-letter country code, got "Australia"',
    "deep-nesting": "12:22: nested more than 12 levels deep",
    "duplicate-key": "10:1: format: field given twice",
    "id-mismatch": '2:1: id: "2024-03-04-something-else" does not match the file name '
                   '"2024-03-04-id-mismatch.md"',
    "no-front-matter": "1:1: expected front matter: the file must start with a line '---'",
    "not-utf8": "3:37: not UTF-8 text (byte 0xe9)",
    "python-tag": "12:1: occasion: expected a string or null, got a value tagged "
                  "!!python/object/apply:os.system",
    "syntax-error": "10:17: invalid YAML: expected ',' or ']', but got ':' (while parsing a "
                    "flow sequence) that starts at line 9",
    "tab-indent": "7:1: invalid YAML: found character '\\t' that cannot start any token "
                  "(while scanning for the next token)",
    "unclosed": "1:1: front matter is not closed: expected a line '---' after it",
    "unknown-topic": '22:3: topics[1]: unknown topic "chinaa" (not in the taxonomy)',
    "wrong-date": '4:1: date: expected a date YYYY-MM-DD or null, got "2024-02-30"',
    "wrong-type": "11:1: setting: expected a string, got a list",
}


def line_for(slug: str) -> str:
    return f"{CONTENT}/meetings/2024-03-04-{slug}.md:{EXPECTED[slug]}"


@pytest.fixture(scope="module")
def corpus_problems() -> list[str]:
    corpus = load_corpus(CONTENT, load_knowledge().taxonomy.ids)
    assert [m.id for m in corpus.meetings] == [GOOD]
    assert [a.id for a in corpus.articles] == ["article"]
    return [str(p) for p in corpus.problems]


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_bad_record_is_reported_at_its_line_and_column(slug: str,
                                                       corpus_problems: list[str]) -> None:
    assert line_for(slug) in corpus_problems


def test_problems_are_exactly_one_per_bad_file_sorted(corpus_problems: list[str]) -> None:
    assert corpus_problems == [line_for(slug) for slug in sorted(EXPECTED)]


def test_check_reports_the_same_and_every_fixture_is_listed() -> None:
    problems = check_content(CONTENT, load_knowledge().taxonomy.ids)
    assert [str(p) for p in problems] == [line_for(slug) for slug in sorted(EXPECTED)]
    names = sorted(p.stem for p in (CONTENT / "meetings").glob("*.md"))
    assert names == sorted([GOOD, *(f"2024-03-04-{slug}" for slug in EXPECTED)])


def test_cli_check_and_export_name_each_file_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CONTENT.parent)
    result = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [line_for(s).replace(f"{CONTENT}", "content")
                                          for s in sorted(EXPECTED)]
    result = CliRunner().invoke(cli, ["export", "--content", "content"])
    assert result.exit_code == 1
    assert [m["id"] for m in json.loads(result.stdout)["meetings"]] == [GOOD]


def test_the_good_record_still_renders(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    result = pipeline.render(tmp_path / "content", Path(__file__).parents[1] / "templates")
    assert any(page.path.endswith(f"{GOOD}.md") for page in result.pages)
    assert len(result.problems) == len(EXPECTED)


def test_ingest_never_overwrites_a_record_it_cannot_read(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(Path(__file__).parent / "data" / "bad_twins" / "lf.txt",
                    seeds / "article.txt")
    content = tmp_path / "content"
    pipeline.ingest(seeds, content, tmp_path)
    record = content / "meetings" / f"{GOOD}.md"
    broken = record.read_text("utf-8").replace("format: in_person\n", "format: [in_person\n")
    record.write_text(broken + "My notes.\n", "utf-8")
    report = pipeline.ingest(seeds, content, tmp_path, force=True)
    assert record.read_text("utf-8") == broken + "My notes.\n"
    assert report.save is not None
    assert f"{record}: not updated by ingest until its problems are fixed" in \
        report.save.messages()
