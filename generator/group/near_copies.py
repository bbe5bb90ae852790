"""Near copies as clusters: which articles carry one story, named by its original.

The pair search (``generator.group.near_duplicates``) links the distinct texts ("kinds")
into connected components; here they become clusters of articles. An article's record names
its cluster (by its original: the earliest published member, then the first by id), its
closest original and at most ``NEAR_LISTED`` near copies: a cluster of at most ``ALL_PAIRS``
articles lists every pair that passes, as one would by hand; in a larger one the original
lists its closest copies and every copy its closest original. Records then grow with the
number of articles, not its square: 1,000 near-identical files, each listing all 999
others, wrote 70 MB of records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.models import NearCopies, NearCopyCluster, NearDuplicate

NEAR_LISTED = 10  # near copies one article's record lists, at most
ALL_PAIRS = NEAR_LISTED + 1  # clusters this small list every pair that passes
SIMILARITY_DIGITS = 3  # places a similarity is rounded to: stable bytes, enough to rank
Ints = npt.NDArray[np.int64]
Reals = npt.NDArray[np.float64]
# the similarity of pairs of kinds (first <= second), or -1 for a pair that does not pass
Similarity = Callable[[Ints, Ints], Reals]


@dataclass(frozen=True)
class KindLinks:
    """What the pair search found, over the distinct texts ("kinds") of the articles.

    Attributes:
        of: the kind of each article (articles in id order).
        label: each kind's component, named by its smallest kind.
        first, second, scores: the pairs of kinds found to pass (first < second), with
            their similarity; a tree's worth of each component, not all of its pairs.
        empty: the kinds with no shingles (no one's near copy, not even their copy's).
    """

    of: Ints
    label: Ints
    first: Ints
    second: Ints
    scores: Reals
    empty: npt.NDArray[np.bool_]


def _rounded(value: Any) -> float:
    return round(float(value), SIMILARITY_DIGITS)


def _clusters(links: KindLinks) -> list[Ints]:
    """The articles (numbers, ascending) of each cluster of two or more."""
    count = len(links.of)
    if not count:
        return []
    component = np.where(links.empty[links.of], -1 - np.arange(count), links.label[links.of])
    order = np.argsort(component, kind="stable")
    ordered = component[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], count]
    return [order[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True) if e - s > 1]


def _neighbours(links: KindLinks) -> dict[int, list[tuple[int, float]]]:
    """Each linked kind's neighbours among the pairs found, with their similarity."""
    out: dict[int, list[tuple[int, float]]] = {}
    for a, b, score in zip(links.first.tolist(), links.second.tolist(), links.scores.tolist(),
                           strict=True):
        out.setdefault(a, []).append((b, score))
        out.setdefault(b, []).append((a, score))
    for near in out.values():
        near.sort(key=lambda n: (-n[1], n[0]))
    return out


def _towards(base: int, neighbours: dict[int, list[tuple[int, float]]],
             ) -> dict[int, tuple[int, float]]:
    """Each kind of ``base``'s component, its neighbour one link nearer ``base`` (breadth
    first, the most similar neighbour first): following it always ends at ``base``, so no
    two copies name each other as their original."""
    parent: dict[int, tuple[int, float]] = {}
    seen, frontier = {base}, [base]
    while frontier:
        following: list[int] = []
        for kind in frontier:
            for other, score in neighbours.get(kind, ()):
                if other not in seen:
                    seen.add(other)
                    parent[other] = (kind, score)
                    following.append(other)
        frontier = following
    return parent


