"""Extraction's caches: each pure per-text step runs once, and caching never changes a result."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from generator.extract import people as people_mod
from generator.extract.article import extract_facts
from generator.extract.masthead import read_article
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.knowledge.people import PeopleDirectory, load_people
from generator.knowledge.taxonomy import Term, Topic
from generator.models import Sentence
from generator.support.memo import TextMemo

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = ROOT / "generator" / "knowledge" / "data" / "people.yaml"


@pytest.fixture(scope="module")
def directory() -> PeopleDirectory:
    return load_people(PEOPLE)


def test_text_memo_computes_once_per_owner_and_text() -> None:
    calls: list[tuple[object, str]] = []

    def compute(owner: list[int], text: str) -> str:
        calls.append((owner, text))
        return f"{len(owner)}:{text}"

    memo: TextMemo[list[int], str] = TextMemo(compute, size=3)
    first, equal = [1], [1]  # equal but distinct owners: compared by identity
    assert memo(first, "a") == memo(first, "a") == "1:a"
    assert memo(equal, "a") == "1:a"
    assert len(calls) == 2
    memo(first, "b")
    memo(first, "c")  # the cache was full: it starts afresh
    memo(first, "a")
    assert len(calls) == 5


def test_each_sentence_is_analysed_once(directory: PeopleDirectory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = people_mod._full_mentions

    def counting(text: str, index: int, where: PeopleDirectory) -> list[people_mod.Mention]:
        seen.append(text)
        return real(text, index, where)

    monkeypatch.setattr(people_mod, "_full_mentions", counting)
    text = "Japanese Foreign Minister Hayashi Yoshimasa met Qwertz Uiopas on Monday."
    sentences = [Sentence("t", 1, text),
                 Sentence("t", 2, "Hayashi said the Qwertz talks went well.")]
    once = people_mod.find_people(sentences, directory, dt.date(2023, 1, 11))
    again = people_mod.find_people(sentences[::-1], directory, None)
    assert seen == [s.text for s in sentences]
    assert {p.name for p in once} == {p.name for p in again}
    assert "Yoshimasa Hayashi" in {p.name for p in once}


def test_cached_people_keep_their_sentence(directory: PeopleDirectory) -> None:
    text = "Antony Blinken met Yoshimasa Hayashi in Tokyo."
    alone = people_mod.find_people([Sentence("t", 9, text)], directory, None)
    later = people_mod.find_people([Sentence("t", 1, "Headline."), Sentence("t", 9, text)],
                                   directory, None)
    assert alone == later  # the same evidence line although the sentence index differs


def test_near_family_is_the_same_from_memo(directory: PeopleDirectory) -> None:
    fresh = dataclasses.replace(directory)  # no cached properties yet
    for word in ("Blinkin", "Jaishanker", "Hayashi", "Germany", "Tokyoo", "Ab"):
        assert directory.near_family(word) == directory.near_family(word) == \
            fresh.near_family(word), word
    assert directory.near_family("Blinkin", []) is None
    blinken = directory.lookup("Antony Blinken")
    assert blinken is not None
    assert directory.near_family("Blinkin", [blinken]) == blinken


def test_topic_prefilter_never_changes_a_score() -> None:
    terms = (Term(re.compile(r"\bnuclear\b", re.IGNORECASE), 2),
             Term(re.compile(r"missiles?", re.IGNORECASE), 1,
                  unless=re.compile(r"museum", re.IGNORECASE)))
    topic = Topic("security", "Security", terms=terms,
                  exclude=(re.compile(r"nuclear family", re.IGNORECASE),))
    assert topic.any_term is not None
    plain = dataclasses.replace(topic, terms=(*terms, Term(re.compile(r"(a)\1"), 1)))
    assert plain.any_term is None  # a back-reference: terms are searched one by one
    for text, points in [("Nuclear talks", 2), ("a nuclear family", 0), ("missile museum", 0),
                         ("nuclear missiles", 3), ("weather", 0)]:
        assert topic.score(text) == points, text
        assert plain.score(text) == points, text


def test_extracting_twice_gives_the_same_facts() -> None:
    kb: KnowledgeBase = load_knowledge()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = read_article(path)
        assert extract_facts(article, kb) == extract_facts(article, kb), path.name
