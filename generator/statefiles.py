"""State files: what ingest generated last for each record, kept beside the records.

``<content>/.state/<kind>/<id>.json`` holds the canonical fields ingest generated for a
record, so that the next ingest can tell a person's edits from its own output. Each state
also keeps the sha256 of the record file it was written with (``_written``) and the state
before it (``_previous``): the state is written just before its record file, so after a
crash between the two writes the record file is still the old one and the old state is
the one that describes it. No edit is lost and no old value is mistaken for an edit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from generator.merge import Output

STATE = ".state"
KINDS = ("articles", "meetings")
WRITTEN = "_written"
PREVIOUS = "_previous"


def state_path(content: Path, kind: str, key: str) -> Path:
    """The state file of one record."""
    return content / STATE / kind / f"{key}.json"


def read_state(path: Path) -> dict[str, Any] | None:
    """What ingest wrote last for a record, or None when missing or unreadable."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def digest(path: Path) -> str | None:
    """The sha256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def effective_state(state: dict[str, Any] | None, path: Path) -> dict[str, Any] | None:
    """What ingest generated for the record file as it is now.

    A state is written just before its record file. If ingest was killed between the two
    writes, the record file is still the one the previous state describes (its digest is
    kept under ``_previous``), and that state is the one to merge against; otherwise the
    file is the one written last, possibly edited by a person since.
    """
    if state is None:
        return None
    previous = state.get(PREVIOUS)
    if isinstance(previous, dict) and state.get(WRITTEN) != previous.get(WRITTEN) and \
            previous.get(WRITTEN) == digest(path):
        state = previous
    return {key: value for key, value in state.items() if key not in (WRITTEN, PREVIOUS)}


def state_text(output: Output, text: str, path: Path,
               before: dict[str, Any] | None) -> str:
    """The state file for a record about to be written as ``text`` over ``path``."""
    new = hashlib.sha256(text.encode("utf-8")).hexdigest()
    state: dict[str, Any] = {**output.state, WRITTEN: new}
    old = digest(path)
    if before is not None and old is not None and old != new:
        state[PREVIOUS] = {**before, WRITTEN: old}
    # one line: the C encoder writes it (indenting would run the pure-Python one)
    return json.dumps(state, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def drop_stale_states(content: Path) -> None:
    """Remove state files whose record file no longer exists."""
    for kind in KINDS:
        folder = content / STATE / kind
        if folder.is_dir():
            for state in sorted(folder.glob("*.json")):
                if not (content / kind / f"{state.stem}.md").is_file():
                    state.unlink()
