"""Pages rendered before, kept by what they were rendered from (used by the live preview).

A page is a pure function of its template files and of the values it is rendered from; when
both are equal to last time, the page from last time is used instead of rendering again.
``mkdocs serve`` keeps one memo for the whole session, so after an edit only the pages that
show something of the edited record are rendered again. Keys are the view objects
themselves (frozen dataclasses compared by value), never ids or times, so a stale page can
only come from a dependency the caller leaves out of the key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from pathlib import Path

from generator.models import RenderedPage


def templates_digest(templates: Path) -> str:
    """A digest of every template file's name and bytes (any edit changes it)."""
    digest = hashlib.sha256()
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(templates)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class PageMemo:
    """Rendered pages by (templates digest, template, path, dependencies).

    Each render round keeps only the pages it used, so the memo never holds more than one
    site's worth of pages.
    """

    def __init__(self) -> None:
        self._pages: dict[Hashable, RenderedPage] = {}
        self._used: dict[Hashable, RenderedPage] = {}
        self.hits = 0
        self.misses = 0

    def page(self, key: Hashable, produce: Callable[[], RenderedPage]) -> RenderedPage:
        """The page last rendered under ``key``, or a new one from ``produce``."""
        page = self._pages.get(key)
        if page is None:
            self.misses += 1
            page = produce()
        else:
            self.hits += 1
        self._used[key] = page
        return page

    def end_round(self) -> None:
        """Forget the pages the round that just ended did not use."""
        self._pages, self._used = self._used, {}
