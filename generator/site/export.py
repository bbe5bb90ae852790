"""Exports of a loaded corpus: one JSON document, or a CSV table of meetings.

Both are deterministic: records sorted by id, fields in the fixed order of RECORDS.md, no
times or other run-dependent values.
"""

from __future__ import annotations

import csv
import io
import json

from generator.models import ArticleRecord, Corpus, MeetingRecord
from generator.records.store import article_to_fields, meeting_to_fields
from generator.site.escape import csv_cell

CSV_COLUMNS = ("id", "title", "date", "date_basis", "format", "setting", "occasion", "city",
               "country", "participants", "participant_roles", "participant_countries",
               "topics", "sources", "quote_count")
LIST_SEPARATOR = "; "


def export_json(corpus: Corpus) -> str:
    """Every record as JSON: ``{"meetings": [...], "articles": [...]}``, each sorted by id.

    Meetings carry the RECORDS.md fields plus ``outcomes`` and ``evidence``; dates are
    ``YYYY-MM-DD`` or null; ``location`` is ``{city, country}`` or null.

    Returns:
        The JSON text, UTF-8 friendly (not ASCII-escaped), ending with a newline.
    """
    meetings = [_record_json(m) for m in sorted(corpus.meetings, key=lambda m: m.id)]
    articles = [_record_json(a) for a in sorted(corpus.articles, key=lambda a: a.id)]
    _JSON.clear()
    _JSON.update({id(record): (record, text) for record, text in (*meetings, *articles)})
    # exactly json.dumps(document, indent=2): each record's text indented two levels down
    parts = [f'"{key}": ' + ("[]" if not items else "[\n" + ",\n".join(
        _indent(text) for _, text in items) + "\n  ]")
        for key, items in (("meetings", meetings), ("articles", articles))]
    return "{\n  " + ",\n  ".join(parts) + "\n}\n"


# The JSON of the records of the last export, by identity: records loaded again unchanged
# are the same objects (see records.load_corpus), so a live preview re-encodes only edits.
_JSON: dict[int, tuple[MeetingRecord | ArticleRecord, str]] = {}


def _record_json(record: MeetingRecord | ArticleRecord) -> tuple[MeetingRecord | ArticleRecord,
                                                                  str]:
    known = _JSON.get(id(record))
    if known is not None and known[0] is record:
        return known
    fields = meeting_to_fields(record) if isinstance(record, MeetingRecord) else \
        article_to_fields(record)
    return record, json.dumps(fields, ensure_ascii=False, indent=2)


def _indent(text: str) -> str:
    """A JSON text moved two levels in (JSON strings never hold a raw line break)."""
    return "    " + text.replace("\n", "\n    ")


def _csv_row(meeting: MeetingRecord) -> dict[str, str]:
    """One meeting's cells, each written by the one CSV cell writer (``escape.csv_cell``)."""
    people = meeting.participants
    values = {
        "id": meeting.id, "title": meeting.title,
        "date": meeting.date.isoformat() if meeting.date else "",
        "date_basis": meeting.date_basis, "format": meeting.format, "setting": meeting.setting,
        "occasion": meeting.occasion or "",
        "city": meeting.location.city if meeting.location else "",
        "country": meeting.location.country if meeting.location else "",
        "participants": LIST_SEPARATOR.join(p.name for p in people),
        "participant_roles": LIST_SEPARATOR.join(p.role or "" for p in people),
        "participant_countries": LIST_SEPARATOR.join(p.country or "" for p in people),
        "topics": LIST_SEPARATOR.join(sorted(meeting.topics)),
        "sources": LIST_SEPARATOR.join(sorted(meeting.sources)),
        "quote_count": str(len(meeting.quotes)),
    }
    return {column: csv_cell(value) for column, value in values.items()}


def export_csv(corpus: Corpus) -> str:
    """The meetings as a CSV table, one row per meeting sorted by id.

    Columns are :data:`CSV_COLUMNS` in that order; lists are joined with ``"; "`` (the
    participant name, role and country columns line up item by item); a missing value is
    an empty cell. Rows end with ``\\n``; a value holding a comma, quote or line break is
    quoted by the csv module. A cell a spreadsheet would take for a formula (it starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a ``'`` in front, and
    characters no output carries are removed (``escape.csv_cell``).

    Returns:
        The CSV text with a header row.
    """
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for meeting in sorted(corpus.meetings, key=lambda m: m.id):
        writer.writerow(_csv_row(meeting))
    return buffer.getvalue()
