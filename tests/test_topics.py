"""Topics: the taxonomy contract, substantive discussion versus a stray word."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import DataError
from generator.extract.masthead import read_article
from generator.extract.topics import find_topics
from generator.knowledge.taxonomy import Taxonomy, load_taxonomy
from generator.models import Sentence

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CONTRACT = {
    "ukraine-russia": "Russia's war against Ukraine", "china": "China", "taiwan": "Taiwan",
    "north-korea": "North Korea", "indo-pacific": "Free and Open Indo-Pacific",
    "sanctions": "Sanctions and export controls",
    "alliance-deterrence": "Alliance, deterrence and defence",
    "economic-security": "Economic security and trade", "g7": "G7", "quad": "Quad",
    "asean": "ASEAN", "korea-trilateral": "Japan–US–ROK cooperation",
    "nuclear-nonproliferation": "Nuclear disarmament and non-proliferation",
    "energy": "Energy", "middle-east": "Middle East", "climate": "Climate",
    "human-rights": "Human rights", "un-security-council": "UN Security Council",
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(ROOT / "generator" / "knowledge" / "data" / "taxonomy.yaml")


def topics_of(text: str, taxonomy: Taxonomy) -> list[str]:
    sentences = [Sentence("t", n, s) for n, s in enumerate(text.split("\n"), start=1)]
    return [t.topic for t in find_topics(sentences, taxonomy)]


def test_ids_and_titles_are_the_contract(taxonomy: Taxonomy) -> None:
    assert taxonomy.ids == frozenset(CONTRACT)
    assert {t.id: t.title for t in taxonomy.topics} == CONTRACT
    assert taxonomy.title("korea-trilateral") == "Japan–US–ROK cooperation"
    assert all(t.covers for t in taxonomy.topics)


def test_substantive_statements_count(taxonomy: Taxonomy) -> None:
    article = read_article(DATA / "a2_topics" / "substantive.txt")
    facts = {t.topic: t for t in find_topics(article.sentences, taxonomy)}
    assert sorted(facts) == ["alliance-deterrence", "china", "north-korea"]
    evidence = facts["north-korea"].evidence
    assert [(e.field, e.article, e.line) for e in evidence] == [
        ("topics.north-korea", "substantive", 3)]


def test_stray_words_place_names_asides_links_and_credits_do_not(taxonomy: Taxonomy) -> None:
    article = read_article(DATA / "a2_topics" / "stray.txt")
    assert find_topics(article.sentences, taxonomy) == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("They vowed support for Ukraine's sovereignty.", ["ukraine-russia"]),
    ("They agreed to meet again in Manila, on the South China Sea coast.", []),
    ("They opposed coercion and militarization in the South China Sea.", ["china"]),
    ("They discussed the G7 leaders' position on sanctions.", ["sanctions"]),
    ("They agreed to make the G7 Hiroshima Summit a success.", ["g7"]),
    ("They met on the sidelines of the G7 foreign ministers' meeting and agreed to cooperate.",
     []),
    ("They agreed to deepen cooperation with South Korea and India.", []),
    ("They stressed close coordination between Japan, the US and South Korea.",
     ["korea-trilateral"]),
    ("They agreed on progress in the Indo-Pacific Economic Framework negotiations.",
     ["economic-security"]),
    ("They are committed to shared values of democracy and human rights.", []),
    ("They condemned North Korea's nuclear and missile programs.", ["north-korea"]),
])
def test_single_sentences(taxonomy: Taxonomy, text: str, expected: list[str]) -> None:
    assert topics_of(text, taxonomy) == expected


def test_a_topic_added_in_yaml_works_without_code(tmp_path: Path) -> None:
    custom = load_taxonomy(DATA / "a2_custom_taxonomy" / "taxonomy.yaml")
    article = read_article(DATA / "a2_custom_taxonomy" / "arctic.txt")
    facts = find_topics(article.sentences, custom)
    assert [f.topic for f in facts] == ["arctic"]
    assert [e.line for e in facts[0].evidence] == [1, 3]  # "The Arctic is cold." is no cue
    assert find_topics(article.sentences[:1], custom) == ()  # 2 points, threshold 3


def test_bad_taxonomy_reports_every_problem() -> None:
    with pytest.raises(DataError) as caught:
        load_taxonomy(DATA / "a2_bad_taxonomy" / "taxonomy.yaml")
    messages = sorted(str(p) for p in caught.value.problems)
    assert len(messages) == 3
    assert any(":7: duplicate topic id 'china'" in m for m in messages)
    assert any(":9: topic id 'Bad Id'" in m for m in messages)
    assert any(":9: Bad Id: terms: bad pattern '(unclosed'" in m for m in messages)


def test_missing_topics_list(tmp_path: Path) -> None:
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(DataError, match="expected a mapping with a `topics` list"):
        load_taxonomy(bad)


# --- F2: substantive mentions of the Quad, energy and defence cooperation ---------------------

def test_a_commitment_to_the_quad_counts(taxonomy: Taxonomy) -> None:
    assert "quad" in topics_of("The Ministers reiterated their strong commitment to the Quad "
                               "as a force for good in the region.", taxonomy)
    assert "quad" in topics_of("The two sides also reviewed preparations for the Quad leaders' "
                               "summit, officials said.", taxonomy)


def test_the_quad_as_an_occasion_does_not(taxonomy: Taxonomy) -> None:
    assert "quad" not in topics_of("The ministers met on the sidelines of the Quad foreign "
                                   "ministers' meeting, officials said.", taxonomy)


def test_energy_needs_more_than_a_sector_in_a_list(taxonomy: Taxonomy) -> None:
    assert "energy" not in topics_of("The ministers discussed Polish investment in the agri-food, "
                                     "energy and infrastructure sectors.", taxonomy)
    assert "energy" in topics_of("The ministers discussed Russian attacks against "
                                 "Ukraine's energy infrastructure.", taxonomy)


def test_defence_industrial_cooperation_is_defence(taxonomy: Taxonomy) -> None:
    assert "alliance-deterrence" in topics_of(
        "The two countries agreed to expand defence industrial cooperation, including "
        "co-production of key military platforms.", taxonomy)
    assert "alliance-deterrence" not in topics_of(
        "He raised concerns about Beijing's support for Russia's defence industrial base.",
        taxonomy)


def test_west_asia_backing_and_hosting_the_quad(taxonomy: Taxonomy) -> None:
    assert "middle-east" in topics_of("The situation in West Asia also figured in the "
                                      "discussions.", taxonomy)
    assert "quad" in topics_of("Canberra backed India's hosting of next year's Quad summit.",
                               taxonomy)
    assert "quad" not in topics_of("Canberra hosted a cricket match next to the Quad hotel.",
                                   taxonomy)
