"""The input side of ingest, hardened: which files to read, reading them, and extracting
each within a time budget. One bad file is reported as ``path: reason``; the rest go on.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.extract.masthead import with_masthead
from generator.ingest.inputs import shown_path
from generator.ingest.sources import SourceError, read_bytes, source_text
from generator.knowledge import DATA_FILES, KnowledgeBase, data_path, load_knowledge
from generator.knowledge.settings import Limits
from generator.models import ArticleFacts, Problem, SourceArticle
from generator.support.cache import CacheEntry, ExtractCache, entry_key
from generator.support.pool import cores, fork_is_safe, process_pool
from generator.support.progress import progress

if TYPE_CHECKING:
    from generator.ingest.shingles import Sketch

PARALLEL_MIN = 64  # fewer articles to extract than this: no process pool (its start costs)
GROUP = (16, 128)  # fewest and most articles a worker extracts and caches as one pack (at
# most: the last group keeps one worker busy alone)


class ExtractionTimeout(BaseException):
    """Raised inside extraction when its time is up (a BaseException, so that no
    ``except Exception`` in an extractor can swallow it)."""


def read_source(raw: bytes, path: Path, shown: str, kb: KnowledgeBase) -> SourceArticle:
    """An article from the bytes of its file, with its masthead (the news agencies are the
    knowledge base's: the site's own ``places.yaml`` when it has one).

    Raises:
        SourceError: the bytes are empty, binary or not text.
    """
    return with_masthead(source_text(raw, path, shown), kb.places.agencies)


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
    from generator.extract import (
        article as extract,  # imported here: an ingest with nothing to do needs none
    )

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


# -- reading and extracting many files, in parallel and through the cache ------------------

@dataclass(frozen=True)
class Entry(CacheEntry):
    """What reading and extraction made of one article file (kept in the cache)."""

    facts: ArticleFacts
    sketch: Sketch


Outcome = tuple[str | None, Entry | Problem]  # (article id when read, result)


@dataclass
class Intake:
    """What reading and extracting the article files gave, in file order."""

    facts: list[ArticleFacts] = field(default_factory=list)
    sketches: dict[str, Sketch] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    extracted: int = 0  # articles read and extracted this run (not taken from the cache)


def data_digest(content: Path | None) -> bytes:
    """The bytes of every data file extraction reads (a changed file is a new cache)."""
    return b"\0".join(data_path(name, content).read_bytes() for name in DATA_FILES)


def process_one(raw: bytes, path: Path, shown: str, kb: KnowledgeBase,
                seconds: float) -> Outcome:
    """Read and extract one article file's bytes; a problem instead when either fails."""
    from generator.ingest.shingles import sketch

    try:
        article = read_source(raw, path, shown, kb)
    except SourceError as err:
        return None, err.problem
    result = extract_one(article, kb, seconds)
    if isinstance(result, Problem):
        return article.id, result
    return article.id, Entry(result, sketch(article))


Job = tuple[bytes, Path, str, str]  # (file bytes, path, shown path, cache key)
_WORKER: dict[str, Any] = {}


def _start_worker(content: str | None, seconds: float, kb: KnowledgeBase | None,
                  folder: str | None) -> None:
    cache = Path(folder) if folder is not None else None
    _WORKER.update(kb=kb or load_knowledge(None if content is None else Path(content)),
                   seconds=seconds,
                   cache=ExtractCache(None if cache is None else cache.parent,
                                      "" if cache is None else cache.name))


def _work(group: list[tuple[bytes, str, str, str]]) -> list[Outcome]:
    """Extract a group of articles in a worker, writing their entries as one cache pack."""
    cache: ExtractCache = _WORKER["cache"]
    jobs = [(raw, Path(path), shown, key) for raw, path, shown, key in group]
    outcomes = list(_extract(jobs, _WORKER["kb"], _WORKER["seconds"], cache))
    cache.flush(compact=False)  # merging packs is left to the parent, once all are written
    return outcomes


def _extract(jobs: Iterable[Job], kb: KnowledgeBase, seconds: float,
             cache: ExtractCache) -> Iterator[Outcome]:
    """Outcomes of the jobs, in order; each entry extracted is put in ``cache``."""
    for raw, path, shown, key in jobs:
        outcome = process_one(raw, path, shown, kb, seconds)
        if isinstance(outcome[1], Entry):
            cache.put(key, outcome[1])
        yield outcome


