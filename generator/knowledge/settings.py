"""Limits that keep ingest safe on hostile input, with an optional per-content override.

The defaults are the module constants below. A content folder may set any of them in
``<content>/data/settings.yaml``::

    limits:
      max_article_bytes: 2000000
      extraction_seconds: 20
      lock_seconds: 60
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import DataError
from generator.models import Problem

MAX_ARTICLE_BYTES = 2_000_000  # an article file larger than this is skipped unread
EXTRACTION_SECONDS = 20.0  # per article; slower extraction is reported as a failure
LOCK_SECONDS = 60.0  # how long an ingest waits for another one to finish
MAX_SENTENCE_CHARS = 2_000  # longer sentences are cut at a space (bounds every regex)
MAX_LINE_CHARS = 50_000  # a file with a longer line is not article text: skipped
SETTINGS = Path("data") / "settings.yaml"


@dataclass(frozen=True)
class Limits:
    """The limits one ingest runs under."""

    max_article_bytes: int = MAX_ARTICLE_BYTES
    extraction_seconds: float = EXTRACTION_SECONDS
    lock_seconds: float = LOCK_SECONDS


# the most each limit may be: beyond it a setting is a mistake (or turns the limit off)
MAXIMA = {"max_article_bytes": 1_000_000_000, "extraction_seconds": 86_400,
          "lock_seconds": 86_400}


def load_limits(content: Path | None) -> Limits:
    """The defaults, overridden by ``<content>/data/settings.yaml`` when it sets ``limits``.

    Raises:
        DataError: the settings file cannot be read, or a limit is not a positive finite
            number up to its maximum (``MAXIMA``; ``max_article_bytes`` a whole number);
            each message reads ``path:line: limits.name: what is wrong``.
    """
    path = None if content is None else content / SETTINGS
    if path is None or not path.is_file():
        return Limits()
    try:
        text = path.read_text("utf-8")
        data = yaml.safe_load(text) or {}
        lines = _value_lines(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        raise DataError([Problem(str(path), f"cannot read settings: invalid YAML: {err.problem}",
                                 None if mark is None else mark.line + 1,
                                 None if mark is None else mark.column + 1)]) from err
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError([Problem(str(path), f"cannot read settings: {err}")]) from err
    given = data.get("limits") if isinstance(data, dict) else None
    if given is None:
        return Limits()
    names = {f.name for f in dataclasses.fields(Limits)}
    if not isinstance(given, dict) or not set(given) <= set(names):
        raise DataError([Problem(str(path), "limits: expected a mapping with keys "
                                 + ", ".join(sorted(names)), lines.get(""))])
    problems = [Problem(str(path), f"limits.{name}: {wrong}", lines.get(name))
                for name, value in sorted(given.items(), key=lambda item: lines.get(item[0], 0))
                if (wrong := _wrong_limit(name, value)) is not None]
    if problems:
        raise DataError(problems)
    base = Limits()
    return Limits(max_article_bytes=int(given.get("max_article_bytes", base.max_article_bytes)),
                  extraction_seconds=float(given.get("extraction_seconds",
                                                     base.extraction_seconds)),
                  lock_seconds=float(given.get("lock_seconds", base.lock_seconds)))


def _wrong_limit(name: str, value: object) -> str | None:
    """What is wrong with a limit's value, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return f"expected a positive number, got {value!r}"
    if not math.isfinite(value):
        return f"expected a finite number, got {value!r}"
    if name == "max_article_bytes" and value != int(value):
        return f"expected a whole number of bytes, got {value!r}"
    if value > MAXIMA[name]:
        return f"expected at most {MAXIMA[name]}, got {value!r}"
    return None


def _value_lines(text: str) -> dict[str, int]:
    """The line of ``limits`` (key "") and of each limit's value in the settings text."""
    root = yaml.compose(text)
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value == "limits":
            lines[""] = key.start_mark.line + 1
            if isinstance(value, yaml.MappingNode):
                lines.update((k.value, v.start_mark.line + 1) for k, v in value.value)
    return lines
