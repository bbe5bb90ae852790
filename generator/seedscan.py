"""The inputs of an ingest: which article files there are, and whether any input changed.

This is all an ingest with nothing to do needs (the common case under ``make site`` and
``mkdocs serve``), so it imports nothing of the extractor.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from generator.knowledge import DATA_FILES, data_path
from generator.limits import MAX_ARTICLE_BYTES, SETTINGS
from generator.models import Problem
from generator.textclean import printable

ARTICLE_SUFFIXES = (".txt", ".text", ".md")


def list_article_files(seeds: Path) -> list[Path]:
    """Every article file directly in ``seeds``, sorted by name; symlinks are not followed."""
    return sorted(p for p in seeds.iterdir()
                  if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_symlink() and p.is_file())


def shown_path(path: Path, root: Path | None = None) -> str:
    """How a file is named in records and messages: relative to ``root`` when inside it,
    with control and invisible characters escaped."""
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    return printable(str(shown))


def scan_seeds(seeds: Path, root: Path | None = None,
               max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[list[Path], list[Problem]]:
    """The article files in ``seeds`` that can be read, and a problem for each that cannot.

    Symbolic links are never followed; files that are not regular files or are larger than
    ``max_bytes`` are skipped. Both lists are sorted by file name.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in sorted(seeds.iterdir()):
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        reason = unreadable(path, max_bytes)
        if reason is None:
            files.append(path)
        else:
            problems.append(Problem(shown_path(path, root), reason))
    return files, problems


def unreadable(path: Path, max_bytes: int) -> str | None:
    """Why a file cannot be read as an article (a link, not a regular file, too large), or
    None."""
    try:
        info = path.lstat()
    except OSError as err:
        return f"cannot read: {err.strerror}"
    if stat.S_ISLNK(info.st_mode):
        return "symbolic link, not followed"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > max_bytes:
        return f"file is larger than {max_bytes} bytes"
    return None



def fingerprint(code: str, files: Iterable[Path], skipped: Iterable[Problem],
                content: Path) -> str:
    """A digest of every input of ingest: the code, the readable article files, the
    skipped ones (by their problem), the data files and the settings."""
    digest = hashlib.sha256(code.encode())
    for path in sorted(files):
        digest.update(os.fsencode(path.name) + b"\0" + path.read_bytes() + b"\0")
    for problem in skipped:
        digest.update(str(problem).encode("utf-8", "replace") + b"\0")
    for name in DATA_FILES:
        digest.update(data_path(name, content).read_bytes())
    settings = content / SETTINGS
    if settings.is_file():
        digest.update(settings.read_bytes())
    return digest.hexdigest()


def remove_stale_temps(content: Path) -> None:
    """Delete temporary files a killed ingest left behind (``.<name>.<hex>.tmp``).

    Only called with the content lock held, so no other writer can own them.
    """
    for folder in (content, content / "meetings", content / "articles",
                   content / ".state", content / ".state" / "meetings",
                   content / ".state" / "articles"):
        if folder.is_dir():
            for temp in sorted(folder.glob(".*.tmp")):
                if temp.is_file() and not temp.is_symlink():
                    temp.unlink(missing_ok=True)
