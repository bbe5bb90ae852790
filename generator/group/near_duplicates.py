"""Near-duplicate articles: copies and close paraphrases of one another.

Exact all-pairs counts, not MinHash-LSH (the thresholds are low: word Jaccard 0.3, and
containment 0.5 of a short story in a long page is a Jaccard near 0.1; banding that keeps
99% recall at 0.3 takes most pairs of 0.2-0.25), nor prefix filtering (articles made mostly
of template phrases share a shingle of their first 70% with almost every other article).
Identical sets are compared once. Shingles in at most ``RARE`` sets go to an inverted index;
the others are the columns of a 0/1 matrix, whose overlaps are bounded for all pairs at once
by one float32 matrix product of about ``DIMS`` columns: with ``Q`` an orthonormal basis of
the rows' main directions (a randomised range finder) and ``P`` the projection onto it,
``a.b <= Qa.Qb + |a - Pa| |b - Pb|`` with ``|a - Pa|^2 = |a|^2 - |Qa|^2``. Rounding errors
are bounded, so no pair that passes is lost; the pairs whose bound plus rare count reaches
the threshold are counted exactly on packed bits (with at most ``DIMS`` frequent columns the
product is the exact count). The product is quadratic but short: 0.3 s a signal at 10,000.

Each article gives two sets. Word 2-shingles are compared by Jaccard similarity. For light
paraphrases and a story copied into a longer page: 2-shingles over content words only
(function words dropped, words cut to a stem), compared by containment (the share of the
smaller set found in the larger one). Rewording that keeps the facts but changes most
phrases ("pledged" for "agreed", clauses moved) is beyond both signals.

Near copies are kept as clusters, not as every pair: the pairs that pass link the sets into
connected components, and a pair already in one component is never counted, so the first
rows of a story's thousand copies join them all and the other rows count nothing. Counting
every pair of 1,000 near-identical files took 30-44 s and 547 MB, and 20,000 ran out of
24 GB; see ``generator.group.near_copies`` for what the records say of a cluster.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from generator.group.near_copies import KindLinks, near_copies
from generator.ingest.shingles import MIN_CONTENT, Hashes, Sketch, sketch
from generator.models import NearCopies, NearDuplicate, SourceArticle

THRESHOLD = 0.3  # word Jaccard of a copy under another site's clutter, or lightly edited
CONTAINMENT = 0.5  # half a short story's content shingles in a longer page: copied into it
RARE = 48  # a shingle in more articles than this is frequent (a bit column)
DIMS = 256  # columns of the bounding product (the frequent columns themselves when fewer)
SAMPLE = 2048  # rows the basis of the bounding product is fitted on
COMMON = 0.02  # columns in more than this share of sets span that basis (the rest: residual)
BLOCK = 512  # rows of one matrix product (bounds its memory: BLOCK x N float32)
CHUNK = 1 << 16  # pairs whose bits are counted at once
# rows of a block whose pairs are counted before the components are brought up to date: the
# first rows of one story's 20,000 near copies count 32 x 20,000 pairs, and the rest none
STEP = 32
_EPSILON = 1e-9  # slack on bounds, so float rounding never prunes a pair that passes
_MARGIN = 0.5  # shingles added to the bound beyond the proven rounding errors
_UNIT = 2.0 ** -24  # float32 unit roundoff
SEED = 0  # of the range finder: the same basis, so the same work, every run
Ints = npt.NDArray[np.int64]
Small = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float32]
Floats64 = npt.NDArray[np.float64]
Reals = npt.NDArray[np.floating[Any]]


@dataclass(frozen=True)
class Overlaps:
    """Everything needed to count the shared shingles of any pair of sets, exactly.

    Attributes:
        sizes: the size of each set.
        bits: each set's frequent shingles (in more than ``RARE`` sets), one bit a column,
            the most common columns first, 64 to a little-endian word.
        spread: in how many sets each frequent column is (not increasing).
        counts: how many frequent shingles each set has.
        pairs: codes ``i * n + j`` (i < j, sorted) of the pairs sharing a rare shingle.
        shared: how many rare shingles each of those pairs shares.
    """

    sizes: Ints
    bits: npt.NDArray[np.uint64]
    spread: Ints
    counts: Ints
    pairs: Ints
    shared: Ints

    def __len__(self) -> int:
        return len(self.sizes)

    def columns(self, rows: Ints | slice, width: int) -> Floats:
        """The first ``width`` frequent columns of some sets, as 0/1 float32 rows."""
        packed = self.bits[rows].astype("<u8").view(np.uint8)
        return np.unpackbits(packed, axis=1, count=width, bitorder="little").astype(np.float32)

    def count(self, first: Ints, second: Ints) -> Ints:
        """Exact numbers of shingles shared by pairs (``first`` < ``second``)."""
        out = np.zeros(len(first), dtype=np.int64)
        for start in range(0, len(first), CHUNK):
            i, j = first[start:start + CHUNK], second[start:start + CHUNK]
            out[start:start + CHUNK] = np.bitwise_count(self.bits[i] & self.bits[j]).sum(1)
        if len(self.pairs):
            codes = first * len(self) + second
            at = np.minimum(np.searchsorted(self.pairs, codes), len(self.pairs) - 1)
            hit = self.pairs[at] == codes
            out[hit] += self.shared[at[hit]]
        return out


def _starts(ordered: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.bool_]:
    """Where each run of equal values of a sorted array starts."""
    new = np.ones(len(ordered), dtype=np.bool_)
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    return new


def _counted(values: Ints) -> tuple[Ints, Ints]:
    """The distinct values, sorted, and how often each occurs (by sorting: fast in numpy)."""
    ordered = np.sort(values)
    starts = np.flatnonzero(_starts(ordered))
    return ordered[starts], np.diff(starts, append=len(ordered)).astype(np.int64)


def overlaps(sets: Sequence[Hashes]) -> Overlaps:
    """Split the shingles of ``sets`` into frequent bit columns and rare inverted lists."""
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    owner = np.repeat(np.arange(len(sets), dtype=np.int32), sizes)  # int32: less memory
    flat = np.concatenate(sets) if len(sets) else np.zeros(0, dtype=np.uint64)
    order = np.argsort(flat)
    new = _starts(flat[order])
    del flat
    inverse = np.empty(len(new), dtype=np.int32)
    inverse[order] = np.cumsum(new, dtype=np.int32) - 1
    del order
    df = np.diff(np.flatnonzero(new), append=len(new)).astype(np.int64)
    tokens = np.flatnonzero(df > RARE)
    tokens = tokens[np.argsort(-df[tokens], kind="stable")]  # most common first
    column = np.full(len(df), -1, dtype=np.int64)
    column[tokens] = np.arange(len(tokens))
    place = column[inverse]
    hot = np.flatnonzero(place >= 0)
    words = max(1, -(-len(tokens) // 64))
    flat = np.zeros(len(sets) * words, dtype=np.uint64)
    np.add.at(flat, owner[hot].astype(np.int64) * words + (place[hot] >> 6),
              np.left_shift(np.uint64(1), (place[hot] & 63).astype(np.uint64)))  # distinct
    bits = flat.reshape(len(sets), words)
    pairs, shared = _rare_pairs(inverse, owner, df, len(sets))
    counts = np.bitwise_count(bits).sum(1, dtype=np.int64)
    return Overlaps(sizes, bits, df[tokens], counts, pairs, shared)


def _rare_pairs(inverse: Small, owner: Small, df: Ints, n: int) -> tuple[Ints, Ints]:
    """Pairs of sets sharing shingles found in 2 to ``RARE`` sets, and how many they share."""
    keep = (df[inverse] >= 2) & (df[inverse] <= RARE)
    order = np.argsort(inverse[keep], kind="stable")  # owners stay ascending in a group
    members, shingle = owner[keep][order], inverse[keep][order]
    starts = np.flatnonzero(_starts(shingle))
    sizes = df[shingle[starts]]
    codes = [np.zeros(0, dtype=np.int64)]
    for size in np.unique(sizes).tolist():
        group = members[starts[sizes == size][:, None] + np.arange(size)].astype(np.int64)
        first, second = np.triu_indices(size, 1)
        codes.append((group[:, first] * n + group[:, second]).ravel())
    return _counted(np.concatenate(codes))


def _jaccard_passes(shared: Ints, a: Ints, b: Ints) -> npt.NDArray[np.bool_]:
    union = a + b - shared
    return (union > 0) & (shared / np.maximum(union, 1) >= THRESHOLD)


def _containment_passes(shared: Ints, a: Ints, b: Ints) -> npt.NDArray[np.bool_]:
    small = np.minimum(a, b)
    return (small >= MIN_CONTENT) & (shared / np.maximum(small, 1) >= CONTAINMENT)


def _gamma(terms: int, unit: float) -> float:
    """Higham's bound on the relative rounding error of a sum of ``terms`` products."""
    return terms * unit / (1 - terms * unit)


