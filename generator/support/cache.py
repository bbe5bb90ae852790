"""A cache of extraction results, so an unchanged article is never extracted twice.

An entry is keyed by everything extraction depends on: the code version, the data files
(taxonomy, people, places), the article's shown path and its bytes. Entries live in
``$BRIEFING_CACHE`` when set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/briefing/extract`` (default ``~/.cache/briefing/extract``; record files
read back are memoised beside it, in ``records``, one file per version): outside the
content folder, so that a content folder someone else made can never hand this program a
pickle to load. Each code-and-data version has its own folder of pack files, each holding
many entries (written by the extraction workers, one per group of articles); older
folders beyond the newest few are removed.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import BriefingError
from generator.support.files import atomic_write, file_identity

KEEP_VERSIONS = 3
FORMAT = b"briefing-cache-2"  # 2: entries in pack files
MAX_PACKS = 256  # more packs than this in a folder: flush merges them (reading 1 or 100
# costs about the same; merging 10,000 entries costs 2 to 3 s, so it should be rare)


class CacheEntry:
    """What a cache keeps: a value read back from a pack is used only if it is one of these
    (extraction's ``extract.batch.Entry``, the records' ``RecordMemo``)."""

    __slots__ = ()


@dataclass(frozen=True)
class RecordMemo(CacheEntry):
    """What reading one record file gave: its normalised fields and body, and whether the
    file is exactly as ingest would render those fields (so it need not be rendered)."""

    fields: dict[str, Any]
    body: str
    canonical: bool


def read_pickle(path: Path) -> Any:
    """What ``path`` holds (written by :func:`write_pickle`), or None when it is missing or
    cannot be read: a cache that fails only costs speed."""
    with collector_paused():
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                TypeError, ValueError):
            return None


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the block runs (and on again after it, if it
    was). Loading a pickle, extracting, grouping and saving make many long-lived objects
    and next to no reference cycles (what is no longer used is still freed at once, by
    reference counting): the collector's scans of those objects would find nothing, and
    take as long as the work itself."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def freeze_survivors() -> None:
    """Keep every object that exists now out of the collector's scans until ``thaw``: a
    whole MkDocs build keeps the records, views and pages it starts with until it ends, and
    the collector would scan them again and again while MkDocs builds."""
    gc.freeze()


def thaw() -> None:
    """Let the collector see the objects ``freeze_survivors`` hid again."""
    gc.unfreeze()


def write_pickle(path: Path, value: object) -> None:
    """Pickle ``value`` into ``path`` atomically, not flushed to disk (a crash loses an
    entry whole, which costs only speed); a failure to write is ignored for the same reason."""
    with contextlib.suppress(OSError, BriefingError):  # the latter: disk full, read-only...
        atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)


def package_version() -> str:
    """A digest of the package's code: a changed extractor re-extracts and re-ingests."""
    digest = hashlib.sha256()
    package = Path(__file__).parent.parent  # the whole generator package
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
    """Entries of one code-and-data version (a no-op when ``root`` is None): ``CacheEntry``
    values (extraction's), kept in pack files (``*.pack``, each a pickled ``{key: entry}``).

    Packs are read together on the first :meth:`get`; :meth:`put` collects entries in memory
    and :meth:`flush` writes them as one new pack. Several processes may write packs into
    one folder at once (each pack has its own name and is written atomically); once the
    folder holds more than ``MAX_PACKS`` of them, :meth:`flush` merges them into one. A
    reader racing with that merge may miss an entry or read one twice: speed only.
    """

    def __init__(self, root: Path | None, version: str) -> None:
        self.folder = None if root is None else root / version
        self.hits = 0
        self.misses = 0
        self.entries: dict[str, Any] | None = None  # every pack's entries, once read
        self.read: set[Path] = set()  # the packs they came from
        self.pending: dict[str, CacheEntry] = {}  # put, not yet flushed

    def packs(self) -> list[Path]:
        """The pack files in this version's folder now, sorted."""
        if self.folder is None:
            return []
        with contextlib.suppress(OSError):
            return sorted(self.folder.glob("*.pack"))
        return []

    def get(self, key: str) -> Any:
        """The entry for ``key``, or None when missing or unreadable."""
        if self.folder is None:
            return None
        if self.entries is None:
            self.read = set(self.packs())
            self.entries = _read_packs(sorted(self.read))
        entry = self.pending.get(key) or self.entries.get(key)
        if isinstance(entry, CacheEntry):
            self.hits += 1
            return entry
        self.misses += 1
        return None

    def put(self, key: str, entry: CacheEntry) -> None:
        """Add an entry, written by the next :meth:`flush`."""
        if self.folder is not None:
            self.pending[key] = entry

    def flush(self, compact: bool = True) -> None:
        """Write the entries put since the last flush as one new pack (atomically; a
        failure to write only costs speed). With ``compact``, a folder holding more than
        ``MAX_PACKS`` packs gets one pack with all their entries instead."""
        if self.folder is None:
            return
        pending, self.pending = self.pending, {}
        packs = self.packs() if compact else []
        if len(packs) + bool(pending) > MAX_PACKS:
            merged = dict(self.entries or {})  # read before, and those written since
            merged.update(_read_packs([p for p in packs if p not in self.read]))
            merged.update(pending)
            written = _write_pack(self.folder, merged)
            if written is not None:
                if self.entries is not None:
                    self.entries, self.read = merged, {written}
                for pack in packs:  # only those read: a pack written meanwhile stays
                    with contextlib.suppress(OSError):
                        pack.unlink(missing_ok=True)
        elif pending:
            _write_pack(self.folder, pending)

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


# The packs the last read of this process loaded, by file identity, when it is a live
# preview (which sets ``remember_packs``): a pack is never changed once written (a new one is
# written instead), so an ingest after the edit of one article reads only the packs written
# since. Other processes do not keep them: they would hold every entry through the build.
_LOADED_PACKS: dict[tuple[object, ...], dict[str, Any]] = {}
_REMEMBER = [False]


def remember_packs(on: bool = True) -> None:
    """Keep the packs read in memory for the next ingest of this process (or stop)."""
    _REMEMBER[0] = on
    if not on:
        _LOADED_PACKS.clear()


def _read_packs(packs: list[Path]) -> dict[str, Any]:
    """Every entry the readable packs hold (an unreadable pack holds none)."""
    entries: dict[str, Any] = {}
    seen: dict[tuple[object, ...], dict[str, Any]] = {}
    for pack in packs:
        found = file_identity(pack)
        if found is None:
            continue
        key = (os.path.abspath(pack), *found)
        loaded = _LOADED_PACKS.get(key)
        if loaded is None:
            loaded = read_pickle(pack)
        if isinstance(loaded, dict):
            entries.update(loaded)
            seen[key] = loaded
    _LOADED_PACKS.clear()
    if _REMEMBER[0]:
        _LOADED_PACKS.update(seen)
    return entries


def _write_pack(folder: Path, entries: dict[str, Any]) -> Path | None:
    """Write ``entries`` as a new pack in ``folder``: its path, or None when not written."""
    path = folder / f"{os.getpid()}-{secrets.token_hex(8)}.pack"
    write_pickle(path, entries)
    return path if path.is_file() else None


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
