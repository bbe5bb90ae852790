"""Shingles: what near-duplicate detection compares of each article.

Each article gives two sets of hashes. Word 2-shingles (overlapping pairs of words, case
folded) are compared by Jaccard similarity. Content-word 2-shingles (function words dropped,
words cut to a stem) are compared by containment, for light paraphrases and for a story
copied into a longer page. Only the story's own lines count: navigation, share buttons and
related-links blocks around it are left out (see :func:`article_text`). Hashes are the same
in every process and run, so sketches can be computed in parallel and cached.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from generator.models import SourceArticle

SHINGLE = 2  # words a shingle: pairs (a reworded word breaks two, not three or more)
MIN_WORDS = 6  # shorter lines are headers, buttons and credits
STOP = re.compile(r"^\s*(?:Related (?:coverage|articles?|stories|news|topics)|Latest articles?|"
                  r"More from|Recommended|Read next|Most read|Tags:)", re.IGNORECASE)
CHROME = re.compile(r"\s\|\s|\s>\s|cookies?\b|^\s*(?:\(c\)|©|Copyright|Share\b)", re.IGNORECASE)
MIN_CONTENT = 20  # content shingles a text needs before containment says anything
STEM = 6  # letters of a content word kept: "ministers", "ministerial" share "minist"
MIN_CONTENT_WORD = 2  # a content word is longer: shorter ones are initials and particles
WORD_HASHES = 1 << 16  # words whose hash is remembered: a large corpus's working vocabulary
FUNCTION_WORDS = frozenset(re.split(r"\s+", """a an the of to in on and or for with at by
from as is are was were be been has have had that this it its their his her they he she we our
us said says will would also which who not but than after before about over into more most such
both other any all can may there then these those"""))
_WORD = re.compile(r"[a-z0-9]+")
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xFF51AFD7ED558CCD),
        np.uint64(0xC4CEB9FE1A85EC53))
Hashes = npt.NDArray[np.uint64]


@lru_cache(maxsize=WORD_HASHES)
def _word_hash(word: str) -> int:
    """A 64-bit hash of a word, the same in every process and run."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _fmix(x: Hashes) -> Hashes:
    """Murmur3's 64-bit finaliser: every input bit affects every output bit."""
    x = x ^ (x >> np.uint64(33))
    x = x * _MIX[1]
    x = x ^ (x >> np.uint64(33))
    x = x * _MIX[2]
    return x ^ (x >> np.uint64(33))


def shingle_array(words: Sequence[str]) -> Hashes:
    """Sorted distinct hashes of the overlapping word pairs of ``words`` (one word: itself)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((_word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    runs = _fmix(h) if len(h) < SHINGLE else _fmix(h[:-1] * _MIX[0] + h[1:])
    return np.unique(runs)


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content_words(text: str) -> list[str]:
    return [w[:STEM] for w in _tokens(text)
            if w not in FUNCTION_WORDS and len(w) > MIN_CONTENT_WORD]


def shingles(text: str) -> frozenset[int]:
    """Hashes of the overlapping runs of two words in ``text`` (case-folded)."""
    return frozenset(shingle_array(_tokens(text)).tolist())


def content_shingles(text: str) -> frozenset[int]:
    """Hashes of pairs of neighbouring content words (function words dropped, stems cut)."""
    return frozenset(shingle_array(_content_words(text)).tolist())


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """The share of the smaller set found in the larger one (0 for too small a set)."""
    small = min(len(a), len(b))
    return len(a & b) / small if small >= MIN_CONTENT else 0.0


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Exact Jaccard similarity of two sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


def article_text(article: SourceArticle) -> str:
    """The words compared: the story's own lines, without the site around it.

    Navigation bars, breadcrumbs, share buttons and other short lines, and everything from
    a related-links block on, are left out, so a copy of a story on another site (with
    its own clutter) scores as the copy it is. A text with no such lines is used whole.
    """
    lines = article.text.split("\n")
    stop = next((n for n, line in enumerate(lines, 1) if STOP.match(line)), len(lines) + 1)
    kept = [s.text for s in article.sentences if s.line < stop and
            len(lines[s.line - 1].split()) >= MIN_WORDS and
            not CHROME.search(lines[s.line - 1])]
    return " ".join(kept or [s.text for s in article.sentences])


@dataclass(frozen=True)
class Sketch:
    """What comparing one article needs: its two shingle sets, each as the bytes of a sorted
    array of distinct little-endian 64-bit hashes (compact, and cheap to pickle).

    Computed once per article (in parallel, and cached with its extraction)."""

    words: bytes
    content: bytes

    def word_array(self) -> Hashes:
        """The word 2-shingle hashes (read-only, sorted)."""
        return np.frombuffer(self.words, dtype="<u8").astype(np.uint64, copy=False)

    def content_array(self) -> Hashes:
        """The content-word 2-shingle hashes (read-only, sorted)."""
        return np.frombuffer(self.content, dtype="<u8").astype(np.uint64, copy=False)


def sketch(article: SourceArticle) -> Sketch:
    """The shingle sets of one article's own text."""
    text = article_text(article)
    return Sketch(shingle_array(_tokens(text)).astype("<u8").tobytes(),
                  shingle_array(_content_words(text)).astype("<u8").tobytes())