def _groups(jobs: Sequence[Job], count: int) -> list[list[tuple[bytes, str, str, str]]]:
    """The jobs in groups for ``count`` workers: about eight groups per worker, so that
    they share the work evenly, of ``GROUP`` articles at most and at least."""
    size = max(GROUP[0], min(GROUP[1], len(jobs) // (8 * count)))
    return [[(raw, str(path), shown, key) for raw, path, shown, key in jobs[at:at + size]]
            for at in range(0, len(jobs), size)]


def _run(jobs: Sequence[Job], kb: KnowledgeBase, content: Path | None, seconds: float,
         workers: int | None, cache: ExtractCache) -> Iterator[Outcome]:
    """Outcomes of the jobs, in order, their entries written to ``cache`` (to be flushed):
    in a pool of processes when there are enough jobs and more than one core (each
    worker writes its groups' entries itself), else (or when the pool cannot start) in
    this process.

    Workers are forked when this process runs one thread (they inherit the knowledge
    base); beside other threads (``mkdocs serve``) they are spawned and load their own.
    """
    count = workers or cores()
    if count < 2 or len(jobs) < (2 if workers else PARALLEL_MIN):
        yield from _extract(jobs, kb, seconds, cache)
        return
    fork = fork_is_safe()
    folder = None if cache.folder is None else str(cache.folder)
    done = 0
    try:
        with process_pool(count, fork=fork, initializer=_start_worker,
                          initargs=(None if content is None else str(content), seconds,
                                    kb if fork else None, folder)) as pool:
            for outcomes in pool.map(_work, _groups(jobs, count)):
                done += len(outcomes)
                yield from outcomes
    except BrokenProcessPool:  # e.g. spawned from a script without a __main__ guard
        yield from _extract(jobs[done:], kb, seconds, cache)


def process_files(files: Sequence[Path], root: Path | None, limits: Limits,
                  kb: KnowledgeBase, cache: ExtractCache, content: Path | None = None,
                  workers: int | None = None) -> Intake:
    """Read and extract every article file, taking unchanged ones from the cache and
    adding the others to it (flushed before returning, also when interrupted).

    Args:
        files: the article files, sorted.
        root: paths are shown relative to it.
        limits: size and time limits.
        kb: the knowledge base (workers load their own from ``content``).
        cache: extraction results by file bytes.
        content: the content folder whose data files the workers load.
        workers: processes to use (1: none; None: one per core, for large runs only).

    Returns:
        Facts and sketches of the articles extracted, in file order, and a problem for
        each file that could not be read or extracted, or that gives an id already taken.
    """
    outcomes: list[Outcome | None] = [None] * len(files)
    jobs: list[Job] = []
    places: list[int] = []
    for index, path in enumerate(files):
        shown = shown_path(path, root)
        try:
            raw = read_bytes(path, shown, limits.max_article_bytes)
        except SourceError as err:
            outcomes[index] = (None, err.problem)
            continue
        key = entry_key(shown, raw)
        hit = cache.get(key)
        if hit is not None:
            outcomes[index] = (hit.facts.article.id, hit)
        else:
            jobs.append((raw, path, shown, key))
            places.append(index)
    results = _run(jobs, kb, content, limits.extraction_seconds, workers, cache)
    try:
        for index, outcome in zip(places, progress(results, len(jobs), "extract"),
                                  strict=True):
            outcomes[index] = outcome
    finally:
        cache.flush()
    return _assemble(outcomes, files, root, len(jobs))


def _assemble(outcomes: Sequence[Outcome | None], files: Sequence[Path], root: Path | None,
              extracted: int) -> Intake:
    """The outcomes in file order; a second file giving an id already taken is a problem."""
    intake = Intake(extracted=extracted)
    owners: dict[str, str] = {}
    for path, outcome in zip(files, outcomes, strict=True):
        assert outcome is not None
        ident, result = outcome
        if ident is not None and ident in owners:
            intake.problems.append(Problem(shown_path(path, root), f'article id "{ident}" is '
                                           f"already taken by {owners[ident]}"))
            continue
        if ident is not None:
            owners[ident] = shown_path(path, root)
        if isinstance(result, Problem):
            intake.problems.append(result)
        else:
            intake.facts.append(result.facts)
            intake.sketches[ident or result.facts.article.id] = result.sketch
    return intake
