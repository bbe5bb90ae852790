"""What ``mkdocs serve`` keeps from one build to the next, so that an edit shows quickly.

- a page memo: only pages whose values changed are rendered again (``site.memo``);
- a folder of the rendered pages in which only changed pages are rewritten (their files'
  times tell ``mkdocs serve --dirty`` what to rebuild);
- the theme's compiled templates: each build makes a new template environment, which would
  compile them all again;
- the extraction cache's packs already read (``support.cache.remember_packs``): an edited
  article's new pack is the only one read.

``mkdocs serve`` cleans up (and the session removes its folder of pages) when it is
interrupted; while a session is open, SIGTERM interrupts it as Ctrl-C does, so that a
server stopped by a service manager or ``kill`` leaves no folder behind either.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2

from generator.models import RenderedPage
from generator.site.memo import PageMemo
from generator.support import cache
from generator.support.files import BatchWrite


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory by name and source checksum (Jinja checks the
    checksum), so that the theme is compiled once per ``mkdocs serve``, not once per build."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class PreviewSession:
    """The memo, the folder of pages and the compiled theme of one ``mkdocs serve``."""

    def __init__(self) -> None:
        cache.remember_packs()
        self.memo = PageMemo()
        self.store = Path(tempfile.mkdtemp(prefix="briefing-pages-"))
        self.stored: dict[str, str] = {}  # what each file in the store holds
        self.bytecode = MemoryBytecodeCache()
        self.sigterm: Any = None  # the SIGTERM handler before this session's
        if threading.current_thread() is threading.main_thread():
            self.sigterm = signal.signal(signal.SIGTERM, interrupt)

    def use_compiled_theme(self, env: jinja2.Environment) -> None:
        """Give a build's template environment the templates compiled before."""
        if env.bytecode_cache is None:
            env.bytecode_cache = self.bytecode

    def store_pages(self, pages: Sequence[RenderedPage]) -> None:
        """Write the pages that changed since the last build into the store (atomically,
        not flushed to disk: they can be rendered again) and remove pages no longer
        rendered."""
        current = {page.path: page.markdown for page in pages}
        for path in sorted(set(self.stored) - set(current)):
            (self.store / path).unlink(missing_ok=True)
        with BatchWrite(durable=False) as batch:
            for path, markdown in current.items():
                if self.stored.get(path) != markdown:
                    batch.write(self.store / path, markdown)
        self.stored = current

    def page_file(self, path: str) -> Path:
        """Where the store keeps a page."""
        return self.store / path

    def close(self) -> None:
        """Forget the packs read, and remove the folder of pages."""
        cache.remember_packs(False)
        shutil.rmtree(self.store, ignore_errors=True)
        if self.sigterm is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.sigterm)
            self.sigterm = None


def interrupt(signum: int, frame: FrameType | None) -> None:
    """Stop the server as Ctrl-C does: ``mkdocs serve`` then shuts down and cleans up."""
    raise KeyboardInterrupt(f"signal {signum}")
