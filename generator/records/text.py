"""The texts of the records a save writes, rendered and checked on every core.

For each record to write, a save needs its text (the file's own when it already renders the
same fields and body, else rendered), and for a text that differs from the file, the text
read back and checked against the schema (problems, and whether it reads back as exactly the
fields written), plus the messages for kept edits. That is most of a save's time, and each
record's work is independent: a large save shares it among a pool of forked processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.models import Problem
from generator.records.fields import normalise, record_text
from generator.records.merge import Existing, Output, edit_notes
from generator.records.schema import parse_record_text
from generator.support.pool import fork_map

PARALLEL_MIN = 400  # fewer records are rendered in this process (a pool costs more)


@dataclass(frozen=True)
class Job:
    """One record to write."""

    output: Output
    path: Path
    before: Existing | None
    canonical: bool  # the file on disk renders its own fields and body exactly


@dataclass(frozen=True)
class Rendered:
    """One record's text and what checking it found."""

    text: str
    changed: bool  # the text differs from the file's bytes (the file will be written)
    problems: tuple[Problem, ...]  # of the text read back (only when changed)
    reads_back: bool  # changed, and the text reads back as exactly the fields written
    kept: tuple[Problem, ...]
    conflicts: tuple[Problem, ...]


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def text_of(job: Job) -> Rendered:
    """The text of one record, and what reading it back and the kept edits give."""
    output, path, before = job.output, job.path, job.before
    current = _current(path)
    text = None
    if job.canonical and before is not None and current is not None and \
            before.fields == output.fields and list(before.fields) == list(output.fields) \
            and before.body == output.body:
        try:
            text = current.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None:
        text = record_text(output.fields, output.body)
    changed = current != text.encode("utf-8")
    problems: tuple[Problem, ...] = ()
    reads_back = False
    if changed:  # unchanged files passed this check when they were read
        record = parse_record_text(text, str(path), output.kind, output.id, ours=True)
        problems = record.problems
        if record.fields is not None and not record.problems:
            fields = normalise(output.kind, record.fields)
            reads_back = fields == output.fields and list(fields) == list(output.fields) \
                and record.body == output.body
    kept, conflicts = edit_notes(str(path), text, output)
    return Rendered(text, changed, problems, reads_back, tuple(kept), tuple(conflicts))


def texts_of(jobs: Sequence[Job]) -> list[Rendered]:
    """Every job's result, in order (in forked processes when there are many: see
    ``generator.support.pool``)."""
    with fork_map(text_of, jobs, least=PARALLEL_MIN) as pending:
        return pending.get()
