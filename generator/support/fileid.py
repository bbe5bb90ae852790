"""A file's identity: what tells, without reading it, that a file is still the one seen."""

from __future__ import annotations

import os
from pathlib import Path

Identity = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


def file_identity(path: Path | str) -> Identity | None:
    """The inode, size, modification and change times of a file (following links), or None
    when it cannot be looked at. Any write changes the change time, which no tool can set."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns
