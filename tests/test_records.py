"""Records on disk: round trips, schema problems with exact positions, atomic writes.

The expected problems of the ``tests/data/b_schema`` fixtures are in its ``expected.txt``;
refresh it with ``BRIEFING_UPDATE_GOLDEN=1 pytest tests/test_records.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import (
    ArticleRecord,
    Evidence,
    Location,
    MeetingRecord,
    NearDuplicate,
    Participant,
    Quote,
    QuoteVariant,
)
from generator.records.schema import parse_record_text
from generator.records.store import (
    article_from_fields,
    article_to_fields,
    load_corpus,
    meeting_from_fields,
    meeting_to_fields,
    record_text,
    save_ingest,
)
from generator.support import files
from generator.support.files import atomic_write
from generator.support.yamlio import split_front_matter

DATA = Path(__file__).parent / "data"
RETYPED = ["NO", "yes", "on", "off", "~", "null", "1e3", "0123", "0x1F", "1_000", ".inf", "12:30",
           "2022-02-11", "2022-02-11 10:00", "a: b", "a #b", "--- x", "---", "...", "- x", "? x",
           "&x", "*x", "!x", "%x", "@x", "`x", "|", ">", "'", '"', " x", "x ", "", "a\nb",
           "a\r\nb", "\u2028", "\x85", "tab\there", "\ufeffbom", "emoji 🎌", "{a: 1}", "[1]"]


def meeting(**changes: object) -> MeetingRecord:
    base = MeetingRecord(
        id="2023-01-11-washington-2plus2", title="Japan–US “2+2” in Washington",
        date=dt.date(2023, 1, 11), date_basis="stated", location=Location("Washington", "US"),
        format="in_person", setting="2+2", occasion=None,
        participants=(Participant("Yoshimasa Hayashi", "Minister for Foreign Affairs", "JP"),
                      Participant("Lloyd Austin", None, None)),
        topics=("alliance-deterrence", "china"), sources=("002_c",),
        quotes=(Quote("ironclad", "Lloyd Austin", ("002_c",)), Quote("no speaker", None, ())),
        outcomes=(Evidence("outcome", "002_c", 9, "agreed to expand"),),
        evidence=(Evidence("date", "002_c", 1, "on Wednesday"),), body="Notes.\n")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def article(**changes: object) -> ArticleRecord:
    base = ArticleRecord(id="002_c", source_file="seeds/002_c.txt", sha256="f" * 64,
                         headline="2+2 talks", publisher="Kyodo News",
                         published=dt.date(2023, 1, 12), meetings=("2023-01-11-washington-2plus2",),
                         near_duplicates=(NearDuplicate("003_d", 0.875),), rights="All rights")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def reparse_meeting(record: MeetingRecord) -> MeetingRecord:
    text = record_text(meeting_to_fields(record), record.body)
    parsed = parse_record_text(text, "m.md", "meetings", record.id)
    assert parsed.problems == ()
    assert parsed.fields is not None
    return meeting_from_fields(parsed.fields, parsed.body)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    records = [meeting(body=""), meeting(id="undated-call", date=None, location=None,
                                         format="phone", setting="standalone", body="")]
    save_ingest(tmp_path, records, [article(), article(id="003_d", published=None,
                                                       near_duplicates=())])
    corpus = load_corpus(tmp_path, frozenset({"alliance-deterrence", "china"}))
    assert corpus.problems == ()
    assert corpus.meetings == tuple(sorted(records, key=lambda m: m.id))
    assert corpus.articles == (article(), article(id="003_d", published=None, near_duplicates=()))


def test_file_layout_is_readable_and_in_contract_order() -> None:
    text = record_text(article_to_fields(article()), "")
    assert text == (
        "---\nid: 002_c\nsource_file: seeds/002_c.txt\nsha256: " + "f" * 64 + "\n"
        "headline: 2+2 talks\npublisher: Kyodo News\npublished: 2023-01-12\nmeetings:\n"
        "- 2023-01-11-washington-2plus2\nnear_duplicates:\n- id: 003_d\n  similarity: 0.875\n"
        "encoding: utf-8\nrights: All rights\ncopy_of: null\nnear_copy_cluster: null\n---\n")
    keys = [line.split(":")[0] for line in split_front_matter(
        record_text(meeting_to_fields(meeting()), ""))[0].splitlines() if line[:1].isalpha()]
    assert keys == ["id", "title", "date", "date_basis", "location", "format",
                    "duration_minutes", "setting", "occasion", "participants", "topics",
                    "sources", "summary", "quotes", "outcomes", "evidence"]


@pytest.mark.parametrize("value", RETYPED)
def test_values_yaml_would_retype_survive(value: str) -> None:
    record = meeting(title=value, occasion=value,
                     quotes=(Quote(value, value, ("002_c",)),), body=value)
    assert reparse_meeting(record) == record


@settings(max_examples=300, deadline=None)
@given(title=st.text(), occasion=st.none() | st.text(), quote=st.text(), body=st.text())
def test_any_text_round_trips(title: str, occasion: str | None, quote: str, body: str) -> None:
    record = meeting(title=title, occasion=occasion, quotes=(Quote(quote, None, ()),),
                     body=body)
    assert reparse_meeting(record) == record


@settings(max_examples=100, deadline=None)
@given(similarity=st.floats(min_value=0, max_value=1), line=st.integers(1, 10**9))
def test_numbers_round_trip(similarity: float, line: int) -> None:
    record = article(near_duplicates=(NearDuplicate("003_d", similarity),))
    text = record_text(article_to_fields(record), "")
    parsed = parse_record_text(text, "a.md", "articles", "002_c")
    assert parsed.fields is not None
    assert article_from_fields(parsed.fields) == record
    evidence = meeting(evidence=(Evidence("date", "002_c", line, "x"),))
    assert reparse_meeting(evidence) == evidence


def test_schema_problems_have_exact_positions() -> None:
    content = DATA / "b_schema" / "content"
    expected = (DATA / "b_schema" / "expected.txt").read_text(encoding="utf-8").splitlines()
    corpus = load_corpus(content, frozenset({"china"}))
    shown = [str(p).removeprefix(str(content.parent) + os.sep) for p in corpus.problems]
    if os.environ.get("BRIEFING_UPDATE_GOLDEN") == "1":
        (DATA / "b_schema" / "expected.txt").write_text("\n".join(shown) + "\n", "utf-8")
        expected = shown
    assert shown == expected
    assert [a.id for a in corpus.articles] == ["000_ok"] and corpus.meetings == ()


def test_tagged_values_are_never_constructed(tmp_path: Path) -> None:
    marker = Path("/tmp/b_schema_owned")
    marker.unlink(missing_ok=True)
    load_corpus(DATA / "b_schema" / "content")
    assert not marker.exists()


def test_bare_and_quoted_dates_are_both_accepted(tmp_path: Path) -> None:
    text = record_text(meeting_to_fields(meeting()), "")
    quoted = text.replace("date: 2023-01-11", "date: '2023-01-11'")
    assert quoted != text
    for variant in (text, quoted):
        parsed = parse_record_text(variant, "m.md", "meetings", meeting().id)
        assert parsed.fields is not None and parsed.fields["date"] == "2023-01-11"


def test_plain_scalars_in_text_fields_keep_what_was_typed() -> None:
    text = record_text(meeting_to_fields(meeting()), "").replace(
        "title: Japan–US “2+2” in Washington", "title: yes")
    parsed = parse_record_text(text, "m.md", "meetings", meeting().id)
    assert parsed.fields is not None and parsed.fields["title"] == "yes"


def test_an_edit_made_while_a_save_runs_is_not_overwritten_by_an_unchanged_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record ingest would leave as it is is not written at all: a person's edit saved
    after the save rendered it (and before its files are written) survives."""
    from generator.records import store as records

    save_ingest(tmp_path, [meeting(body="")], [article()])
    path = tmp_path / "meetings" / f"{meeting().id}.md"
    edited = path.read_text("utf-8").replace("title: ", "title: Edited ", 1)
    real = records.texts_of

    def render_then_edit(jobs: object) -> object:
        done = real(jobs)  # type: ignore[arg-type]
        path.write_text(edited, "utf-8")  # the person saves now
        return done

    monkeypatch.setattr(records, "texts_of", render_then_edit)
    report = save_ingest(tmp_path, [meeting(body="")], [article()])
    assert report.written == ()
    assert path.read_text("utf-8") == edited


