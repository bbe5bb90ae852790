"""Watching the preview's input folders with the system's file events.

``mkdocs serve`` polls what it watches every half second, which adds up to that much to the
time an edit takes to show. The folders the briefing plugin watches (seeds, records, data
files, templates) are watched here with the operating system's file events instead
(inotify on Linux, through ``watchdog``), which MkDocs' server hears at once. Where the
system has no such events, or the server does not have the parts this relies on, the
folders are handed to MkDocs' own (polling) watch as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.briefing")
# what changes a file; opening and reading one (as every build does) is not a change
CHANGES = frozenset({"created", "modified", "moved", "deleted"})


def _request_rebuild(server: Any) -> None:
    """What MkDocs' own watch does on a change: ask the build loop for a rebuild."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def watch_folders(server: Any, folders: Sequence[Path]) -> Any:
    """Rebuild when any file under ``folders`` changes.

    Returns:
        The running observer (stop it when the server stops), or None when the folders
        were handed to ``server.watch`` (MkDocs' polling) instead.
    """
    observer = None
    if hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild"):
        try:
            import watchdog.events
            import watchdog.observers

            handler = watchdog.events.FileSystemEventHandler()

            def changed(event: Any) -> None:
                if not event.is_directory and event.event_type in CHANGES:
                    _request_rebuild(server)

            handler.on_any_event = changed  # type: ignore[method-assign]
            observer = watchdog.observers.Observer()
            for folder in folders:
                observer.schedule(handler, str(folder), recursive=True)
            observer.daemon = True
            observer.start()
        except (ImportError, OSError) as err:  # e.g. no inotify, or too many watches
            log.info(f"briefing: watching by polling ({err})")
            observer = None
    if observer is None:
        for folder in folders:
            server.watch(str(folder))
        return None
    log.info("briefing: watching " + ", ".join(str(folder) for folder in folders))
    return observer


def stop(observer: Any) -> None:
    """Stop an observer :func:`watch_folders` started (None: nothing to do)."""
    if observer is not None:
        observer.stop()
        observer.join(timeout=5)
