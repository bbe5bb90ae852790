"""Progress bars for long runs: shown on a terminal, quiet in CI and when stderr is piped."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
MIN_ITEMS = 200  # shorter runs finish before a bar would be worth drawing


def wanted(total: int) -> bool:
    """Whether to draw a bar: a long run, stderr a terminal, and not in CI."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return total >= MIN_ITEMS and not ci and sys.stderr.isatty()


def progress(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """Yield ``items``, drawing a tqdm bar on stderr when :func:`wanted` says so."""
    if not wanted(total):
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=label, unit="file", file=sys.stderr,
                    leave=False, dynamic_ncols=True)
