"""Reading article files: bytes to decoded, normalised text split into sentences."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
from pathlib import Path

import yaml

from generator.extract.dates import (
    DATELINE,
    find_dates,
    find_top_date,
    find_weekday,
    is_chrome_date,
)
from generator.extract.masthead import MINISTRY
from generator.extract.masthead import find_publisher as publisher_in
from generator.ingest.inputs import (  # noqa: F401  (part of this module's interface)
    ARTICLE_SUFFIXES,
    list_article_files,
    scan_seeds,
    shown_path,
    unreadable,
)
from generator.ingest.textclean import clean_text, control_share
from generator.knowledge.settings import MAX_ARTICLE_BYTES, MAX_LINE_CHARS, MAX_SENTENCE_CHARS
from generator.models import Evidence, Problem, Sentence, SourceArticle
from generator.support.slugs import file_id

DATE_LINE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) and a space.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
ABBREVIATIONS = ("U.S.", "U.K.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jan.", "Feb.", "Aug.",
                 "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "D.C.", "No.", "Gen.", "Lt.", "Col.",
                 "Pref.", "Gov.", "Sen.", "Rep.", "Prof.", "Amb.", "Rt.", "Hon.", "Apr.",
                 "Mar.", "Jun.", "Jul.", "Feb.", "Corp.", "Inc.", "Co.", "vs.", "e.g.", "i.e.",
                 "a.m.", "p.m.", "H.E.", "Jr.", "Sr.", "approx.", "Nos.")
# A paragraph number ("1. On July 26, ...") is not a sentence of its own.
ENUMERATOR = re.compile(r"^(\(?\d{1,2}[.)])\s+")
# Navigation bars ("News | World | Politics"), breadcrumbs ("Home > World") and bylines.
CHROME_LINE = re.compile(r"\s\|\s|\s>\s|^By\s|^(?:Published|Updated|Posted)\b")
DATELINE_LINES = 30
# A year the text names ("in September 2021", "since 2022").
YEAR = re.compile(r"\b(?:in|since|of|from|by|until|(?:Jan|Febr)uary|March|April|May|June|July|"
                  r"August|(?:Sept|Nov|Dec)ember|October)\s+((?:19|20)\d\d)\b")
YEARS_BACK = 12  # a month and day fall on each weekday within this many years
DATELINE_SLACK = 2  # days between a dateline and the publication date
PLACES = Path(__file__).parent.parent / "knowledge" / "data" / "places.yaml"
INITIAL = re.compile(r"(?<![\w.])([A-Z])\.(?=\s+[A-Z][a-z])")
CAMEL = re.compile(r"[a-z][A-Z]")
RIGHTS = re.compile(r"All rights reserved\.?(?:[^\n]*?may not be (?:published|reproduced)[^\n]*)?",
                    re.IGNORECASE)
# Signatures of common binary formats, so that an image renamed .txt is named as one.
MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
         (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"),
         (b"PK\x03\x04", "ZIP archive"), (b"\x7fELF", "executable"), (b"\x1f\x8b", "gzip archive"))
BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
C1_BYTES = re.compile(rb"[\x80-\x9f]")
MAX_CONTROL_SHARE = 0.05  # more control characters than this: binary, not text


class SourceError(Exception):
    """An article file that cannot be read; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def decode(raw: bytes) -> tuple[str, str]:
    """Decode article bytes, returning the text and the encoding used.

    A byte-order mark decides (UTF-8, UTF-16 or UTF-32, little or big endian); otherwise
    UTF-8, and when that fails Windows-1252 (smart quotes in 0x80-0x9F) or Latin-1.

    Raises:
        UnicodeDecodeError: the bytes after a byte-order mark are not valid in its encoding.
    """
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding.removesuffix("-sig")), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not C1_BYTES.search(raw):  # the two agree outside 0x80-0x9F: call it Latin-1
        return raw.decode("latin-1"), "latin-1"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def binary_kind(raw: bytes) -> str | None:
    """What a binary file is ("PNG image", "NUL bytes"), or None for text."""
    for magic, kind in MAGIC:
        if raw.startswith(magic):
            return kind
    if b"\x00" in raw and not raw.startswith(tuple(bom for bom, _ in BOMS)):
        return "NUL bytes"
    return None


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
        # An initial ("Antony J. Blinken") does not end a sentence.
        protected = ENUMERATOR.sub(lambda m: m[1].replace(".", "\u2024") + " ", stripped)
        protected = INITIAL.sub("\\1\u2024", protected)
        for abbr in _abbreviations_in(protected):
            protected = protected.replace(abbr, abbr.replace(".", "\u2024"))
        for part in SENTENCE_END.split(protected):
            part = part.replace("\u2024", ".").strip()
            sentences.extend(Sentence(article_id, number, piece) for piece in _pieces(part))
    return tuple(sentences)


