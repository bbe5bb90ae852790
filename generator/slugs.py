"""Slugs for ids and page paths: generated from text, ASCII, never empty, never colliding."""

from __future__ import annotations

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
