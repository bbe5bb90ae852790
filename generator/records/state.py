"""State: what ingest generated last for each record, kept beside the records.

``<content>/.state/records.json`` holds, for every record ingest wrote (by kind and id), the
canonical fields it generated, so that the next ingest can tell a person's edits from its
own output. Each state also keeps the sha256 of the record file it was written with
(``_written``) and the state before it (``_previous``). The whole file is written just
before the record files of a save, so after a crash part way through those writes a record
file not yet rewritten still has the digest kept under ``_previous``, and the old state is
the one that describes it. No edit is lost and no old value is mistaken for an edit.

One file for every record, instead of one per record, keeps a save of thousands of records
to a few file writes. Content folders from earlier versions kept one file per record
(``.state/<kind>/<id>.json``); they are read when there is no ``records.json``, and removed
once it is written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from generator.records.merge import Output
from generator.support.files import read_json

STATE = ".state"
LEDGER = "records.json"
KINDS = ("articles", "meetings")
WRITTEN = "_written"
PREVIOUS = "_previous"

States = dict[str, dict[str, dict[str, Any]]]  # kind -> record id -> state


def ledger_path(content: Path) -> Path:
    """The file holding every record's state."""
    return content / STATE / LEDGER


def read_states(content: Path) -> tuple[States, str | None]:
    """Every record's state, by kind and id, and why the file is damaged (None when it is
    not, or there is none). A damaged file gives no states: the caller rebuilds them from
    the records (see :func:`rebuilt_state`)."""
    data, damage = read_json(ledger_path(content))
    states: States = {kind: {} for kind in KINDS}
    if damage is not None or data is None:
        return states, damage
    if not isinstance(data, dict):
        return states, "not an object"
    for kind in KINDS:
        given = data.get(kind, {})
        if not isinstance(given, dict) or \
                not all(isinstance(value, dict) for value in given.values()):
            return {kind: {} for kind in KINDS}, f"{kind}: not an object of records"
        states[kind] = given
    return states, None


def rebuilt_state(fields: dict[str, Any], written: str | None) -> dict[str, Any]:
    """The state of a record whose state was lost: its fields as they are, as if ingest
    wrote them (a person's earlier edits can then be replaced by what ingest finds)."""
    return {**fields, WRITTEN: written}


def ledger_text(states: States) -> str:
    """The text of ``records.json``: one line per record, sorted, so that the same states
    give the same bytes."""
    parts = []
    for kind in KINDS:
        lines = [json.dumps(key, ensure_ascii=False) + ":" +
                 json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                 for key, value in sorted(states.get(kind, {}).items())]
        parts.append(f'"{kind}":{{\n' + ",\n".join(lines) + "\n}" if lines else f'"{kind}":{{}}')
    return "{" + ",\n".join(parts) + "}\n"


def digest_bytes(raw: bytes | None) -> str | None:
    """The sha256 of some bytes, or None for None."""
    return None if raw is None else hashlib.sha256(raw).hexdigest()


def digest(path: Path) -> str | None:
    """The sha256 of a file's bytes, or None when it cannot be read."""
    try:
        return digest_bytes(path.read_bytes())
    except OSError:
        return None


def effective_state(state: dict[str, Any] | None, path: Path,
                    current: str | None = None,
                    fields: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """What ingest generated for the record file as it is now (``current``: the sha256 of
    its bytes, when already known; ``fields``: its fields, when it could be read).

    A state is written just before its record file. If ingest was killed between the two
    writes, the record file is still the one the previous state describes (its digest is
    kept under ``_previous``), and that state is the one to merge against. A file that is
    neither (a person changed it since) may still be the old one, edited after such a
    crash: each of its fields that equals the previous state's value is taken as generated
    then, so that only a value that is neither the previous nor the new generated one
    counts as a person's edit.
    """
    if state is None:
        return None
    previous = state.get(PREVIOUS)
    if isinstance(previous, dict) and state.get(WRITTEN) != previous.get(WRITTEN):
        now = current if current is not None else digest(path)
        if previous.get(WRITTEN) == now:
            state = previous
        elif now != state.get(WRITTEN) and fields is not None:
            state = {**state, **{name: previous[name] for name, value in fields.items()
                                 if name in previous and previous[name] == value}}
    return {key: value for key, value in state.items() if key not in (WRITTEN, PREVIOUS)}


def new_state(output: Output, text: str, old: str | None,
              before: dict[str, Any] | None) -> dict[str, Any]:
    """The state for a record about to be written as ``text`` over a file whose bytes have
    the sha256 ``old`` (None when there is no file)."""
    new = hashlib.sha256(text.encode("utf-8")).hexdigest()
    state: dict[str, Any] = {**output.state, WRITTEN: new}
    if before is not None and old is not None and old != new:
        state[PREVIOUS] = {**before, WRITTEN: old}
    return state
