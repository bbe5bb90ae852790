"""The one process-pool helper: work shared among processes, one per core.

``fork_map`` runs a function over items in forked processes (saving records, rendering
pages); ``process_pool`` gives an executor whose workers are forked when that is safe and
spawned otherwise (extraction, the built-site check).

The work and its inputs are not pickled: a forked worker inherits them. Only each result
is sent back. Forking is safe only from a process that runs a single thread, so beside
other threads (``mkdocs serve``), with one core, or for little work, everything runs in
this process instead; the result is the same either way.

Workers die with this process, however it ends (``kill -9``, the OOM killer): a forked
worker would otherwise wait for work for ever, holding whatever it inherited. Each worker
asks Linux to kill it when its parent dies (``PR_SET_PDEATHSIG``), and a thread of its own
watches for its parent to change as well (other systems, or a parent thread that ended).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_TASK: list[tuple[Callable[[Any], Any], Sequence[Any]]] = []  # what forked workers inherit
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5  # how often a worker looks for its parent


def _ask_to_die_with_parent() -> bool:
    """Ask Linux to send this process SIGKILL when its parent dies; False where it cannot."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


def start_worker(parent: int, initializer: Callable[..., None] | None,
                 initargs: tuple[Any, ...]) -> None:
    """The first thing a worker does: tie its life to ``parent`` (the pid of the process
    that started it), then run ``initializer``."""
    _ask_to_die_with_parent()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request was made
        os.kill(os.getpid(), signal.SIGKILL)
    if initializer is not None:
        initializer(*initargs)


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    function, items = _TASK[-1]
    return [function(item) for item in items[bounds[0]:bounds[1]]]


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def fork_is_safe() -> bool:
    """Whether a forked child is safe: this process runs a single thread (a child forked
    beside other threads may inherit a lock one of them held) and can fork at all."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def can_fork(count: int, least: int) -> bool:
    """Whether ``count`` items are worth a pool of forked processes (and one is safe)."""
    return count >= least and cores() > 1 and fork_is_safe()


def process_pool(count: int, *, fork: bool, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """An executor of ``count`` processes, forked (they inherit this process's memory; only
    when ``fork_is_safe``) or spawned (they start afresh: ``initializer`` loads what they
    need)."""
    context = multiprocessing.get_context("fork" if fork else "spawn")
    return ProcessPoolExecutor(count, mp_context=context, initializer=start_worker,
                               initargs=(os.getpid(), initializer, initargs))


class Pending(Generic[Result]):
    """Results being computed in a pool (``parts``), or to compute here when asked for
    (``here``); :meth:`get` gives them in the order of the items."""

    def __init__(self, parts: Any = None,
                 here: Callable[[], list[Result]] | None = None) -> None:
        self.parts = parts
        self.here = here
        self.done: list[Result] | None = None

    def get(self) -> list[Result]:
        if self.done is None:
            self.done = self.here() if self.here is not None else \
                [result for part in self.parts.get() for result in part]
        return self.done


@contextmanager
def fork_map(function: Callable[[Item], Result], items: Sequence[Item], *,
             least: int) -> Iterator[Pending[Result]]:
    """``function`` of every item, in order: in forked processes, one per core, while the
    block runs (this process is free to do other work meanwhile), when there are at least
    ``least`` items and forking is safe; else here, when :meth:`Pending.get` is called.

    Use as ``with fork_map(f, items, least=400) as pending: ...; results = pending.get()``
    (inside the block).
    """
    if not can_fork(len(items), least):
        yield Pending(here=lambda: [function(item) for item in items])
        return
    count = cores()
    step = -(-len(items) // (4 * count))
    ranges = [(start, min(start + step, len(items))) for start in range(0, len(items), step)]
    _TASK.append((function, items))
    try:
        with multiprocessing.get_context("fork").Pool(
                count, initializer=start_worker, initargs=(os.getpid(), None, ())) as pool:
            yield Pending(parts=pool.map_async(_run_range, ranges, chunksize=1))
    finally:
        _TASK.pop()
