"""Slugs for ids and page paths: generated from text, ASCII, never empty, never colliding."""

from __future__ import annotations

import hashlib
import re
import unicodedata

NOT_SLUG = re.compile(r"[^a-z0-9]+")
DASHES = re.compile(r"[\u2010-\u2015\u2212]")  # dashes separate words, as hyphens do


def slugify(text: str, *, skip: frozenset[str] = frozenset(), fallback: str = "page",
            limit: int = 60) -> str:
    """Lower-case ASCII words of ``text`` joined by hyphens (``2+2`` kept as ``2plus2``).

    Args:
        text: any text; accents are folded, other characters dropped.
        skip: words left out (e.g. ``in``, ``the``).
        fallback: the slug when nothing is left.
        limit: the most characters kept.
    """
    spaced = DASHES.sub(" ", text.replace("2+2", "2plus2"))
    folded = unicodedata.normalize("NFKD", spaced)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower().replace(".", "")
    words = [w for w in NOT_SLUG.split(ascii_text) if w and w not in skip]
    return "-".join(words)[:limit].strip("-") or fallback


def unique_slug(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… when taken; the result is added to ``used``."""
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


SAFE_FILE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,119}")
NOT_FILE_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def file_id(stem: str) -> str:
    """A record id for an article file: its name without the extension when that is a safe
    file name (letters, digits, ``_ . -``, starting with a letter or digit, no ``..``);
    otherwise an ASCII form of it plus a digest of the original name, so that two unsafe
    names never share an id and the same name always gives the same one.

    >>> file_id("000_c835384a2099d185")
    '000_c835384a2099d185'
    >>> file_id("--rf *")
    'rf-b944fdcd'
    """
    if SAFE_FILE_ID.fullmatch(stem) and ".." not in stem:
        return stem
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"\.{2,}", ".", NOT_FILE_ID.sub("-", folded)).strip("-._")[:80].rstrip("-._")
    raw = stem.encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return f"{base}-{digest}" if base else f"article-{digest}"