def _abbreviations_in(text: str) -> list[str]:
    """The abbreviations ``text`` holds, in ``ABBREVIATIONS`` order: each ends with a full
    stop, so only the words ending at one are looked at. (Protecting one abbreviation only
    turns full stops into one-dot leaders, so it never makes another appear.)"""
    present = set()
    pos = text.find(".")
    while pos >= 0:
        for abbr in _BY_LAST_LETTER.get(text[pos - 1], ()) if pos else ():
            start = pos + 1 - len(abbr)
            if start >= 0 and text.startswith(abbr, start):
                present.add(abbr)
        pos = text.find(".", pos + 1)
    return [abbr for abbr in ABBREVIATIONS if abbr in present] if present else []


_BY_LAST_LETTER: dict[str, tuple[str, ...]] = {
    letter: tuple(a for a in ABBREVIATIONS if a[-2] == letter)
    for letter in {a[-2] for a in ABBREVIATIONS}}


def _pieces(text: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """A sentence cut at spaces into pieces of at most ``limit`` characters (a run-on
    "sentence" of a megabyte would make every later pattern slow)."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind(" ", limit // 2, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    return [p for p in (*pieces, text) if p]


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


def find_publication_date(article_id: str, text: str) -> tuple[dt.date | None,
                                                                Evidence | None]:
    """The publication date: a leading ``date`` line, a date near the top, or inferred.

    The inference: a report that says "on Monday" and also gives a full date that fell on
    a Monday was written that day (wire reports name the weekday within the week).
    """
    day, evidence = find_leading_date(article_id, text)
    if day is not None:
        return day, evidence
    lines = text.split("\n")
    top = find_top_date(lines)
    if top is not None:
        value, line, words = top
        filed = _dateline_date(lines, value)
        if filed is not None and abs((filed[0] - value).days) > DATELINE_SLACK:
            # The date at the top is the site's display date, not the story's: the
            # dateline says when the story was filed.
            return filed[0], Evidence("published", article_id, filed[1], filed[2])
        return value, Evidence("published", article_id, line, words)
    day, evidence = _inferred_publication(article_id, lines)
    if day is not None:
        return day, evidence
    return _dateline_in_context(article_id, lines)


def _dateline_in_context(article_id: str, lines: list[str]) -> tuple[dt.date | None,
                                                                     Evidence | None]:
    """A dateline without a year ("New Delhi, Nov 20 (PTI) ... on Monday"): the year in
    which that day fell on the weekday the line names, nearest the latest year the text
    mentions. Without a weekday or a year in the text the day stays unknown."""
    years = sorted({m.year for line in lines for m in find_dates(line) if m.year} |
                   {int(y) for y in YEAR.findall("\n".join(lines))})
    for number, line in enumerate(lines[:DATELINE_LINES], start=1):
        match = DATELINE.match(line)
        dates = find_dates(match["date"]) if match else ()
        weekday = find_weekday(line[match.end():]) if match else None
        if not (match and dates and dates[0].year is None and weekday and years):
            continue
        mention = dates[0]
        fits = [d for year in range(years[-1] - YEARS_BACK, years[-1] + YEARS_BACK)
                for d in [_safe_date(year, mention.month, mention.day)]
                if d is not None and d.weekday() == weekday[0]]
        if fits:
            best = min(fits, key=lambda d: (abs(d.year - years[-1]), -d.year))
            return best, Evidence("published", article_id, number, match[0].strip())
    return None, None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dateline_date(lines: list[str], reference: dt.date) -> tuple[dt.date, int, str] | None:
    """The date of the first dateline ("VIENTIANE, July 26 (Reuters) -"), year from
    ``reference`` (the nearest one not after it)."""
    for number, line in enumerate(lines[:DATELINE_LINES], start=1):
        match = DATELINE.match(line)
        dates = find_dates(match["date"]) if match else ()
        if dates:
            value = dates[0].resolve(reference - dt.timedelta(days=7))
            if value is not None:
                return _on_weekday(value, line), number, match[0].strip() if match else ""
    return None


def _on_weekday(value: dt.date, line: str) -> dt.date:
    """``value`` moved back by whole years until it falls on the weekday the line names
    ("VILNIUS, March 5 (Reuters) - ... on Tuesday"), if it names one."""
    weekday = find_weekday(line)
    for years in range(YEARS_BACK):
        earlier = _safe_year(value, value.year - years)
        if weekday is None or (earlier is not None and earlier.weekday() == weekday[0]):
            return earlier or value
    return value


def _safe_year(value: dt.date, year: int) -> dt.date | None:
    try:
        return value.replace(year=year)
    except ValueError:
        return None


def _inferred_publication(article_id: str, lines: list[str]) -> tuple[dt.date | None,
                                                                      Evidence | None]:
    lead = next((line for line in lines if len(line.split()) > 8), "")
    weekday = find_weekday(lead)
    if weekday is None:
        return None, None
    for number, line in enumerate(lines, start=1):
        if is_chrome_date(lines, number - 1):
            continue
        for mention in find_dates(line):
            value = mention.resolve(None)
            if value is not None and value.weekday() == weekday[0]:
                return value, Evidence("published", article_id, number, mention.text)
    return None, None


def find_headline(text: str) -> str | None:
    """The first line that reads as a headline: 4+ words, short, no final full stop.

    Site chrome above it is skipped: widgets ("71.5 F"), section names ("Press
    Conferences"), icon-label runs ("ArrowArtboardCreated ...") and bare dates.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines[:12]):
        line = DATE_LINE.sub("", line).strip() if index == 0 else line.strip()
        words = line.split()
        if len(words) < 4 or sum(bool(CAMEL.search(w)) for w in words) > len(words) // 4:
            continue
        if CHROME_LINE.search(line) or MINISTRY.match(line):
            continue
        dates = find_dates(line)
        if dates and dates[0].start < 12:
            continue
        if len(line) <= 160 and not line.endswith((".", "”", '"', ":")):
            return line
        return None
    return None


def load_agencies(path: Path = PLACES) -> dict[str, str]:
    """News-agency credits (alias -> publisher name) from the places data file (read once
    per version of the file, not once per article)."""
    try:
        info = path.stat()
    except OSError:
        return {}
    return dict(_agencies(str(path), info.st_mtime_ns, info.st_size))


@functools.lru_cache(maxsize=4)
def _agencies(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, str], ...]:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
    except (OSError, yaml.YAMLError):
        return ()
    return tuple((str(alias), str(entry["name"])) for entry in data.get("agencies") or []
                 if isinstance(entry, dict) and entry.get("name")
                 for alias in entry.get("aliases") or [])


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when it is there


def find_publisher(text: str, agencies: dict[str, str] | None = None) -> str | None:
    """The publisher a text names (see ``generator.extract.masthead``)."""
    return publisher_in(text, load_agencies() if agencies is None else agencies)


def find_rights(text: str) -> str | None:
    match = RIGHTS.search(text)
    return match[0].strip() if match else None


def read_bytes(path: Path, shown: str, max_bytes: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of an article file, without following a symbolic link.

    Raises:
        SourceError: the file is a link, too large or cannot be read.
    """
    reason = unreadable(path, max_bytes)
    if reason is not None:
        raise SourceError(Problem(shown, reason))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as err:
        raise SourceError(Problem(shown, f"cannot read: {err.strerror}")) from err
    if len(raw) > max_bytes:
        raise SourceError(Problem(shown, f"file is larger than {max_bytes} bytes"))
    return raw


def decode_article(raw: bytes, shown: str) -> tuple[str, str]:
    """The cleaned text of an article's bytes and the encoding they were in.

    Raises:
        SourceError: the file is empty, binary, or not valid in the encoding its
            byte-order mark names.
    """
    kind = binary_kind(raw)
    if kind is not None:
        raise SourceError(Problem(shown, f"binary file ({kind}), not an article"))
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as err:
        raise SourceError(Problem(shown, f"not valid {err.encoding.upper()} text after its "
                                         "byte-order mark")) from err
    if control_share(text) > MAX_CONTROL_SHARE:
        raise SourceError(Problem(shown, "binary file (control characters), not an article"))
    text = clean_text(normalise(text))
    long_line = next((n for n, line in enumerate(text.split("\n"), 1)
                      if len(line) > MAX_LINE_CHARS), None)
    if long_line is not None:
        raise SourceError(Problem(shown, f"line is longer than {MAX_LINE_CHARS} characters, "
                                         "not article text", long_line))
    if not text.strip():
        raise SourceError(Problem(shown, "empty file" if not raw else
                                  "empty file (only whitespace or invisible characters)"))
    return text, encoding


def read_article(path: Path, root: Path | None = None,
                 max_bytes: int = MAX_ARTICLE_BYTES) -> SourceArticle:
    """Read one article file: decoded, line endings unified, mojibake repaired, control,
    zero-width and bidi characters removed. Its id is the file name without its extension,
    made safe (see ``generator.support.slugs.file_id``).

    Raises:
        SourceError: the file is empty, binary, a link, too large or cannot be read.
    """
    shown = shown_path(path, root)
    raw = read_bytes(path, shown, max_bytes)
    text, encoding = decode_article(raw, shown)
    article_id = file_id(path.stem)
    published, published_evidence = find_publication_date(article_id, text)
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
