"""A crash between the write of the states and of a record, then a person's note on that
record: the next ingest still brings in what the sources now say (the record's generated
fields are not mistaken for the person's edits)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.support import files

NOTE = "Analyst note: checked with the embassy.\n"
CITIES = ("Canberra", "Tokyo")


def write_seeds(seeds: Path, edition: int) -> None:
    seeds.mkdir(parents=True, exist_ok=True)
    for index, city in enumerate(CITIES):
        day = dt.date(2023, 3, 1) + dt.timedelta(days=index)
        (seeds / f"a{index}.txt").write_text(
            f"Ministers hold talks in {city}, edition {edition}\n"
            f"{city.upper()}, {day:%B} {day.day}, {day.year} (Reuters) - Japanese Foreign "
            f"Minister Yoko Kamikawa met Australian Foreign Minister Penny Wong in {city} on "
            f"{day:%A} for {30 + 15 * edition} minutes, and the two discussed "
            f"{('trade', 'climate change')[edition]}.\n"
            f"“We share a vision number {index * 7 + edition},” Wong told reporters.\n"
            f"They agreed to {('expand trade', 'cut emissions')[edition]}.\n", "utf-8")


def add_notes(content: Path) -> None:
    for record in sorted(content.glob("*/*.md")):
        record.write_text(record.read_text("utf-8") + NOTE, "utf-8")


def snapshot(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes()
            for p in sorted(content.glob("*/*.md"))}


class Crash(BaseException):
    """Stands for the process dying."""


def test_note_added_after_a_crash_between_state_and_record_freezes_no_field(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = tmp_path / "start"
    write_seeds(start / "seeds", 0)
    pipeline.ingest(start / "seeds", start / "content", start)
    clean = tmp_path / "clean"
    shutil.copytree(start, clean)
    write_seeds(clean / "seeds", 1)
    pipeline.ingest(clean / "seeds", clean / "content", clean)
    add_notes(clean / "content")
    expected = snapshot(clean / "content")

    project = tmp_path / "crashed"
    shutil.copytree(start, project)
    write_seeds(project / "seeds", 1)
    real_rename = files._rename
    calls = []

    def crash_after_the_states(source: Path, target: Path) -> None:
        calls.append(target)
        if len(calls) > 1:
            raise Crash
        real_rename(source, target)

    monkeypatch.setattr(files, "_rename", crash_after_the_states)
    with pytest.raises(Crash):
        pipeline.ingest(project / "seeds", project / "content", project)
    monkeypatch.setattr(files, "_rename", real_rename)
    assert calls[0].name == "records.json"
    add_notes(project / "content")  # every record: the old ones, one of them never rewritten
    report = pipeline.ingest(project / "seeds", project / "content", project)
    assert report.save is not None
    assert (report.save.kept_edits, report.save.conflicts) == ((), ())
    assert snapshot(project / "content") == expected
