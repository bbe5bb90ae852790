"""Meeting extraction (no-meeting articles, side meetings) and grouping into meetings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.extract import article as extract
from generator.extract.masthead import read_article
from generator.extract.setting import find_setting
from generator.group.clusters import person_key, same_people, similar_keys
from generator.group.meetings import group_articles
from generator.ingest.inputs import list_article_files
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.knowledge.people import load_people
from generator.knowledge.places import load_places
from generator.knowledge.taxonomy import load_taxonomy
from generator.models import (
    ArticleFacts,
    DateFact,
    Evidence,
    Location,
    MeetingFacts,
    PersonMention,
    QuoteFact,
    Sentence,
    SourceArticle,
    TopicFact,
)

DATA = Path(__file__).parent / "data"
DATA_FILES = Path(__file__).parent.parent / "generator" / "knowledge" / "data"
PEOPLE = {"Rossi": ("Ana Rossi", "Foreign Minister", "IT"),
          "Tremblay": ("Paul Tremblay", "Foreign Minister", "CA"),
          "Berg": ("Erik Berg", "Foreign Minister", "NO"),
          "Nowak": ("Jan Nowak", "Foreign Minister", "PL"),
          "Kowalski": ("Piotr Kowalski", "Defence Minister", "PL")}
TOPICS = {"energy": "energy", "arctic": "Arctic", "fisheries": "fisheries", "grain": "grain"}


def fake_people(sentences: Sequence[Sentence], directory: object,
                on: dt.date | None) -> tuple[PersonMention, ...]:
    found: dict[str, PersonMention] = {}
    for s in sentences:
        for family, (name, role, country) in PEOPLE.items():
            if re.search(rf"\b{family}\b", s.text) and name not in found:
                found[name] = PersonMention(name, role, country, True, True,
                                            Evidence("participants", s.article, s.line, family))
    return tuple(sorted(found.values(), key=lambda p: p.name))


def fake_topics(sentences: Sequence[Sentence], taxonomy: object) -> tuple[TopicFact, ...]:
    return tuple(TopicFact(t, tuple(Evidence(f"topics.{t}", s.article, s.line, w)
                                    for s in sentences if w in s.text))
                 for t, w in sorted(TOPICS.items()) if any(w in s.text for s in sentences))


@pytest.fixture()
def kb(monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    monkeypatch.setattr(extract.people_mod, "find_people", fake_people)
    monkeypatch.setattr(extract.topics_mod, "find_topics", fake_topics)
    monkeypatch.setattr(extract.quotes_mod, "find_quotes", lambda s, p: ())
    monkeypatch.setattr(extract.quotes_mod, "find_outcomes", lambda s: ())
    return KnowledgeBase(taxonomy=load_taxonomy(DATA_FILES / "taxonomy.yaml"),
                         people=load_people(DATA_FILES / "people.yaml"),
                         places=load_places(DATA_FILES / "places.yaml"))


def test_side_meetings_are_split_out(kb: KnowledgeBase) -> None:
    (path,) = list_article_files(DATA / "a1_side")
    facts = extract.extract_facts(read_article(path), kb)
    main, berg, nowak = facts.meetings
    assert [p.name for p in main.participants] == ["Ana Rossi", "Paul Tremblay"]
    assert main.date is not None and main.date.value == dt.date(2024, 3, 5)
    assert main.location == Location("Vilnius", "LT")
    assert (main.format, main.setting, main.occasion) == (
        "in_person", "sidelines", "NATO Foreign Ministers' Meeting")
    assert [t.topic for t in main.topics] == ["arctic"]  # not the side meetings' topics
    assert [p.name for p in berg.participants] == ["Ana Rossi", "Erik Berg"]
    assert berg.secondary and [t.topic for t in berg.topics] == ["energy", "fisheries"]
    assert berg.date == main.date and berg.location == main.location
    assert [p.name for p in nowak.participants] == ["Ana Rossi", "Jan Nowak"]
    assert [t.topic for t in nowak.topics] == ["grain"]


@pytest.mark.parametrize("name", ["020_opinion.txt", "021_presser.txt"])
def test_articles_that_report_no_meeting(kb: KnowledgeBase, name: str) -> None:
    facts = extract.extract_facts(read_article(DATA / "a1_nomeeting" / name), kb)
    assert facts.meetings == ()


def person(name: str, country: str, article: str = "x") -> PersonMention:
    return PersonMention(name, "Foreign Minister", country, True, True,
                         Evidence("participants", article, 1, name))


def meeting(people: Sequence[tuple[str, str]], day: dt.date | None, *, fmt: str = "in_person",
            city: str | None = "Vilnius", country: str = "LT", quotes: Sequence[str] = (),
            article: str = "x", secondary: bool = False) -> MeetingFacts:
    date = DateFact(day, "stated", None, Evidence("date", article, 2, str(day))) if day else None
    return MeetingFacts(
        date=date, location=Location(city, country) if city and fmt == "in_person" else None,
        format=fmt, setting="standalone", occasion=None,
        participants=tuple(person(n, c, article) for n, c in people),
        topics=(TopicFact("energy", (Evidence("topics.energy", article, 3, "energy"),)),),
        quotes=tuple(QuoteFact(q, "Ana Rossi", Evidence("quotes", article, 4, q)) for q in quotes),
        outcomes=(), evidence=(), secondary=secondary,
        country=country if fmt == "in_person" else None, place_rank=3 if city else 0)


def article(ident: str, *meetings: MeetingFacts, text: str = "") -> ArticleFacts:
    body = text or ident
    source = SourceArticle(ident, f"seeds/{ident}.txt", "0" * 64, "utf-8", body,
                           (Sentence(ident, 1, body),))
    return ArticleFacts(source, meetings)


RT = [("Ana Rossi", "IT"), ("Paul Tremblay", "CA")]
RB = [("Ana Rossi", "IT"), ("Erik Berg", "NO")]
DAY = dt.date(2024, 3, 5)


def test_same_meeting_merges_and_date_comes_from_other_source(kb: KnowledgeBase) -> None:
    facts = [article("a1", meeting(RT, None, article="a1", quotes=["We will work together."])),
             article("a2", meeting(RT, DAY, article="a2", quotes=["We will work together!"]))]
    meetings, articles = group_articles(facts, kb)
    (m,) = meetings
    assert m.date == DAY and m.sources == ("a1", "a2")
    assert m.id == "2024-03-05-rossi-tremblay-meeting-vilnius"
    assert m.title == "Rossi–Tremblay meeting in Vilnius"
    assert [q.sources for q in m.quotes] == [("a1", "a2")]
    assert any(e.field == "topics.energy" for e in m.evidence)
    assert [a.meetings for a in articles] == [(m.id,), (m.id,)]


def test_same_day_same_city_other_counterpart_stays_apart(kb: KnowledgeBase) -> None:
    facts = [article("a1", meeting(RT, DAY, article="a1")),
             article("a2", meeting(RB, DAY, article="a2"))]
    meetings, _ = group_articles(facts, kb)
    assert len(meetings) == 2


def test_farewell_call_and_new_ministers_call_stay_apart(kb: KnowledgeBase) -> None:
    old = [("Ana Rossi", "IT"), ("Old Minister", "CA")]
    new = [("Ana Rossi", "IT"), ("New Minister", "CA")]
    facts = [article("a1", meeting(old, DAY, fmt="phone", article="a1")),
             article("a2", meeting(new, DAY, fmt="phone", article="a2"))]
    meetings, _ = group_articles(facts, kb)
    assert sorted(m.title for m in meetings) == ["Rossi–Minister phone call"] * 2
    assert len({m.id for m in meetings}) == 2  # ids stay unique


def test_different_dates_or_formats_stay_apart(kb: KnowledgeBase) -> None:
    facts = [article("a1", meeting(RT, DAY, article="a1")),
             article("a2", meeting(RT, DAY + dt.timedelta(days=30), article="a2")),
             article("a3", meeting(RT, DAY, fmt="phone", article="a3"))]
    meetings, _ = group_articles(facts, kb)
    assert len(meetings) == 3


def test_side_meetings_group_like_main_ones_and_come_second(kb: KnowledgeBase) -> None:
    facts = [article("a1", meeting(RT, DAY, article="a1"),
                     meeting(RB, DAY, article="a1", secondary=True)),
             article("a2", meeting(RB, DAY, article="a2"))]
    meetings, articles = group_articles(facts, kb)
    assert len(meetings) == 2
    berg = next(m for m in meetings if "Berg" in m.title)
    assert berg.sources == ("a1", "a2")
    assert articles[0].meetings[1] == berg.id


def test_person_keys_and_overlap() -> None:
    assert person_key("Hayashi Yoshimasa") == person_key("Yoshimasa Hayashi")
    assert same_people(frozenset({"a", "b"}), frozenset({"a", "b", "c", "d"}))
    assert not same_people(frozenset({"a", "b"}), frozenset({"a", "c"}))


def test_near_duplicate_text_is_strong_evidence(kb: KnowledgeBase) -> None:
    text = ("The foreign ministers of Italy and Canada pledged on Tuesday to expand "
            "scientific cooperation in the Arctic and to share satellite data on sea ice.")
    facts = [article("a1", meeting(RT, DAY, article="a1"), text=text),
             article("a2", meeting(RT, DAY - dt.timedelta(days=3), article="a2"), text=text)]
    meetings, articles = group_articles(facts, kb)
    assert len(meetings) == 1
    assert [d.id for d in articles[0].near_duplicates] == ["a2"]


def test_call_with_japan_takes_the_japanese_date(kb: KnowledgeBase) -> None:
    jp_us = [("Yoko Kamikawa", "JP"), ("Antony Blinken", "US")]
    evening_in_washington = DAY - dt.timedelta(days=1)
    facts = [article("a1", meeting(jp_us, evening_in_washington, fmt="phone", article="a1")),
             article("a2", meeting(jp_us, DAY, fmt="phone", article="a2"))]
    (m,) = group_articles(facts, kb)[0]
    assert m.date == DAY and m.sources == ("a1", "a2")


def test_call_without_japan_keeps_the_best_supported_date(kb: KnowledgeBase) -> None:
    early = DAY - dt.timedelta(days=1)
    facts = [article("a1", meeting(RT, early, fmt="phone", article="a1")),
             article("a2", meeting(RT, DAY, fmt="phone", article="a2")),
             article("a3", meeting(RT, early, fmt="phone", article="a3"))]
    (m,) = group_articles(facts, kb)[0]
    assert m.date == early


# --- F1: segmentation, format, setting, dates (synthetic articles in tests/data/f1_extract)

F1 = DATA / "f1_extract"


def names(facts: MeetingFacts) -> list[str]:
    return [p.name for p in facts.participants]


def test_video_call_and_plans_or_past_events_do_not_add_principals(kb: KnowledgeBase) -> None:
    (main,) = extract.extract_facts(read_article(F1 / "050_video.txt"), kb).meetings
    assert main.format == "video"  # the headline's "call" is the body's "video call"
    assert names(main) == ["Ana Rossi", "Paul Tremblay"]  # not Berg (past) nor Nowak (plan)
    assert main.setting == "standalone"
    assert main.date is not None and main.date.weekday == 0


def test_farewell_call_and_successors_call_in_one_article_stay_apart(
        kb: KnowledgeBase) -> None:
    main, farewell = extract.extract_facts(read_article(F1 / "051_two_calls.txt"), kb).meetings
    assert names(main) == ["Ana Rossi", "Paul Tremblay"]
    assert names(farewell) == ["Ana Rossi", "Erik Berg"] and farewell.secondary
    assert main.format == farewell.format == "phone"
    assert main.date is not None and main.date.value == dt.date(2024, 3, 5)  # "late Tuesday"
    meetings, _ = group_articles([extract.extract_facts(read_article(F1 / "051_two_calls.txt"),
                                                        kb)], kb)
    assert len(meetings) == 2


def test_unnamed_gathering_is_sidelines_and_past_meeting_is_no_side_meeting(
        kb: KnowledgeBase) -> None:
    main, side = extract.extract_facts(read_article(F1 / "052_fringes.txt"), kb).meetings
    assert names(main) == ["Ana Rossi", "Jan Nowak"]
    assert (main.setting, main.location) == ("sidelines", Location("Vilnius", "LT"))
    # "the minister met Defence Minister Kowalski": the visitor from the other country
    assert names(side) == ["Ana Rossi", "Piotr Kowalski"]


def test_named_trilateral_format_is_trilateral(kb: KnowledgeBase) -> None:
    (main,) = extract.extract_facts(read_article(F1 / "053_weimar.txt"), kb).meetings
    assert (main.setting, main.occasion) == ("trilateral", "Weimar Triangle")


def test_three_countries_without_a_word_for_it_are_not_trilateral(kb: KnowledgeBase) -> None:
    (main,) = extract.extract_facts(read_article(F1 / "050_video.txt"), kb).meetings
    people = [*main.participants, person("Erik Berg", "NO")]
    facts = find_setting([Sentence("x", 1, "Rossi met Tremblay and Berg.")], [], "phone",
                         kb.places, people)
    assert facts.setting == "standalone"


def test_readout_without_a_day_of_its_own_is_dated_by_its_page(kb: KnowledgeBase) -> None:
    (main,) = extract.extract_facts(read_article(F1 / "054_readout.txt"), kb).meetings
    assert main.format == "video"  # "held a video conference with"
    assert main.date is not None
    assert (main.date.value, main.date.basis) == (dt.date(2024, 3, 5), "publication-date")


def test_here_puts_the_meeting_at_the_dateline(kb: KnowledgeBase) -> None:
    (main,) = extract.extract_facts(read_article(F1 / "055_here.txt"), kb).meetings
    assert main.location == Location("Vilnius", "LT")  # not Riga, where the visit began
    assert main.date is not None and main.date.weekday == 1


def test_misspelt_name_groups_under_the_usual_spelling(kb: KnowledgeBase) -> None:
    typo = [("Ana Rossi", "IT"), ("Paul Tremblai", "CA")]
    facts = [article("a1", meeting(RT, DAY, article="a1")),
             article("a2", meeting(RT, DAY, article="a2")),
             article("a3", meeting(typo, DAY, article="a3"))]
    (m,) = group_articles(facts, kb)[0]
    assert [p.name for p in m.participants] == ["Ana Rossi", "Paul Tremblay"]
    assert m.sources == ("a1", "a2", "a3")
    assert not similar_keys("wang yi", "wang wei")  # short words must be spelt the same


# --- F1 round 2: whether an article reports a meeting, separate talks, roles on the day

F1_MEETINGS = DATA / "f1_meetings"


@pytest.mark.parametrize("name", ["090_preview.txt", "091_habitual.txt"])
def test_preview_and_habitual_talks_report_no_meeting(kb: KnowledgeBase, name: str) -> None:
    facts = extract.extract_facts(read_article(F1_MEETINGS / name), kb)
    assert facts.meetings == ()


def test_dialogue_that_was_held_is_a_meeting(kb: KnowledgeBase) -> None:
    facts = extract.extract_facts(read_article(F1_MEETINGS / "092_joint_statement.txt"), kb)
    (main,) = facts.meetings
    assert names(main) == ["Ana Rossi", "Paul Tremblay"]
    assert main.date is not None and main.date.value == dt.date(2023, 11, 20)
    assert main.location == Location("Rome", "IT")


def test_separate_talks_of_two_principals_are_a_side_meeting(kb: KnowledgeBase) -> None:
    facts = extract.extract_facts(read_article(F1_MEETINGS / "093_separate_talks.txt"), kb)
    main, side = facts.meetings
    assert names(main) == ["Ana Rossi", "Erik Berg", "Jan Nowak", "Piotr Kowalski"]
    assert main.setting == "2+2"
    assert names(side) == ["Erik Berg", "Piotr Kowalski"] and side.secondary
    assert side.setting == "sidelines" and side.date == main.date
    assert [t.topic for t in side.topics] == ["fisheries"]
    assert not any(e.line >= 13 for m in facts.meetings for e in m.evidence)  # links left out


def test_roles_are_those_held_on_the_meeting_day() -> None:
    base = load_knowledge(None)
    folder = DATA / "f1_roles"
    kb = KnowledgeBase(base.taxonomy, load_people(folder / "people.yaml"), base.places)
    article = read_article(folder / "070_farewell.txt")
    assert article.published == dt.date(2024, 3, 14)  # 12 days after her term ended
    (main,) = extract.extract_facts(article, kb).meetings
    assert main.date is not None and main.date.value == dt.date(2024, 3, 1)
    roles = {p.name: p.role for p in main.participants}
    assert roles == {"Marta Lindqvist": "Minister for Foreign Affairs",
                     "Tomas Varga": "Minister of Foreign Affairs"}


def test_quote_wordings_merge_with_variants_and_duration_is_kept(kb: KnowledgeBase) -> None:
    first = meeting(RT, DAY, article="a1", quotes=["We will work together on Arctic research."])
    second = meeting(RT, DAY, article="a2",
                     quotes=["We shall work together on Arctic research",
                             "A second quote entirely."])
    third = meeting(RT, DAY, article="a3", quotes=["We will work together on Arctic research"])
    timed = dataclasses.replace(second, duration_minutes=30, duration_evidence=Evidence(
        "duration", "a2", 5, "for 30 minutes"))
    (m,) = group_articles([article("a1", first), article("a2", timed), article("a3", third)],
                          kb)[0]
    arctic = next(q for q in m.quotes if "Arctic" in q.text)
    assert arctic.sources == ("a1", "a2", "a3")
    assert [(v.source, v.text) for v in arctic.variants] == [
        ("a2", "We shall work together on Arctic research")]  # a3 differs by a stop
    assert m.duration_minutes == 30
    assert Evidence("duration", "a2", 5, "for 30 minutes") in m.evidence


def test_outcome_a_paraphrase_repeats_is_given_once(kb: KnowledgeBase) -> None:
    said = Evidence("outcomes", "a1", 3, "The two ministers agreed to deepen Arctic research.")
    again = Evidence("outcomes", "a2", 5,
                     "The two ministers agreed to deepen their Arctic research.")
    other = Evidence("outcomes", "a2", 7, "They condemned the attack on the research vessel.")
    first = dataclasses.replace(meeting(RT, DAY, article="a1"), outcomes=(said,))
    second = dataclasses.replace(meeting(RT, DAY, article="a2"), outcomes=(again, other))
    (m,) = group_articles([article("a1", first), article("a2", second)], kb)[0]
    assert m.outcomes == (said, other)
