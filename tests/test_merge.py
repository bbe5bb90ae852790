"""Ingesting again never loses what a person edited (generator.records.store.save_ingest)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from generator.models import ArticleRecord, Location, MeetingRecord, Participant
from generator.records.merge import Existing, match_meetings, merge_fields
from generator.records.store import load_corpus, save_ingest

MEETING_ID = "2022-02-11-hayashi-blinken-melbourne"


def meeting(**changes: object) -> MeetingRecord:
    base = MeetingRecord(
        id=MEETING_ID, title="Hayashi–Blinken meeting in Melbourne", date=dt.date(2022, 2, 11),
        date_basis="stated", location=Location("Melbourne", "AU"), format="in_person",
        setting="sidelines", occasion="Quad Foreign Ministers' Meeting",
        participants=(Participant("Yoshimasa Hayashi", "Minister for Foreign Affairs", "JP"),
                      Participant("Antony Blinken", "Secretary of State", "US")),
        topics=("china", "ukraine-russia"), sources=("000_a", "001_b"))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def article(key: str, *meetings: str, **changes: object) -> ArticleRecord:
    base = ArticleRecord(id=key, source_file=f"seeds/{key}.txt", sha256=key[-1] * 64,
                         headline=f"Headline of {key}", publisher=None,
                         published=dt.date(2022, 2, 12), meetings=meetings)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def first_ingest(content: Path) -> Path:
    save_ingest(content, [meeting()], [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    return content / "meetings" / f"{MEETING_ID}.md"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def loaded_meeting(content: Path, key: str = MEETING_ID) -> MeetingRecord:
    corpus = load_corpus(content)
    assert corpus.problems == ()
    return next(m for m in corpus.meetings if m.id == key)


def test_first_ingest_writes_records_and_state(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    state = json.loads((tmp_path / ".state" / "records.json").read_text())["meetings"][MEETING_ID]
    assert state["title"] == "Hayashi–Blinken meeting in Melbourne"
    assert loaded_meeting(tmp_path) == meeting()
    assert path.read_text(encoding="utf-8").startswith(f"---\nid: {MEETING_ID}\ntitle: ")


def test_same_input_rewrites_nothing(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    report = save_ingest(tmp_path, [meeting()],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    assert report.written == () and report.unchanged == 3 and report.conflicts == ()
    assert before == after and path in after


def test_untouched_field_is_updated(tmp_path: Path) -> None:
    first_ingest(tmp_path)
    report = save_ingest(tmp_path, [meeting(title="New title", topics=("china",))],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert loaded_meeting(tmp_path).title == "New title"
    assert loaded_meeting(tmp_path).topics == ("china",)
    assert report.conflicts == () and report.kept_edits == ()
    assert report.written == (str(tmp_path / "meetings" / f"{MEETING_ID}.md"),)


def test_edited_field_kept_on_same_seeds(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    edit(path, "title: Hayashi–Blinken meeting in Melbourne", "title: Talks in Melbourne")
    report = save_ingest(tmp_path, [meeting()],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert loaded_meeting(tmp_path).title == "Talks in Melbourne"
    assert report.conflicts == ()
    assert [str(p) for p in report.kept_edits] == [f'{path}:3: title: kept your edit '
                                                   f'"Talks in Melbourne"']
    assert report.written == ()


def test_edited_field_kept_on_changed_seeds_and_conflict_reported(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    edit(path, "date: 2022-02-11", "date: 2022-02-12")
    report = save_ingest(tmp_path, [meeting(date=dt.date(2022, 2, 10), occasion="Quad")],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    record = loaded_meeting(tmp_path)
    assert record.date == dt.date(2022, 2, 12)  # the person's value
    assert record.occasion == "Quad"  # a field nobody touched follows the seeds
    assert [str(p) for p in report.conflicts] == [
        f'{path}:4: date: kept your edit "2022-02-12"; ingest now finds "2022-02-10"']
    again = save_ingest(tmp_path, [meeting(date=dt.date(2022, 2, 10), occasion="Quad")],
                        [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert again.conflicts == ()  # reported once; afterwards it is a kept edit
    assert [p.message for p in again.kept_edits] == ['date: kept your edit "2022-02-12"']


def test_edit_equal_to_new_value_is_no_longer_an_edit(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    edit(path, "date: 2022-02-11", "date: 2022-02-10")
    report = save_ingest(tmp_path, [meeting(date=dt.date(2022, 2, 10))],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert report.conflicts == () and report.kept_edits == ()
    later = save_ingest(tmp_path, [meeting(date=dt.date(2022, 2, 9))],
                        [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert loaded_meeting(tmp_path).date == dt.date(2022, 2, 9)
    assert later.conflicts == ()


def test_body_notes_are_kept(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "## Notes\n\nAsk about *AUKUS*.\n",
                    encoding="utf-8")
    save_ingest(tmp_path, [meeting(title="Changed")],
                [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    record = loaded_meeting(tmp_path)
    assert record.body == "## Notes\n\nAsk about *AUKUS*.\n"
    assert record.title == "Changed"


def test_article_edits_are_kept(tmp_path: Path) -> None:
    first_ingest(tmp_path)
    path = tmp_path / "articles" / "000_a.md"
    edit(path, "publisher: null", "publisher: Anadolu Agency")
    report = save_ingest(tmp_path, [meeting()], [article("000_a", MEETING_ID, headline="New"),
                                                 article("001_b", MEETING_ID)])
    record = next(a for a in load_corpus(tmp_path).articles if a.id == "000_a")
    assert (record.publisher, record.headline) == ("Anadolu Agency", "New")
    assert [p.message for p in report.kept_edits] == ['publisher: kept your edit "Anadolu Agency"']


def test_id_kept_when_the_date_changes(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    new_id = "2022-02-10-hayashi-blinken-melbourne"
    report = save_ingest(tmp_path, [meeting(id=new_id, date=dt.date(2022, 2, 10))],
                         [article("000_a", new_id), article("001_b", new_id)])
    assert report.renamed == ((new_id, MEETING_ID),)
    assert sorted(p.name for p in (tmp_path / "meetings").iterdir()) == [path.name]
    assert loaded_meeting(tmp_path).date == dt.date(2022, 2, 10)
    assert {a.meetings for a in load_corpus(tmp_path).articles} == {(MEETING_ID,)}


def test_colliding_new_id_gets_a_suffix(tmp_path: Path) -> None:
    first_ingest(tmp_path)
    moved = meeting(id="2022-02-12-hayashi-blinken-melbourne", date=dt.date(2022, 2, 12))
    other = meeting(sources=("002_c",), title="Another meeting")  # same id, other sources
    report = save_ingest(tmp_path, [moved, other], [
        article("000_a", moved.id), article("001_b", moved.id), article("002_c", MEETING_ID)])
    suffixed = f"{MEETING_ID}-2"
    assert report.renamed == ((MEETING_ID, suffixed), (moved.id, MEETING_ID))
    assert loaded_meeting(tmp_path, suffixed).title == "Another meeting"
    c = next(a for a in load_corpus(tmp_path).articles if a.id == "002_c")
    assert c.meetings == (suffixed,)


def test_meeting_no_longer_produced_is_removed_unless_edited(tmp_path: Path) -> None:
    first_ingest(tmp_path)
    other = meeting(id="2022-03-01-call", sources=("002_c",), format="phone", location=None)
    save_ingest(tmp_path, [meeting(), other], [article("000_a", MEETING_ID),
                                               article("001_b", MEETING_ID),
                                               article("002_c", other.id)])
    path = tmp_path / "meetings" / f"{MEETING_ID}.md"
    path.write_text(path.read_text(encoding="utf-8") + "Keep this.\n", encoding="utf-8")
    report = save_ingest(tmp_path, [], [article("000_a"), article("001_b"), article("002_c")])
    assert report.removed == (str(tmp_path / "meetings" / "2022-03-01-call.md"),)
    states = json.loads((tmp_path / ".state" / "records.json").read_text())
    assert "2022-03-01-call" not in states["meetings"] and MEETING_ID in states["meetings"]
    assert path.is_file()
    assert [str(p) for p in report.kept_records] == [
        f"{path}: no longer produced by ingest; kept because it was edited"]


def test_lost_state_keeps_differing_values_and_reports_them(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    edit(path, "setting: sidelines", "setting: standalone")
    (tmp_path / ".state" / "records.json").unlink()
    report = save_ingest(tmp_path, [meeting(title="Newer title")],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    record = loaded_meeting(tmp_path)
    assert (record.setting, record.title) == ("standalone", "Hayashi–Blinken meeting in Melbourne")
    assert [str(p) for p in report.conflicts] == [
        f'{path}:3: title: kept "Hayashi–Blinken meeting in Melbourne" (no state to tell a '
        f'person\'s edit from an older ingest); ingest now finds "Newer title"',
        f'{path}:11: setting: kept "standalone" (no state to tell a person\'s edit from an '
        f'older ingest); ingest now finds "sidelines"']
    # with the state rebuilt, the next ingest sees these as ordinary kept edits
    again = save_ingest(tmp_path, [meeting(title="Newer title")],
                        [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert again.conflicts == () and len(again.kept_edits) == 2


def test_hand_made_record_is_never_removed(tmp_path: Path) -> None:
    first_ingest(tmp_path)
    hand = tmp_path / "meetings" / "undated-hand-made.md"
    text = (tmp_path / "meetings" / f"{MEETING_ID}.md").read_text(encoding="utf-8")
    hand.write_text(text.replace(MEETING_ID, "undated-hand-made"), encoding="utf-8")
    report = save_ingest(tmp_path, [meeting()],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert hand.is_file() and report.removed == ()
    assert [p.message for p in report.kept_records] == [
        "no longer produced by ingest; kept because there is no record that ingest wrote it "
        "(made by hand?)"]


def test_unreadable_record_is_left_untouched(tmp_path: Path) -> None:
    path = first_ingest(tmp_path)
    broken = path.read_text(encoding="utf-8").replace("format: in_person", "format: [in_person")
    path.write_text(broken, encoding="utf-8")
    report = save_ingest(tmp_path, [meeting(title="New")],
                         [article("000_a", MEETING_ID), article("001_b", MEETING_ID)])
    assert path.read_text(encoding="utf-8") == broken
    assert f"{path}: not updated by ingest until its problems are fixed" in [
        str(p) for p in report.problems]
    assert any(p.line == 10 and "invalid YAML" in p.message for p in report.problems)


def test_merge_fields_rules() -> None:
    generated = {"id": "x", "a": 1, "b": 2, "c": 3}
    current = {"id": "x", "a": 1, "b": 20, "c": 30}
    last = {"id": "x", "a": 0, "b": 2, "c": 3}
    merged, edits = merge_fields({**generated, "c": 4}, current, last)
    assert merged == {"id": "x", "a": 1, "b": 20, "c": 30}
    assert [(e.field, e.changed, e.known) for e in edits] == [("b", False, True),
                                                              ("c", True, True)]
    merged, edits = merge_fields(generated, current, None)
    assert merged == current and [e.known for e in edits] == [False, False]


def test_match_meetings_prefers_most_shared_sources() -> None:
    existing = {
        "2022-01-01-a": Existing("2022-01-01-a", {"sources": ["s1"]}, "", None),
        "2022-01-01-b": Existing("2022-01-01-b", {"sources": ["s2", "s3"]}, "", None),
    }
    final = match_meetings([{"id": "2022-01-02-x", "sources": ["s1", "s2", "s3"]},
                            {"id": "2022-01-01-a", "sources": ["s9"]}], existing)
    assert final == {"2022-01-02-x": "2022-01-01-b", "2022-01-01-a": "2022-01-01-a"}


def test_field_added_to_the_records_since_last_ingest_is_filled_not_kept() -> None:
    last = {"id": "m", "title": "T"}  # written before the records had `duration_minutes`
    current = {"id": "m", "title": "T", "duration_minutes": None, "summary": []}
    generated = {"id": "m", "title": "T", "duration_minutes": 20, "summary": [{"line": 1}]}
    merged, edits = merge_fields(generated, current, last)
    assert merged == generated and edits == ()


def test_value_typed_into_a_field_added_since_is_kept() -> None:
    last = {"id": "m", "title": "T"}
    current = {"id": "m", "title": "T", "duration_minutes": 45}
    merged, edits = merge_fields({"id": "m", "title": "T", "duration_minutes": 20}, current,
                                 last)
    assert merged["duration_minutes"] == 45 and [e.field for e in edits] == ["duration_minutes"]


def test_a_save_rendered_by_a_pool_equals_one_rendered_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.records import text as recordtext

    meetings = [meeting(id=f"2022-02-{day:02}-talks", date=dt.date(2022, 2, day),
                        sources=(f"{day:03}_a",)) for day in range(1, 21)]
    articles = [article(f"{day:03}_a", f"2022-02-{day:02}-talks") for day in range(1, 21)]
    reports, files = [], []
    for least in (10_000, 2):  # here, then in a pool of forked processes
        monkeypatch.setattr(recordtext, "PARALLEL_MIN", least)
        folder = tmp_path / f"min{least}"
        first = save_ingest(folder, meetings, articles)
        edit(folder / "meetings" / "2022-02-03-talks.md", "title: ", "title: Edited ")
        again = save_ingest(folder, [dataclasses.replace(m, title="New") for m in meetings],
                            articles)
        reports.append([[str(p).replace(str(folder), "") for p in (
            *r.kept_edits, *r.conflicts, *r.problems)] + [len(r.written), r.unchanged]
            for r in (first, again)])
        files.append({p.relative_to(folder).as_posix(): p.read_bytes()
                      for p in sorted(folder.rglob("*")) if p.is_file()})
    assert reports[0] == reports[1] and files[0] == files[1]
    assert reports[0] == [[40, 0], ['/meetings/2022-02-03-talks.md:3: title: kept your edit '
                                    '"Edited Hayashi–Blinken meeting in Melbourne"; ingest now '
                                    'finds "New"', 19, 21]]
