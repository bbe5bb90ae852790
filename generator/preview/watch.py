"""Watching the preview's input folders with the system's file events.

``mkdocs serve`` polls what it watches every half second, which adds up to that much to the
time an edit takes to show. The folders the briefing plugin watches (seeds, records, data
files, templates) are watched here with the operating system's file events instead
(inotify on Linux, through ``watchdog``). A change is handed to MkDocs through public
interfaces only: MkDocs watches (``server.watch``) one empty folder of ours, and a change in
the input folders is queued as an event of that folder on MkDocs' own observer
(``server.observer``, whose emitters' ``queue_event`` is watchdog's public API), so MkDocs
requests the rebuild itself, at once. Where the system has no file events, or the server
lacks these parts, the folders are handed to ``server.watch`` (MkDocs' polling) as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.briefing")
# what changes a file; opening and reading one (as every build does) is not a change
CHANGES = frozenset({"created", "modified", "moved", "deleted"})


@dataclass
class Watcher:
    """File events on the input folders, passed on to MkDocs through one folder it polls."""

    observer: Any  # watchdog's observer of the input folders
    trigger: Path  # the empty folder MkDocs watches
    server: Any

    def stop(self) -> None:
        """Stop listening, and let MkDocs forget the trigger folder."""
        self.observer.stop()
        self.observer.join(timeout=5)
        with contextlib.suppress(KeyError, ValueError, AttributeError):
            self.server.unwatch(str(self.trigger))
        shutil.rmtree(self.trigger, ignore_errors=True)


def _trigger(server: Any, folder: Path) -> Any:
    """MkDocs' emitter of ``folder`` once MkDocs watches it, or None when the server has
    no observer that shows its emitters (then the folders are polled)."""
    observer: Any = getattr(server, "observer", None)
    if not hasattr(observer, "emitters") or not hasattr(server, "unwatch"):
        return None
    server.watch(str(folder))
    path = os.path.abspath(folder)
    found = next((e for e in observer.emitters
                  if getattr(getattr(e, "watch", None), "path", None) == path), None)
    if found is None or not hasattr(found, "queue_event"):
        server.unwatch(str(folder))
        return None
    return found


def watch_folders(server: Any, folders: Sequence[Path]) -> Watcher | None:
    """Rebuild when any file under ``folders`` changes.

    Returns:
        The running watcher (stop it when the server stops), or None when the folders
        were handed to ``server.watch`` (MkDocs' polling) instead.
    """
    trigger = Path(tempfile.mkdtemp(prefix="briefing-watch-"))
    watcher = None
    try:
        emitter = _trigger(server, trigger)
        if emitter is not None:
            watcher = Watcher(_observe(folders, emitter, trigger), trigger, server)
    except (ImportError, OSError) as err:  # e.g. no inotify, or too many watches
        log.info(f"briefing: watching by polling ({err})")
    if watcher is None:
        shutil.rmtree(trigger, ignore_errors=True)
        for folder in folders:
            server.watch(str(folder))
        return None
    log.info("briefing: watching " + ", ".join(str(folder) for folder in folders))
    return watcher


def _observe(folders: Sequence[Path], emitter: Any, trigger: Path) -> Any:
    """A started observer of ``folders`` that queues a change of ``trigger`` on MkDocs'
    ``emitter`` for every change of a file under them."""
    import watchdog.events
    import watchdog.observers

    handler = watchdog.events.FileSystemEventHandler()

    def changed(event: Any) -> None:
        if not event.is_directory and event.event_type in CHANGES:
            emitter.queue_event(watchdog.events.FileModifiedEvent(str(trigger / "change")))

    handler.on_any_event = changed  # type: ignore[method-assign]
    observer = watchdog.observers.Observer()
    for folder in folders:
        observer.schedule(handler, str(folder), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


def stop(watcher: Watcher | None) -> None:
    """Stop a watcher :func:`watch_folders` started (None: nothing to do)."""
    if watcher is not None:
        watcher.stop()
