"""Record files: YAML front matter written safely and deterministically, read with guards,
and files written atomically.

Record files are ``---\\n<yaml>---\\n<body>``. Writing uses PyYAML's safe dumper in block style
with every string that YAML would retype quoted, so a value always reads back as written.
Reading uses safe loading only, rejects anchors and aliases (no alias bombs) and absurd
nesting before building anything, and keeps the node tree so that problems can name the
line and column of the offending key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

from generator.support.yamlemit import BlockEmitter, Unsupported

DELIMITER = "---"
MAX_DEPTH = 12
MAX_CHARS = 2_000_000
# Characters PyYAML can only keep safely inside a double-quoted scalar (it mangles line
# separators and NEL in single-quoted and plain styles; control characters must be escaped).
NEEDS_ESCAPE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML text that cannot be used; ``line`` and ``column`` are 1-based in the file."""

    message: str
    line: int | None = None
    column: int | None = None


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if NEEDS_ESCAPE.search(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _never_alias(dumper: Any, data: Any) -> bool:
    return True


def _record_dumper(base: type[Any], name: str) -> type[yaml.SafeDumper]:
    """A safe dumper that never writes anchors and escapes characters YAML would mangle."""
    dumper: type[yaml.SafeDumper] = type(name, (base,), {"ignore_aliases": _never_alias})
    dumper.add_representer(str, _represent_str)
    return dumper


_FAST = hasattr(yaml, "CSafeDumper") and hasattr(yaml, "CSafeLoader")  # libyaml is there
RecordDumper = _record_dumper(yaml.SafeDumper, "RecordDumper")  # pure Python: the reference
# the same with libyaml's emitter: the same bytes, several times faster
_FastRecordDumper = _record_dumper(yaml.CSafeDumper if _FAST else yaml.SafeDumper,
                                   "FastRecordDumper")


_DATA_LOADER: Any = yaml.CSafeLoader if _FAST else yaml.SafeLoader


def compose_data(text: str) -> Node | None:
    """The node tree of a data file (taxonomy, people, places), with line marks; libyaml's
    parser when it is there (the same tree, several times faster)."""
    return yaml.compose(text, Loader=_DATA_LOADER)  # noqa: S506 - a safe loader


def load_data(text: str) -> Any:
    """A data file's values, loaded safely (libyaml's parser when it is there)."""
    return yaml.load(text, Loader=_DATA_LOADER)  # noqa: S506 - a safe loader


def dump_yaml(data: dict[str, Any]) -> str:
    """Serialise a mapping as readable, deterministic block YAML (keys kept in order).

    Args:
        data: Plain data (dicts, lists, strings, numbers, booleans, dates, None).

    Returns:
        YAML text ending with a newline.
    """
    try:
        return _EMITTER.dump(data)
    except Unsupported:
        return reference_dump(data)


def reference_dump(data: dict[str, Any]) -> str:
    """``dump_yaml`` by PyYAML alone: the reference the fast emitter must match byte for byte
    and its fallback for whatever it does not handle."""
    return yaml.dump(data, Dumper=_FastRecordDumper, default_flow_style=False, allow_unicode=True,
                     sort_keys=False, width=1_000_000, indent=2)


# writes what ``reference_dump`` would, several times faster (see ``generator.support.yamlemit``)
_EMITTER = BlockEmitter(_FastRecordDumper, reference_dump)


def render_front_matter(data: dict[str, Any], body: str) -> str:
    """Return the text of a record file: front matter between ``---`` lines, then the body."""
    return f"{DELIMITER}\n{dump_yaml(data)}{DELIMITER}\n{body}"


def split_front_matter(text: str) -> tuple[str, str]:
    """Split a record file into its YAML text and its body.

    Line 1 must be ``---``; the front matter ends at the next line that is ``---`` (or
    ``...``). Only ``\\n`` separates lines, so the YAML's line numbers match the file's;
    the body is kept exactly as written. A file whose lines all end in ``\\r`` alone (as
    old Mac editors save) is read as if they ended in ``\\n``.

    Raises:
        YamlProblem: the file has no front matter, or it is not closed.
    """
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    lines = text.removeprefix("\ufeff").split("\n")
    if lines[0].rstrip() != DELIMITER:
        raise YamlProblem("expected front matter: the file must start with a line '---'", 1, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (DELIMITER, "..."):
            yaml_text = "".join(line + "\n" for line in lines[1:index])
            return yaml_text, "\n".join(lines[index + 1:])
    raise YamlProblem("front matter is not closed: expected a line '---' after it", 1, 1)


def _mark_position(mark: Any, first_line: int) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + first_line, mark.column + 1


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class GuardedLoader(yaml.SafeLoader):
    """Safe loader that refuses anchors, aliases and deep nesting while composing.

    The check runs before each node is built, so an alias bomb is refused at its first
    anchor and nesting never goes deeper than :data:`MAX_DEPTH` (no runaway recursion).
    """

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("anchors and aliases (& and *) are not allowed", event.start_mark)
        nested = isinstance(event, yaml.CollectionStartEvent)
        if nested:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= nested


def compose_yaml(text: str, first_line: int = 2, *, ours: bool = False) -> Node | None:
    """Parse YAML text safely into a node tree (no Python objects are constructed).

    Args:
        text: The YAML text.
        first_line: The file line the text starts on (2 for front matter after ``---``).
        ours: the text is what this program has just written (see ``_compose_ours``).

    Returns:
        The document's root node, or None for an empty document.

    Raises:
        YamlProblem: a syntax error, an anchor or alias, or too deep nesting.
    """
    if len(text) > MAX_CHARS:
        raise YamlProblem(f"front matter is longer than {MAX_CHARS} characters", first_line, 1)
    fast = _compose_ours(text) if ours else _compose_fast(text)
    if fast is not None:
        return fast
    try:
        loader = GuardedLoader(text)  # its reader refuses unprintable characters at once
    except yaml.reader.ReaderError as error:
        raise _unprintable(text, error, first_line) from None
    try:
        return loader.get_single_node()
    except _Refused as refused:
        raise YamlProblem(refused.message, *_mark_position(refused.mark, first_line)) from None
    except yaml.MarkedYAMLError as error:
        line, column = _mark_position(error.problem_mark, first_line)
        context = f" ({error.context})" if error.context else ""
        start = error.context_mark
        if start is not None and error.problem_mark is not None and \
                start.line != error.problem_mark.line:
            context += f" that starts at line {start.line + first_line}"
        raise YamlProblem(f"invalid YAML: {error.problem}{context}", line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"invalid YAML: {error}", first_line, 1) from None
    finally:
        loader.dispose()


def _unprintable(text: str, error: yaml.reader.ReaderError, first_line: int) -> YamlProblem:
    """The problem of a character YAML does not allow, at its line and column."""
    start = text.rfind("\n", 0, error.position) + 1
    code = error.character if isinstance(error.character, int) else ord(error.character)
    return YamlProblem(f"invalid YAML: character U+{code:04X} is not allowed; write it as an "
                       "escape in a double-quoted string", text.count("\n", 0, error.position)
                       + first_line, error.position - start + 1)


def _compose_ours(text: str) -> Node | None:
    """Compose, with libyaml, a text this program has just rendered (``dump_yaml`` never
    writes anchors and the record schema bounds nesting, so the checks of untrusted text
    are not needed); None on any error, which the guarded loader then reports."""
    if not _FAST:
        return None
    try:
        node: Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    return node


def _compose_fast(text: str) -> Node | None:
    """Compose with libyaml when the text is plain, well-formed YAML; None otherwise.

    The events are checked first (no anchor, alias or deep nesting), then libyaml builds
    the tree. Anything else, including every error, is left to :class:`GuardedLoader`,
    which gives the message and position.
    """
    if not _FAST:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node: Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    return node


def key_lines(text: str, first_line: int = 2) -> dict[str, int]:
    """Return the file line of each top-level key of a YAML mapping text."""
    node = compose_yaml(text, first_line)
    if not isinstance(node, MappingNode):
        return {}
    return {key.value: key.start_mark.line + first_line for key, _ in node.value}


