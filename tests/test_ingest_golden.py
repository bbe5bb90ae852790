"""Ingest output: the record files a small corpus gives, byte for byte.

Each case ingests a corpus into a temporary content folder and compares every meeting and
article record with the golden records under ``tests/golden/ingest/<case>/``; a mismatch
prints a unified diff. Refresh them with ``make golden`` (``BRIEFING_UPDATE_GOLDEN=1``) and
review the diff. The committed ``content/`` is what an ingest of ``seeds/`` gives, so it is
checked against a fresh ingest too.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from generator import pipeline

PROJECT = Path(__file__).resolve().parents[1]
GOLDEN = PROJECT / "tests" / "golden" / "ingest"
UPDATE = os.environ.get("BRIEFING_UPDATE_GOLDEN") == "1"
RECORD_FOLDERS = ("meetings", "articles")

# case name: its corpus, relative to the project (record paths are shown relative to it)
CASES = {
    "seeds": "seeds",  # the shipped articles: copies, a phone call, several talks in one
    "f1_meetings": "tests/data/f1_meetings",  # previews and habits (no meeting), separate talks
    "a1_dups": "tests/data/a1_dups",  # a paraphrase marked as a near copy of its original
    "f1_dates": "tests/data/f1_dates",  # header bars, datelines, an article without a date
}


def record_files(content: Path) -> dict[str, str]:
    """Every meeting and article record under ``content``, by ``<folder>/<name>``."""
    return {f"{folder}/{path.name}": path.read_text("utf-8")
            for folder in RECORD_FOLDERS
            for path in sorted((content / folder).glob("*.md"))}


def ingest_into(tmp_path: Path, corpus: str) -> dict[str, str]:
    """Ingest ``corpus`` (in one process: the output must not depend on the pool) into a
    fresh content folder; its record files."""
    content = tmp_path / "content"
    report = pipeline.ingest(PROJECT / corpus, content, PROJECT, workers=1)
    assert report.skipped == ()
    return record_files(content)


def differences(expected: dict[str, str], found: dict[str, str], where: str) -> str:
    """A unified diff of every record that is missing, extra or changed ('' when none)."""
    lines: list[str] = []
    for name in sorted(expected.keys() | found.keys()):
        old, new = expected.get(name), found.get(name)
        if old == new:
            continue
        lines.extend(difflib.unified_diff(
            (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
            f"{where}/{name}" if old is not None else "/dev/null",
            f"ingest/{name}" if new is not None else "/dev/null"))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_golden(folder: Path, records: dict[str, str]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in records.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_ingest_matches_golden_records(case: str, tmp_path: Path) -> None:
    found = ingest_into(tmp_path, CASES[case])
    golden = GOLDEN / case
    if UPDATE:
        write_golden(golden, found)
    assert found, f"{CASES[case]} gave no record"
    diff = differences(record_files(golden), found, f"tests/golden/ingest/{case}")
    if diff:
        pytest.fail("ingest output differs from the golden records (refresh with `make golden`"
                    f" and review the diff):\n{diff}", pytrace=False)


def test_ingest_of_seeds_reproduces_the_committed_content(tmp_path: Path) -> None:
    found = ingest_into(tmp_path, "seeds")
    committed = record_files(PROJECT / "content")
    assert {name.split("/")[0] for name in committed} == set(RECORD_FOLDERS)
    diff = differences(committed, found, "content")
    if diff:
        pytest.fail("ingest of seeds/ no longer gives the committed content/ (run `briefing "
                    f"ingest --seeds seeds --content content` and review):\n{diff}",
                    pytrace=False)
