"""Loading records: every record file read, checked against the schema and the taxonomy, and
memoised by its bytes; one bad file is reported and skipped, the others load."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from generator.models import ArticleRecord, Corpus, MeetingRecord, Problem
from generator.records.fields import (
    article_from_fields,
    meeting_from_fields,
)
from generator.records.schema import (
    ParsedRecord,
    parse_record_text,
    topic_problems,
)
from generator.support.cache import (
    RecordMemo,
    RecordMemos,
    cache_root,
    entry_key,
    package_version,
    version_key,
)
from generator.support.files import file_identity

KINDS = ("articles", "meetings")


MAX_FILE_BYTES = 2_000_000


def record_files(content: Path, kind: str) -> list[Path]:
    """The record files of one kind (``meetings`` or ``articles``), sorted by name."""
    folder = content / kind
    try:
        with os.scandir(folder) as entries:
            return sorted(folder / e.name for e in entries if e.name.endswith(".md") and
                          not e.name.startswith(".") and e.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return []


def read_record_file(path: Path, kind: str) -> ParsedRecord:
    """Read and check one record file; never raises for a bad file."""
    shown = str(path)
    try:
        raw = read_capped(path)
    except OSError as error:
        said = "a symbolic link: a record is a file of its own (links are not followed)" \
            if error.errno == errno.ELOOP else f"cannot read: {error.strerror}"
        return ParsedRecord(kind, shown, None, "", (Problem(shown, said),), {})
    if len(raw) > MAX_FILE_BYTES:
        problem = Problem(shown, f"file is larger than {MAX_FILE_BYTES} bytes", 1, 1)
        return ParsedRecord(kind, shown, None, "", (problem,), {})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problem = Problem(shown, f"not UTF-8 text (byte 0x{raw[error.start]:02x})", line, column)
        return ParsedRecord(kind, shown, None, "", (problem,), {})
    return parse_record_text(text, shown, kind, path.stem)


def read_capped(path: Path) -> bytes:
    """The file's bytes, but no more than one past :data:`MAX_FILE_BYTES`: a record file of
    gigabytes is refused without being read into memory. A symbolic link is not followed
    (``OSError`` ELOOP): a link committed into a content folder could publish any file."""
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


def sorted_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.column or 0,
                                                      p.message)))


def _folder_problems(content: Path) -> list[Problem]:
    return [] if content.is_dir() else [Problem(str(content), "content folder not found")]


_Loaded = tuple[MeetingRecord | ArticleRecord | None, tuple[Problem, ...]]


# reading the memo costs about as much as parsing one record file in this many
MEMO_SHARE = 64


def _file_key(path: Path, kind: str, taxonomy_ids: frozenset[str] | None
              ) -> tuple[object, ...] | None:
    name = os.path.abspath(path)
    found = file_identity(name)
    return None if found is None else (name, kind, *found, taxonomy_ids)


def _load_one(path: Path, kind: str, taxonomy_ids: frozenset[str] | None,
              memo: RecordMemos | None = None) -> _Loaded:
    """One record file read and checked: the record (None when invalid) and its problems.

    A file whose bytes are exactly what ingest rendered from fields memoised before (see
    :func:`save_ingest`) is not parsed again: those fields are its fields."""
    hit = _memoised(path, kind, memo)
    if hit is not None and (kind != "meetings" or taxonomy_ids is None or
                            set(hit.fields.get("topics") or ()) <= taxonomy_ids):
        if kind == "meetings":
            return meeting_from_fields(hit.fields, hit.body), ()
        return article_from_fields(hit.fields, hit.body), ()
    record = read_record_file(path, kind)
    found = list(record.problems)
    if record.fields is not None and kind == "meetings" and taxonomy_ids is not None:
        found += topic_problems(record, record.fields, taxonomy_ids)
    if record.fields is None or found:
        return None, tuple(found)
    if kind == "meetings":
        return meeting_from_fields(record.fields, record.body), ()
    return article_from_fields(record.fields, record.body), ()


def _memoised(path: Path, kind: str, memo: RecordMemos | None) -> RecordMemo | None:
    """The memo of a record file rendered exactly from its fields, when there is one."""
    if memo is None:
        return None
    try:
        raw = read_capped(path)
    except OSError:
        return None
    if len(raw) > MAX_FILE_BYTES:
        return None
    hit = memo.get(record_memo_key(kind, path.stem, raw))
    return hit if hit is not None and hit.canonical else None


def load_corpus(content: Path, taxonomy_ids: frozenset[str] | None = None) -> Corpus:
    """Load every meeting and article record of a content folder, checking each one.

    Args:
        content: The content folder (with ``meetings/`` and ``articles/``).
        taxonomy_ids: When given, a meeting with a topic id outside it is a problem.

    Returns:
        The valid records sorted by id; each invalid file is left out and its problems
        (``path:line:col: message``, sorted) are in ``Corpus.problems``.
    """
    problems = _folder_problems(content)
    meetings, articles = [], []
    seen: dict[tuple[object, ...], _Loaded] = {}
    files = [(kind, path, _file_key(path, kind, taxonomy_ids))
             for kind in KINDS for path in record_files(content, kind)]
    new = sum(key is None or key not in _LOADED for _, _, key in files)
    # the memo (of every record ingest wrote) is read only when a good share of the files is
    # new to this process: after an ingest, not after one edit in a live preview, where
    # parsing the edited file is quicker than reading the memo
    memo = record_memos() if new and new * MEMO_SHARE >= len(files) else None
    for kind, path, key in files:
        loaded = _LOADED.get(key) if key is not None else None
        if loaded is None:
            loaded = _load_one(path, kind, taxonomy_ids, memo)
        if key is not None:
            seen[key] = loaded
        problems += loaded[1]
        if isinstance(loaded[0], MeetingRecord):
            meetings.append(loaded[0])
        elif loaded[0] is not None:
            articles.append(loaded[0])
    _LOADED.clear()  # only the last load is kept: a live preview loads the same folder again
    _LOADED.update(seen)
    return Corpus(tuple(sorted(meetings, key=lambda m: m.id)),
                  tuple(sorted(articles, key=lambda a: a.id)), sorted_problems(problems))


def _references(record: ParsedRecord) -> list[tuple[str, str, str]]:
    """(place, id, kind) of every record a record refers to."""
    fields = record.fields or {}
    if record.kind == "meetings":
        return ([(f"sources[{i}]", s, "articles") for i, s in enumerate(fields["sources"])]
                + [(f"quotes[{i}].sources[{j}]", s, "articles")
                   for i, q in enumerate(fields["quotes"]) for j, s in enumerate(q["sources"])]
                + [(f"quotes[{i}].variants[{j}].source", v["source"], "articles")
                   for i, q in enumerate(fields["quotes"])
                   for j, v in enumerate(q["variants"])])
    return ([(f"meetings[{i}]", m, "meetings") for i, m in enumerate(fields["meetings"])]
            + [(f"near_duplicates[{i}].id", d["id"], "articles")
               for i, d in enumerate(fields["near_duplicates"])]
            + [(f"{key}.id", fields[key]["id"], "articles")
               for key in ("copy_of", "near_copy_cluster") if fields.get(key)])


def check_content(content: Path, taxonomy_ids: frozenset[str]) -> tuple[Problem, ...]:
    """Check a content folder: schema, topic ids, and references between records.

    Every meeting's sources (and quote and variant sources) must exist as article records, every
    article's meetings and near-duplicates must exist, and each id must match its file name.

    Returns:
        Every problem found, sorted, each ``path:line:col: message``; empty when all is well.
    """
    problems = _folder_problems(content)
    present = {kind: {p.stem for p in record_files(content, kind)} for kind in KINDS}
    for kind in KINDS:
        for path in record_files(content, kind):
            record = read_record_file(path, kind)
            problems += record.problems
            if record.fields is None:
                continue
            if kind == "meetings":
                problems += topic_problems(record, record.fields, taxonomy_ids)
            for place, target, target_kind in _references(record):
                if target not in present[target_kind]:
                    line, column = record.where(place)
                    problems.append(Problem(
                        record.path, f'{place}: unknown {target_kind[:-1]} "{target}" '
                        f"(no file {target_kind}/{target}.md)", line, column))
    return sorted_problems(problems)


# Records read by the last load_corpus, by file identity: a record file whose inode, size and
# times are unchanged is not parsed again (``mkdocs serve`` reloads after every edit).
_LOADED: dict[tuple[object, ...], _Loaded] = {}


def record_memos() -> RecordMemos:
    """Record files read before, by their bytes (see ``generator.support.cache``)."""
    return RecordMemos(cache_root("records"), version_key(package_version(), b"records"))


def record_memo_key(kind: str, key: str, raw: bytes) -> str:
    return entry_key(f"{kind}/{key}", raw)
