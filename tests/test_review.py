"""The review queue lists facts on weak evidence with the line of the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.knowledge import load_knowledge
from generator.models import Evidence, Location, MeetingRecord, Participant
from generator.records.review import review_content
from generator.records.store import meeting_to_fields, record_text

FIRM = MeetingRecord(
    id="2023-04-17-a", title="A", date=dt.date(2023, 4, 17), date_basis="stated",
    location=Location("Karuizawa", "JP"), format="in_person", setting="standalone",
    occasion=None, participants=(Participant("Yoshimasa Hayashi", "Minister", "JP"),
                                 Participant("Antony Blinken", "Secretary of State", "US")),
    topics=("china",), sources=(),
    evidence=(Evidence("date", "x", 1, "April 17, 2023"),))
WEAK = MeetingRecord(
    id="undated-b", title="B", date=None, date_basis="unknown", location=None,
    format="in_person", setting="sidelines", occasion=None,
    participants=(Participant("Yoshimasa Hayashi", "Minister", "JP"),
                  Participant("Zora Quill", None, "KE")),
    topics=(), sources=())


def write(content: Path, record: MeetingRecord) -> Path:
    path = content / "meetings" / f"{record.id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record_text(meeting_to_fields(record), ""), "utf-8")
    return path


def line_of(path: Path, key: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if line.startswith(key))


def test_firm_record_needs_no_review(tmp_path: Path) -> None:
    write(tmp_path, FIRM)
    assert review_content(tmp_path, load_knowledge().people) == ()


def test_each_weak_fact_is_listed_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, WEAK)
    items = review_content(tmp_path, load_knowledge().people)
    shown = [str(i) for i in items]
    assert shown[0] == (f"{path}:{line_of(path, 'date:')}: date: no date could be "
                        "established from the sources")
    assert [(i.field, i.reason.split(" ")[0]) for i in items] == [
        ("date", "no"), ("location", "meeting"), ("occasion", "on"),
        ("participants[1].name", '"Zora'), ("participants[1]", '"Zora'), ("topics", "no")]
    assert all(i.line for i in items)


def test_guessed_date_is_listed(tmp_path: Path) -> None:
    from dataclasses import replace

    write(tmp_path, replace(FIRM, date_basis="publication-date"))
    (item,) = review_content(tmp_path, load_knowledge().people)
    assert item.reason == "date inferred (publication-date), not stated in a source"


def test_check_prints_the_queue_and_still_passes(tmp_path: Path) -> None:
    write(tmp_path, WEAK)
    result = CliRunner().invoke(cli, ["check", "--content", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Review queue: 6 facts rest on weak evidence\n")
    assert result.stdout.endswith(f"{tmp_path}: all records valid\n")
