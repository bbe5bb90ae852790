"""Making untrusted article text safe to extract from: mojibake repaired, invisible and
control characters removed, file paths shown printably.

Mojibake is UTF-8 that some earlier tool decoded as Windows-1252 or Latin-1 ("â€™" for
"’", "Ã©" for "é"). ftfy repairs it: it decodes a run back only when the result reads
better by its measure of how unlikely a text is, so text that is not mojibake is left as it
is.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

# Line and paragraph separators and NEL would start new lines in some tools but not in
# ours (lines are split on "\n" only): they become spaces so line numbers stay the file's.
SPACES = {"\t": " ", "\x0b": " ", "\x0c": " ", "\x85": " ", "\u2028": " ", "\u2029": " "}


# The fast path: every UTF-8 lead byte (0xC2-0xF4) read as Windows-1252 or Latin-1 becomes
# one of these characters, so a text without one holds no such mojibake and ftfy is not
# asked (it takes 0.3 ms an article, 15 times the rest of the clean-up; most articles have
# none of these characters, only curly quotes and dashes).
MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")


def repair_mojibake(text: str) -> str:
    """Decode back UTF-8 that was read as Windows-1252 ("â€™" -> "’", "Ã©" -> "é")."""
    if text.isascii() or not MOJIBAKE_LEAD.search(text):
        return text
    return _fix_encoding()(text)


@functools.cache
def _fix_encoding() -> Callable[[str], str]:
    """ftfy's repair, imported when first needed (an ingest with nothing to do needs none).
    C1 control characters stay as they are (NEL is a space to ``strip_invisible``, not the
    Windows-1252 ellipsis ftfy would read it as)."""
    import ftfy

    return functools.partial(ftfy.fix_encoding, config=ftfy.TextFixerConfig(fix_c1_controls=False))


def is_invisible(char: str) -> bool:
    """True for control characters (but newline), format characters (zero-width spaces and
    joiners, bidi overrides and isolates, soft hyphens, BOMs) and unpaired surrogates."""
    if char == "\n":
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


# Characters that may need replacing or removing: all but printable ASCII and newline
# (every other ASCII character is a letter, digit, punctuation or the space).
_SUSPECT = re.compile(r"[^\x20-\x7e\n]+")
# Control characters (category Cc: U+0000-U+001F and U+007F-U+009F) but the line breaks
# and tabs that ``control_share`` allows.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@functools.lru_cache(maxsize=4096)
def _kept(char: str) -> str:
    """What ``strip_invisible`` leaves of one character."""
    if char in SPACES:
        return SPACES[char]
    return "" if is_invisible(char) else char


def _kept_run(match: re.Match[str]) -> str:
    return "".join(_kept(char) for char in match[0])


def strip_invisible(text: str) -> str:
    """Remove every invisible or control character; tabs and odd line breaks become spaces.

    Args:
        text: Any text.

    Returns:
        The text with only printable characters, spaces and ``\\n`` left.
    """
    return _SUSPECT.sub(_kept_run, text)


def clean_text(text: str) -> str:
    """Mojibake repaired, then invisible and control characters removed."""
    return strip_invisible(repair_mojibake(text))


def control_share(text: str) -> float:
    """The share of characters that are control characters other than line breaks and tabs
    (a measure of how binary a decoded file is)."""
    if not text:
        return 0.0
    return len(_CONTROLS.findall(text)) / len(text)


def printable(value: str) -> str:
    """A path or name safe to print on one line: undecodable bytes become U+FFFD and
    invisible or control characters are shown as ``\\xNN`` / ``\\uNNNN`` escapes."""
    value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c if not is_invisible(c) and c not in SPACES and c != "\n" else
                   (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   for c in value)
