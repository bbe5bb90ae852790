"""Records on disk: one Markdown file with YAML front matter per meeting and per article.

``content/meetings/<id>.md`` and ``content/articles/<id>.md`` hold the records; the body
below the front matter is the analyst's notes. ``content/.state/records.json`` keeps
what ingest generated last, so that a new ingest can tell a person's edits from its own
output and never overwrite them (see ``generator.records.merge``). Loading checks every file
against the schema (``generator.records.schema``); one bad file is reported and skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.models import ArticleRecord, MeetingRecord, Problem
from generator.records.fields import (
    article_from_fields,
    article_to_fields,
    meeting_from_fields,
    meeting_to_fields,
    normalise,
    record_text,
)
from generator.records.load import (
    KINDS,
    MAX_FILE_BYTES,
    check_content,
    load_corpus,
    read_capped,
    read_record_file,
    record_files,
    record_memo_key,
    record_memos,
    sorted_problems,
)
from generator.records.merge import Existing, Output, Plan, plan_save
from generator.records.schema import (
    ARTICLE_ID,
    MEETING_ID,
    ParsedRecord,
)
from generator.records.state import (
    States,
    digest_bytes,
    effective_state,
    ledger_path,
    ledger_text,
    new_state,
    read_states,
    rebuilt_state,
)
from generator.records.text import Job, Rendered, texts_of
from generator.support.cache import (
    RecordMemo,
    RecordMemos,
)
from generator.support.files import BatchWrite

__all__ = ["SaveReport", "article_from_fields", "article_to_fields",
           "check_content", "load_corpus", "meeting_from_fields", "meeting_to_fields",
           "normalise", "record_text", "save_ingest"]

STATE = ".state"


@dataclass(frozen=True)
class SaveReport:
    """What :func:`save_ingest` did. Problems read ``path:line: message``.

    Attributes:
        written: Record files written (created or changed), sorted.
        unchanged: Record files whose bytes were already right (not rewritten).
        kept_edits: Fields a person edited, kept; ingest still finds what it found before.
        conflicts: Fields a person edited, kept, where ingest now finds something else
            (or there was no state to tell an edit from an older ingest's output).
        removed: Record files deleted: no longer produced and never edited.
        renamed: (provisional id, final id) of meetings that kept an existing id or
            needed a suffix.
        kept_records: Records no longer produced but kept, because a person edited them.
        problems: Existing files that could not be read and were left untouched, and any
            written record that failed its own schema check.
    """

    written: tuple[str, ...]
    unchanged: int
    kept_edits: tuple[Problem, ...]
    conflicts: tuple[Problem, ...]
    removed: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...]
    kept_records: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()
    # records not written: their loader would refuse them (the ingest reports them with the
    # articles it skipped, and fails)
    refused: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # state files found damaged, and rebuilt

    def messages(self) -> tuple[str, ...]:
        """Lines to show a person: problems, conflicts, kept records, kept edits, renames."""
        notes = (*self.problems, *self.conflicts, *self.kept_records, *self.kept_edits)
        renames = (f"meeting {old} saved as {new}" for old, new in self.renamed)
        return (*self.notes, *(str(note) for note in notes), *renames)


# -- files --------------------------------------------------------------------------------


# -- loading and checking -----------------------------------------------------------------


# -- saving an ingest ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """One record file as a save found it."""

    record: ParsedRecord
    fields: dict[str, Any] | None  # normalised; None when invalid
    canonical: bool  # its bytes are exactly how those fields render
    digest: str | None  # sha256 of its bytes; None when unreadable


def _read_existing(path: Path, kind: str, memo: RecordMemos) -> _Read:
    """One record file, parsed (from the memo when these bytes were read before)."""
    try:
        raw = read_capped(path)
    except OSError:
        raw = None
    key = None if raw is None else record_memo_key(kind, path.stem, raw)
    hit = None if key is None else memo.get(key)
    if hit is not None:
        return _Read(ParsedRecord(kind, str(path), hit.fields, hit.body, (), {}), hit.fields,
                     hit.canonical, digest_bytes(raw))
    record = read_record_file(path, kind)
    if record.fields is None or raw is None or key is None:
        return _Read(record, None, False, digest_bytes(raw))
    fields = normalise(kind, record.fields)
    canonical = record_text(fields, record.body).encode("utf-8") == raw
    memo.put(key, RecordMemo(fields, record.body, canonical))
    return _Read(record, fields, canonical, digest_bytes(raw))


@dataclass
class _Found:
    """What a save found in the content folder, by kind and id."""

    existing: dict[str, dict[str, Existing]]
    parsed: dict[str, dict[str, ParsedRecord]]
    digests: dict[tuple[str, str], str | None]  # sha256 of each record file's bytes
    canonical: set[tuple[str, str]]  # records whose files render their fields exactly
    states: States  # as read, with ``_written`` and ``_previous``
    notes: list[str] = field(default_factory=list)  # damaged state files, rebuilt


def _existing(content: Path, memo: RecordMemos) -> _Found:
    states, damage = read_states(content)
    found = _Found({}, {}, {}, set(), states)
    if damage is not None:
        found.notes.append(f"{ledger_path(content)}: damaged ({damage}); "
                           "rebuilt from the records")
    for kind in KINDS:
        found.existing[kind], found.parsed[kind] = {}, {}
        for path in record_files(content, kind):
            read = _read_existing(path, kind, memo)
            if read.canonical:
                found.canonical.add((kind, path.stem))
            found.digests[kind, path.stem] = read.digest
            if damage is not None and read.fields is not None:
                states[kind][path.stem] = rebuilt_state(read.fields, read.digest)
            state = effective_state(states[kind].get(path.stem), path, read.digest,
                                    read.fields)
            found.existing[kind][path.stem] = Existing(path.stem, read.fields, read.record.body,
                                                       state)
            found.parsed[kind][path.stem] = read.record
    return found


def _generated(records: Sequence[MeetingRecord | ArticleRecord], kind: str,
               problems: list[Problem], content: Path) -> list[tuple[dict[str, Any], str]]:
    """Canonical fields and body of each generated record; unsafe ids are reported, skipped."""
    pattern = MEETING_ID if kind == "meetings" else ARTICLE_ID
    result = []
    seen: set[str] = set()
    for record in sorted(records, key=lambda r: r.id):
        if not pattern.fullmatch(record.id) or record.id in seen:
            why = "appears more than once" if record.id in seen else \
                "is not a valid file name for a record id"
            problems.append(Problem(str(content / kind), f'not saved: "{record.id}" {why}'))
            continue
        seen.add(record.id)
        if isinstance(record, MeetingRecord):
            fields = meeting_to_fields(record)
        else:
            fields = article_to_fields(record)
        result.append((fields, record.body))
    return result


def save_ingest(content: Path, meetings: Sequence[MeetingRecord],
                articles: Sequence[ArticleRecord]) -> SaveReport:
    """Write the records of an ingest, keeping every edit a person made to earlier ones.

    Fields nobody edited take the new values; edited fields and every body are kept; an
    edited field whose generated value changed too is reported as a conflict. Meetings keep
    the id of the existing record they match (by shared sources), and articles' meeting
    lists follow. Records no longer produced are removed unless edited. Files whose bytes
    would not change are not rewritten.

    Args:
        content: The content folder (created if needed).
        meetings: The meetings ingest produced (provisional ids).
        articles: The articles ingest produced.

    Returns:
        What was written, kept, removed and renamed, and any conflicts.
    """
    problems: list[Problem] = []
    generated = {"meetings": _generated(meetings, "meetings", problems, content),
                 "articles": _generated(articles, "articles", problems, content)}
    memo = record_memos()
    found = _existing(content, memo)
    plan = plan_save(generated["meetings"], generated["articles"], found.existing)
    report = _apply(content, plan, found, problems, memo)
    memo.save()
    return report


def _texts(content: Path, plan: Plan, found: _Found, refused: list[Problem],
           ) -> tuple[list[tuple[Output, Path, Rendered]], States]:
    """Each output's path and rendered text, and the states to keep once they are written:
    theirs, and those of records left as they are (unless their file is gone). A text
    longer than its loader reads is not written (its file and state stay as they were)
    and is reported in ``refused``: ingest never writes a record it would then refuse."""
    states: States = {kind: {} for kind in KINDS}
    for kind, key in found.digests:
        if key in found.states[kind]:
            states[kind][key] = found.states[kind][key]
    jobs = [Job(output, content / output.kind / f"{output.id}.md",
                found.existing[output.kind].get(output.id),
                (output.kind, output.id) in found.canonical) for output in plan.outputs]
    texts = []
    for job, rendered in zip(jobs, texts_of(jobs), strict=True):
        output = job.output
        size = len(rendered.text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            refused.append(Problem(str(job.path), f"not saved: the record would be {size:,} "
                                   f"bytes, more than the {MAX_FILE_BYTES:,} a record may "
                                   f"have; its {output.kind[:-1]} is left out of this ingest"))
            continue
        if rendered.changed and rendered.problems:  # its own loader would refuse it
            first = rendered.problems[0]
            where = f"line {first.line}: " if first.line else ""
            refused.append(Problem(str(job.path), f"not saved: {where}{first.message}; its "
                                   f"{output.kind[:-1]} is left out of this ingest"))
            continue
        states[output.kind][output.id] = new_state(
            output, rendered.text, found.digests.get((output.kind, output.id)),
            job.before.state if job.before else None)
        texts.append((output, job.path, rendered))
    for kind, key in plan.removals:
        states[kind].pop(key, None)
    return texts, states


def _sources_of(output: Output) -> str:
    """What to delete so that ingest no longer makes a record."""
    if output.kind == "articles":
        return f"its article file {output.fields.get('source_file')}"
    sources = output.fields.get("sources") or []
    return f"its articles ({', '.join(sources)}) from the seeds" if sources else "its articles"


def _apply(content: Path, plan: Plan, found: _Found, problems: list[Problem],
           memo: RecordMemos) -> SaveReport:
    written, unchanged = [], 0
    kept_edits: list[Problem] = []
    conflicts: list[Problem] = []
    refused: list[Problem] = []
    texts, states = _texts(content, plan, found, refused)
    with BatchWrite() as batch:  # every file written, then renamed in this order
        # the states first: a crash part way through the records leaves states that still
        # describe the old files not yet replaced (see generator.records.state)
        batch.write(ledger_path(content), ledger_text(states))
        for output, path, rendered in texts:
            # a text equal to the file's bytes when it was rendered is not written (nor is
            # the file read again to tell)
            if rendered.changed and batch.write(path, rendered.text):
                written.append(str(path))
                problems += rendered.problems
                if rendered.reads_back:  # memoised as read, so the next save need not parse it
                    memo.put(record_memo_key(output.kind, output.id, rendered.text.encode("utf-8")),
                             RecordMemo(output.fields, output.body, True))
            else:
                unchanged += 1
            kept_edits += rendered.kept
            conflicts += rendered.conflicts
            if (output.kind, output.id) not in found.digests and \
                    output.id in found.states[output.kind]:
                found.notes.append(f"{path}: was deleted; written again from its sources "
                                   f"(delete {_sources_of(output)} to drop it)")
    removed = []
    for kind, key in plan.removals:
        (content / kind / f"{key}.md").unlink(missing_ok=True)
        removed.append(str(content / kind / f"{key}.md"))
    kept_records = [Problem(str(content / kind / f"{key}.md"),
                            f"no longer produced by ingest; kept because {why}")
                    for kind, key, why in plan.kept]
    for kind, key in plan.blocked:
        record = found.parsed[kind][key]
        problems += record.problems
        problems.append(Problem(record.path, "not updated by ingest until its problems are fixed"))
    return SaveReport(tuple(sorted(written)), unchanged, sorted_problems(kept_edits),
                      sorted_problems(conflicts), tuple(sorted(removed)), plan.renamed,
                      sorted_problems(kept_records), sorted_problems(problems),
                      sorted_problems(refused), tuple(found.notes))
