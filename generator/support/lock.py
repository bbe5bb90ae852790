"""One ingest at a time per content folder: an exclusive ``flock`` on ``<content>/.lock``.

The lock is released by the kernel when the process ends, however it ends (even by
SIGKILL), so a crashed ingest never leaves a stale lock behind. The file holds the pid of
the process that has the lock, so a waiting one can say who it waits for; it is only
rewritten when that pid changes (``mkdocs serve`` watches the content folder).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BriefingError
from generator.models import Problem

LOCK_FILE = ".lock"
POLL_SECONDS = 0.05


class LockBusy(BriefingError):
    """Another ingest holds the content folder's lock."""


def _holder(handle: int) -> str:
    try:
        text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "?"
    return text if text.isdigit() else "?"


def _claim(handle: int) -> None:
    mine = f"{os.getpid()}\n".encode("ascii")
    if os.pread(handle, 64, 0) != mine:
        os.ftruncate(handle, 0)
        os.pwrite(handle, mine, 0)


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
    """
    content.mkdir(parents=True, exist_ok=True)
    handle = os.open(content / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    message = f"another ingest is running (lock held by pid {_holder(handle)})"
                    raise LockBusy([Problem(shown or str(content), message)]) from None
                time.sleep(POLL_SECONDS)
        _claim(handle)
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock
