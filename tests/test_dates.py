"""Dates: explicit forms, weekdays against the publication date, datelines, chrome."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.extract.dates import (
    date_in_sentence,
    find_dateline,
    find_dates,
    find_top_date,
    find_weekday,
    weekday_before,
)
from generator.models import Sentence

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
