"""The review queue: facts in meeting records that rest on weak evidence.

A briefing reader trusts a page only as far as its facts hold; these are the ones an analyst
should look at first: a date guessed or missing, a person the people data does not know, a
participant without role or country, a meeting in person without a place, a fact with no
supporting words recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.knowledge.people import PeopleDirectory
from generator.models import MeetingRecord
from generator.records.schema import ParsedRecord
from generator.records.store import meeting_from_fields, read_record_file, record_files

# Date bases a careful reader would accept without checking (see extract.dates.DATE_BASES).
FIRM_DATE_BASES = frozenset({"stated", "date-line", "weekday-before-publication"})


@dataclass(frozen=True)
class ReviewItem:
    """One fact to check, with the place of the field in its record file."""

    path: str
    line: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.reason}"


def weak_facts(record: MeetingRecord, people: PeopleDirectory) -> Iterator[tuple[str, str]]:
    """Each weak fact of one meeting as (field place, reason)."""
    backed = {e.field for e in record.evidence}
    if record.date is None:
        yield "date", "no date could be established from the sources"
    elif record.date_basis not in FIRM_DATE_BASES:
        yield "date", f"date inferred ({record.date_basis}), not stated in a source"
    elif "date" not in backed:
        yield "date", "no supporting words recorded"
    if record.format == "in_person" and record.location is None:
        yield "location", "meeting in person but no place found"
    if record.setting == "sidelines" and not record.occasion:
        yield "occasion", "on the sidelines of an event that is not named"
    if not record.participants:
        yield "participants", "no participant found"
    for index, person in enumerate(record.participants):
        place = f"participants[{index}]"
        if people.lookup(person.name) is None:
            yield f"{place}.name", (f'"{person.name}" is not in the people data: found only '
                                    "through a role phrase")
        if not person.role or not person.country:
            missing = " and ".join(k for k in ("role", "country") if not getattr(person, k))
            yield place, f'"{person.name}": {missing} unknown'
    if not record.topics:
        yield "topics", "no topic found"


def review_content(content: Path, people: PeopleDirectory) -> tuple[ReviewItem, ...]:
    """The review queue of every valid meeting record in ``content``, in file order."""
    items: list[ReviewItem] = []
    for path in record_files(content, "meetings"):
        parsed: ParsedRecord = read_record_file(path, "meetings")
        if parsed.fields is None:
            continue  # invalid records are reported by `check` as problems
        record = meeting_from_fields(parsed.fields, parsed.body)
        for place, reason in weak_facts(record, people):
            items.append(ReviewItem(parsed.path, parsed.where(place)[0], place, reason))
    return tuple(items)
