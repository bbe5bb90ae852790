"""Near duplicates: paraphrases and copies found, exactly as a pair-by-pair comparison
would find them, unrelated texts not."""

from __future__ import annotations

import itertools
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.extract.masthead import read_article
from generator.group import near_duplicates as duplicates
from generator.group.near_copies import ALL_PAIRS, NEAR_LISTED
from generator.group.near_duplicates import (
    CONTAINMENT,
    THRESHOLD,
    find_near_copies,
    find_near_duplicates,
)
from generator.ingest.inputs import list_article_files
from generator.ingest.shingles import (
    article_text,
    containment,
    content_shingles,
    jaccard,
    shingles,
    sketch,
)
from generator.ingest.sources import split_sentences
from generator.models import NearCopies, NearDuplicate, SourceArticle

ROOT = Path(__file__).resolve().parents[1]

DATA = Path(__file__).parent / "data" / "a1_dups"


def test_paraphrase_is_a_near_duplicate_and_unrelated_is_not() -> None:
    articles = [read_article(p) for p in list_article_files(DATA)]
    found = find_near_duplicates(articles)
    assert sorted(found) == ["030_original", "031_paraphrase", "032_other"]
    (dup,) = found["030_original"]
    assert dup.id == "031_paraphrase" and dup.similarity >= 0.3
    assert found["031_paraphrase"][0].id == "030_original"
    assert found["032_other"] == ()


def test_overlapping_word_runs_are_found() -> None:
    a = shingles(" ".join(f"w{i}" for i in range(200)))
    b = shingles(" ".join(f"w{i}" for i in range(40, 240)))
    assert len(a) == len(b) == 199
    assert jaccard(a, b) == 159 / 239
    articles = [make_article(key, "\n".join(" ".join(f"w{i}" for i in range(s, s + 10)) + "."
                                             for s in range(start, start + 200, 10)))
                for key, start in (("a", 0), ("b", 40))]
    (dup,) = find_near_duplicates(articles)["a"]
    assert dup.id == "b" and dup.similarity >= round(159 / 239, 3)
    assert (dup,) == brute_force(articles)["a"]


def test_identical_texts_score_one() -> None:
    articles = [read_article(DATA / "030_original.txt")]
    copy = read_article(DATA / "030_original.txt")
    copy = type(copy)(**{**copy.__dict__, "id": "copy"})
    found = find_near_duplicates([*articles, copy])
    assert found["copy"][0].similarity == 1.0


def test_copy_with_other_site_clutter_is_a_near_copy() -> None:
    folder = Path(__file__).parent / "data" / "f1_sources"
    copy, original = (read_article(folder / name)
                      for name in ("060_site_copy.txt", "061_original.txt"))
    found = find_near_duplicates([copy, original])
    (dup,) = found["060_site_copy"]
    assert dup.id == "061_original" and dup.similarity >= 0.95


# --- F1 round 2: a second signal, containment of content-word shingles

F1_DUPS = Path(__file__).parent / "data" / "f1_dups"


def test_story_copied_into_a_longer_page_is_a_near_duplicate() -> None:
    story, digest, other = (read_article(p) for p in list_article_files(F1_DUPS))
    assert jaccard(shingles(article_text(story)), shingles(article_text(digest))) < 0.3
    found = find_near_duplicates([story, digest, other])
    (dup,) = found["100_story"]
    assert dup.id == "101_digest" and dup.similarity >= 0.9
    assert found["102_other"] == ()


def test_containment_needs_enough_content_and_ignores_function_words() -> None:
    a = content_shingles("the ministers of Italy and Canada agreed on research stations")
    assert containment(a, a) == 0.0  # too short to say anything
    long_text = " ".join(f"word{i}" for i in range(40))
    assert containment(content_shingles(long_text),
                       content_shingles("the and of " + long_text + " with")) == 1.0
    assert content_shingles("the ministers met") == content_shingles("ministers met")


