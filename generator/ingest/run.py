"""What surrounds one ingest, so that the pipeline shows only its story: the content lock,
the scan of the article files, the fingerprint that says whether anything changed since the
last run, and the state that remembers that run.

``content/.state/inputs.json`` holds the last run's fingerprint, counts and skipped files;
``content/.state/article-digests.json`` each article file's digest by its inode, size and
times, so that unchanged files are not read to fingerprint them. The run's summary also
holds a digest of the names of the record files it left, so that a record deleted (or added)
by hand since makes the next ingest run and say so, rather than find everything up to date.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BriefingError
from generator.ingest.inputs import (
    FileDigests,
    Inputs,
    ignored_folders,
    remove_stale_temps,
    scan_seeds,
    shown_path,
    take_inputs,
)
from generator.knowledge.settings import Limits, load_limits
from generator.models import Problem
from generator.support.cache import package_version
from generator.support.files import atomic_write, read_json, refused_as_error
from generator.support.lock import content_lock

STATE_FILE = Path(".state") / "inputs.json"
DIGESTS_FILE = Path(".state") / "article-digests.json"
RECORD_FILES = ("articles/*.md", "meetings/*.md")  # the record files a run leaves


def record_files_digest(content: Path) -> str:
    """A digest of the names of the record files in ``content``."""
    names = sorted(p.relative_to(content).as_posix()
                   for pattern in RECORD_FILES for p in content.glob(pattern))
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class IngestRun:
    """One ingest under way: the files to read, and what the last run left."""

    content: Path
    root: Path | None
    limits: Limits
    code: str  # the package's code version
    files: tuple[Path, ...]  # readable article files, sorted
    unreadable: tuple[Problem, ...]  # files skipped unread
    inputs: Inputs
    previous: dict[str, object]  # the last run's summary (empty when none)
    notes: tuple[str, ...] = ()  # damaged state files, each rebuilt
    locked: bool = False  # found under the content folder's lock
    records: str = ""  # the digest of the record files' names (record_files_digest)

    @property
    def unchanged(self) -> bool:
        """Whether no article, data file, setting or code changed since the last run, and
        no record file was deleted or added since."""
        return (self.previous.get("fingerprint") == self.inputs.fingerprint
                and self.previous.get("records") == self.records)

    def last_counts(self) -> tuple[int, int, tuple[Problem, ...]]:
        """The last run's articles, meetings and skipped files."""
        skipped = self.previous.get("skipped")
        problems = tuple(Problem(**p) for p in skipped if isinstance(p, dict)) \
            if isinstance(skipped, list) else ()
        articles, meetings = self.previous.get("articles", 0), self.previous.get("meetings", 0)
        return (articles if isinstance(articles, int) else 0,
                meetings if isinstance(meetings, int) else 0, problems)

    def remember_digests(self) -> None:
        """Keep the article files' digests, when some had to be read this time and the
        content folder can be written to and is free (they only save time)."""
        if not self.inputs.hashed:
            return
        if self.locked:
            _save_digests(self.content, self.inputs)
            return
        with contextlib.suppress(OSError, BriefingError), content_lock(self.content, 0):
            _save_digests(self.content, self.inputs)

    def finish(self, articles: int, meetings: int, problems: list[Problem]) -> None:
        """Remember this run: its fingerprint, counts, skipped files and record files, and
        the digests."""
        summary = {"fingerprint": self.inputs.fingerprint, "articles": articles,
                   "meetings": meetings, "records": record_files_digest(self.content),
                   "skipped": [{"path": p.path, "message": p.message, "line": p.line,
                                "column": p.column} for p in problems]}
        atomic_write(self.content / STATE_FILE,
                     json.dumps(summary, indent=1, sort_keys=True) + "\n")
        _save_digests(self.content, self.inputs)


def survey(seeds: Path, content: Path, root: Path | None) -> IngestRun:
    """Scan ``seeds`` and fingerprint every input, reading only (no lock, nothing written:
    a content folder that cannot be written to can still be found up to date).

    Raises:
        BriefingError: the settings cannot be used.
    """
    limits = load_limits(content)
    notes = ignored_folders(seeds, root)
    files, unreadable = scan_seeds(seeds, root, limits.max_article_bytes)
    code = package_version()
    inputs = take_inputs(code, files, unreadable, content,
                         *_known_digests(content, root, notes), root=root)
    previous = _previous_run(content, root, notes)
    return IngestRun(content, root, limits, code, tuple(files), tuple(unreadable), inputs,
                     previous, tuple(notes), records=record_files_digest(content))


@contextmanager
def ingest_run(seeds: Path, content: Path, root: Path | None,
               lock_seconds: float | None = None, force: bool = False
               ) -> Iterator[IngestRun]:
    """The inputs of an ingest: when nothing changed since the last run (and not
    ``force``), found without the lock; else, under the content folder's lock, found again
    (another ingest may have run meanwhile).

    Raises:
        BriefingError: another ingest still runs after the wait (``LockBusy``), or the
            settings cannot be used.
    """
    if content.is_dir():
        run = survey(seeds, content, root)
        if run.unchanged and not force:
            yield run
            return
    elif content.exists() or content.is_symlink():
        raise BriefingError([Problem(shown_path(content, root), "not a folder: the records "
                                     "go into a folder (remove the file or choose another)")])
    with refused_as_error(content):
        content.mkdir(parents=True, exist_ok=True)
    wait = load_limits(content).lock_seconds if lock_seconds is None else lock_seconds
    with content_lock(content, wait, shown=shown_path(content, root)):
        remove_stale_temps(content)
        yield dataclasses.replace(survey(seeds, content, root), locked=True)


def _read_state(content: Path, name: Path, root: Path | None, notes: list[str]) -> object:
    """A state file's data (None when there is none); a damaged one is noted, and None."""
    path = content / name
    data, damage = read_json(path)
    if damage is not None:
        notes.append(f"{shown_path(path, root)}: damaged ({damage}); rebuilt from the sources")
    return data


def _previous_run(content: Path, root: Path | None, notes: list[str]) -> dict[str, object]:
    """The last run's summary (empty when there is none or it is damaged)."""
    data = _read_state(content, STATE_FILE, root, notes)
    if data is not None and not isinstance(data, dict):
        notes.append(f"{shown_path(content / STATE_FILE, root)}: damaged (not an object); "
                     "rebuilt from the sources")
    return data if isinstance(data, dict) else {}


def _known_digests(content: Path, root: Path | None, notes: list[str]
                   ) -> tuple[FileDigests, int]:
    """The article digests the last ingest took, and when (none when damaged)."""
    kept = _read_state(content, DIGESTS_FILE, root, notes)
    files = kept.get("files") if isinstance(kept, dict) else None
    taken = kept.get("taken_ns") if isinstance(kept, dict) else None
    if not isinstance(files, dict) or not isinstance(taken, int):
        if kept is not None:
            notes.append(f"{shown_path(content / DIGESTS_FILE, root)}: damaged (not the "
                         "digests of article files); rebuilt from the sources")
        return {}, 0
    return {name: entry for name, entry in files.items()
            if isinstance(entry, list) and len(entry) == 5}, taken


def _save_digests(content: Path, inputs: Inputs) -> None:
    atomic_write(content / DIGESTS_FILE,
                 json.dumps({"taken_ns": inputs.taken_ns, "files": inputs.digests},
                            sort_keys=True, separators=(",", ":")) + "\n")
