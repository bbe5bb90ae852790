"""Properties over arbitrary input (hypothesis; derandomized in CI by tests/conftest.py):
ingest never raises, records round-trip any text, ids and slugs are always safe."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.group.meetings import assign_ids
from generator.ingest.textclean import clean_text, printable
from generator.models import Location, MeetingRecord, Participant, Quote, QuoteVariant
from generator.records.schema import ARTICLE_ID, MEETING_ID, parse_record_text
from generator.records.store import meeting_from_fields, meeting_to_fields, record_text
from generator.support.slugs import file_id, slugify, unique_slug

FAST = settings(max_examples=10, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
RETYPED = st.sampled_from(["NO", "yes", "on", "1e3", "0123", "2022-02-11", "a: b", "a #b",
                           "--- x", "---", "null", "~", "", " x", "x\n", "\u2028", "\x85"])
ANY_TEXT = st.one_of(RETYPED, st.text())
WORDS = ["Kamikawa", "met", "Wong", "in", "Tokyo", "on", "Monday.", "“We", "agree,”", "said.",
         "[", "`", '"', "2024", "May", "12", "\u202e\u200b\r\n\r"]


def ingest_text(data: bytes) -> pipeline.IngestReport:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "seeds").mkdir()
        (root / "seeds" / "x.txt").write_bytes(data)
        report = pipeline.ingest(root / "seeds", root / "content", root, force=True)
        assert report.save is not None and report.save.problems == ()
        return report


@FAST
@given(st.binary(max_size=2_000))
def test_ingest_never_raises_on_any_bytes(data: bytes) -> None:
    report = ingest_text(data)
    assert report.articles + len(report.skipped) == 1


@FAST
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=200))
def test_ingest_never_raises_on_any_text(words: list[str]) -> None:
    report = ingest_text(" ".join(words).encode("utf-8", "surrogatepass"))
    assert report.articles + len(report.skipped) == 1


def meeting(name: str, role: str | None, quote: str, speaker: str | None,
            variant: str) -> MeetingRecord:
    return MeetingRecord(
        id="2024-01-02-x", title=name, date=dt.date(2024, 1, 2), date_basis=variant,
        location=Location(quote or "x", "JP"), format="phone", setting="standalone",
        occasion=role, participants=(Participant(name, role, "AU"), Participant(quote, None,
                                                                                  None)),
        topics=(), sources=("a",),
        quotes=(Quote(quote, speaker, ("a",), (QuoteVariant(variant, "a"),)),), body=variant)


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT, st.one_of(st.none(), ANY_TEXT), ANY_TEXT, st.one_of(st.none(), ANY_TEXT),
       ANY_TEXT)
def test_participants_and_quotes_round_trip(name: str, role: str | None, quote: str,
                                            speaker: str | None, variant: str) -> None:
    record = meeting(name, role, quote, speaker, variant)
    text = record_text(meeting_to_fields(record), record.body)
    parsed = parse_record_text(text, "m.md", "meetings", record.id)
    assert parsed.problems == () and parsed.fields is not None
    assert meeting_from_fields(parsed.fields, parsed.body) == record


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=150))
def test_file_ids_are_safe_stable_and_inside_their_folder(stem: str) -> None:
    key = file_id(stem)
    assert ARTICLE_ID.fullmatch(key) and ".." not in key and key == file_id(stem)
    folder = Path("/content/articles")
    assert (folder / f"{key}.md").resolve().parent == folder
    if file_id(stem + "x") != stem + "x":
        assert file_id(stem + "x") != key


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_meeting_ids_are_generated_unique_never_empty(titles: list[str]) -> None:
    drafts = [MeetingRecord(id="x", title=t, date=None if i % 2 else dt.date(2024, 1, 2),
                            date_basis="stated", location=None, format="phone",
                            setting="standalone", occasion=None, participants=(), topics=(),
                            sources=()) for i, t in enumerate(titles)]
    ids = assign_ids(drafts)
    assert len(set(ids)) == len(ids) and all(MEETING_ID.fullmatch(i) for i in ids)
    assert assign_ids([dataclasses.replace(d) for d in drafts]) == ids


@given(st.text())
def test_slugs_never_empty_and_suffixes_never_collide(text: str) -> None:
    used: set[str] = set()
    slugs = [unique_slug(slugify(text), used) for _ in range(3)]
    assert len(set(slugs)) == 3 and all(s and "/" not in s and s != ".." for s in slugs)


@given(st.text())
def test_clean_text_and_printable_leave_nothing_invisible(text: str) -> None:
    cleaned, shown = clean_text(text), printable(text)
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs") for c in cleaned if c != "\n")
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs") for c in shown)


def test_runs_of_dots_never_survive_in_a_file_id() -> None:
    for stem in ("0...0", "a....b", "x.. ..y", "...."):
        assert ".." not in file_id(stem), stem
