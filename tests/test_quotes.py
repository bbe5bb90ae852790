"""Quotes with their speakers, scare quotes left out, and outcome statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.extract.masthead import read_article
from generator.extract.quotes import find_outcomes, find_quotes, quote_spans
from generator.models import PersonMention, QuoteFact

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def person(name: str) -> PersonMention:
    from generator.models import Evidence
    return PersonMention(name, None, None, True, True, Evidence("participants", "t", 1, name))


@pytest.fixture(scope="module")
def quotes() -> dict[int, QuoteFact]:
    article = read_article(DATA / "a2_quotes" / "speakers.txt")
    people = [person("Yoshimasa Hayashi"), person("Antony Blinken"), person("Lloyd Austin")]
    return {q.evidence.line: q for q in find_quotes(article.sentences, people)}


def test_speaker_after_the_quote(quotes: dict[int, QuoteFact]) -> None:
    assert quotes[1].speaker == "Yoshimasa Hayashi"
    assert quotes[1].text == "We will stand with Ukraine for as long as it takes"


def test_speaker_before_the_quote_and_by_pronoun(quotes: dict[int, QuoteFact]) -> None:
    assert quotes[3].speaker == "Antony Blinken"
    assert quotes[5].speaker == "Antony Blinken"  # “...,” he also said


def test_quote_split_by_its_attribution_is_one_quote(quotes: dict[int, QuoteFact]) -> None:
    assert quotes[7].speaker == "the ministry"
    assert quotes[7].text == ("The two sides agreed to deepen cooperation, and to meet again "
                              "next year.")


def test_statement_speaker(quotes: dict[int, QuoteFact]) -> None:
    assert quotes[9].speaker == "joint statement"


def test_scare_quotes_and_names_are_left_out(quotes: dict[int, QuoteFact]) -> None:
    assert 11 not in quotes  # “grave concern”, “Free and Open Indo-Pacific”


def test_short_quote_with_a_clear_attribution_is_kept(quotes: dict[int, QuoteFact]) -> None:
    assert (quotes[13].text, quotes[13].speaker) == ("Cold War mentality.", "Beijing")


def test_mismatched_closing_mark(quotes: dict[int, QuoteFact]) -> None:
    assert quotes[15].speaker == "Lloyd Austin"
    assert quotes[15].text.startswith("So we remain united")


def test_evidence_keeps_source_and_line(quotes: dict[int, QuoteFact]) -> None:
    evidence = quotes[3].evidence
    assert (evidence.field, evidence.article, evidence.line) == ("quotes", "speakers", 3)
    assert evidence.text.startswith("At a news conference")


@pytest.mark.parametrize(("text", "inner"), [
    ("He said 'Japan will cooperate with us' today.", ["Japan will cooperate with us"]),
    ("Japan’s support for the ‘rules-based order’ and Russia's war.", ["rules-based order"]),
    ("“Outer ‘inner’ words,” she said.", ["Outer ‘inner’ words,"]),
])
def test_quote_marks(text: str, inner: list[str]) -> None:
    assert [s.text for s in quote_spans(text)] == inner


def test_outcomes() -> None:
    article = read_article(DATA / "a2_quotes" / "outcomes.txt")
    outcomes = find_outcomes(article.sentences)
    assert [(e.field, e.line) for e in outcomes] == [("outcomes", 1), ("outcomes", 3)]


# --- F2: speakers by the verb, quotes begun in an earlier sentence ----------------------------

@pytest.fixture(scope="module")
def f2_quotes() -> dict[int, list[QuoteFact]]:
    article = read_article(DATA / "f2_quotes" / "speakers.txt")
    found: dict[int, list[QuoteFact]] = {}
    for quote in find_quotes(article.sentences, [person("Hana Lund"), person("Oskar Brandt")]):
        found.setdefault(quote.evidence.line, []).append(quote)
    return found


def test_a_quote_spanning_sentences_keeps_its_speaker(
        f2_quotes: dict[int, list[QuoteFact]]) -> None:
    assert [(q.speaker, q.text) for q in f2_quotes[1]] == [
        ("Hana Lund", "We spoke for an hour about the grain corridor. We agreed to meet again "
                      "soon")]


def test_whoever_stands_by_the_verb_speaks(f2_quotes: dict[int, list[QuoteFact]]) -> None:
    assert f2_quotes[3][0].speaker == "Beijing"  # "what Beijing calls", not Brandt
    assert f2_quotes[5][0].speaker == "Hana Lund"  # described as ..., according to the ministry


def test_a_closing_mark_without_its_opener_ends_a_quote() -> None:
    spans = quote_spans('We agreed to meet again soon," Hana Lund posted after the call.')
    assert [s.text for s in spans] == ["We agreed to meet again soon"]
    assert [s.text for s in quote_spans('He said "we will meet again soon."')] == [
        "we will meet again soon."]


# --- F2 round 2: lead-in lines, follow-on quotes, pronouns and objects -----------------------

@pytest.fixture(scope="module")
def lead_ins() -> dict[int, list[QuoteFact]]:
    article = read_article(DATA / "f2_quotes" / "lead_ins.txt")
    found: dict[int, list[QuoteFact]] = {}
    for quote in find_quotes(article.sentences, [person("Hana Lund"), person("Oskar Brandt")]):
        found.setdefault(quote.evidence.line, []).append(quote)
    return found


def test_a_line_ending_said_colon_introduces_the_speaker(
        lead_ins: dict[int, list[QuoteFact]]) -> None:
    assert [q.speaker for q in lead_ins[3]] == ["Hana Lund"]


def test_a_follow_on_quote_keeps_the_speaker(lead_ins: dict[int, list[QuoteFact]]) -> None:
    assert [q.speaker for q in lead_ins[5]] == ["Oskar Brandt", "Oskar Brandt"]


def test_a_pronoun_is_the_person_just_named(lead_ins: dict[int, list[QuoteFact]]) -> None:
    assert lead_ins[7][0].speaker == "Hana Lund"  # not the last speaker, Brandt


def test_an_object_after_the_quote_is_no_speaker(lead_ins: dict[int, list[QuoteFact]]) -> None:
    assert lead_ins[9][0].speaker == "Oskar Brandt"  # not Moscow, which he urged


def test_spoke_of_attributes(lead_ins: dict[int, list[QuoteFact]]) -> None:
    assert lead_ins[11][0].speaker == "Hana Lund"


def test_an_apposition_between_speaker_and_verb(lead_ins: dict[int, list[QuoteFact]]) -> None:
    assert lead_ins[13][0].speaker == "Oskar Brandt"  # not "the ministry" after the verb
