"""Extraction's shortcuts: the pattern prefilter, the trie alternations, the topic index and
the skipped second reading never change what a pattern or an article gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from generator.extract import people, principals, quotes, segments, setting
from generator.extract import topics as topics_mod
from generator.extract.article import extract_facts
from generator.extract.masthead import read_article
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.knowledge import people as directory_mod
from generator.knowledge.people import PeopleDirectory, Person, Role
from generator.knowledge.taxonomy import Term, Topic
from generator.models import Sentence
from generator.support.prefilter import (
    CASE_TWINS,
    Quick,
    alternation,
    needed_all,
    needed_words,
    plain,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TWINS = {"k": "\u212a", "s": "\u017f", "i": "\u0131", "I": "\u0130"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found: set[str] = set()
    for path in SEEDS:
        article = read_article(path)
        found.update(s.text for s in article.sentences)
        found.update(article.text.split("\n"))
    variants = {v for t in found for v in (t.upper(), t.lower(), t.title())}
    twins = {t.replace(a, b) for t in list(found)[:40] for a, b in TWINS.items()}
    extra = {"Foreign Minister Ana Ruiz met her counterpart", "video conference",
             "a 30-minute phone call", "“We agreed,” he said.", "will meet next week",
             "FOREIGN MINISTER ANA RUIZ MET HIS COUNTERPART, ERIK BERG", "ta\u212ak", ""}
    return sorted(found | variants | twins | extra)


def _patterns(kb: KnowledgeBase) -> list[re.Pattern[str]]:
    found: list[re.Pattern[str]] = [kb.people.role_pattern]
    for topic in kb.taxonomy.topics:
        found += [p for p in (topic.any_term, *topic.exclude) if p is not None]
        found += [p for t in topic.terms for p in (t.pattern, t.requires, t.unless) if p]
    found += [*kb.taxonomy.cues, *kb.taxonomy.skip, *kb.taxonomy.skip_after]
    for module in (segments, quotes, principals, setting, people):
        found += [v.compiled if isinstance(v, Quick) else v for v in vars(module).values()
                  if isinstance(v, Quick | re.Pattern)]
    return found


def test_needed_words_never_rule_out_a_match(kb: KnowledgeBase, texts: list[str]) -> None:
    checked = 0
    for pattern in _patterns(kb):
        quick = Quick(pattern)
        conj = needed_all(pattern.pattern, pattern.flags)
        for text in texts:
            if pattern.search(text) is None:
                continue
            checked += 1
            assert quick.possible(text), (pattern.pattern[:60], text)
            low = text.lower()
            assert not plain(text) or all(any(w in low for w in need) for need in conj), \
                (pattern.pattern[:60], text)
    assert checked > 1000


def test_needed_words_of_simple_patterns() -> None:
    assert needed_words(r"\bukrain\w*", re.IGNORECASE) == frozenset({"ukrain"})
    assert needed_words(r"\b(?:russia\w*|kremlin)\b", 0) == frozenset({"russia", "kremlin"})
    assert needed_words(r"(?:a|b)?x", 0) is None  # nothing that long is needed
    assert needed_words(r"foo(?=bar)", 0) == frozenset({"foo"})  # the longest, then fewest
    assert needed_all(r"militar\w+ (?:pressure|cooperation)", re.IGNORECASE) == (
        frozenset({"pressure", "cooperation"}), frozenset({"militar"}))
    assert needed_words(r"(a)\1", 0) is None


def test_quick_gives_what_the_pattern_gives(texts: list[str]) -> None:
    pattern = re.compile(r"\b(?:met|talks?)\b(?P<rest>[^.]*)", re.IGNORECASE)
    quick = Quick(pattern)
    assert quick.words == frozenset({"met", "talk"})
    for text in texts:
        assert quick.findall(text) == pattern.findall(text)
        assert quick.sub("#", text) == pattern.sub("#", text)
        assert [m.span() for m in quick.finditer(text)] == [m.span() for m in
                                                             pattern.finditer(text)]
        for pos in (0, 5):
            got, want = quick.search(text, pos), pattern.search(text, pos)
            assert (got and got.span()) == (want and want.span())
        assert bool(quick.match(text)) == bool(pattern.match(text))


def test_case_twins_are_every_character_matching_ascii_without_case() -> None:
    others = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000)
    twins: set[str] = set()
    for code in range(128):
        twins.update(re.findall(re.escape(chr(code)), others, re.IGNORECASE))
    twins.update(c for c in others if any(ord(x) < 128 for x in c.lower()))
    assert twins == set(CASE_TWINS)


def test_trie_alternation_matches_like_the_list(kb: KnowledgeBase, texts: list[str]) -> None:
    real = directory_mod.alternation
    try:
        directory_mod.alternation = lambda words, fold=False: "|".join(map(re.escape, words))
        listed = directory_mod.build_role_pattern(kb.people)
    finally:
        directory_mod.alternation = real
    trie = directory_mod.build_role_pattern(kb.people)
    assert trie.pattern != listed.pattern
    for text in texts:
        assert [(m.span(), m.groupdict()) for m in trie.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in listed.finditer(text)], text


def test_alternation_keeps_the_order_of_an_unsorted_list() -> None:
    assert alternation(["ab", "abc"]) == "ab|abc"  # shorter first: joined as listed
    assert re.fullmatch(alternation(["abc", "ab", "b"]), "ab")
    assert re.match(f"(?:{alternation(['abc', 'ab'])})", "abcd")[0] == "abc"  # type: ignore[index]
    folded = alternation(["Prime Minister", "prime minister", "Premier"], fold=True)
    assert re.fullmatch(f"(?i:{folded})", "PRIME minister")
    assert alternation(["Ärzte", "Arzt"], fold=True) == "Ärzte|Arzt"  # not ASCII: as listed


def test_topic_index_scores_like_each_topic(kb: KnowledgeBase, texts: list[str]) -> None:
    tax = kb.taxonomy
    for text in texts:
        assert topics_mod._score_text(tax, text) == tuple(t.score(text) for t in tax.topics)
    term = Term(re.compile(r"\bsouth china sea\b", re.IGNORECASE), 2)
    topic = Topic("sea", "Sea", terms=(term,), exclude=(re.compile("x+"),))
    mine = dataclasses.replace(tax, topics=(topic,))
    for text in ("the southxchina sea", "the south china sea", "the south china sxa",
                 "the \u017fouth china sea"):
        assert topics_mod._score_text(mine, text) == (topic.score(text),), text
    # an exclude that needs no word, beside one that does: always applied
    two = dataclasses.replace(topic, exclude=(re.compile(r"\d+"), re.compile("never")))
    mine = dataclasses.replace(tax, topics=(two,))
    for text in ("the south china sea", "the south9china sea", "never 9"):
        assert topics_mod._score_text(mine, text) == (two.score(text),), text


def _person(*roles: Role) -> Person:
    return Person("Ana Ruiz", "Ruiz", "ES", (), roles)


def test_same_roles_between_days_when_no_role_changes() -> None:
    day = dt.date
    directory = PeopleDirectory((_person(Role("Foreign Minister", "foreign-minister",
                                              day(2023, 1, 10), day(2023, 3, 1))),))
    assert directory.same_roles(day(2023, 1, 11), day(2023, 2, 27))
    assert directory.same_roles(day(2023, 1, 5), day(2023, 1, 5))
    assert not directory.same_roles(day(2023, 1, 9), day(2023, 1, 11))  # she took office
    assert not directory.same_roles(day(2023, 2, 28), day(2023, 3, 1))  # the handover day
    assert not directory.same_roles(None, day(2023, 2, 1))
    assert directory.same_roles(None, None)
    for first in (day(2023, 1, 9), day(2023, 1, 10), day(2023, 2, 1), day(2023, 3, 1)):
        for second in (day(2023, 1, 11), day(2023, 3, 2)):
            if directory.same_roles(first, second):
                assert directory.people[0].role_on(first) == directory.people[0].role_on(second)


def test_reading_again_only_when_roles_differ(kb: KnowledgeBase,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.extract.article as extract_mod

    days: list[dt.date | None] = []
    real = extract_mod._extract

    def counting(article, knowledge, on):  # type: ignore[no-untyped-def]
        days.append(on)
        return real(article, knowledge, on)

    monkeypatch.setattr(extract_mod, "_extract", counting)
    for path in SEEDS:
        days.clear()
        article = read_article(path)
        facts = extract_facts(article, kb)
        assert days[0] == article.published
        if len(days) == 1 and facts.meetings and facts.meetings[0].date is not None:
            assert kb.people.same_roles(facts.meetings[0].date.value, article.published)
    again = 0
    for path in SEEDS:  # roles of no day in particular differ from the meeting day's
        undated = dataclasses.replace(read_article(path), published=None,
                                      published_evidence=None)
        days.clear()
        facts = extract_facts(undated, kb)
        dated = bool(facts.meetings) and facts.meetings[0].date is not None and \
            facts.meetings[0].date.value is not None
        assert days[0] is None and len(days) == (2 if dated else len(days))
        again += len(days) == 2
    assert again


def test_find_people_repeats_its_answer(kb: KnowledgeBase) -> None:
    sentences = [Sentence("t", 1, "Foreign Minister Ana Ruiz met Antony Blinken in Madrid.")]
    first = people.find_people(sentences, kb.people, None)
    assert people.find_people(list(sentences), kb.people, None) is first
    assert people.find_people(sentences, kb.people, dt.date(2023, 1, 1)) is not first


def test_place_names_trie_matches_like_the_list(kb: KnowledgeBase, texts: list[str]) -> None:
    places = kb.places
    names = " ".join(sorted(places.cities)[::7]) + " - " + "-".join(sorted(places.countries)[::5])
    for table, trie in ((places.cities, places.city_re), (places.countries, places.country_re)):
        ordered = sorted(table, key=len, reverse=True)
        listed = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")
        assert trie.pattern != listed.pattern
        for text in [*texts, names]:
            assert [m.span() for m in trie.finditer(text)] == \
                [m.span() for m in listed.finditer(text)], text