# --- issue 6: exact all-pairs at scale (frequent bit columns + rare inverted lists)

VOCAB = [f"w{i}" for i in range(400)]


def make_article(ident: str, text: str) -> SourceArticle:
    """An article whose lines are the given text's lines (no file needed)."""
    return SourceArticle(ident, f"{ident}.txt", "", "utf-8", text, split_sentences(ident, text))


def story(rng: random.Random, lines: int, vocab: list[str] = VOCAB) -> str:
    return "\n".join(" ".join(rng.choice(vocab) for _ in range(12)) + "." for _ in range(lines))


def brute_force(articles: list[SourceArticle]) -> dict[str, tuple[NearDuplicate, ...]]:
    """The definition, pair by pair, with Python sets."""
    sets = {a.id: (shingles(article_text(a)), content_shingles(article_text(a)))
            for a in articles}
    found: dict[str, list[NearDuplicate]] = {key: [] for key in sets}
    for first, second in itertools.combinations(sorted(sets), 2):
        word = jaccard(sets[first][0], sets[second][0])
        contained = containment(sets[first][1], sets[second][1])
        if word >= THRESHOLD or contained >= CONTAINMENT:
            similarity = round(max(word, contained), 3)
            found[first].append(NearDuplicate(second, similarity))
            found[second].append(NearDuplicate(first, similarity))
    return {key: tuple(value) for key, value in sorted(found.items())}


def assert_clusters_agree(articles: list[SourceArticle],
                          expected: dict[str, tuple[NearDuplicate, ...]]) -> None:
    """The clusters are the connected components of the pairs the definition gives; a
    cluster of at most ``ALL_PAIRS`` lists every pair, a larger one at most ``NEAR_LISTED``,
    each a pair of the definition with its similarity, a copy its closest original."""
    component = {key: key for key in expected}

    def root(key: str) -> str:
        while component[key] != key:
            key = component[key]
        return key

    for key, near in expected.items():
        for dup in near:
            component[max(root(key), root(dup.id))] = min(root(key), root(dup.id))
    groups: dict[str, set[str]] = {}
    for key in expected:
        groups.setdefault(root(key), set()).add(key)
    copies = find_near_copies(articles)
    assert find_near_duplicates(articles) == {key: c.listed for key, c in copies.items()}
    for key, found in copies.items():
        group = groups[root(key)]
        if len(group) == 1:
            assert found == NearCopies()
            continue
        assert found.cluster is not None and found.cluster.size == len(group)
        assert found.cluster.id in group
        assert all(copies[other].cluster == found.cluster for other in group)
        assert (found.copy_of is None) == (key == found.cluster.id)
        assert found.copy_of is None or found.copy_of in expected[key]
        if len(group) <= ALL_PAIRS:
            assert found.listed == expected[key]
        else:
            assert set(found.listed) <= set(expected[key])
            assert 0 < len(found.listed) <= NEAR_LISTED


@pytest.mark.parametrize(("rare", "dims", "sample"),
                         [(2, 256, 2048), (6, 256, 2048), (48, 256, 2048), (10_000, 256, 2048),
                          (2, 4, 2048), (2, 8, 16), (6, 3, 5), (2, 1, 1)])
