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


def load_limits(content: Path | None) -> Limits:
    """The defaults, overridden by ``<content>/data/settings.yaml`` when it sets ``limits``.

    Raises:
        DataError: the settings file cannot be read, or a limit is not a positive number.
    """
    path = None if content is None else content / SETTINGS
    if path is None or not path.is_file():
        return Limits()
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError([Problem(str(path), f"cannot read settings: {err}")]) from err
    given = data.get("limits") if isinstance(data, dict) else None
    if given is None:
        return Limits()
    names = {f.name for f in dataclasses.fields(Limits)}
    if not isinstance(given, dict) or not set(given) <= set(names):
        raise DataError([Problem(str(path), "limits: expected a mapping with keys "
                                 + ", ".join(sorted(names)))])
    for name, value in sorted(given.items()):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise DataError([Problem(str(path), f"limits.{name}: expected a positive number, "
                                                f"got {value!r}")])
    base = Limits()
    return Limits(max_article_bytes=int(given.get("max_article_bytes", base.max_article_bytes)),
                  extraction_seconds=float(given.get("extraction_seconds",
                                                     base.extraction_seconds)),
                  lock_seconds=float(given.get("lock_seconds", base.lock_seconds)))