def _basis(index: Overlaps, width: int) -> Floats:
    """``DIMS`` orthonormal rows spanning most of the sets' first ``width`` frequent columns
    (a randomised range finder with one power step, on evenly spaced sets; seeded)."""
    rows = np.unique(np.linspace(0, len(index) - 1, min(SAMPLE, len(index))).astype(np.int64))
    sample = index.columns(rows, width)
    start = np.random.default_rng(SEED).standard_normal((len(rows), DIMS)).astype(np.float32)
    found, _ = np.linalg.qr((sample.T @ (sample @ (sample.T @ start))).astype(np.float64))
    return np.ascontiguousarray(found.T, dtype=np.float32)


def _embedding(index: Overlaps) -> tuple[Floats, npt.NDArray[np.float64], float]:
    """Coordinates ``z``, residuals ``r`` and a slack with, for every pair of sets,
    frequent shingles shared <= z_a.z_b + sqrt(r_a r_b) + slack.

    With at most ``DIMS`` frequent columns, ``z`` is the columns. Otherwise ``z = fl(Qa)``
    over the ``V`` most common columns (the others are all residual), ``Q`` orthonormal up
    to ``eps = |QQ' - I|_F``; ``|z - Qa| <= e = gamma_V sqrt(|a|) |Q|_F``, ``r`` bounds
    ``|a - Pa|^2 <= |a|^2 - |Qa|^2 + eps |a|^2`` and the slack ``2 e |z| + e^2 + eps |a||b|``.
    """
    counts = index.counts.astype(np.float64)
    if len(index.spread) <= DIMS:
        return index.columns(slice(None), len(index.spread)), np.zeros(len(counts)), _MARGIN
    width = max(DIMS, int(np.count_nonzero(index.spread > COMMON * len(index))))
    basis = _basis(index, width)  # the other columns are all residual
    coords = np.concatenate([np.zeros((0, len(basis)), dtype=np.float32)] + [
        index.columns(slice(start, start + BLOCK), width) @ basis.T
        for start in range(0, len(index), BLOCK)])
    wide = basis.astype(np.float64)
    eps = float(np.linalg.norm(wide @ wide.T - np.eye(len(wide)))) + _EPSILON
    error = _gamma(width, _UNIT) * np.sqrt(counts) * np.linalg.norm(wide)
    norms = np.linalg.norm(coords.astype(np.float64), axis=1)
    rest = np.maximum(counts - norms ** 2 + 2 * error * norms + eps * counts, 0.0)
    top = float(error.max(initial=0.0))
    slack = 2 * top * norms.max(initial=0.0) + top ** 2 + eps * counts.max(initial=0.0)
    return coords, rest, slack + _MARGIN