def test_answer_is_the_all_pairs_answer(rare: int, dims: int, sample: int,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever shingles count as frequent, and however few dimensions (fitted on however few
    sets) bound their counts, every pair over a threshold is found, no other."""
    monkeypatch.setattr(duplicates, "RARE", rare)
    monkeypatch.setattr(duplicates, "DIMS", dims)
    monkeypatch.setattr(duplicates, "SAMPLE", sample)
    monkeypatch.setattr(duplicates, "COMMON", 0.0)
    rng = random.Random(5)
    small = [f"vox{i}" for i in range(12)]  # a small vocabulary: many pairs near the thresholds
    articles = [make_article(f"t{i:03d}", story(rng, rng.randint(1, 6), small))
                for i in range(80)]
    base = story(rng, 8)
    articles += [make_article("copy", base), make_article("page", story(rng, 20) + "\n" + base),
                 make_article("orig", base), make_article("empty", "Hi.")]
    expected = brute_force(articles)
    assert sum(len(v) for v in expected.values()) > 40  # the case is not trivial
    assert_clusters_agree(articles, expected)


def test_identical_sketches_are_compared_once_and_paired_among_themselves() -> None:
    """Copies (also of empty and one-word texts) pair with each other as the definition says:
    a set with no shingles is no one's duplicate, not even its copy's."""
    rng = random.Random(8)
    base = story(rng, 5)
    articles = [make_article(f"c{i}", base) for i in range(4)]
    articles += [make_article(f"e{i}", "") for i in range(3)]
    articles += [make_article(f"h{i}", "Hi.") for i in range(2)]
    articles += [make_article(f"o{i}", story(rng, 5)) for i in range(5)]
    articles.append(make_article("near", base + "\n" + story(rng, 1)))
    expected = brute_force(articles)
    assert [d.id for d in expected["c0"]] == ["c1", "c2", "c3", "near"]
    assert expected["e0"] == () and [d.id for d in expected["h0"]] == ["h1"]
    assert find_near_duplicates(articles) == expected
    assert find_near_duplicates(list(reversed(articles))) == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.integers(2, 40))
def test_bound_is_never_below_the_exact_count(seed: int, dims: int, vocabulary: int) -> None:
    """The projection bound: for every pair, coordinates' product plus the residuals' product
    plus the slack reaches the exact number of shared frequent shingles."""
    rng = np.random.default_rng(seed)
    sets = [np.unique(rng.integers(0, vocabulary, rng.integers(0, vocabulary + 1)))
            .astype(np.uint64) for _ in range(30)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates, "RARE", 1)
        patch.setattr(duplicates, "DIMS", dims)
        patch.setattr(duplicates, "COMMON", 0.0)
        index = duplicates.overlaps(sets)
        coords, rest, slack = duplicates._embedding(index)
    frequent = index.columns(slice(None), len(index.spread)).astype(np.int64)
    exact = frequent @ frequent.T
    bound = coords.astype(np.float64) @ coords.T.astype(np.float64) + np.sqrt(
        np.outer(rest, rest)) + slack
    assert (bound >= exact).all()
    if frequent.shape[1] > dims:  # a real projection: the bound is not the trivial one
        assert slack < 1


def test_sketches_are_the_same_in_another_process() -> None:
    text = "The ministers of Italy and Canada agreed on research stations in the Arctic."
    article = make_article("a", text)
    mine = sketch(article)
    code = ("import sys; from tests.test_duplicates import make_article; "
            "from generator.ingest.shingles import sketch; "
            "s = sketch(make_article('a', sys.argv[1])); print(s.words.hex(), s.content.hex())")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True,
                             check=True, env=env, cwd=ROOT).stdout.split()
        assert out == [mine.words.hex(), mine.content.hex()]
    assert len(mine.words) == 8 * len(shingles(text)) and mine.words
    assert pickle.loads(pickle.dumps(mine)) == mine


def test_similar_template_articles_give_few_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Articles sharing a boilerplate lead and closing but with their own story in between:
    the boilerplate is frequent, so it makes no candidates (no bounding product is needed:
    no pair could pass on it alone), and the pairs counted exactly grow with the number of
    articles, not with its square."""
    counted: list[int] = []
    dense: list[int] = []
    count = duplicates.Overlaps.count
    windows = duplicates._windows

    def counting(self: duplicates.Overlaps, first: Any, second: Any) -> Any:
        counted.append(len(first))
        return count(self, first, second)

    def measured(index: duplicates.Overlaps, jaccard_test: bool) -> Any:
        order, rows, ends = windows(index, jaccard_test)
        for block, start in enumerate(range(0, len(order), duplicates.BLOCK)):
            cells = int(ends[block]) - start
            dense.append(int(rows[start:start + duplicates.BLOCK].sum()) * max(cells, 0))
        return order, rows, ends

    monkeypatch.setattr(duplicates.Overlaps, "count", counting)
    monkeypatch.setattr(duplicates, "_windows", measured)
    rng = random.Random(3)
    lead = "The foreign ministers of the two countries met on the sidelines of the summit."
    close = "Both sides agreed to stay in close contact and to meet again next year."
    articles = [make_article(f"s{i:03d}", "\n".join([lead, story(rng, 3), close]))
                for i in range(300)]
    articles.append(make_article("s_copy", articles[7].text))
    found = find_near_duplicates(articles)
    assert [d.id for d in found["s_copy"]] == ["s007"]
    assert sum(len(v) for v in found.values()) == 2
    assert sum(counted) < 3 * len(articles)  # of 45,150 pairs
    assert sum(dense) == 0


def test_template_corpus_bound_prunes_most_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Articles made mostly of template sentences from small pools (every shingle of them
    frequent): the projection bound leaves few pairs to count, and the answer is exact."""
    monkeypatch.setattr(duplicates, "DIMS", 96)  # more than the 72 template sentences
    monkeypatch.setattr(duplicates, "RARE", 8)
    counted: list[int] = []
    count = duplicates.Overlaps.count

    def counting(self: duplicates.Overlaps, first: Any, second: Any) -> Any:
        counted.append(len(first))
        return count(self, first, second)

    monkeypatch.setattr(duplicates.Overlaps, "count", counting)
    rng = random.Random(4)
    pools = [[story(rng, 1) for _ in range(6)] for _ in range(12)]
    articles = [make_article(f"p{i:03d}", "\n".join(rng.choice(pool) for pool in pools))
                for i in range(200)]
    articles.append(make_article("p_copy", articles[3].text))
    expected = brute_force(articles)
    assert_clusters_agree(articles, expected)
    assert sum(counted) < 0.05 * len(articles) ** 2  # most of 20,100 pairs never counted


def test_copy_embedded_in_a_much_longer_page_is_found() -> None:
    """A story inside a page ten times its length (word Jaccard about 0.1) among others."""
    rng = random.Random(11)
    base = story(rng, 4)
    page = "\n".join([story(rng, 20), base, story(rng, 20)])
    others = [make_article(f"o{i:02d}", story(rng, 4)) for i in range(50)]
    articles = [make_article("story", base), make_article("page", page), *others]
    assert jaccard(shingles(article_text(articles[0])), shingles(article_text(articles[1]))) < 0.15
    found = find_near_duplicates(articles)
    (dup,) = found["story"]
    assert dup.id == "page" and dup.similarity == 1.0
    assert all(found[a.id] == () for a in others)


@pytest.mark.parametrize("other_thread", [True, False])
def test_beside_other_threads_the_search_runs_on_one_blas_thread(
        monkeypatch: pytest.MonkeyPatch, other_thread: bool) -> None:
    """Beside the live preview's threads, a BLAS thread pool made a search take seconds;
    alone, the search keeps the pool."""
    import threading

    from threadpoolctl import threadpool_info

    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    before = blas_threads()
    during: list[set[int]] = []
    real = duplicates._near_duplicates

    def spy(*args: Any) -> Any:
        during.append(blas_threads())
        return real(*args)

    monkeypatch.setattr(duplicates, "_near_duplicates", spy)
    articles = [read_article(p) for p in list_article_files(DATA)]
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    if other_thread:
        waiting.start()
    try:
        alone = threading.active_count() == 1  # other tests may have left a server running
        assert find_near_duplicates(articles) == real(articles, {})
    finally:
        stop.set()
        if other_thread:
            waiting.join()
    assert during == [before if alone else {1}]
    assert not (other_thread and alone)
    assert blas_threads() == before


def test_no_articles_no_near_copies() -> None:
    assert find_near_copies([]) == {} and find_near_duplicates([]) == {}
