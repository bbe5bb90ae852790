"""Typed records and their canonical fields: what a record file's front matter holds.

``meeting_to_fields`` and ``article_to_fields`` give the fields in the fixed order of
RECORDS.md, with sets (topics, sources, quote sources) deduplicated and sorted;
``meeting_from_fields`` and ``article_from_fields`` turn fields that passed the schema
(``generator.records.schema``) back into typed records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from generator.models import (
    ArticleRecord,
    Evidence,
    Location,
    MeetingRecord,
    NearCopyCluster,
    NearDuplicate,
    Participant,
    Quote,
    QuoteVariant,
)
from generator.support.yamlio import render_front_matter


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _evidence(items: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [{"field": e.field, "article": e.article, "line": e.line, "text": e.text}
            for e in items]


def meeting_to_fields(record: MeetingRecord) -> dict[str, Any]:
    """Canonical fields of a meeting (sets such as topics and sources sorted)."""
    location = record.location
    return {
        "id": record.id, "title": record.title, "date": _iso(record.date),
        "date_basis": record.date_basis,
        "location": None if location is None else {"city": location.city,
                                                   "country": location.country},
        "format": record.format, "duration_minutes": record.duration_minutes,
        "setting": record.setting, "occasion": record.occasion,
        "participants": [{"name": p.name, "role": p.role, "country": p.country}
                         for p in record.participants],
        "topics": sorted(set(record.topics)), "sources": sorted(set(record.sources)),
        "summary": _evidence(record.summary), "quotes": [_quote(q) for q in record.quotes],
        "outcomes": _evidence(record.outcomes), "evidence": _evidence(record.evidence),
    }


def _quote(quote: Quote) -> dict[str, Any]:
    fields: dict[str, Any] = {"text": quote.text, "speaker": quote.speaker,
                              "sources": sorted(set(quote.sources))}
    if quote.variants:  # left out when there is only one wording, to keep records short
        fields["variants"] = [{"text": v.text, "source": v.source} for v in quote.variants]
    if quote.copies:  # left out when every source is listed
        fields["copies"] = quote.copies
    return fields


def article_to_fields(record: ArticleRecord) -> dict[str, Any]:
    """Canonical fields of an article (near-duplicates sorted by id)."""
    return {
        "id": record.id, "source_file": record.source_file, "sha256": record.sha256,
        "headline": record.headline, "publisher": record.publisher,
        "published": _iso(record.published), "meetings": list(dict.fromkeys(record.meetings)),
        "near_duplicates": [{"id": d.id, "similarity": float(d.similarity)}
                            for d in sorted(record.near_duplicates, key=lambda d: d.id)],
        "encoding": record.encoding, "rights": record.rights,
        "copy_of": None if record.copy_of is None else {
            "id": record.copy_of.id, "similarity": float(record.copy_of.similarity)},
        "near_copy_cluster": None if record.near_copy_cluster is None else {
            "id": record.near_copy_cluster.id, "size": record.near_copy_cluster.size},
    }


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _to_evidence(items: Iterable[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(e["field"], e["article"], e["line"], e["text"]) for e in items)


def meeting_from_fields(fields: dict[str, Any], body: str = "") -> MeetingRecord:
    """The typed meeting for canonical fields that passed the schema."""
    where = fields["location"]
    return MeetingRecord(
        id=fields["id"], title=fields["title"], date=_date(fields["date"]),
        date_basis=fields["date_basis"],
        location=None if where is None else Location(where["city"], where["country"]),
        format=fields["format"], setting=fields["setting"], occasion=fields["occasion"],
        participants=tuple(Participant(p["name"], p["role"], p["country"])
                           for p in fields["participants"]),
        topics=tuple(sorted(set(fields["topics"]))), sources=tuple(sorted(set(fields["sources"]))),
        quotes=tuple(Quote(q["text"], q["speaker"], tuple(sorted(set(q["sources"]))),
                           tuple(QuoteVariant(v["text"], v["source"])
                                 for v in q.get("variants") or ()), q.get("copies") or 0)
                     for q in fields["quotes"]),
        outcomes=_to_evidence(fields["outcomes"]), evidence=_to_evidence(fields["evidence"]),
        duration_minutes=fields.get("duration_minutes"),
        summary=_to_evidence(fields.get("summary") or ()), body=body,
    )


def article_from_fields(fields: dict[str, Any], body: str = "") -> ArticleRecord:
    """The typed article for canonical fields that passed the schema."""
    return ArticleRecord(
        id=fields["id"], source_file=fields["source_file"], sha256=fields["sha256"],
        headline=fields["headline"], publisher=fields["publisher"],
        published=_date(fields["published"]), meetings=tuple(dict.fromkeys(fields["meetings"])),
        near_duplicates=tuple(NearDuplicate(d["id"], d["similarity"]) for d in
                              sorted(fields["near_duplicates"], key=lambda d: d["id"])),
        encoding=fields["encoding"], rights=fields["rights"], body=body,
        copy_of=_near(fields.get("copy_of")), near_copy_cluster=_cluster(fields.get(
            "near_copy_cluster")),
    )


def _near(value: dict[str, Any] | None) -> NearDuplicate | None:
    return None if value is None else NearDuplicate(value["id"], value["similarity"])


def _cluster(value: dict[str, Any] | None) -> NearCopyCluster | None:
    return None if value is None else NearCopyCluster(value["id"], value["size"])


def record_text(fields: dict[str, Any], body: str) -> str:
    """The text of a record file; dates are written as bare YAML dates."""
    data = {key: _date(value) if key in ("date", "published") else value
            for key, value in fields.items()}
    return render_front_matter(data, body)


def normalise(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Canonical fields as ingest would write them (collections deduplicated and sorted)."""
    if kind == "meetings":
        return meeting_to_fields(meeting_from_fields(fields))
    return article_to_fields(article_from_fields(fields))
