"""A fast block-YAML emitter for record front matter, byte-identical to PyYAML's dump.

``generator.support.yamlio.dump_yaml`` is ``yaml.dump`` with libyaml's emitter but PyYAML's
pure-Python representer and resolver, which cost most of a record save. ``BlockEmitter``
writes the same text directly for the value shapes records hold: mappings with string keys,
lists, strings, ints, floats, booleans, None and dates, in block style, lists inside
mappings not indented, empty collections as ``[]`` and ``{}``.

A scalar's style is chosen as libyaml chooses it: plain when the string has no indicator
that a plain scalar cannot hold (leading or trailing space, ``: ``, `` #``, a leading
``-?:,[]{}#&*!|>'"%@```, a leading ``---`` or ``...``) and PyYAML's own resolver (read
from the dumper class) would read it back as a string; single-quoted otherwise. Only
strings of printable, single-line characters are decided this way. Any other string
(control characters, tabs, line breaks, characters outside the Basic Multilingual Plane)
is rendered by PyYAML itself, once, as the value of a one-key mapping and cut out, when
that rendering is a single line (it then does not depend on where it stands); anything
else the emitter cannot vouch for (unknown types, keys that are not simple, multi-line
renderings, very long strings, deep nesting) raises :class:`Unsupported`, and the caller
dumps the whole mapping with PyYAML. The bounded memo tables hold renderings that depend
on the scalar alone (never on its place or on earlier documents), so they never change the
output.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

# Characters libyaml writes as they are in plain and single-quoted scalars: printable, not a
# line break (LS, PS), and not escaped by the record dumper (``yamlio.NEEDS_ESCAPE``).
_SIMPLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
# Leading characters that keep a string out of the plain style in block context (libyaml's
# ``yaml_emitter_analyze_scalar``): indicators, and a leading space.
_LEADING = frozenset("#,[]{}&*!|>'\"%@` ")
STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_DATE_TAG = "tag:yaml.org,2002:timestamp"
MAX_SCALAR = 50_000  # longer strings might meet the line width (1,000,000): PyYAML's job
MAX_KEY_BYTES = 100  # libyaml writes keys over 128 bytes as complex keys (``? key``)
MAX_DEPTH = 40
_MEMO_SIZE = 4096
_MEMO_CHARS = 100  # string values up to this length are memoised


Key = TypeVar("Key", str, tuple[str, str])


class Unsupported(Exception):
    """The fast emitter cannot vouch for this data; dump it with PyYAML instead."""


class BlockEmitter:
    """Writes mappings as the record dumper would, or raises :class:`Unsupported`.

    Args:
        dumper: The PyYAML dumper class whose implicit resolvers decide which plain
            scalars would be read back as another type.
        reference: The PyYAML dump this emitter stands in for (used to render the rare
            strings it does not analyse itself).
    """

    def __init__(self, dumper: type[Any], reference: Callable[[dict[str, Any]], str]) -> None:
        self.dumper = dumper
        self.reference = reference
        self._keys: dict[str, str] = {}
        self._strings: dict[str, str] = {}  # short string values, which often repeat
        self._typed: dict[tuple[str, str], str] = {}
        self._borrowed: dict[str, str] = {}

    def dump(self, data: dict[str, Any]) -> str:
        """Return ``data`` as block YAML, exactly as the reference dump writes it.

        Raises:
            Unsupported: ``data`` holds something the emitter does not handle with certainty.
        """
        if type(data) is not dict:
            raise Unsupported("the document is not a plain mapping")
        if not data:
            return "{}\n"
        out: list[str] = []
        self._mapping(data, 0, "", out, 0)
        return "".join(out)

    def _mapping(self, data: dict[Any, Any], indent: int, lead: str, out: list[str],
                 depth: int) -> None:
        """Write a non-empty mapping whose keys start at column ``indent``; the first line
        starts with ``lead`` (the indent, or a sequence item's ``- ``)."""
        if depth > MAX_DEPTH:
            raise Unsupported("nested too deep")
        keys, strings = self._keys, self._strings
        pad = " " * indent
        prefix = lead
        for key, value in data.items():
            text = (keys.get(key) if type(key) is str else None) or self._key(key)
            kind = type(value)
            if kind is str:
                out.append(f"{prefix}{text}: {strings.get(value) or self._str(value)}\n")
            elif kind is dict and value:
                out.append(f"{prefix}{text}:\n")
                self._mapping(value, indent + 2, " " * (indent + 2), out, depth + 1)
            elif kind is list and value:
                out.append(f"{prefix}{text}:\n")
                self._sequence(value, indent, pad, out, depth + 1)
            else:
                out.append(f"{prefix}{text}: {self._scalar(value)}\n")
            prefix = pad

    def _sequence(self, items: list[Any], indent: int, lead: str, out: list[str],
                  depth: int) -> None:
        """Write a non-empty sequence whose dashes stand at column ``indent``."""
        if depth > MAX_DEPTH:
            raise Unsupported("nested too deep")
        strings = self._strings
        pad = " " * indent
        prefix = lead + "- "
        for value in items:
            kind = type(value)
            if kind is str:
                out.append(f"{prefix}{strings.get(value) or self._str(value)}\n")
            elif kind is dict and value:
                self._mapping(value, indent + 2, prefix, out, depth + 1)
            elif kind is list and value:
                self._sequence(value, indent + 2, prefix, out, depth + 1)
            else:
                out.append(f"{prefix}{self._scalar(value)}\n")
            prefix = pad + "- "

    def _key(self, key: Any) -> str:
        """A mapping key as a simple key: a short single-line string, plain or quoted."""
        if type(key) is not str or len(key.encode("utf-8")) > MAX_KEY_BYTES \
                or not _SIMPLE.fullmatch(key):
            raise Unsupported(f"key {key!r} is not a simple string")
        return _remember(self._keys, key, self._string(key))

    def _scalar(self, value: Any) -> str:
        """A value that is written on the line of its key or dash."""
        kind = type(value)
        if kind is str:
            return self._str(value)
        if value is None:
            return self._plain("null", _NULL_TAG)
        if kind is bool:
            return self._plain("true" if value else "false", _BOOL_TAG)
        if kind is int:
            return self._plain(str(value), _INT_TAG)
        if kind is float:
            return self._plain(_float_text(value), _FLOAT_TAG)
        if kind is dt.date:
            return self._plain(value.isoformat(), _DATE_TAG)
        if kind is list and not value:
            return "[]"
        if kind is dict and not value:
            return "{}"
        raise Unsupported(f"values of type {kind.__name__} are left to PyYAML")

    def _str(self, text: str) -> str:
        """A string value (memoised when short)."""
        if len(text) <= MAX_SCALAR and _SIMPLE.fullmatch(text):
            rendered = self._string(text)
        else:
            return self._borrow(text)
        return _remember(self._strings, text, rendered) if len(text) <= _MEMO_CHARS else rendered

    def _string(self, text: str) -> str:
        """A simple (printable, single-line) string: plain when libyaml allows it and it
        reads back as a string, else single-quoted."""
        if plain_shape(text):
            resolvers = self.dumper.yaml_implicit_resolvers
            if (text[0] not in resolvers and None not in resolvers) \
                    or self.resolve(text) == STR_TAG:
                return text
        return "'" + text.replace("'", "''") + "'"

    def _plain(self, text: str, tag: str) -> str:
        """A typed scalar (number, boolean, null, date) that PyYAML writes plain."""
        memo_key = (tag, text)
        found = self._typed.get(memo_key)
        if found is not None:
            return found
        if not plain_shape(text) or self.resolve(text) != tag:
            raise Unsupported(f"{text!r} would be written with an explicit tag")
        return _remember(self._typed, memo_key, text)

    def _borrow(self, text: str) -> str:
        """A string this emitter does not analyse, rendered by PyYAML when that rendering
        is a single line (a double-quoted scalar with escapes, usually)."""
        found = self._borrowed.get(text)
        if found is not None:
            return found
        if len(text) > MAX_SCALAR or "\u2028" in text or "\u2029" in text:
            raise Unsupported("a long or multi-line string")
        dumped = self.reference({"k": text})
        if not dumped.startswith("k: ") or dumped.find("\n") != len(dumped) - 1:
            raise Unsupported("PyYAML writes this string over several lines")
        return _remember(self._borrowed, text, dumped[3:-1])

    def resolve(self, text: str) -> str:
        """The tag PyYAML's resolver gives ``text`` as a plain scalar (its own tables)."""
        resolvers = self.dumper.yaml_implicit_resolvers
        for tag, regexp in resolvers.get(text[0] if text else "", ()):
            if regexp.match(text):
                return str(tag)
        for tag, regexp in resolvers.get(None, ()):
            if regexp.match(text):
                return str(tag)
        return STR_TAG


def _remember(table: dict[Key, str], key: Key, text: str) -> str:
    """Keep ``text`` for ``key`` in a memo table (emptied when it is full) and return it."""
    if len(table) >= _MEMO_SIZE:
        table.clear()
    table[key] = text
    return text


def plain_shape(text: str) -> bool:
    """Whether libyaml may write this simple string plain in block context: not empty, no
    leading indicator or space, no leading ``---`` or ``...``, no ``-`` or ``?`` followed by
    a space or the end, no ``:`` followed by a space or the end, no `` #``, no trailing
    space (libyaml's ``yaml_emitter_analyze_scalar``; the resolver is asked separately)."""
    if not text or text[0] in _LEADING or text[-1] in " :" or ": " in text or " #" in text:
        return False
    if text[0] in "-?" and (len(text) == 1 or text[1] == " "):
        return False
    return not text.startswith(("---", "..."))


def _float_text(value: float) -> str:
    """A float as PyYAML's safe representer writes it."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text
