"""Near-duplicate articles: copies and close paraphrases of one another.

Method: exact all-pairs overlap counts with a frequency split, not MinHash-LSH. A shingle
set is a sorted array of 64-bit hashes. Shingles in at most ``RARE`` articles go to an
inverted index: the pairs sharing one (at most ``RARE``² per shingle) are bounded, then
counted exactly. The others (template and boilerplate phrases: a few thousand) are bit
columns; a pair sharing no rare shingle can pass only on them, which needs both articles
mostly made of them and of compatible sizes, and only those pairs go through float32
matrix products (BLAS). The answer is exactly the all-pairs answer. Why not LSH: with
b bands of r rows a pair of similarity s becomes a candidate with probability
1-(1-s^r)^b, and the thresholds are low (word Jaccard 0.3; containment 0.5 of a short
story in a long page is a Jaccard near 0.1). In the synthetic benchmark corpus 4% of all
pairs have a Jaccard of 0.25-0.3 and 17% of 0.2-0.25, and any (r, b) keeping 99% recall at
0.3 takes most of them: r=2, b=64 gives 0.998 at 0.3 and 0.93 at 0.2; r=3, b=170 gives
0.999 and 0.75; r=4, b=600 gives 0.992 and 0.62. The work here is near-linear when
articles share little boilerplate; on that template corpus it is quadratic in a cheap
matrix product, as the answer itself is (4,389 pairs at 1,000 articles, 353,561 at 10,000).

Each article gives two sets. Word 2-shingles are compared by Jaccard similarity. For light
paraphrases and a story copied into a longer page: 2-shingles over content words only
(function words dropped, words cut to a stem), compared by containment (the share of the
smaller set found in the larger one). Rewording that keeps the facts but changes most
phrases ("pledged" for "agreed", clauses moved) is beyond both signals.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from generator.models import NearDuplicate, SourceArticle

SHINGLE = 2
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
RARE = 48  # a shingle in more articles than this is frequent (a bit column)
BLOCK = 1024  # rows of one matrix product (bounds its memory: BLOCK x N float32)
CHUNK = 1 << 16  # pairs whose bits are counted at once
_WORD = re.compile(r"[a-z0-9]+")
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xFF51AFD7ED558CCD),
        np.uint64(0xC4CEB9FE1A85EC53))
_EPSILON = 1e-9  # slack on bounds, so float rounding never prunes a pair that passes
_SLACK = 0.05  # the same in float32 products, in shingles (final checks are exact)
Ints = npt.NDArray[np.int64]
Hashes = npt.NDArray[np.uint64]


@lru_cache(maxsize=1 << 16)
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
    return [w[:STEM] for w in _tokens(text) if w not in FUNCTION_WORDS and len(w) > 2]


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


@dataclass(frozen=True)
class Overlaps:
    """Everything needed to count the shared shingles of any pair of sets, exactly.

    Attributes:
        sizes: the size of each set.
        frequent: each set's frequent shingles (in more than ``RARE`` sets) as bit columns.
        counts: how many frequent shingles each set has.
        pairs: codes ``i * n + j`` (i < j, sorted) of the pairs sharing a rare shingle.
        shared: how many rare shingles each of those pairs shares.
    """

    sizes: Ints
    frequent: npt.NDArray[np.bool_]
    counts: Ints
    pairs: Ints
    shared: Ints

    def __len__(self) -> int:
        return len(self.sizes)

    def bits(self) -> npt.NDArray[np.uint64]:
        """The frequent columns packed 64 to a word, one row per set."""
        packed = np.packbits(self.frequent, axis=1)
        width = -(-packed.shape[1] // 8) * 8
        padded = np.zeros((len(self), max(width, 8)), dtype=np.uint8)
        padded[:, :packed.shape[1]] = packed
        return padded.view(np.uint64)

    def count(self, first: Ints, second: Ints, bits: npt.NDArray[np.uint64]) -> Ints:
        """Exact numbers of shingles shared by pairs (``first`` < ``second``)."""
        out = np.zeros(len(first), dtype=np.int64)
        for start in range(0, len(first), CHUNK):
            i, j = first[start:start + CHUNK], second[start:start + CHUNK]
            out[start:start + CHUNK] = np.bitwise_count(bits[i] & bits[j]).sum(1)
        if len(self.pairs):
            codes = first * len(self) + second
            at = np.minimum(np.searchsorted(self.pairs, codes), len(self.pairs) - 1)
            hit = self.pairs[at] == codes
            out[hit] += self.shared[at[hit]]
        return out


def overlaps(sets: Sequence[Hashes]) -> Overlaps:
    """Split the shingles of ``sets`` into frequent bit columns and rare inverted lists."""
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    owner = np.repeat(np.arange(len(sets), dtype=np.int64), sizes)
    flat = np.concatenate(sets) if len(sets) else np.zeros(0, dtype=np.uint64)
    _, inverse, df = np.unique(flat, return_inverse=True, return_counts=True)
    often = df > RARE
    column = np.cumsum(often) - 1
    frequent = np.zeros((len(sets), int(often.sum())), dtype=np.bool_)
    hot = often[inverse]
    frequent[owner[hot], column[inverse[hot]]] = True
    pairs, shared = _rare_pairs(inverse, owner, df, len(sets))
    return Overlaps(sizes, frequent, frequent.sum(1, dtype=np.int64), pairs, shared)


def _rare_pairs(inverse: Ints, owner: Ints, df: Ints, n: int) -> tuple[Ints, Ints]:
    """Pairs of sets sharing shingles found in 2 to ``RARE`` sets, and how many they share."""
    keep = (df[inverse] >= 2) & (df[inverse] <= RARE)
    order = np.argsort(inverse[keep], kind="stable")  # owners stay ascending in a group
    members, shingle = owner[keep][order], inverse[keep][order]
    starts = np.flatnonzero(np.r_[True, shingle[1:] != shingle[:-1]]) if len(shingle) else \
        np.zeros(0, dtype=np.int64)
    sizes = df[shingle[starts]] if len(starts) else np.zeros(0, dtype=np.int64)
    codes = [np.zeros(0, dtype=np.int64)]
    for size in np.unique(sizes).tolist():
        group = members[starts[sizes == size][:, None] + np.arange(size)]
        first, second = np.triu_indices(size, 1)
        codes.append((group[:, first] * n + group[:, second]).ravel())
    pairs, shared = np.unique(np.concatenate(codes), return_counts=True)
    return pairs.astype(np.int64), shared.astype(np.int64)


def _jaccard_passes(shared: Ints, a: Ints, b: Ints) -> npt.NDArray[np.bool_]:
    union = a + b - shared
    return (union > 0) & (shared / np.maximum(union, 1) >= THRESHOLD)


def _containment_passes(shared: Ints, a: Ints, b: Ints) -> npt.NDArray[np.bool_]:
    small = np.minimum(a, b)
    return (small >= MIN_CONTENT) & (shared / np.maximum(small, 1) >= CONTAINMENT)


def _word_blocks(index: Overlaps) -> Iterator[tuple[Ints, Ints]]:
    """Blocks of rows, each with the columns it can pass Jaccard with on frequent shingles.

    With ``t`` the threshold and ``c`` a set's frequent shingles, a pair sharing no rare
    shingle passes only if both ``c`` reach ``t/(1+t)`` of the two sizes together: a set
    can pass with sets up to ``reach = c(1+t)/t - size`` long, and needs ``c >= t * size``.
    Rows go by size, so each pair is tried once (in the block of its smaller set).
    """
    sizes, counts = index.sizes, index.counts
    reach = counts * (1 + THRESHOLD) / THRESHOLD - sizes
    heavy = np.flatnonzero((sizes > 0) & (counts + _EPSILON >= THRESHOLD * sizes))
    heavy = heavy[np.argsort(sizes[heavy], kind="stable")]
    for start in range(0, len(heavy), BLOCK):
        block = heavy[start:start + BLOCK]
        end = np.searchsorted(sizes[heavy], reach[block].max() + _EPSILON, side="right")
        columns = heavy[start:max(start, int(end))]
        yield block, columns[reach[columns] + _EPSILON >= sizes[block].min()]


def _content_blocks(index: Overlaps) -> Iterator[tuple[Ints, Ints]]:
    """Blocks of rows, each with the columns it can pass containment with on frequent
    shingles alone: the smaller set must be mostly frequent, the larger hold as many."""
    sizes, counts = index.sizes, index.counts
    enough = sizes >= MIN_CONTENT
    small = np.flatnonzero(enough & (counts + _EPSILON >= CONTAINMENT * sizes))
    small = small[np.argsort(sizes[small], kind="stable")]
    large = np.flatnonzero(enough & (counts + _EPSILON >= CONTAINMENT * MIN_CONTENT))
    large = large[np.argsort(sizes[large], kind="stable")]
    for start in range(0, len(small), BLOCK):
        block = small[start:start + BLOCK]
        least = int(sizes[block].min())
        columns = large[int(np.searchsorted(sizes[large], least, side="left")):]
        yield block, columns[counts[columns] + _EPSILON >= CONTAINMENT * least]


def _dense_candidates(index: Overlaps, jaccard_test: bool) -> Ints:
    """Codes of the pairs that may pass on their frequent shingles alone (a few more than
    do: the bound has a little slack), counted by float32 matrix products (exact for counts).
    """
    found = [np.zeros(0, dtype=np.int64)]
    weights = index.frequent.astype(np.float32)
    sizes = index.sizes.astype(np.float32)
    for block, columns in (_word_blocks if jaccard_test else _content_blocks)(index):
        if not len(columns):
            continue
        shared = weights[block] @ weights[columns].T
        if jaccard_test:  # shared >= t/(1+t) of both sizes together
            share = THRESHOLD / (1 + THRESHOLD)
            shared -= share * sizes[block][:, None] - _SLACK
            passes = shared >= share * sizes[columns][None, :]
        else:  # shared >= half the smaller size (both are long enough)
            passes = shared >= CONTAINMENT * sizes[block][:, None] - _SLACK
            passes |= shared >= CONTAINMENT * sizes[columns][None, :] - _SLACK
        r, c = np.nonzero(passes)
        first, second = block[r], columns[c]
        keep = first != second
        low, high = np.minimum(first, second)[keep], np.maximum(first, second)[keep]
        found.append(low * len(index) + high)
    return np.unique(np.concatenate(found))


def _matches(index: Overlaps, bits: npt.NDArray[np.uint64], jaccard_test: bool) -> Ints:
    """Codes of every pair passing the test: sharing a rare shingle, or not (dense part)."""
    n, sizes, counts = len(index), index.sizes, index.counts
    first, second = np.divmod(index.pairs, n) if n else (index.pairs, index.pairs)
    bound = index.shared + np.minimum(counts[first], counts[second])
    passes = _jaccard_passes if jaccard_test else _containment_passes
    hopeful = index.pairs[passes(bound, sizes[first], sizes[second])]
    codes = np.union1d(hopeful, _dense_candidates(index, jaccard_test))
    first, second = np.divmod(codes, n) if n else (codes, codes)
    shared = index.count(first, second, bits)
    return codes[passes(shared, sizes[first], sizes[second])]


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
    ids = sorted(sketched)
    words = overlaps([sketched[key].word_array() for key in ids])
    content = overlaps([sketched[key].content_array() for key in ids])
    word_bits, content_bits = words.bits(), content.bits()
    codes = np.union1d(_matches(words, word_bits, True), _matches(content, content_bits, False))
    first, second = np.divmod(codes, len(ids)) if ids else (codes, codes)
    shared_words = words.count(first, second, word_bits)
    shared_content = content.count(first, second, content_bits)
    found: dict[str, list[NearDuplicate]] = {key: [] for key in ids}
    sizes, lengths = words.sizes.tolist(), content.sizes.tolist()
    for i, j, w, c in zip(first.tolist(), second.tolist(), shared_words.tolist(),
                          shared_content.tolist(), strict=True):
        union = sizes[i] + sizes[j] - w
        word = w / union if union else 0.0
        small = min(lengths[i], lengths[j])
        contained = c / small if small >= MIN_CONTENT else 0.0
        if word >= THRESHOLD or contained >= CONTAINMENT:  # the exact test
            similarity = round(max(word, contained), 3)
            found[ids[i]].append(NearDuplicate(ids[j], similarity))
            found[ids[j]].append(NearDuplicate(ids[i], similarity))
    return {key: tuple(sorted(value, key=lambda d: d.id)) for key, value in sorted(found.items())}
