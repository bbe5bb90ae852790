"""The inputs of an ingest: which article files there are, and whether any input changed.

This is all an ingest with nothing to do needs (the common case under ``make site`` and
``mkdocs serve``), so it imports nothing of the extractor.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.ingest.textclean import printable
from generator.knowledge import DATA_FILES, data_path
from generator.knowledge.settings import MAX_ARTICLE_BYTES, SETTINGS
from generator.models import Problem
from generator.support.files import file_identity

ARTICLE_SUFFIXES = (".txt", ".text", ".md")


def list_article_files(seeds: Path) -> list[Path]:
    """Every article file directly in ``seeds``, sorted by name; symlinks are not followed."""
    return sorted(p for p in seeds.iterdir()
                  if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_symlink() and p.is_file())


def shown_path(path: Path, root: Path | None = None) -> str:
    """How a file is named in records and messages: relative to ``root`` when inside it
    (whatever the working folder), with control and invisible characters escaped."""
    shown = path
    if root is not None:
        whole, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
        shown = whole.relative_to(base) if whole.is_relative_to(base) else path
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


def ignored_folders(seeds: Path, root: Path | None = None) -> list[str]:
    """A line for each folder inside ``seeds`` (but hidden ones, and those named like an
    article file, which are skipped as such): only the files directly in the seeds folder
    are articles, since ids are file names, which need not be unique across folders."""
    return [f"{shown_path(path, root)}: a folder inside the seeds folder; its files are not "
            "ingested (move them into the seeds folder to ingest them)"
            for path in sorted(seeds.iterdir())
            if path.is_dir() and not path.is_symlink() and not path.name.startswith(".")
            and path.suffix.lower() not in ARTICLE_SUFFIXES]


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



# A file's digest is reused while its inode, size and times are what they were when it was
# read, and only when its change time was at least this long before the digests were taken:
# a file written again within one tick of the clock may keep its times, never a file whose
# change time was already this far in the past (the coarsest file system clock is 2 s).
SETTLED_NS = 2_000_000_000

FileDigests = dict[str, list[Any]]  # file name -> [inode, size, mtime_ns, ctime_ns, sha256]


@dataclass(frozen=True)
class Inputs:
    """The fingerprint of ingest's inputs, and the article digests it was made of."""

    fingerprint: str
    digests: FileDigests
    taken_ns: int  # when the files were looked at (before the first was)
    hashed: int  # how many article files had to be read for it


def fingerprint(code: str, files: Iterable[Path], skipped: Iterable[Problem],
                content: Path, root: Path | None = None) -> str:
    """A digest of every input of ingest: the code, the readable article files (by the
    path records name them with, relative to ``root``, and their bytes), the skipped ones
    (by their problem), the data files and the settings."""
    return take_inputs(code, files, skipped, content, root=root).fingerprint


def take_inputs(code: str, files: Iterable[Path], skipped: Iterable[Problem],
                content: Path, known: FileDigests | None = None,
                known_ns: int = 0, root: Path | None = None) -> Inputs:
    """The fingerprint of every input of ingest (see ``fingerprint``).

    ``known`` holds each article file's digest from an earlier call (taken at
    ``known_ns``), by shown path: a file whose inode, size and times are unchanged since
    then, and whose change time was settled then (``SETTLED_NS``), is not read again. A
    file that cannot be looked at is read as it is (and read errors surface where they did
    before).
    """
    taken = time.time_ns()
    known = known or {}
    digests: FileDigests = {}
    hashed = 0
    digest = hashlib.sha256(code.encode())
    for path in sorted(files):
        # records name the file by its shown path: the same files seen from another root
        # (or a seeds folder given another way) make other records
        shown = shown_path(path, root)
        found = file_identity(path)
        key = None if found is None else list(found)
        entry = known.get(shown)
        if (key is not None and entry is not None and entry[:4] == key
                and key[3] < known_ns - SETTLED_NS):
            sha = str(entry[4])
        else:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            hashed += 1
        if key is not None:
            digests[shown] = [*key, sha]
        digest.update(shown.encode("utf-8", "surrogatepass") + b"\0" + sha.encode() + b"\0")
    for problem in skipped:
        digest.update(str(problem).encode("utf-8", "replace") + b"\0")
    for data in DATA_FILES:
        digest.update(data_path(data, content).read_bytes())
    settings = content / SETTINGS
    if settings.is_file():
        digest.update(settings.read_bytes())
    return Inputs(digest.hexdigest(), digests, taken, hashed)


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
