"""The input side of ingest, hardened: which files to read, reading them, and extracting
each within a time budget. One bad file is reported as ``path: reason``; the rest go on.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator import extract
from generator.knowledge import DATA_FILES, KnowledgeBase, data_path
from generator.limits import SETTINGS, Limits
from generator.models import ArticleFacts, Problem, SourceArticle
from generator.sources import SourceError, read_article, scan_seeds

__all__ = ["ExtractionTimeout", "extract_within", "fingerprint", "read_all",
           "remove_stale_temps", "scan_seeds", "time_budget"]


class ExtractionTimeout(BaseException):
    """Raised inside extraction when its time is up (a BaseException, so that no
    ``except Exception`` in an extractor can swallow it)."""


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


def read_all(files: Iterable[Path], root: Path | None,
             limits: Limits) -> tuple[list[SourceArticle], list[Problem]]:
    """Read every article file; unreadable ones, and a second file giving an id already
    taken (``a.txt`` and ``a.md``), become problems, the rest go on."""
    articles: list[SourceArticle] = []
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    for path in files:
        try:
            article = read_article(path, root, limits.max_article_bytes)
        except SourceError as err:
            problems.append(err.problem)
            continue
        if article.id in owners:
            problems.append(Problem(article.source_file, f'article id "{article.id}" is already '
                                                         f"taken by {owners[article.id]}"))
            continue
        owners[article.id] = article.source_file
        articles.append(article)
    return articles, problems


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`ExtractionTimeout` in the block once ``seconds`` have passed.

    Uses a real-time interval timer (it interrupts long regular-expression matches too),
    which only the main thread can receive; elsewhere the block runs unbounded and the
    caller checks the elapsed time afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise ExtractionTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_one(article: SourceArticle, kb: KnowledgeBase,
                seconds: float) -> ArticleFacts | Problem:
    """The facts of one article, or the problem that stopped extraction."""
    late = Problem(article.source_file, f"extraction took longer than {seconds:g} s")
    start = time.monotonic()
    try:
        with time_budget(seconds):
            facts = extract.extract_facts(article, kb)
    except ExtractionTimeout:
        return late
    except Exception as err:  # noqa: BLE001 - reported per file, the run goes on
        return Problem(article.source_file, f"extraction failed: {type(err).__name__}: {err}")
    return late if time.monotonic() - start > seconds else facts


def extract_within(articles: Iterable[SourceArticle], kb: KnowledgeBase,
                   seconds: float) -> tuple[list[ArticleFacts], list[Problem]]:
    """Extract facts from each article, each within ``seconds``; one failing or slow
    article never stops the others."""
    facts: list[ArticleFacts] = []
    problems: list[Problem] = []
    for article in articles:
        result = extract_one(article, kb, seconds)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            facts.append(result)
    return facts, problems


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