def near_copies(ids: Sequence[str], published: Sequence[dt.date | None], links: KindLinks,
                similarity: Similarity) -> dict[str, NearCopies]:
    """What each article's record says of its near copies.

    Args:
        ids: the article ids, sorted.
        published: each article's publication day.
        links: the components the pair search found.
        similarity: the exact similarity of pairs of kinds.
    """
    found = {key: NearCopies() for key in ids}
    small: list[tuple[list[int], NearCopyCluster]] = []
    neighbours: dict[int, list[tuple[int, float]]] | None = None
    for members in _clusters(links):
        original = min(members.tolist(), key=lambda a: (published[a] is None,
                                                        published[a] or dt.date.min, ids[a]))
        cluster = NearCopyCluster(ids[original], len(members))
        if len(members) <= ALL_PAIRS:
            small.append((members.tolist(), cluster))
            continue
        neighbours = _neighbours(links) if neighbours is None else neighbours
        found.update(_large(members, original, cluster, ids, links, similarity, neighbours))
    found.update(_small(small, ids, links, similarity))
    return found


def _small(clusters: list[tuple[list[int], NearCopyCluster]], ids: Sequence[str],
           links: KindLinks, similarity: Similarity) -> dict[str, NearCopies]:
    """Small clusters: every pair is compared (all clusters' pairs at once)."""
    pairs = [(a, b) for members, _ in clusters for i, a in enumerate(members)
             for b in members[i + 1:]]
    one = np.array([a for a, _ in pairs], dtype=np.int64)
    other = np.array([b for _, b in pairs], dtype=np.int64)
    kinds = links.of[one], links.of[other]
    scores = similarity(np.minimum(*kinds), np.maximum(*kinds)).tolist() if pairs else []
    near: dict[int, list[NearDuplicate]] = {}
    for (a, b), score in zip(pairs, scores, strict=True):
        if score >= 0:
            near.setdefault(a, []).append(NearDuplicate(ids[b], _rounded(score)))
            near.setdefault(b, []).append(NearDuplicate(ids[a], _rounded(score)))
    out: dict[str, NearCopies] = {}
    for members, cluster in clusters:
        for a in members:
            listed = tuple(sorted(near.get(a, ()), key=lambda d: d.id))
            copy_of = None if ids[a] == cluster.id else \
                next((d for d in listed if d.id == cluster.id), None) or \
                min(listed, key=lambda d: (-d.similarity, d.id))
            out[ids[a]] = NearCopies(cluster, copy_of, listed)
    return out


def _large(members: Ints, original: int, cluster: NearCopyCluster, ids: Sequence[str],
           links: KindLinks, similarity: Similarity,
           neighbours: dict[int, list[tuple[int, float]]]) -> dict[str, NearCopies]:
    """A large cluster: each member is compared with the original only. The original lists
    its ``NEAR_LISTED`` closest copies; a copy its original when the two pass, else the first
    article of an identical copy, else of the kind one link nearer the original."""
    kinds = links.of[members]
    base = int(links.of[original])
    parent = _towards(base, neighbours)
    scores = similarity(np.minimum(kinds, base), np.maximum(kinds, base)).tolist()
    first: dict[int, int] = {}  # the first article of each kind
    for a, kind in zip(members.tolist(), kinds.tolist(), strict=True):
        first.setdefault(kind, a)
    out: dict[str, NearCopies] = {}
    copies: list[NearDuplicate] = []
    for a, kind, score in zip(members.tolist(), kinds.tolist(), scores, strict=True):
        if a == original:
            continue
        if score >= 0:
            copy_of = NearDuplicate(ids[original], _rounded(score))
            copies.append(NearDuplicate(ids[a], copy_of.similarity))
        elif first[kind] != a:
            copy_of = NearDuplicate(ids[first[kind]], 1.0)
        else:
            other, other_score = parent[kind]
            copy_of = NearDuplicate(ids[first[other]], _rounded(other_score))
        out[ids[a]] = NearCopies(cluster, copy_of, (copy_of,))
    listed = sorted(copies, key=lambda d: (-d.similarity, d.id))[:NEAR_LISTED]
    out[ids[original]] = NearCopies(cluster, None, tuple(sorted(listed, key=lambda d: d.id)))
    return out
