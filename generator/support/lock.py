"""One ingest at a time per content folder: an exclusive ``flock`` on ``<content>/.lock``.

The lock itself is ``filelock``'s native Unix lock (``flock``), so it is released by the
kernel when the process ends, however it ends (even by SIGKILL): a crashed ingest never
leaves a stale lock behind. The file stays in place after release, so every ingest locks
the same file. The file holds the pid of the process that has the lock, so a waiting one
can say who it waits for; it is only rewritten when that pid changes (``mkdocs serve``
watches the content folder). A ``.lock`` that is a symbolic link is refused, never
followed: writing the pid through it would overwrite the file it points to.

A ``flock`` belongs to the open file, which a forked child shares: a worker forked while the
lock is held would hold it too, and keep it after this process is killed. So a forked child
never keeps the lock: right after any fork its copy of the descriptor is pointed at
``/dev/null`` (the number stays valid, so nothing else can take it by mistake).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import Timeout, UnixFileLock

from generator.errors import BriefingError
from generator.models import Problem
from generator.support.files import REFUSED

LOCK_FILE = ".lock"
POLL_SECONDS = 0.05
_MODE = 0o644


class LockBusy(BriefingError):
    """Another ingest holds the content folder's lock."""


def _holder(path: Path) -> str:
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return "?"
    try:
        text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "?"
    finally:
        os.close(handle)
    return text if text.isdigit() else "?"


_HELD: dict[int, tuple[int, int]] = {}  # descriptor -> (device, inode) of each lock held


def _drop_in_child() -> None:
    """In a forked child: let go of every lock the parent holds (see the module docstring).
    A descriptor no longer open on the lock file (``filelock`` may have closed it already)
    is left alone."""
    for handle, identity in _HELD.items():
        try:
            info = os.fstat(handle)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == identity:
            empty = os.open(os.devnull, os.O_RDONLY)
            os.dup2(empty, handle, inheritable=False)
            os.close(empty)
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_in_child)


def _claim(handle: int) -> None:
    """Write this process's pid into the lock file (``filelock`` hands over its descriptor)."""
    info = os.fstat(handle)
    _HELD[handle] = info.st_dev, info.st_ino
    mine = f"{os.getpid()}\n".encode("ascii")
    if os.pread(handle, 64, 0) != mine:
        os.ftruncate(handle, 0)
        os.pwrite(handle, mine, 0)


def _refuse_link(path: Path, shown: str) -> None:
    if path.is_symlink():
        raise BriefingError([Problem(shown, f"{LOCK_FILE} is a symbolic link; refusing to "
                                            "follow it (remove it and run again)")])


@contextlib.contextmanager
def content_lock(content: Path, timeout: float, shown: str | None = None) -> Iterator[None]:
    """Hold the content folder's lock for the ``with`` block.

    Args:
        content: The content folder (created if needed).
        timeout: Seconds to wait for another ingest to finish; 0 means do not wait.
        shown: How to name the folder in the message (default: ``str(content)``).

    Raises:
        LockBusy: the lock is still held after ``timeout`` seconds; the message reads
            ``content: another ingest is running (lock held by pid N)``.
        BriefingError: ``<content>/.lock`` is a symbolic link.
    """
    content.mkdir(parents=True, exist_ok=True)
    path, name = content / LOCK_FILE, shown or str(content)
    _refuse_link(path, name)
    # the native flock only: no soft (marker file) fallback, the file kept on release
    # filelock waits for ever on a negative time-out; here it means do not wait
    lock = UnixFileLock(path, timeout=max(timeout, 0.0), mode=_MODE, thread_local=False,
                        poll_interval=POLL_SECONDS, fallback_to_soft=False,
                        preserve_lock_file=True, on_acquired=_claim)
    held_before = set(_HELD)
    try:
        lock.acquire()
    except Timeout:
        message = f"another ingest is running (lock held by pid {_holder(path)})"
        raise LockBusy([Problem(name, message)]) from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # made a link between the check and the open
            _refuse_link(path, name)
        # a full disk, a read-only folder, a folder named .lock: said in one line
        reason = REFUSED.get(error.errno or 0, error.strerror or str(error))
        message = f"{reason.lower()}: cannot take the lock (nothing was changed)"
        raise BriefingError([Problem(f"{name}/{LOCK_FILE}", message)]) from error
    taken = set(_HELD) - held_before
    try:
        yield
    finally:
        for handle in taken:
            _HELD.pop(handle, None)
        lock.release()
