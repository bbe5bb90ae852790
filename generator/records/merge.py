"""Merging a new ingest into records a person may have edited, so that no edit is lost.

Works on canonical field dicts (see ``generator.records.schema``). For every record, ingest keeps
what it generated last time (the *state*). A field whose value on disk differs from that
state was edited by a person: it is kept, and reported as a conflict when ingest now finds
something else. Without a state, any value that differs from what ingest finds is treated
as an edit. Meetings keep their existing id when a new ingest produces the same meeting
(matched by shared sources) under another provisional id.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.models import Problem
from generator.support.slugs import unique_slug
from generator.support.yamlio import key_lines, split_front_matter

MISSING: Any = object()


@dataclass(frozen=True)
class Existing:
    """A record already in the content folder: its fields (None if unreadable) and state."""

    id: str
    fields: dict[str, Any] | None
    body: str
    state: dict[str, Any] | None


@dataclass(frozen=True)
class FieldEdit:
    """A field whose value a person set, kept instead of what ingest generated."""

    field: str
    kept: Any
    generated: Any
    changed: bool  # ingest's value changed since last time (or there is no state to tell)
    known: bool  # False when there was no state: the value may not be a person's edit


@dataclass(frozen=True)
class Output:
    """A record to write: merged fields, body, and the state to keep for next time."""

    kind: str
    id: str
    fields: dict[str, Any]
    body: str
    state: dict[str, Any]
    edits: tuple[FieldEdit, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Everything a save will do, decided before anything is written."""

    outputs: tuple[Output, ...]
    removals: tuple[tuple[str, str], ...]  # (kind, id) of unedited records no longer produced
    kept: tuple[tuple[str, str, str], ...]  # (kind, id, why) of records kept though not produced
    blocked: tuple[tuple[str, str], ...]  # (kind, id) produced but unreadable on disk: not touched
    renamed: tuple[tuple[str, str], ...] = field(default=())


