"""Reading articles: publication date from the top, credits, headline, sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.sources import find_publisher, read_article

DATA = Path(__file__).parent / "data" / "a1_sources"


def test_date_under_headline_with_view_counter_is_publication() -> None:
    article = read_article(DATA / "041_counter.txt")
    assert article.published == dt.date(2024, 3, 6)
    assert article.published_evidence is not None
    assert (article.published_evidence.line, article.published_evidence.text) == (3, "March 6,2024")
    assert article.headline == "Italy and Canada deepen Arctic ties"


def test_kyodo_credit_names_the_publisher() -> None:
    assert read_article(DATA / "041_counter.txt").publisher == "Kyodo News"


def test_weather_widget_date_is_site_chrome() -> None:
    article = read_article(DATA / "040_chrome.txt")
    assert article.published is None
    assert article.headline == "Rossi and Tremblay Before Their Meeting"


def test_initials_do_not_end_sentences() -> None:
    article = read_article(DATA / "042_initials.txt")
    assert [s.text for s in article.sentences] == [
        "Secretary Paul J. Tremblay met Minister Ana M. Rossi in Vilnius.",
        "They talked for an hour."]


def test_publisher_sources() -> None:
    assert find_publisher("Copyright 2022 Anadolu Agency. All rights reserved.") == \
        "Anadolu Agency"
    assert find_publisher("TOKYO (Kyodo) -- Two ministers met.") == "Kyodo News"
    assert find_publisher("The talks went well, according to Kyodo News.") is None


def test_leading_date_line_and_weekday_inference(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(" date 2022-02-11 Text here.\n", encoding="utf-8")
    assert read_article(path).published == dt.date(2022, 2, 11)
    path.write_text("Two ministers on Monday agreed to meet more often, officials said.\n\n"
                    "Photo taken on April 17, 2023. (Pool photo)\n", encoding="utf-8")
    assert read_article(path).published == dt.date(2023, 4, 17)
