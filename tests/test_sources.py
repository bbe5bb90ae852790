"""Reading articles: publication date from the top, credits, headline, sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import pipeline
from generator.extract.masthead import find_publisher, read_article
from generator.knowledge import load_knowledge

AGENCIES = load_knowledge().places.agencies  # the packaged gazetteer's

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
    assert find_publisher("Copyright 2022 Anadolu Agency. All rights reserved.", AGENCIES) == \
        "Anadolu Agency"
    assert find_publisher("TOKYO (Kyodo) -- Two ministers met.", AGENCIES) == "Kyodo News"
    assert find_publisher("The talks went well, according to Kyodo News.", AGENCIES) is None


def test_leading_date_line_and_weekday_inference(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(" date 2022-02-11 Text here.\n", encoding="utf-8")
    assert read_article(path).published == dt.date(2022, 2, 11)
    path.write_text("Two ministers on Monday agreed to meet more often, officials said.\n\n"
                    "Photo taken on April 17, 2023. (Pool photo)\n", encoding="utf-8")
    assert read_article(path).published == dt.date(2023, 4, 17)


# --- F1: publishers, site dates, sentences (tests/data/f1_sources)

F1 = Path(__file__).parent / "data" / "f1_sources"


@pytest.mark.parametrize(("text", "publisher"), [
    ("VIENTIANE, July 26 (Reuters) - Two ministers met.", "Reuters"),
    ("New Delhi, Nov 10 (PTI) India and the US on Friday held talks.", "Press Trust of India"),
    ("TOKYO, April 17 (Jiji Press)--Two ministers met.", "Jiji Press"),
    ("ST. LOUIS (STL.News) - Two ministers met on Monday.", "STL.News"),
    ("Berlin (AFP) - Two ministers spoke by video.", "Agence France-Presse"),
    ("Headline here\n\nBy Jane Doe, Example News\n\nTwo ministers met.", "Example News"),
    ("The US Department of State released the following statement today.",
     "U.S. Department of State"),
    ("An official website of the United States government\n"
     "A .gov website belongs to an official government organization in the United States.\n"
     "Readout of the U.S. Department of State call", "U.S. Department of State"),
    ("Ministry of Foreign Affairs of Japan\nHome > Foreign Policy\n\nTalks",
     "Ministry of Foreign Affairs of Japan"),
    ("Example Times | World | Politics | Sport\n\nTwo ministers met.", "Example Times"),
    ("Two ministers met on Monday.\n\nThe Canadian Press", "The Canadian Press"),
    ("Text.\n\n(c) Example Times 2024", "Example Times"),
    ("Prime Minister Kishida (LDP) said he would visit.", None),
])
def test_publisher_from_credits_bylines_and_site_chrome(text: str, publisher: str | None) -> None:
    assert find_publisher(text, AGENCIES) == publisher


def test_copy_on_another_site_keeps_its_story_date_publisher_and_rights() -> None:
    article = read_article(F1 / "060_site_copy.txt")
    # the date at the top is the site's display date: the dateline says March 5
    assert article.published == dt.date(2024, 3, 5)
    assert article.publisher == "ExampleDaily"
    assert article.rights == "All rights reserved."
    assert article.headline == "Rossi and Tremblay agree on Arctic research in Vilnius talks"
    assert read_article(F1 / "061_original.txt").publisher == "Reuters"


def test_times_honorifics_and_paragraph_numbers_do_not_end_sentences() -> None:
    article = read_article(F1 / "062_mofa.txt")
    assert article.publisher == "Ministry of Foreign Affairs of Italy"
    assert article.headline == "Italy-Canada Foreign Ministers' Meeting"
    long_one = next(s.text for s in article.sentences if "ROSSI" in s.text)
    assert long_one.startswith("1. On March 5")
    assert "H.E. Mr. Paul TREMBLAY" in long_one


def test_a_sites_own_agencies_name_the_publisher(tmp_path: Path) -> None:
    """The news agencies of a content folder's own places.yaml are the ones publisher
    detection uses (the packaged list only when the site has none)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Ministers meet in Oslo\n\nOSLO, May 3 (Nordwire) -- The foreign ministers of Norway "
        "and Japan met in Oslo on Tuesday and agreed to deepen their cooperation.\n", "utf-8")
    packaged = pipeline.load_knowledge(None).places
    assert "Nordwire" not in packaged.agencies
    content = tmp_path / "content"
    pipeline.ingest(seeds, content, tmp_path, workers=1)
    before = pipeline.load(content)[0].articles[0].publisher
    own = content / "data" / "places.yaml"
    own.parent.mkdir()
    places = Path(pipeline.__file__).parent / "knowledge" / "data" / "places.yaml"
    own.write_text(places.read_text("utf-8").replace(
        "agencies:\n", "agencies:\n  - {name: Nordic Wire Service, aliases: [Nordwire]}\n", 1),
        "utf-8")
    pipeline.ingest(seeds, content, tmp_path, workers=1)
    assert pipeline.load(content)[0].articles[0].publisher == "Nordic Wire Service" != before