def test_one_bad_file_never_hides_the_rest(tmp_path: Path) -> None:
    save_ingest(tmp_path, [meeting(body="")], [article()])
    (tmp_path / "meetings" / "2023-02-01-broken.md").write_bytes(b"---\ntitle: a: b\n---\n")
    corpus = load_corpus(tmp_path)
    assert [m.id for m in corpus.meetings] == [meeting().id]
    assert [str(p).split("meetings/")[1] for p in corpus.problems] == [
        "2023-02-01-broken.md:2:9: invalid YAML: mapping values are not allowed here"]


def test_unknown_topic_is_a_problem_only_with_a_taxonomy(tmp_path: Path) -> None:
    save_ingest(tmp_path, [meeting(body="")], [article()])
    assert load_corpus(tmp_path).meetings != ()
    corpus = load_corpus(tmp_path, frozenset({"china"}))
    assert corpus.meetings == ()
    assert [p.message for p in corpus.problems] == [
        'topics[0]: unknown topic "alliance-deterrence" (not in the taxonomy)']


def test_missing_content_folder_is_reported(tmp_path: Path) -> None:
    corpus = load_corpus(tmp_path / "nowhere")
    missing = tmp_path / "nowhere"
    assert [str(p) for p in corpus.problems] == [f"{missing}: content folder not found"]


