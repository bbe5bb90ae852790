"""A cache of extraction results, so an unchanged article is never extracted twice.

An entry is keyed by everything extraction depends on: the code version, the data files
(taxonomy, people, places), the article's shown path and its bytes. Entries live in
``$BRIEFING_CACHE`` when set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/briefing/extract`` (default ``~/.cache/briefing/extract``; record files
read back are memoised beside it, in ``records``, one file per version): outside the
content folder, so that a content folder someone else made can never hand this program a
pickle to load. Each code-and-data version has its own folder; older folders beyond the
newest few are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.models import ArticleFacts

if TYPE_CHECKING:
    from generator.shingles import Sketch

KEEP_VERSIONS = 3
FORMAT = b"briefing-cache-1"


@dataclass(frozen=True)
class Entry:
    """What reading and extraction made of one article file."""

    facts: ArticleFacts
    sketch: Sketch


@dataclass(frozen=True)
class RecordMemo:
    """What reading one record file gave: its normalised fields and body, and whether the
    file is exactly as ingest would render those fields (so it need not be rendered)."""

    fields: dict[str, Any]
    body: str
    canonical: bool


def read_pickle(path: Path) -> Any:
    """What ``path`` holds (written by :func:`write_pickle`), or None when it is missing or
    cannot be read: a cache that fails only costs speed."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        return None


def write_pickle(path: Path, value: object) -> None:
    """Pickle ``value`` into ``path`` atomically (a temporary file beside it, then renamed);
    a failure to write only costs speed, so it is ignored."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        finally:
            Path(temp).unlink(missing_ok=True)


def package_version() -> str:
    """A digest of the package's code: a changed extractor re-extracts and re-ingests."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_root(kind: str = "extract") -> Path | None:
    """The folder holding every version's cache of one kind (``extract``, ``records``),
    or None when the cache is off."""
    given = os.environ.get("BRIEFING_CACHE")
    if given is not None:
        off = given.strip().lower() in ("", "off", "0", "none")
        return None if off else Path(given) / kind
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing" / kind


def version_key(code: str, data: bytes) -> str:
    """The name of one code-and-data version's folder."""
    return hashlib.sha256(FORMAT + code.encode() + b"\0" + data).hexdigest()[:24]


def entry_key(shown: str, raw: bytes) -> str:
    """The key of one article: its shown path (it names the file in records) and bytes."""
    return hashlib.sha256(shown.encode("utf-8", "replace") + b"\0" + raw).hexdigest()


class ExtractCache:
    """Entries of one code-and-data version (a no-op when ``root`` is None); entries are
    :class:`Entry` values (extraction) or :class:`RecordMemo` values (record files)."""

    def __init__(self, root: Path | None, version: str) -> None:
        self.folder = None if root is None else root / version
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any:
        """The entry for ``key``, or None when missing or unreadable."""
        if self.folder is None:
            return None
        entry = read_pickle(self.folder / key[:2] / key)
        if isinstance(entry, (Entry, RecordMemo)):
            self.hits += 1
            return entry
        self.misses += 1
        return None

    def put(self, key: str, entry: Entry | RecordMemo) -> None:
        """Store an entry (atomically; a failure to write only costs speed)."""
        if self.folder is None:
            return
        write_pickle(self.folder / key[:2] / key, entry)

    def prune(self) -> None:
        """Remove other versions' folders beyond the newest ``KEEP_VERSIONS``."""
        if self.folder is None or not self.folder.parent.is_dir():
            return
        with contextlib.suppress(OSError):
            os.utime(self.folder) if self.folder.is_dir() else None
            others = sorted((p for p in self.folder.parent.iterdir()
                             if p.is_dir() and p != self.folder),
                            key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
            for old in others[KEEP_VERSIONS - 1:]:
                shutil.rmtree(old, ignore_errors=True)


class RecordMemos:
    """Record files read before (:class:`RecordMemo` by key), all in one file per version
    (a no-op when ``root`` is None). ``save`` keeps only the entries used or added since
    loading, so the file never holds records that are gone."""

    NAME = "records.pickle"

    def __init__(self, root: Path | None, version: str) -> None:
        self.cache = ExtractCache(root, version)  # its folder, and pruning of old versions
        self.path = None if self.cache.folder is None else self.cache.folder / self.NAME
        self.loaded: dict[str, RecordMemo] = {}
        self.fresh: dict[str, RecordMemo] = {}
        if self.path is not None:
            loaded = read_pickle(self.path)
            if isinstance(loaded, dict):
                self.loaded = {key: memo for key, memo in loaded.items()
                               if isinstance(key, str) and isinstance(memo, RecordMemo)}

    def get(self, key: str) -> RecordMemo | None:
        """The memo for ``key``, or None."""
        memo = self.loaded.get(key)
        if memo is not None:
            self.fresh[key] = memo
        return memo

    def put(self, key: str, memo: RecordMemo) -> None:
        """Add a memo (kept by :meth:`save`)."""
        self.fresh[key] = memo

    def save(self) -> None:
        """Write the memos used or added (atomically; a failure only costs speed)."""
        if self.path is None or self.fresh.keys() == self.loaded.keys():
            return
        write_pickle(self.path, self.fresh)
        self.cache.prune()
