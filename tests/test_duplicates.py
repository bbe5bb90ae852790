"""Near duplicates: paraphrases found through MinHash/LSH, unrelated texts not."""

from __future__ import annotations

from pathlib import Path

from generator.duplicates import (
    article_text,
    candidate_pairs,
    containment,
    content_shingles,
    find_near_duplicates,
    jaccard,
    shingles,
    signature,
)
from generator.sources import list_article_files, read_article

DATA = Path(__file__).parent / "data" / "a1_dups"


def test_paraphrase_is_a_near_duplicate_and_unrelated_is_not() -> None:
    articles = [read_article(p) for p in list_article_files(DATA)]
    found = find_near_duplicates(articles)
    assert sorted(found) == ["030_original", "031_paraphrase", "032_other"]
    (dup,) = found["030_original"]
    assert dup.id == "031_paraphrase" and dup.similarity >= 0.3
    assert found["031_paraphrase"][0].id == "030_original"
    assert found["032_other"] == ()


def test_minhash_estimates_jaccard() -> None:
    a = shingles(" ".join(f"w{i}" for i in range(200)))
    b = shingles(" ".join(f"w{i}" for i in range(40, 240)))
    exact = jaccard(a, b)
    sa, sb = signature(a), signature(b)
    estimate = sum(x == y for x, y in zip(sa, sb, strict=True)) / len(sa)
    assert abs(estimate - exact) < 0.15
    assert ("a", "b") in candidate_pairs({"a": sa, "b": sb})


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
