"""The record schema: checks a YAML node tree and turns it into plain, canonical values.

A record's *canonical form* is a dict of JSON-compatible values (dates as ``YYYY-MM-DD``
strings, lists for tuples) in the fixed field order of RECORDS.md. It is what merging
compares, what the state files keep, and what is converted to and from the typed records in
``generator.records.store``. Every problem names the line and column of the offending key
(or list item) in the file.

A value is also refused when some writer could not take it (a lone surrogate, a date out of
:data:`FIRST_DATE`..:data:`LAST_DATE`, a count past :data:`MAX_COUNT`, a path with control
characters): ``briefing check`` and every loader read records with this one schema, so a
record that passes ``check`` renders and exports (``tests/test_attack_records.py``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.knowledge.countries import is_country_code
from generator.models import FIRST_DATE, FORMATS, LAST_DATE, SETTINGS, Problem
from generator.support.yamlio import YamlProblem, compose_yaml, split_front_matter

TAG = "tag:yaml.org,2002:"
PLAIN_TAGS = frozenset(TAG + name for name in ("str", "int", "float", "bool", "timestamp"))
STANDARD_TAGS = PLAIN_TAGS | {TAG + "null", TAG + "seq", TAG + "map"}
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MEETING_ID = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|undated)(?:-[a-z0-9]+)+")
ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,199}")
SHA256 = re.compile(r"[0-9a-f]{64}")
# A lone surrogate (a YAML escape such as "\ud800") is a str no UTF-8 file can hold: every
# writer (pages, feeds, calendar, exports, the record file itself) would fail on it.
SURROGATE = re.compile("[\ud800-\udfff]")
# no file system takes these in a path (NUL), and no one means them in a file name
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Line numbers and minutes above this are typing mistakes: every consumer (JavaScript, SQLite,
# spreadsheets) holds it exactly, and so many minutes (4,083 years) added to LAST_DATE stay
# within datetime's year 9999.
MAX_COUNT = 2**31 - 1
INVALID: Any = object()

Parser = Callable[["NodeReader", Node, str, Any], Any]


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its parser, and its default when it may be left out."""

    name: str
    parse: Parser
    required: bool = True
    default: Any = None


class NodeReader:
    """Collects problems and the position of every value while a node tree is read."""

    def __init__(self, path: str, first_line: int = 2) -> None:
        self.path = path
        self.first_line = first_line
        self.problems: list[Problem] = []
        self.marks: dict[str, tuple[int, int]] = {}

    def position(self, mark: Any) -> tuple[int, int]:
        """Return the 1-based file line and column of a YAML mark."""
        return mark.line + self.first_line, mark.column + 1

    def report(self, mark: Any, where: str, message: str) -> Any:
        """Record a problem at ``mark``; returns INVALID so parsers can ``return`` it."""
        line, column = self.position(mark)
        text = f"{where}: {message}" if where else message
        # a message quotes the value, which may hold a lone surrogate: shown escaped
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        self.problems.append(Problem(self.path, text, line, column))
        return INVALID


def describe(node: Node) -> str:
    """Name what a node holds, for 'expected X, got Y' messages."""
    if node.tag not in STANDARD_TAGS:
        return f"a value tagged {node.tag.replace(TAG, '!!')}"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == TAG + "null":
        return "nothing" if node.value == "" else "null"
    if node.tag in (TAG + "int", TAG + "float", TAG + "bool"):
        return str(node.value)
    return json.dumps(node.value, ensure_ascii=False)


def _scalar(reader: NodeReader, node: Node, where: str, mark: Any, expected: str) -> Any:
    """Return the scalar node's tag, or report that ``expected`` was wanted."""
    if isinstance(node, ScalarNode) and (node.tag in PLAIN_TAGS or node.tag == TAG + "null"):
        return node.tag
    return reader.report(mark, where, f"expected {expected}, got {describe(node)}")


