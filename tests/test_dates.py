"""Dates: explicit forms, weekdays against the publication date, datelines, chrome."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.extract.dates import (
    date_in_sentence,
    find_dateline,
    find_dates,
    find_top_date,
    find_weekday,
    is_chrome_date,
    weekday_before,
)
from generator.extract.masthead import read_article
from generator.group.meetings import group_articles
from generator.knowledge import load_knowledge
from generator.models import (
    ArticleFacts,
    DateFact,
    Evidence,
    MeetingFacts,
    PersonMention,
    Sentence,
    SourceArticle,
)

D = dt.date


@pytest.mark.parametrize(("text", "expected"), [
    ("January 12,2023 572", D(2023, 1, 12)),
    ("signed 12 Jan. 2023 in Rome", D(2023, 1, 12)),
    ("on April 17, 2023.", D(2023, 4, 17)),
    ("Monday, May 23, 2022, 6:38 p.m.", D(2022, 5, 23)),
    ("Tokyo, 17 April 2023 (TDI):", D(2023, 4, 17)),
    ("On April 17th, commencing at 6:25 p.m.", None),
    ("date 2022-02-11", D(2022, 2, 11)),
    ("Sept. 3, 2021", D(2021, 9, 3)),
])
def test_explicit_date_forms(text: str, expected: dt.date | None) -> None:
    found = find_dates(text)
    assert found, text
    assert found[0].resolve(None) == expected


def test_year_from_context_takes_the_nearest_past_year() -> None:
    (mention,) = find_dates("on July 28")
    assert mention.resolve(D(2023, 8, 2)) == D(2023, 7, 28)
    (december,) = find_dates("on December 30")
    assert december.resolve(D(2024, 1, 3)) == D(2023, 12, 30)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("it may 5 times") == ()


@pytest.mark.parametrize(("published", "weekday", "expected"), [
    (D(2023, 1, 12), 2, D(2023, 1, 11)),  # Wednesday before Thursday
    (D(2022, 2, 26), 5, D(2022, 2, 26)),  # Saturday published Saturday: that day
    (D(2022, 7, 10), 5, D(2022, 7, 9)),   # Saturday before Sunday
    (D(2023, 4, 17), 1, D(2023, 4, 11)),  # Tuesday before Monday: last week
])
def test_weekday_before_publication(published: dt.date, weekday: int,
                                    expected: dt.date) -> None:
    assert weekday_before(published, weekday) == expected


def sentence(text: str) -> Sentence:
    return Sentence("a", 3, text)


def test_weekday_in_a_report_resolves_against_publication() -> None:
    fact = date_in_sentence(sentence("The two ministers met in Rome on Wednesday."),
                            D(2023, 1, 12), None)
    assert fact is not None
    assert (fact.value, fact.basis, fact.weekday) == (D(2023, 1, 11),
                                                      "weekday-before-publication", 2)
    assert fact.evidence is not None and fact.evidence.text == "Wednesday"


def test_weekday_without_publication_stays_unresolved() -> None:
    fact = date_in_sentence(sentence("They met on Friday."), None, None)
    assert fact is not None and fact.value is None and fact.weekday == 4


def test_weekday_of_another_event_is_ignored() -> None:
    text = "They held talks, ahead of President Biden hosting the prime minister on Friday."
    assert find_weekday(text) is None


def test_stated_date_beats_weekday_and_takes_year_from_reference() -> None:
    fact = date_in_sentence(sentence("On April 17, commencing at 2:30 p.m., they met."),
                            D(2023, 4, 18), None)
    assert fact is not None and (fact.value, fact.basis) == (D(2023, 4, 17), "stated")


def test_a_date_range_names_an_event_not_the_meeting() -> None:
    assert date_in_sentence(sentence("Bali hosts the meeting from July 7-8."),
                            D(2022, 7, 9), None) is None


def test_today_means_the_publication_day() -> None:
    fact = date_in_sentence(sentence("The Secretary met today with the minister."),
                            D(2022, 5, 23), None)
    assert fact is not None and (fact.value, fact.basis) == (D(2022, 5, 23), "publication-date")


def test_dateline_with_and_without_year() -> None:
    fact = find_dateline(sentence("Karuizawa, Nagano Pref., April 17 (Jiji Press)--Two met."),
                         D(2023, 4, 17))
    assert fact is not None and (fact.value, fact.basis) == (D(2023, 4, 17), "date-line")
    fact = find_dateline(sentence("Tokyo, 17 April 2023 (TDI): They met."), None)
    assert fact is not None and fact.value == D(2023, 4, 17)


def test_top_date_skips_weather_widget_chrome() -> None:
    chrome = ["71.5 F", "New York", "Tuesday, June 18, 2024", "", "Headline here"]
    assert find_top_date(chrome) is None
    counter = ["Headline", "", "January 12,2023 572", "Headline"]
    assert find_top_date(counter) == (D(2023, 1, 12), 3, "January 12,2023")


# --- F1 round 2: numeric forms, site header bars, datelines without a year, unknown dates

F1_DATES = Path(__file__).parent / "data" / "f1_dates"


@pytest.mark.parametrize(("text", "expected"), [
    ("06.05.2025 21:47", D(2025, 5, 6)),           # day.month.year
    ("Issued on: 10/10/2024 - 19:22", D(2024, 10, 10)),
    ("posted 25/12/2023", D(2023, 12, 25)),         # day/month when the day is over 12
    ("posted 3/14/2024", D(2024, 3, 14)),           # month/day when only that can be a date
    ("held in New Delhi on 20 November 2023.", D(2023, 11, 20)),
])
def test_numeric_and_day_month_forms(text: str, expected: dt.date) -> None:
    found = find_dates(text)
    assert found and found[0].resolve(None) == expected


def test_numbers_that_are_not_dates() -> None:
    assert find_dates("version 1.2.3 costs 12.13.2024 units") == ()
    assert find_dates("a score of 13/13/2024 and 1/2/3") == ()


def test_january_12_2023_without_a_space_and_12_jan_2023() -> None:
    assert find_dates("January 12,2023")[0].resolve(None) == D(2023, 1, 12)
    assert find_dates("12 Jan. 2023")[0].resolve(None) == D(2023, 1, 12)


def test_on_july_28_takes_its_year_from_the_publication_date() -> None:
    fact = date_in_sentence(sentence("The ministers met on July 28 in Rome."),
                            D(2023, 8, 2), None)
    assert fact is not None and (fact.value, fact.basis) == (D(2023, 7, 28), "stated")


def test_weekday_relative_to_publication() -> None:
    fact = date_in_sentence(sentence("The ministers met on Monday in Rome."),
                            D(2024, 3, 5), None)
    assert fact is not None and fact.value == D(2024, 3, 4)


def test_leading_date_line_is_the_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(" date 2024-02-12 \nTwo ministers met on Monday.\n", encoding="utf-8")
    assert read_article(path).published == D(2024, 2, 12)


def test_site_header_bar_date_is_not_the_publication_date() -> None:
    assert is_chrome_date(["Saturday, March 9, 2024 | Login | Subscribe"], 0)
    assert not is_chrome_date(["Example News | 2025-01-08 15:12 | 1,284 views"], 0)
    article = read_article(F1_DATES / "080_header_bar.txt")
    assert article.published == D(2023, 11, 21)  # the "Updated:" line, not the header bar


def test_header_bar_alone_leaves_the_publication_date_unknown(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Wednesday, August 14, 2024  Today's Paper | Newsletter | Sign in\n\n"
                    "Remarks before their meeting\n\nWe are meeting here today.\n",
                    encoding="utf-8")
    assert read_article(path).published is None


def test_numeric_header_date_dates_a_story() -> None:
    assert read_article(F1_DATES / "081_numeric_header.txt").published == D(2025, 5, 6)


def test_dateline_without_a_year_takes_it_from_the_weekday_and_the_text() -> None:
    # Nov 20 fell on a Monday in 2017 and 2023; the text speaks of 2021, so 2023.
    article = read_article(F1_DATES / "082_dateline_no_year.txt")
    assert article.published == D(2023, 11, 20)
    assert article.published_evidence is not None
    assert article.published_evidence.text == "Oslo, Nov 20 (EXW)"


def test_date_is_null_when_nothing_dates_the_story() -> None:
    article = read_article(F1_DATES / "083_no_date.txt")
    assert article.published is None
    fact = date_in_sentence(article.sentences[-1], None, None)
    assert fact is not None and fact.value is None and fact.weekday == 4
    assert find_dateline(sentence("Oslo, Nov 20 (EXW) They met."), None) is None


def _report(ident: str, people: list[tuple[str, str]], day: dt.date | None,
            fmt: str = "phone") -> ArticleFacts:
    def person(name: str, country: str) -> PersonMention:
        return PersonMention(name, "Foreign Minister", country, True, True,
                             Evidence("participants", ident, 1, name))
    date = DateFact(day, "stated", None, Evidence("date", ident, 2, str(day))) if day else None
    facts = MeetingFacts(date=date, location=None, format=fmt, setting="standalone",
                         occasion=None, participants=tuple(person(*p) for p in people),
                         topics=(), quotes=(), outcomes=(), evidence=())
    source = SourceArticle(ident, f"seeds/{ident}.txt", "0" * 64, "utf-8", ident,
                           (Sentence(ident, 1, ident),))
    return ArticleFacts(source, (facts,))


PAIR = [("Ana Rossi", "IT"), ("Paul Tremblay", "CA")]


def test_date_from_another_source() -> None:
    undated, dated = _report("a1", PAIR, None), _report("a2", PAIR, D(2024, 3, 5))
    (meeting,) = group_articles([undated, dated], load_knowledge(None))[0]
    assert meeting.date == D(2024, 3, 5) and meeting.sources == ("a1", "a2")


def test_call_with_japan_takes_the_japanese_date() -> None:
    jp_us = [("Yoko Kamikawa", "JP"), ("Antony Blinken", "US")]
    facts = [_report("a1", jp_us, D(2024, 3, 4)), _report("a2", jp_us, D(2024, 3, 5))]
    (meeting,) = group_articles(facts, load_knowledge(None))[0]
    assert meeting.date == D(2024, 3, 5)


def test_meeting_date_is_null_when_no_source_gives_one() -> None:
    (meeting,) = group_articles([_report("a1", PAIR, None)], load_knowledge(None))[0]
    assert meeting.date is None


def test_a_day_early_next_year_is_days_ahead_not_a_year_back() -> None:
    mention = find_dates("on January 2")[0]
    assert mention.resolve(D(2022, 12, 30)) == D(2023, 1, 2)  # three days on
    assert mention.resolve(D(2022, 12, 20)) == D(2022, 1, 2)  # too far ahead: the past one
