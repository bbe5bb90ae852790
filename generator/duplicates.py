"""Near-duplicate articles: copies and close paraphrases of one another.

Each article becomes a set of word 2-shingles; a MinHash signature of it is cut into
bands, and only articles that share a band bucket (LSH) are compared, so the work grows
with the number of articles, not with its square. Candidates are then verified with the
exact Jaccard similarity of their shingle sets.

A second signal catches light paraphrases and a story copied into a longer page: 2-shingles
over content words only (function words dropped, words cut to a stem), with their own
MinHash/LSH candidates, verified by containment (the share of the smaller set found in the
larger one). Rewording that keeps the facts but changes most phrases ("pledged" for "agreed",
clauses moved) is beyond both signals.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.models import NearDuplicate, SourceArticle

SHINGLE = 2
PERMUTATIONS = 128
BANDS = 64  # 2 rows a band: pairs from about 0.15 Jaccard on become candidates
THRESHOLD = 0.3
MIN_WORDS = 6  # shorter lines are headers, buttons and credits
STOP = re.compile(r"^\s*(?:Related (?:coverage|articles?|stories|news|topics)|Latest articles?|"
                  r"More from|Recommended|Read next|Most read|Tags:)", re.IGNORECASE)
CHROME = re.compile(r"\s\|\s|\s>\s|cookies?\b|^\s*(?:\(c\)|©|Copyright|Share\b)", re.IGNORECASE)
CONTAINMENT = 0.5
MIN_CONTENT = 20  # content shingles a text needs before containment says anything
STEM = 6
FUNCTION_WORDS = frozenset(re.split(r"\s+", """a an the of to in on and or for with at by
from as is are was were be been has have had that this it its their his her they he she we our
us said says will would also which who not but than after before about over into more most such
both other any all can may there then these those"""))
_PRIME = (1 << 61) - 1
_rng = random.Random(20240601)  # fixed seed: same input, same signatures
_COEFFICIENTS = tuple((_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME))
                      for _ in range(PERMUTATIONS))


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    """Hashes of the overlapping runs of ``size`` words in ``text`` (case-folded)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    runs = (" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1)))
    return frozenset(int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(),
                                    "big") for run in runs if run)


def content_shingles(text: str) -> frozenset[int]:
    """Hashes of pairs of neighbouring content words (function words dropped, stems cut)."""
    words = [w[:STEM] for w in re.findall(r"[a-z0-9]+", text.lower())
             if w not in FUNCTION_WORDS and len(w) > 2]
    return shingles(" ".join(words))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """The share of the smaller set found in the larger one (0 for too small a set)."""
    small = min(len(a), len(b))
    return len(a & b) / small if small >= MIN_CONTENT else 0.0


def signature(items: frozenset[int]) -> tuple[int, ...]:
    """The MinHash signature of a shingle set."""
    if not items:
        return tuple(_PRIME for _ in _COEFFICIENTS)
    return tuple(min((a * x + b) % _PRIME for x in items) for a, b in _COEFFICIENTS)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Exact Jaccard similarity of two sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


def candidate_pairs(signatures: dict[str, tuple[int, ...]]) -> set[tuple[str, str]]:
    """Pairs of ids whose signatures agree on at least one whole band."""
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, tuple[int, ...]], list[str]] = defaultdict(list)
    for key in sorted(signatures):
        sig = signatures[key]
        for band in range(BANDS):
            buckets[(band, sig[band * rows:(band + 1) * rows])].append(key)
    pairs: set[tuple[str, str]] = set()
    for members in buckets.values():
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                pairs.add((first, second))
    return pairs


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
    """What comparing one article needs: its two shingle sets and their signatures.

    Computed once per article (in parallel, and cached with its extraction)."""

    words: frozenset[int]
    content: frozenset[int]
    word_signature: tuple[int, ...]
    content_signature: tuple[int, ...]


def sketch(article: SourceArticle) -> Sketch:
    """The shingle sets and MinHash signatures of one article's own text."""
    text = article_text(article)
    words, content = shingles(text), content_shingles(text)
    return Sketch(words, content, signature(words), signature(content))


def find_near_duplicates(articles: Sequence[SourceArticle],
                         sketches: Mapping[str, Sketch] | None = None,
                         ) -> dict[str, tuple[NearDuplicate, ...]]:
    """Near duplicates of each article.

    Args:
        articles: the articles to compare.
        sketches: already computed sketches by article id (computed here when missing).

    Returns:
        For every article id, the other articles similar enough, sorted by id: Jaccard over
        word 2-shingles of at least ``THRESHOLD``, or containment of content-word shingles
        of at least ``CONTAINMENT``; the similarity is the larger, rounded to 3 places.
    """
    known = sketches or {}
    sketched = {a.id: known.get(a.id) or sketch(a) for a in articles}
    sets = {key: value.words for key, value in sketched.items()}
    content = {key: value.content for key, value in sketched.items()}
    pairs = candidate_pairs({k: v.word_signature for k, v in sketched.items()}) | \
        candidate_pairs({k: v.content_signature for k, v in sketched.items()})
    found: dict[str, list[NearDuplicate]] = {key: [] for key in sets}
    for first, second in sorted(pairs):
        a, b = sets[first], sets[second]
        shared = len(a & b)  # the same value as jaccard(a, b), without building the union
        word = shared / (len(a) + len(b) - shared) if a or b else 0.0
        contained = containment(content[first], content[second])
        similarity = round(max(word, contained), 3)
        if word >= THRESHOLD or contained >= CONTAINMENT:
            found[first].append(NearDuplicate(second, similarity))
            found[second].append(NearDuplicate(first, similarity))
    return {key: tuple(sorted(value, key=lambda d: d.id)) for key, value in sorted(found.items())}