def text(nullable: bool = False) -> Parser:
    """A string; a plain scalar YAML would read as a number or boolean is kept as written."""
    expected = "a string or null" if nullable else "a string"

    def parse(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
        tag = _scalar(reader, node, where, mark, expected)
        if tag is INVALID:
            return INVALID
        if tag != TAG + "null":
            return _encodable(reader, node.value, where, mark)
        if nullable:
            return None
        return reader.report(mark, where, f"expected {expected}, got {describe(node)}")
    return parse


def _encodable(reader: NodeReader, value: str, where: str, mark: Any) -> Any:
    """The string, or a problem when it holds a lone surrogate.

    A pair of escapes for one character (``"\\ud83d\\ude00"``, as JSON writes it) is joined
    into that character; what is left of a pair alone cannot be written to any file."""
    if SURROGATE.search(value) is None:
        return value
    value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    found = SURROGATE.search(value)
    if found is None:
        return value
    code = f"U+{ord(found.group()):04X}"
    return reader.report(mark, where, f"character {found.start() + 1} is {code}, half of a "
                         "surrogate pair, which no text file can hold alone; write the "
                         "character itself")


def pattern(regex: re.Pattern[str], expected: str) -> Parser:
    """A string matching ``regex`` in full."""
    def parse(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
        value = text()(reader, node, where, mark)
        if value is INVALID or regex.fullmatch(value):
            return value
        return reader.report(mark, where, f"expected {expected}, got {describe(node)}")
    return parse


def file_path(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
    """A path to a file, relative to the project root: not empty, no control characters."""
    value = text()(reader, node, where, mark)
    if value is INVALID or (value.strip() and not CONTROL.search(value)):
        return value
    return reader.report(mark, where, "expected a file path (no control characters), "
                         f"got {describe(node)}")


def enum(choices: tuple[str, ...]) -> Parser:
    """One of a fixed set of strings."""
    expected = "one of " + ", ".join(choices)

    def parse(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
        value = text()(reader, node, where, mark)
        if value is INVALID or value in choices:
            return value
        return reader.report(mark, where, f"expected {expected}, got {describe(node)}")
    return parse


def date_value(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
    """A date ``YYYY-MM-DD`` (quoted or bare) or null; canonical as the ISO string."""
    expected = "a date YYYY-MM-DD or null"
    tag = _scalar(reader, node, where, mark, expected)
    if tag is INVALID:
        return INVALID
    if tag == TAG + "null":
        return None
    if DATE.fullmatch(node.value):
        try:
            day = dt.date.fromisoformat(node.value)
        except ValueError:
            day = None
        if day is not None and FIRST_DATE <= day <= LAST_DATE:
            return day.isoformat()
        if day is not None:
            return reader.report(mark, where, f"{day.isoformat()} is out of range: a date must "
                                 f"be from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}")
    return reader.report(mark, where, f"expected {expected}, got {describe(node)}")


def country(nullable: bool) -> Parser:
    """An ISO 3166-1 alpha-2 country code (or null)."""
    def parse(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
        value = text(nullable)(reader, node, where, mark)
        if value is INVALID or value is None or is_country_code(value):
            return value
        return reader.report(mark, where,
                             f"expected a two-letter country code, got {describe(node)}")
    return parse


def _number(reader: NodeReader, node: Node, where: str, mark: Any, expected: str) -> Any:
    if isinstance(node, ScalarNode) and node.tag in (TAG + "int", TAG + "float"):
        constructor = SafeConstructor()
        try:
            if node.tag == TAG + "int":
                return constructor.construct_yaml_int(node)
            return constructor.construct_yaml_float(node)
        except (ConstructorError, ValueError):
            pass
    return reader.report(mark, where, f"expected {expected}, got {describe(node)}")


def similarity(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
    """A number from 0 to 1."""
    expected = "a number from 0 to 1"
    value = _number(reader, node, where, mark, expected)
    if value is INVALID or (math.isfinite(value) and 0 <= value <= 1):
        return value if value is INVALID else float(value)
    return reader.report(mark, where, f"expected {expected}, got {describe(node)}")


def line_number(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
    """A whole number from 1 up."""
    value = _number(reader, node, where, mark, "a line number")
    if value is INVALID or (isinstance(value, int) and 1 <= value <= MAX_COUNT):
        return value
    return reader.report(mark, where, f"expected a line number, got {describe(node)}")


def minutes(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
    """A duration in whole minutes (1 up), or null."""
    if isinstance(node, ScalarNode) and node.tag == TAG + "null":
        return None
    value = _number(reader, node, where, mark, "a number of minutes")
    if value is INVALID or (isinstance(value, int) and 1 <= value <= MAX_COUNT):
        return value
    return reader.report(mark, where, f"expected a number of minutes, got {describe(node)}")


def count(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
    """A whole number from 0 up."""
    value = _number(reader, node, where, mark, "a whole number")
    if value is INVALID or (isinstance(value, int) and not isinstance(value, bool)
                            and value >= 0):
        return value
    return reader.report(mark, where, f"expected a whole number, got {describe(node)}")


def nullable(item: Parser) -> Parser:
    """Null, or a value that passes ``item``."""
    def parse(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
        if isinstance(node, ScalarNode) and node.tag == TAG + "null":
            return None
        return item(reader, node, where, mark)
    return parse


def list_of(item: Parser) -> Parser:
    """A list whose items all pass ``item``; positions recorded as ``where[i]``."""
    def parse(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
        if not isinstance(node, SequenceNode):
            if isinstance(node, ScalarNode) and node.tag == TAG + "null" and node.value == "":
                return []  # `topics:` with nothing after it: an empty list
            return reader.report(mark, where, f"expected a list, got {describe(node)}")
        values = []
        for index, child in enumerate(node.value):
            child_where = f"{where}[{index}]"
            reader.marks[child_where] = reader.position(child.start_mark)
            values.append(item(reader, child, child_where, child.start_mark))
        return INVALID if any(v is INVALID for v in values) else values
    return parse


def mapping(fields: tuple[Field, ...]) -> Parser:
    """A mapping with exactly these keys (optional ones may be left out)."""
    def parse(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
        if not isinstance(node, MappingNode):
            expected = "a mapping of fields" if not where else "a mapping"
            return reader.report(mark, where or "front matter", f"expected {expected}, "
                                 f"got {describe(node)}")
        found, bad = _read_keys(reader, node, where, fields)
        result: dict[str, Any] = {}
        for spec in fields:
            if spec.name in found:
                key, value = found[spec.name]
                result[spec.name] = spec.parse(reader, value, _join(where, spec.name), key)
            elif spec.required:
                reader.report(node.start_mark, where, f'missing required field "{spec.name}"')
                result[spec.name] = INVALID
            else:
                result[spec.name] = spec.default() if callable(spec.default) else spec.default
        return INVALID if bad or any(v is INVALID for v in result.values()) else result
    return parse


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _read_keys(reader: NodeReader, node: MappingNode, where: str,
               fields: tuple[Field, ...]) -> tuple[dict[str, tuple[Any, Node]], bool]:
    """Map each key name to its (key mark, value node); report unknown and repeated keys."""
    names = [spec.name for spec in fields]
    found: dict[str, tuple[Any, Node]] = {}
    bad = False
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else None
        if not isinstance(name, str) or name not in names:
            label = _join(where, name) if isinstance(name, str) else where or "front matter"
            close = difflib.get_close_matches(name, names, n=1) if isinstance(name, str) else []
            hint = f'; did you mean "{close[0]}"?' if close else ""
            reader.report(key.start_mark, label, f"unknown field{hint}")
            bad = True
        elif name in found:
            reader.report(key.start_mark, _join(where, name), "field given twice")
            bad = True
        else:
            found[name] = (key.start_mark, value)
            reader.marks[_join(where, name)] = reader.position(key.start_mark)
    return found, bad


EVIDENCE = mapping((Field("field", text()), Field("article", text()),
                    Field("line", line_number), Field("text", text())))
PARTICIPANT = mapping((Field("name", text()), Field("role", text(True), False),
                       Field("country", country(True), False)))
VARIANT = mapping((Field("text", text()),
                   Field("source", pattern(ARTICLE_ID, "an article id"))))
QUOTE = mapping((Field("text", text()), Field("speaker", text(True), False),
                 Field("sources", list_of(pattern(ARTICLE_ID, "an article id")), False, list),
                 Field("variants", list_of(VARIANT), False, list),
                 Field("copies", count, False, 0)))
NEAR_DUPLICATE = mapping((Field("id", pattern(ARTICLE_ID, "an article id")),
                          Field("similarity", similarity)))
LOCATION = mapping((Field("city", text()), Field("country", country(False))))


def _location(reader: NodeReader, node: Node, where: str, mark: Any) -> Any:
    if isinstance(node, ScalarNode) and node.tag == TAG + "null":
        return None
    return LOCATION(reader, node, where, mark)


MEETING = mapping((
    Field("id", pattern(MEETING_ID, "a meeting id like 2022-02-11-melbourne or undated-call")),
    Field("title", text()), Field("date", date_value), Field("date_basis", text()),
    Field("location", _location), Field("format", enum(FORMATS)),
    Field("setting", enum(SETTINGS)), Field("occasion", text(True)),
    Field("participants", list_of(PARTICIPANT)), Field("topics", list_of(text())),
    Field("sources", list_of(pattern(ARTICLE_ID, "an article id"))),
    Field("quotes", list_of(QUOTE), False, list), Field("outcomes", list_of(EVIDENCE), False, list),
    Field("evidence", list_of(EVIDENCE), False, list),
    Field("duration_minutes", minutes, False), Field("summary", list_of(EVIDENCE), False, list),
))
ARTICLE = mapping((
    Field("id", pattern(ARTICLE_ID, "an article id (the input file's name without extension)")),
    Field("source_file", file_path), Field("sha256", pattern(SHA256, "64 lowercase hex digits")),
    Field("headline", text(True)), Field("publisher", text(True)),
    Field("published", date_value),
    Field("meetings", list_of(pattern(MEETING_ID, "a meeting id"))),
    Field("near_duplicates", list_of(NEAR_DUPLICATE), False, list),
    Field("encoding", text(), False, "utf-8"), Field("rights", text(True), False),
    Field("copy_of", nullable(NEAR_DUPLICATE), False),
    Field("near_copy_cluster", nullable(mapping((
        Field("id", pattern(ARTICLE_ID, "an article id")), Field("size", count)))), False),
))
SCHEMAS = {"meetings": MEETING, "articles": ARTICLE}


@dataclass(frozen=True)
class ParsedRecord:
    """A record file read and checked: canonical fields (None if invalid), body, problems.

    ``marks`` gives the 1-based (line, column) of every key and list item by its place,
    e.g. ``"sources[1]"`` or ``"participants[0].country"``.
    """

    kind: str
    path: str
    fields: dict[str, Any] | None
    body: str
    problems: tuple[Problem, ...]
    marks: dict[str, tuple[int, int]]

    def where(self, place: str) -> tuple[int | None, int | None]:
        """Return the line and column of ``place`` (or of the nearest enclosing key)."""
        while place:
            if place in self.marks:
                return self.marks[place]
            trimmed = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", place)
            if trimmed == place:
                break
            place = trimmed
        return None, None


def parse_record_text(text: str, path: str, kind: str, file_id: str, *,
                      ours: bool = False) -> ParsedRecord:
    """Read and check one record file's text (``kind`` is ``meetings`` or ``articles``).

    Args:
        text: The whole file.
        path: The path to name in problems.
        kind: ``meetings`` or ``articles``.
        file_id: The file name without ``.md``; the record's ``id`` must equal it.
        ours: the text is what ingest has just rendered (read back faster).

    Returns:
        The parsed record; ``fields`` is None when there is any problem.
    """
    try:
        yaml_text, body = split_front_matter(text)
        node = compose_yaml(yaml_text, ours=ours)
    except YamlProblem as problem:
        found = Problem(path, problem.message, problem.line, problem.column)
        return ParsedRecord(kind, path, None, "", (found,), {})
    if node is None:
        return ParsedRecord(kind, path, None, body, (Problem(path, "front matter is empty", 1, 1),),
                            {})
    reader = NodeReader(path)
    fields = SCHEMAS[kind](reader, node, "", node.start_mark)
    if fields is not INVALID and fields["id"] != file_id:
        line, column = reader.marks["id"]
        reader.problems.append(Problem(path, f'id: "{fields["id"]}" does not match the file '
                                       f'name "{file_id}.md"', line, column))
    valid = fields is not INVALID and not reader.problems
    return ParsedRecord(kind, path, fields if valid else None, body, tuple(reader.problems),
                        reader.marks)


def topic_problems(record: ParsedRecord, fields: dict[str, Any],
                   taxonomy_ids: frozenset[str]) -> list[Problem]:
    """Problems for topic ids of a meeting that the taxonomy does not define."""
    problems = []
    for index, topic in enumerate(fields.get("topics", ())):
        if topic not in taxonomy_ids:
            line, column = record.where(f"topics[{index}]")
            problems.append(Problem(record.path, f'topics[{index}]: unknown topic "{topic}" '
                                    "(not in the taxonomy)", line, column))
    return problems
