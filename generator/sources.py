"""Reading article files: bytes to decoded, normalised text split into sentences."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from generator.models import Evidence, Problem, Sentence, SourceArticle

ARTICLE_SUFFIXES = (".txt", ".text", ".md")
DATE_LINE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) and a space.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
ABBREVIATIONS = ("U.S.", "U.K.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jan.", "Feb.", "Aug.",
                 "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "D.C.", "No.", "Gen.", "Lt.", "Col.")
COPYRIGHT = re.compile(r"(?:Copyright|©|\(c\))\s*(?:\d{4}\s+)?([A-Z][\w.&' -]{1,60}?)[.,]\s",
                       re.IGNORECASE)
RIGHTS = re.compile(r"All rights reserved\.?(?:[^\n]*?may not be (?:published|reproduced)[^\n]*)?",
                    re.IGNORECASE)


class SourceError(Exception):
    """An article file that cannot be read; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def list_article_files(seeds: Path) -> list[Path]:
    """Every article file directly in ``seeds``, sorted by name; symlinks are not followed."""
    return sorted(p for p in seeds.iterdir()
                  if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_symlink() and p.is_file())


def decode(raw: bytes) -> tuple[str, str]:
    """Decode article bytes, returning the text and the encoding used."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def normalise(text: str) -> str:
    """Unify line endings; keep every line so line numbers match the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_sentences(article_id: str, text: str) -> tuple[Sentence, ...]:
    """Split text into sentences, each with the 1-based line it is on."""
    sentences: list[Sentence] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if number == 1:
            line = DATE_LINE.sub("", line)
        stripped = line.strip()
        if not stripped:
            continue
        protected = stripped
        for abbr in ABBREVIATIONS:
            protected = protected.replace(abbr, abbr.replace(".", "\u2024"))
        for part in SENTENCE_END.split(protected):
            part = part.replace("\u2024", ".").strip()
            if part:
                sentences.append(Sentence(article_id, number, part))
    return tuple(sentences)


def find_leading_date(article_id: str, text: str) -> tuple[dt.date | None, Evidence | None]:
    """The publication date given by a leading `` date YYYY-MM-DD `` line, if any."""
    first = text.split("\n", 1)[0]
    match = DATE_LINE.match(first)
    if not match:
        return None, None
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None, None
    return day, Evidence("published", article_id, 1, match[0].strip())


def find_headline(text: str) -> str | None:
    """The first non-empty line when it reads as a headline (short, no final full stop)."""
    for line in text.split("\n"):
        line = DATE_LINE.sub("", line).strip()
        if not line:
            continue
        if len(line) <= 160 and not line.endswith((".", "”", '"')):
            return line
        return None
    return None


def find_publisher(text: str) -> str | None:
    match = COPYRIGHT.search(text)
    return match[1].strip() if match else None


def find_rights(text: str) -> str | None:
    match = RIGHTS.search(text)
    return match[0].strip() if match else None


def read_article(path: Path, root: Path | None = None) -> SourceArticle:
    """Read one article file.

    Raises:
        SourceError: the file is empty, binary or cannot be read.
    """
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SourceError(Problem(shown, f"cannot read: {err.strerror}")) from err
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(Problem(shown, "binary file (NUL bytes), not an article"))
    text, encoding = decode(raw)
    text = normalise(text)
    if not text.strip():
        raise SourceError(Problem(shown, "empty file"))
    article_id = path.stem
    published, published_evidence = find_leading_date(article_id, text)
    return SourceArticle(
        id=article_id,
        source_file=shown,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        text=text,
        sentences=split_sentences(article_id, text),
        headline=find_headline(text),
        publisher=find_publisher(text),
        published=published,
        published_evidence=published_evidence,
        rights=find_rights(text),
    )
