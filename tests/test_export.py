"""Exports: the JSON document and the CSV table of RECORDS.md."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from generator.models import (
    ArticleRecord,
    Corpus,
    Evidence,
    Location,
    MeetingRecord,
    NearDuplicate,
    Participant,
    Quote,
)
from generator.site.export import CSV_COLUMNS, export_csv, export_json

MELBOURNE = MeetingRecord(
    id="2022-02-11-melbourne", title='Talks, "frank" and long\nin Melbourne',
    date=dt.date(2022, 2, 11), date_basis="weekday-before-publication",
    location=Location("Melbourne", "AU"), format="in_person", setting="sidelines",
    occasion="Quad Foreign Ministers' Meeting",
    participants=(Participant("Yoshimasa Hayashi", "Minister for Foreign Affairs", "JP"),
                  Participant("Antony Blinken", None, "US")),
    topics=("ukraine-russia", "china"), sources=("001_b", "000_a"),
    quotes=(Quote("We are united; firmly.", "Antony Blinken", ("000_a",)),),
    evidence=(Evidence("date", "000_a", 1, "On Friday"),))
CALL = MeetingRecord(
    id="2022-02-26-call", title="Phone call", date=None, date_basis="unknown", location=None,
    format="phone", setting="standalone", occasion=None, participants=(), topics=(),
    sources=("003_c",))
ARTICLES = (
    ArticleRecord("001_b", "seeds/001_b.txt", "b" * 64, None, None, None,
                  ("2022-02-11-melbourne",), (NearDuplicate("000_a", 0.91),)),
    ArticleRecord("000_a", "seeds/000_a.txt", "a" * 64, "Headline", "Anadolu Agency",
                  dt.date(2022, 2, 12), ("2022-02-11-melbourne",),
                  (NearDuplicate("003_c", 0.2), NearDuplicate("001_b", 0.91))),
)
CORPUS = Corpus(meetings=(MELBOURNE, CALL), articles=ARTICLES)


def test_json_shape() -> None:
    document = json.loads(export_json(CORPUS))
    assert list(document) == ["meetings", "articles"]
    assert [m["id"] for m in document["meetings"]] == ["2022-02-11-melbourne", "2022-02-26-call"]
    assert [a["id"] for a in document["articles"]] == ["000_a", "001_b"]
    melbourne, call = document["meetings"]
    assert {"id", "title", "date", "date_basis", "location", "format", "setting", "occasion",
            "participants", "topics", "sources", "quotes"} <= set(melbourne)
    assert melbourne["date"] == "2022-02-11" and call["date"] is None
    assert melbourne["location"] == {"city": "Melbourne", "country": "AU"}
    assert call["location"] is None and call["occasion"] is None
    assert melbourne["participants"][1] == {"name": "Antony Blinken", "role": None,
                                            "country": "US"}
    assert melbourne["topics"] == ["china", "ukraine-russia"]
    assert melbourne["sources"] == ["000_a", "001_b"]
    assert melbourne["quotes"] == [{"text": "We are united; firmly.", "speaker": "Antony Blinken",
                                    "sources": ["000_a"]}]
    assert melbourne["evidence"] == [{"field": "date", "article": "000_a", "line": 1,
                                      "text": "On Friday"}]
    first = document["articles"][0]
    assert list(first) == ["id", "source_file", "sha256", "headline", "publisher", "published",
                           "meetings", "near_duplicates", "encoding", "rights", "copy_of",
                           "near_copy_cluster"]
    assert first["published"] == "2022-02-12"
    assert first["near_duplicates"] == [{"id": "001_b", "similarity": 0.91},
                                        {"id": "003_c", "similarity": 0.2}]
    assert document["articles"][1]["published"] is None


def test_json_is_deterministic_and_keeps_unicode() -> None:
    shuffled = Corpus(meetings=(CALL, MELBOURNE), articles=ARTICLES[::-1])
    assert export_json(CORPUS) == export_json(shuffled)
    text = export_json(Corpus((), (ARTICLES[0].__class__(
        "x", "seeds/x.txt", "c" * 64, "Hayashi–Blinken", None, None, ()),)))
    assert "Hayashi–Blinken" in text and text.endswith("}\n")


def test_csv_shape() -> None:
    text = export_csv(CORPUS)
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3
    melbourne = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert melbourne["title"] == 'Talks, "frank" and long\nin Melbourne'
    assert melbourne["participants"] == "Yoshimasa Hayashi; Antony Blinken"
    assert melbourne["participant_roles"] == "Minister for Foreign Affairs; "
    assert melbourne["participant_countries"] == "JP; US"
    assert melbourne["topics"] == "china; ukraine-russia"
    assert melbourne["sources"] == "000_a; 001_b"
    assert (melbourne["city"], melbourne["country"], melbourne["quote_count"]) == (
        "Melbourne", "AU", "1")
    call = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert (call["date"], call["city"], call["occasion"], call["participants"]) == ("", "", "", "")


def test_csv_header_only_for_empty_corpus() -> None:
    assert export_csv(Corpus((), ())) == ",".join(CSV_COLUMNS) + "\n"