def show(value: Any, limit: int = 80) -> str:
    """Format a field value for a message: JSON, shortened if long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _known_sources(existing: Existing) -> set[str]:
    sources: set[str] = set()
    for fields in (existing.fields, existing.state):
        if fields is not None:
            sources.update(fields.get("sources") or ())
    return sources


def match_meetings(generated: Sequence[dict[str, Any]],
                   existing: dict[str, Existing]) -> dict[str, str]:
    """Give each generated meeting its final id: an existing record's id, or a free new one.

    Matching prefers the most shared sources, then an equal id; each existing record is
    used once. Unmatched meetings keep their provisional id, suffixed ``-2``, ``-3``… when
    it is already taken.

    Returns:
        Provisional id to final id, for every generated meeting.
    """
    by_source: dict[str, set[str]] = {}
    known = {key: _known_sources(record) for key, record in existing.items()}
    for key, sources in known.items():
        for source in sources:
            by_source.setdefault(source, set()).add(key)
    pairs = []
    for meeting in generated:
        sources = set(meeting["sources"])
        candidates = set().union(*(by_source.get(s, set()) for s in sources))
        for key in candidates:
            pairs.append((-len(sources & known[key]), key != meeting["id"], meeting["id"], key))
    final: dict[str, str] = {}
    for _, _, provisional, key in sorted(pairs):
        if provisional not in final and key not in final.values():
            final[provisional] = key
    taken = set(existing) | set(final.values())
    for meeting in sorted(generated, key=lambda m: m["id"]):
        provisional = meeting["id"]
        if provisional in final:
            continue
        if provisional in existing and provisional not in final.values():
            final[provisional] = provisional
            taken.add(provisional)
        else:
            final[provisional] = unique_slug(provisional, taken)
    return final


def merge_fields(generated: dict[str, Any], current: dict[str, Any],
                 last: dict[str, Any] | None) -> tuple[dict[str, Any], tuple[FieldEdit, ...]]:
    """Merge one record: take ingest's value for untouched fields, keep a person's edits.

    Args:
        generated: What ingest produces now.
        current: What is on disk now.
        last: What ingest produced last time (the state), or None if it was lost.

    Returns:
        The merged fields and the edits that were kept.
    """
    merged: dict[str, Any] = {}
    edits = []
    for name, new in generated.items():
        now = current.get(name, MISSING)
        before = MISSING if last is None else last.get(name, MISSING)
        if name == "id" or now is MISSING or now in (new, before) or \
                _added_since(name, now, last):
            merged[name] = new
            continue
        merged[name] = now
        known = before is not MISSING
        edits.append(FieldEdit(name, now, new, changed=not known or new != before, known=known))
    return merged, tuple(edits)


def _added_since(name: str, now: Any, last: dict[str, Any] | None) -> bool:
    """A field the records gained after the last ingest: still empty, nobody set it."""
    return last is not None and name not in last and now in (None, [], {})


def is_edited(record: Existing) -> bool:
    """True when a record differs from what ingest last wrote (or that is unknown)."""
    if record.fields is None or record.state is None or record.body.strip():
        return True
    return any(record.state.get(name, MISSING) != value for name, value in record.fields.items())


def _plan_kind(kind: str, generated: Sequence[tuple[dict[str, Any], str]],
               existing: dict[str, Existing]) -> tuple[list[Output], list[tuple[str, str]]]:
    outputs, blocked = [], []
    for fields, body in generated:
        record = existing.get(fields["id"])
        if record is None:
            outputs.append(Output(kind, fields["id"], fields, body, fields))
        elif record.fields is None:
            blocked.append((kind, fields["id"]))
        else:
            merged, edits = merge_fields(fields, record.fields, record.state)
            outputs.append(Output(kind, fields["id"], merged, record.body, fields, edits))
    return outputs, blocked


def _rename_in_article(fields: dict[str, Any], final: dict[str, str]) -> dict[str, Any]:
    meetings = list(dict.fromkeys(final.get(m, m) for m in fields["meetings"]))
    return {**fields, "meetings": meetings}


def plan_save(meetings: Sequence[tuple[dict[str, Any], str]],
              articles: Sequence[tuple[dict[str, Any], str]],
              existing: dict[str, dict[str, Existing]]) -> Plan:
    """Decide what to write, keep and remove for a new ingest.

    Args:
        meetings: Generated meetings as (canonical fields, body), provisional ids.
        articles: Generated articles as (canonical fields, body).
        existing: Records on disk by kind (``meetings``, ``articles``), then by id.

    Returns:
        The plan; nothing has been written yet.
    """
    final = match_meetings([m for m, _ in meetings], existing["meetings"])
    meetings = [({**m, "id": final[m["id"]]}, body) for m, body in meetings]
    articles = [(_rename_in_article(a, final), body) for a, body in articles]
    outputs, blocked = _plan_kind("meetings", meetings, existing["meetings"])
    more, more_blocked = _plan_kind("articles", articles, existing["articles"])
    produced = {(o.kind, o.id) for o in outputs + more} | set(blocked + more_blocked)
    removals, kept = [], []
    for kind, records in sorted(existing.items()):
        for key, record in sorted(records.items()):
            if (kind, key) in produced:
                continue
            if not is_edited(record):
                removals.append((kind, key))
            else:
                kept.append((kind, key, _why_kept(record)))
    renamed = tuple(sorted((old, new) for old, new in final.items() if old != new))
    return Plan(tuple(outputs + more), tuple(removals), tuple(kept),
                tuple(blocked + more_blocked), renamed)


def _why_kept(record: Existing) -> str:
    if record.fields is None:
        return "it cannot be read, so it may hold edits"
    if record.state is None:
        return "there is no record that ingest wrote it (made by hand?)"
    return "it was edited"


def edit_notes(path: str, text: str, output: Output) -> tuple[list[Problem], list[Problem]]:
    """Messages for the kept edits of one record: (kept edits, conflicts)."""
    lines = key_lines(split_front_matter(text)[0]) if output.edits else {}
    kept: list[Problem] = []
    conflicts: list[Problem] = []
    for edit in output.edits:
        found = f"; ingest now finds {show(edit.generated)}"
        if not edit.known:
            message = f"{edit.field}: kept {show(edit.kept)} (no state to tell a person's edit " \
                      f"from an older ingest){found}"
        else:
            message = f"{edit.field}: kept your edit {show(edit.kept)}"
            message += found if edit.changed else ""
        note = Problem(path, message, lines.get(edit.field))
        (conflicts if edit.changed else kept).append(note)
    return kept, conflicts