def test_atomic_write_skips_identical_bytes(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.md"
    assert atomic_write(path, "héllo\n") is True
    stamp = path.stat().st_mtime_ns
    os.utime(path, ns=(stamp - 10**9, stamp - 10**9))
    assert atomic_write(path, "héllo\n".encode()) is False
    assert path.stat().st_mtime_ns == stamp - 10**9
    assert atomic_write(path, b"other") is True
    assert path.read_bytes() == b"other"
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.md"]  # no temp file left


def test_atomic_write_keeps_permissions_and_honours_umask(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_text("x")
    path = tmp_path / "new"
    atomic_write(path, "x")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    path.chmod(0o640)
    atomic_write(path, "y")
    assert path.stat().st_mode & 0o777 == 0o640


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.md"
    path.write_text("old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")
    monkeypatch.setattr(files, "_rename", broken_replace)
    with pytest.raises(OSError):
        atomic_write(path, "new")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


def test_crlf_body_is_kept_exactly(tmp_path: Path) -> None:
    save_ingest(tmp_path, [meeting(body="")], [article()])
    path = tmp_path / "meetings" / f"{meeting().id}.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n") + b"line one\r\nline two\r\n")
    corpus = load_corpus(tmp_path)
    assert corpus.problems == ()
    assert corpus.meetings[0].body == "line one\r\nline two\r\n"


def test_data_fixture_folder_is_not_modified_by_loading(tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(DATA / "b_schema" / "content", copy)
    before = {p.name: p.read_bytes() for p in copy.rglob("*.md")}
    load_corpus(copy)
    assert {p.name: p.read_bytes() for p in copy.rglob("*.md")} == before


def test_unsafe_and_repeated_ids_are_not_saved(tmp_path: Path) -> None:
    report = save_ingest(tmp_path, [meeting(id="../../escape"), meeting(), meeting()],
                         [article(id="a/b"), article()])
    assert [p.message for p in report.problems] == [
        'not saved: "a/b" is not a valid file name for a record id',
        'not saved: "../../escape" is not a valid file name for a record id',
        f'not saved: "{meeting().id}" appears more than once']
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == ["002_c.md", f"{meeting().id}.md"]


def test_invalid_generated_record_is_not_written_and_reported(tmp_path: Path) -> None:
    """A record its own loader would refuse is not written (written, it was then kept as
    unreadable by every later ingest, and its meeting dropped out of the site)."""
    bad = meeting(participants=(Participant("Yoshimasa Hayashi", None, "Japan"),))
    report = save_ingest(tmp_path, [bad], [article()])
    path = tmp_path / "meetings" / f"{bad.id}.md"
    assert not path.exists()
    assert [str(p) for p in report.refused] == [
        f'{path}: not saved: line 16: participants[0].country: expected a two-letter country '
        'code, got "Japan"; its meeting is left out of this ingest']


def test_duration_summary_and_quote_variants_round_trip() -> None:
    record = meeting(
        duration_minutes=20, summary=(Evidence("summary", "002_c", 3, "The two met."),),
        quotes=(Quote("We stand together.", "Lloyd Austin", ("002_c", "003_d"),
                      (QuoteVariant("We stand together!", "003_d"),)),))
    assert reparse_meeting(record) == record


@pytest.mark.parametrize(("value", "message"), [
    ("0", "expected a number of minutes, got 0"),
    ("twenty", 'expected a number of minutes, got "twenty"'),
])
def test_bad_duration_is_reported_at_its_line(value: str, message: str) -> None:
    text = record_text(meeting_to_fields(meeting(duration_minutes=5)), "")
    text = text.replace("duration_minutes: 5", f"duration_minutes: {value}")
    line = text.splitlines().index(f"duration_minutes: {value}") + 1
    parsed = parse_record_text(text, "m.md", "meetings", "2023-01-11-washington-2plus2")
    assert [str(p) for p in parsed.problems] == [f"m.md:{line}:1: duration_minutes: {message}"]