def _windows(index: Overlaps, jaccard_test: bool) -> tuple[Ints, npt.NDArray[np.bool_], Ints]:
    """The sets that can pass on frequent shingles alone (by size), which of them can be the
    smaller of such a pair (the rows), and where each block of rows' columns end. Jaccard
    needs both sets' frequent counts ``c`` to reach ``t/(1+t)`` of the two sizes together
    (so the other set is at most ``reach = c(1+t)/t - size`` long); containment needs the
    smaller set's ``c`` and the larger's to reach half the smaller size."""
    sizes, counts = index.sizes, index.counts
    if jaccard_test:
        member = (sizes > 0) & (counts + _EPSILON >= THRESHOLD * sizes)
    else:
        member = (sizes >= MIN_CONTENT) & (counts + _EPSILON >= CONTAINMENT * MIN_CONTENT)
    order = np.flatnonzero(member)
    order = order[np.argsort(sizes[order], kind="stable")]
    ends = np.full(-(-len(order) // BLOCK), len(order), dtype=np.int64)
    if not jaccard_test:
        return order, counts[order] + _EPSILON >= CONTAINMENT * sizes[order], ends
    reach = counts[order] * (1 + THRESHOLD) / THRESHOLD - sizes[order]
    for block, start in enumerate(range(0, len(order), BLOCK)):
        most = reach[start:start + BLOCK].max() + _EPSILON
        ends[block] = max(start, np.searchsorted(sizes[order], most, side="right"))
    return order, np.ones(len(order), dtype=np.bool_), ends


def _folded(index: Overlaps, order: Ints, jaccard_test: bool) -> tuple[Reals, Reals]:
    """Row and column features (of the sets in ``order``) whose product bounds, for a pair
    sharing no rare shingle, its frequent shingles shared minus what it needs to pass."""
    coords, rest, slack = _embedding(index)
    sizes = index.sizes[order].astype(np.float64)
    base = np.c_[coords[order].astype(np.float64), np.sqrt(rest[order])]
    ones = np.ones((len(order), 1))
    if jaccard_test:  # shared >= t/(1+t) of both sizes together
        share = THRESHOLD / (1 + THRESHOLD)
        rows = np.c_[base, slack - share * sizes, ones]
        columns = np.c_[base, ones, -share * sizes]
    else:  # shared >= half the row's size (the smaller)
        rows, columns = np.c_[base, slack - CONTAINMENT * sizes], np.c_[base, ones]
    longest = np.linalg.norm(rows, axis=1).max(), np.linalg.norm(columns, axis=1).max()
    single = _gamma(rows.shape[1] + 2, _UNIT) * longest[1] < 0.5  # else float64 (huge sets)
    gamma = _gamma(rows.shape[1] + 2, _UNIT if single else 2.0 ** -53)
    # the product's rounding and the features', at most (grown by itself, on the rows):
    rows[:, base.shape[1]] += gamma * longest[0] * longest[1] / (1 - gamma * longest[1])
    kind = np.float32 if single else np.float64
    return rows.astype(kind), columns.astype(kind)


def _bounded(index: Overlaps, jaccard_test: bool, label: Ints) -> Iterator[tuple[Ints, Ints]]:
    """The pairs ``(first < second)`` whose upper bound on shared shingles reaches the
    threshold, a few rows at a time, leaving out each pair already in one component of
    ``label`` (read afresh for every batch: the caller links the pairs that pass)."""
    n, sizes, counts = len(index), index.sizes, index.counts
    order, rows, ends = _windows(index, jaccard_test)
    first, second = np.divmod(index.pairs, n) if n else (index.pairs, index.pairs)
    position = np.full(n, -1, dtype=np.int64)
    position[order] = np.arange(len(order))
    low = np.minimum(position[first], position[second])
    high = np.maximum(position[first], position[second])
    inside = low >= 0
    inside[inside] = rows[low[inside]] & (high[inside] < ends[low[inside] // BLOCK])
    passes = _jaccard_passes if jaccard_test else _containment_passes
    out = np.flatnonzero(~inside)
    one, other = first[out], second[out]
    bound = index.shared[out] + np.minimum(counts[one], counts[other])
    out = out[passes(bound, sizes[one], sizes[other])]
    for start in range(0, len(out), CHUNK):
        yield _apart(first[out[start:start + CHUNK]], second[out[start:start + CHUNK]], label)
    if not len(order):
        return
    row_features, column_features = _folded(index, order, jaccard_test)
    low, high, shared = low[inside], high[inside], index.shared[inside]
    blocks = low // BLOCK
    rank = np.cumsum(rows) - 1  # a row's place among the rows of its block, plus an offset
    space = np.empty(BLOCK * len(order), dtype=row_features.dtype)  # reused: few page faults
    for block, start in enumerate(range(0, len(order), BLOCK)):
        picked = np.flatnonzero(rows[start:start + BLOCK]) + start
        if not len(picked) or ends[block] <= start:
            continue
        shape = (len(picked), int(ends[block]) - start)
        bounds = np.matmul(row_features[picked], column_features[start:ends[block]].T,
                           out=space[:shape[0] * shape[1]].reshape(shape))
        at = np.flatnonzero(blocks == block)
        bounds[rank[low[at]] - rank[picked[0]], high[at] - start] += shared[at]
        columns = order[start:ends[block]]
        for top in range(0, len(picked), STEP):
            yield _block_pairs(bounds[top:top + STEP], picked[top:top + STEP], start, order,
                               columns, label)


def _apart(first: Ints, second: Ints, label: Ints) -> tuple[Ints, Ints]:
    """The pairs not yet in one component, smaller number first."""
    keep = label[first] != label[second]
    one, other = first[keep], second[keep]
    return np.minimum(one, other), np.maximum(one, other)


def _block_pairs(bounds: Reals, picked: Ints, start: int, order: Ints, columns: Ints,
                 label: Ints) -> tuple[Ints, Ints]:
    """The pairs of some rows of a block whose bound passes, but for those already in one
    component (all of them, once near copies have joined: no pair of them is counted)."""
    apart = label[order[picked]][:, None] != label[columns][None, :]
    r, c = np.divmod(np.flatnonzero((bounds >= 0) & apart), bounds.shape[1])
    keep = c + start > picked[r]
    one, other = order[picked[r[keep]]], columns[c[keep]]
    return np.minimum(one, other), np.maximum(one, other)


def _join(label: Ints, first: Ints, second: Ints) -> None:
    """Put each pair in one component: ``label`` (in place) gives every set the smallest
    set of its component, linking roots by vectorised min-label steps and pointer jumps."""
    while len(first):
        low = np.minimum(label[first], label[second])
        high = np.maximum(label[first], label[second])
        apart = low != high
        first, second, low, high = first[apart], second[apart], low[apart], high[apart]
        np.minimum.at(label, high, low)
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label[:] = jumped


def similarity(words: Overlaps, content: Overlaps, first: Ints, second: Ints) -> Floats64:
    """The similarity of pairs of sets (``first <= second``; equal: a set with its copy):
    word Jaccard or content containment, the larger, when either passes; else -1."""
    shared_words = words.count(first, second)
    shared_content = content.count(first, second)
    same = first == second  # the rare shingles of a set with itself are all of them
    shared_words[same], shared_content[same] = words.sizes[first[same]], content.sizes[
        first[same]]
    union = words.sizes[first] + words.sizes[second] - shared_words
    word = np.where(union > 0, shared_words / np.maximum(union, 1), 0.0)
    small = np.minimum(content.sizes[first], content.sizes[second])
    contained = np.where(small >= MIN_CONTENT, shared_content / np.maximum(small, 1), 0.0)
    passes = (word >= THRESHOLD) | (contained >= CONTAINMENT)  # the exact test
    return np.where(passes, np.maximum(word, contained), -1.0)


def _link(words: Overlaps, content: Overlaps, of: Ints) -> KindLinks:
    """Components of the sets linked by pairs that pass either test; a pair already in one
    component is not counted (so near copies cost about a row each, not a row each pair)."""
    label = np.arange(len(words), dtype=np.int64)
    found: list[tuple[Ints, Ints, Floats64]] = []
    for index, jaccard_test in ((words, True), (content, False)):
        passes = _jaccard_passes if jaccard_test else _containment_passes
        for first, second in _bounded(index, jaccard_test, label):
            # counted on this signal's shingles first: most bounded pairs fail, and counting
            # both signals for each of them took 35 s of 50 at 20,000 articles
            ok = passes(index.count(first, second), index.sizes[first], index.sizes[second])
            first, second = first[ok], second[ok]
            scores = similarity(words, content, first, second)
            found.append((first, second, scores))
            _join(label, first, second)
    empty = np.zeros(0, dtype=np.int64)
    return KindLinks(of, label, np.concatenate([empty, *(f[0] for f in found)]),
                     np.concatenate([empty, *(f[1] for f in found)]),
                     np.concatenate([empty.astype(np.float64), *(f[2] for f in found)]),
                     words.sizes == 0)


def _kinds(ids: Sequence[str], sketched: Mapping[str, Sketch]) -> tuple[list[Sketch], Ints]:
    """The distinct sketches (in order of first use) and which one each article has."""
    slot: dict[bytes, int] = {}
    kinds: list[Sketch] = []
    of = np.empty(len(ids), dtype=np.int64)
    for number, key in enumerate(ids):
        found = sketched[key]
        of[number] = slot.setdefault(len(found.words).to_bytes(8, "little") + found.words
                                     + found.content, len(kinds))
        if of[number] == len(kinds):
            kinds.append(found)
    return kinds, of


def find_near_copies(articles: Sequence[SourceArticle],
                     sketches: Mapping[str, Sketch] | None = None) -> dict[str, NearCopies]:
    """Clusters of near copies, and what each article's record says of them.

    Args:
        articles: the articles to compare.
        sketches: already computed sketches by article id (computed here when missing).

    Returns:
        For every article id, its cluster, closest original and listed near copies (see
        ``generator.group.near_copies``). Two articles are near copies when the Jaccard
        similarity of their word 2-shingles reaches ``THRESHOLD`` or the containment of
        their content-word shingles reaches ``CONTAINMENT``; a cluster holds the articles
        linked by such pairs; a similarity is the larger, rounded to
        ``SIMILARITY_DIGITS`` places.
    """
    # One BLAS thread when this process runs other threads (the live preview's server and
    # watchers): a BLAS thread pool beside them, on two cores, made one search take seconds
    # instead of a third of one. Alone, the pool is a little quicker (1.3 s against 1.6 s
    # at 10,000 articles).
    threads = 1 if threading.active_count() > 1 else None
    with threadpool_limits(limits=threads, user_api="blas"):
        return _near_copies(articles, sketches or {})


def find_near_duplicates(articles: Sequence[SourceArticle],
                         sketches: Mapping[str, Sketch] | None = None,
                         ) -> dict[str, tuple[NearDuplicate, ...]]:
    """The near copies each article's record lists, sorted by id: in a cluster of at most
    ``ALL_PAIRS`` articles every other member similar enough, in a larger one at most
    ``NEAR_LISTED`` (see :func:`find_near_copies`)."""
    threads = 1 if threading.active_count() > 1 else None
    with threadpool_limits(limits=threads, user_api="blas"):
        return _near_duplicates(articles, sketches or {})


def _near_duplicates(articles: Sequence[SourceArticle], known: Mapping[str, Sketch],
                     ) -> dict[str, tuple[NearDuplicate, ...]]:
    return {key: found.listed for key, found in _near_copies(articles, known).items()}


def _near_copies(articles: Sequence[SourceArticle], known: Mapping[str, Sketch],
                 ) -> dict[str, NearCopies]:
    sketched = {a.id: known.get(a.id) or sketch(a) for a in articles}
    published = {a.id: a.published for a in articles}
    ids = sorted(sketched)
    kinds, of = _kinds(ids, sketched)
    words = overlaps([kind.word_array() for kind in kinds])
    content = overlaps([kind.content_array() for kind in kinds])
    links = _link(words, content, of)
    return near_copies(ids, [published[key] for key in ids], links,
                       partial(similarity, words, content))
