"""Reading article files: bytes to decoded, normalised text split into sentences (nothing
extracted: that is the next stage)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

from generator.ingest.inputs import shown_path, unreadable
from generator.ingest.textclean import clean_text, control_share
from generator.knowledge.settings import MAX_ARTICLE_BYTES, MAX_LINE_CHARS, MAX_SENTENCE_CHARS
from generator.models import Problem, Sentence, SourceArticle
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
INITIAL = re.compile(r"(?<![\w.])([A-Z])\.(?=\s+[A-Z][a-z])")
# Signatures of common binary formats, so that an image renamed .txt is named as one.
MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
         (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"),
         (b"PK\x03\x04", "ZIP archive"), (b"\x7fELF", "executable"), (b"\x1f\x8b", "gzip archive"))
BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
C1_BYTES = re.compile(rb"[\x80-\x9f]")
STRAY_NULS = 3  # NUL bytes (or one per thousand bytes) text may hold: dropped, not binary
MAX_CONTROL_SHARE = 0.05  # more control characters than this: binary, not text


class SourceError(Exception):
    """An article file that cannot be read; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def decode(raw: bytes) -> tuple[str, str]:
    """Decode article bytes, returning the text and the encoding used.

    A byte-order mark decides (UTF-8, UTF-16 or UTF-32, little or big endian); then UTF-16
    without one (NUL bytes at every other place); otherwise UTF-8; then, for bytes mostly
    above 0x7F, the East Asian encodings (``east_asian``); and when all fail Windows-1252
    (smart quotes in 0x80-0x9F) or Latin-1. A few stray NUL bytes are dropped (the
    encoding then says how many).

    Raises:
        UnicodeDecodeError: the bytes after a byte-order mark are not valid in its encoding.
    """
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding.removesuffix("-sig")), encoding
    wide = utf16_without_bom(raw)
    if wide is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(wide), wide
    nuls = raw.count(0)
    text, encoding = _decode_narrow(raw.replace(b"\x00", b"") if nuls else raw)
    dropped = f" ({nuls} NUL byte{'s' if nuls > 1 else ''} dropped)" if nuls else ""
    return text, encoding + dropped


def _decode_narrow(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = east_asian(raw)
    if found is not None:
        return found
    if not C1_BYTES.search(raw):  # the two agree outside 0x80-0x9F: call it Latin-1
        return raw.decode("latin-1"), "latin-1"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when NUL bytes fill one of every two places (text
    mostly of Latin letters in UTF-16 without a byte-order mark), else None."""
    half = len(raw) // 2
    if half < 8 or len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


# East Asian text is mostly bytes above 0x7F; European text in Latin-1 or Windows-1252
# has a few (accents), far below this share.
EAST_ASIAN_SHARE = 0.2
# An English article quoting East Asian names has fewer; then every character its high
# bytes decode to must be East Asian (ideographs, kana, Hangul, their punctuation and
# full-width forms), which Latin-1 or Windows-1252 accents never all decode to.
EAST_ASIAN_CHAR = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
                             "\uf900-\ufaff\uff00-\uffef]")


def only_east_asian(text: str) -> bool:
    """Whether every character of ``text`` beyond ASCII is East Asian (two at least)."""
    wide = [char for char in text if ord(char) > 0x7F]
    return len(wide) >= 2 and all(EAST_ASIAN_CHAR.match(char) for char in wide)


KANA = re.compile("[\u3040-\u30ff]")
HANGUL = re.compile("[\uac00-\ud7a3]")
# The commonest words of Chinese, in simplified and traditional characters: GB18030 and
# Big5 each decode much of the other's bytes, into rare characters.
SIMPLIFIED = frozenset("的是了在有这个们中国来为和到说时会对也就要以大上不人与外长部")
TRADITIONAL = frozenset("的是了在有這個們中國來為和到說時會對也就要以大上不人與外長部")


def east_asian(raw: bytes) -> tuple[str, str] | None:
    """The text and encoding of bytes in Shift-JIS or EUC-JP (with kana), EUC-KR (mostly Hangul),
    GB18030 or Big5 (whichever gives more common Chinese words), when they decode strictly
    and are mostly above 0x7F, or decode to only East Asian characters beyond ASCII
    (:func:`only_east_asian`); else None."""
    high = sum(1 for byte in raw if byte > 0x7F)
    if not high:
        return None
    decoded = {}
    for encoding in ("shift_jis", "euc_jp", "euc_kr", "gb18030", "big5"):
        with contextlib.suppress(UnicodeDecodeError):
            decoded[encoding] = raw.decode(encoding)
    if high < EAST_ASIAN_SHARE * len(raw):
        decoded = {name: text for name, text in decoded.items() if only_east_asian(text)}
    wide = {name: sum(1 for char in text if ord(char) > 0x7F) or 1
            for name, text in decoded.items()}
    for japanese in ("shift_jis", "euc_jp"):
        if japanese in decoded and len(KANA.findall(decoded[japanese])) >= 0.1 * wide[japanese]:
            return decoded[japanese], japanese
    if "euc_kr" in decoded and len(HANGUL.findall(decoded["euc_kr"])) >= 0.6 * wide["euc_kr"]:
        return decoded["euc_kr"], "euc_kr"
    scores = {name: sum(1 for char in decoded[name] if char in words)
              for name, words in (("gb18030", SIMPLIFIED), ("big5", TRADITIONAL))
              if name in decoded}
    best = max(sorted(scores), key=lambda name: scores[name], default=None)
    if best is not None and scores[best] >= 0.05 * wide[best]:
        return decoded[best], best
    if best is not None and high < EAST_ASIAN_SHARE * len(raw):
        # a few names in Chinese characters: too few to tell the two apart by their words,
        # but Latin-1 would surely be wrong; GB18030 is the commoner, and the label says so
        name = "gb18030" if "gb18030" in scores else best
        return decoded[name], f"{name} (guessed: too little Chinese text to be sure)"
    return None


def binary_kind(raw: bytes) -> str | None:
    """What a binary file is ("PNG image", "NUL bytes"), or None for text (which may hold
    a few stray NUL bytes, ``STRAY_NULS``, or be UTF-16 without a byte-order mark)."""
    for magic, kind in MAGIC:
        if raw.startswith(magic):
            return kind
    nuls = raw.count(0)
    if nuls > max(STRAY_NULS, len(raw) // 1000) and \
            not raw.startswith(tuple(bom for bom, _ in BOMS)) and utf16_without_bom(raw) is None:
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


def source_text(raw: bytes, path: Path, shown: str) -> SourceArticle:
    """An article from the bytes of its file: decoded, line endings unified, mojibake
    repaired, control, zero-width and bidi characters removed, split into sentences. Its
    id is the file name without its extension, made safe (see ``support.slugs.file_id``).
    Nothing is extracted here: the masthead (headline, publisher, dates) is left empty.

    Raises:
        SourceError: the bytes are empty, binary or not text.
    """
    text, encoding = decode_article(raw, shown)
    article_id = file_id(path.stem)
    return SourceArticle(id=article_id, source_file=shown,
                         sha256=hashlib.sha256(raw).hexdigest(), encoding=encoding,
                         text=text, sentences=split_sentences(article_id, text))


def read_article_text(path: Path, root: Path | None = None,
                      max_bytes: int = MAX_ARTICLE_BYTES) -> SourceArticle:
    """Read one article file (see ``source_text``).

    Raises:
        SourceError: the file is empty, binary, a link, too large or cannot be read.
    """
    shown = shown_path(path, root)
    return source_text(read_bytes(path, shown, max_bytes), path, shown)
