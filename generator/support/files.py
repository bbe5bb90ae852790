"""Files on disk: the one atomic writer (a file is old or new, never half written; many
files in one batch) and a file's identity (what tells, without reading it, that a file is
still the one seen)."""

from __future__ import annotations

import errno
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.errors import BriefingError
from generator.models import Problem

Identity = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


def file_identity(path: Path | str) -> Identity | None:
    """The inode, size, modification and change times of a file (following links), or None
    when it cannot be looked at. Any write changes the change time, which no tool can set."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def read_json(path: Path) -> tuple[Any, str | None]:
    """The data of a JSON file this program wrote, and why it is damaged (None when it is
    not): ``(None, None)`` when there is no such file. Damage is anything but valid UTF-8
    JSON of bounded depth: empty, cut short, garbage, nested too deeply."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as err:
        return None, f"cannot read: {err.strerror}"
    if not raw.strip():
        return None, "empty"
    try:
        return json.loads(raw.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except RecursionError:
        return None, "nested too deeply"
    except ValueError as err:
        return None, f"not JSON: {err}"


# write failures a person must fix outside the program: said in one line, not a traceback
REFUSED = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
           errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
           errno.EPERM: "operation not permitted"}


@contextmanager
def refused_as_error(path: Path, changed: str | None = None) -> Iterator[None]:
    """Turn a write refused by the system (``REFUSED``) into a ``BriefingError`` naming
    ``path``: ``path: no space left on device (nothing was changed)``, or ``changed``
    in the brackets when some files were already replaced."""
    try:
        yield
    except OSError as error:
        if error.errno not in REFUSED:
            raise
        state = changed or "nothing was changed"
        raise BriefingError([Problem(str(path), f"{REFUSED[error.errno]} ({state})")]) \
            from error


def atomic_write(path: Path, data: str | bytes, *, durable: bool = True) -> bool:
    """Write a file all at once, or not at all when its bytes are already right.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed
    over ``path``; readers never see half a file, and file watchers (MkDocs live reload)
    see nothing when nothing changed.

    Args:
        path: The file to write; missing parent folders are created.
        data: Text (written as UTF-8) or bytes.
        durable: Flush the file and its folder to disk (off for what can be made again,
            such as cache entries: a crash then loses it whole, never half of it).

    Returns:
        True if the file was written, False if it already held exactly these bytes.
    """
    with refused_as_error(path):
        temp = _stage(path, data, durable=durable)
        if temp is None:
            return False
        try:
            _rename(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    if durable:
        _sync_folder(path.parent)
    return True


def _stage(path: Path, data: str | bytes, *, durable: bool) -> Path | None:
    """Write ``data`` to a new temporary file beside ``path`` (with ``path``'s mode), ready
    to be renamed over it; None, and nothing written, when ``path`` already holds it.
    ``durable`` flushes the temporary file to disk before returning."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if _holds(path, raw):
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(descriptor, view):]
            if durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if path.is_file():
            os.chmod(temp, path.stat().st_mode & 0o7777)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _holds(path: Path, raw: bytes) -> bool:
    """Whether ``path`` is a file holding exactly ``raw`` (read only when the size agrees)."""
    try:
        return path.stat().st_size == len(raw) and path.is_file() and path.read_bytes() == raw
    except OSError:
        return False


def _sync_folder(folder: Path) -> None:
    """Make a rename durable; not every system lets a folder be opened for this."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


_rename = os.replace  # a name of its own: tests crash the process at each rename


class BatchWrite:
    """Many files written atomically, flushed to disk together.

    ``write`` puts each file's bytes in a temporary file beside it, flushed to disk;
    ``commit`` renames them over their targets in the order they were written, and flushes
    the folders holding them (only the files and folders written: never every disk).
    Readers (and a run killed at any point) see each file old or new, never half written,
    and the renames keep their order; temporaries a killed run leaves behind
    start with ``.`` and end in ``.tmp``. Use it as a context manager: leaving the block
    normally commits, an exception removes the temporaries and changes nothing.
    """

    def __init__(self, *, durable: bool = True) -> None:
        self.pending: list[tuple[Path, Path]] = []  # (temporary, target)
        self.durable = durable  # off: no flushes (pages a preview can render again)

    def __enter__(self) -> BatchWrite:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def write(self, path: Path, data: str | bytes) -> bool:
        """Stage a file; False (and nothing staged) when it already holds these bytes.

        Raises:
            BriefingError: the system refused the write (disk full, read-only...).
        """
        with refused_as_error(path):
            temp = _stage(path, data, durable=self.durable)
        if temp is None:
            return False
        self.pending.append((temp, path))
        return True

    def commit(self) -> None:
        """Flush, rename every staged file over its target in order, flush again."""
        if not self.pending:
            return
        done = 0
        try:
            for temp, path in self.pending:
                with refused_as_error(path, "stopped part way: run again once fixed"
                                       if done else None):
                    _rename(temp, path)
                done += 1
        finally:
            renamed = {path.parent for _, path in self.pending[:done]}
            self.pending = self.pending[done:]
            self.discard()
        if self.durable:
            for folder in sorted(renamed):
                _sync_folder(folder)

    def discard(self) -> None:
        """Remove the temporaries not yet renamed."""
        for temp, _ in self.pending:
            temp.unlink(missing_ok=True)
        self.pending = []
