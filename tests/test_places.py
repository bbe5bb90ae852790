"""Places: the gazetteer and where a sentence puts a meeting."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import DataError
from generator.extract.places import (
    RANK_DATELINE,
    RANK_STATED,
    dateline_place,
    find_place,
    places_in,
    same_place,
)
from generator.knowledge.places import Gazetteer, load_places
from generator.models import Sentence

DATA = Path(__file__).parent.parent / "generator" / "knowledge" / "data" / "places.yaml"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_places(DATA)


def s(text: str, line: int = 1) -> Sentence:
    return Sentence("a", line, text)


def test_gazetteer_is_broad(gazetteer: Gazetteer) -> None:
    for city, code in [("Karuizawa", "JP"), ("Melbourne", "AU"), ("Brussels", "BE"),
                       ("Vilnius", "LT"), ("New Delhi", "IN"), ("Jakarta", "ID"),
                       ("Washington, D.C.", "US"), ("Buenos Aires", "AR"), ("Nairobi", "KE")]:
        assert gazetteer.cities[city].country == code
    assert gazetteer.country_code("Australia") == "AU"
    assert gazetteer.country_code("Britain") == "GB"
    assert gazetteer.short_name("US") == "U.S."


def test_washington_dc(gazetteer: Gazetteer) -> None:
    (fact,) = places_in(s("the 2+2 meeting in Washington, D.C., on Wednesday"), gazetteer, 3)
    assert (fact.city, fact.country) == ("Washington", "US")
    assert fact.evidence.text == "Washington, D.C."


def test_country_named_but_adjective_is_not_a_place(gazetteer: Gazetteer) -> None:
    (fact,) = places_in(s("In a bilateral meeting between them in Australia, they met."),
                        gazetteer, 3)
    assert (fact.city, fact.country) == (None, "AU")
    assert places_in(s("They will join their Australian counterparts."), gazetteer, 3) == []


def test_future_event_names_and_quotes_are_not_the_place(gazetteer: Gazetteer) -> None:
    assert places_in(s("It culminates in the Hiroshima Summit."), gazetteer, 3) == []
    assert places_in(s("The meeting to be held in Hiroshima in May."), gazetteer, 3) == []
    assert places_in(s("He said “we met in Paris once”."), gazetteer, 3) == []


def test_town_of_and_here_in(gazetteer: Gazetteer) -> None:
    (fact,) = places_in(s("in the central Japanese town of Karuizawa, Nagano"), gazetteer, 3)
    assert fact.city == "Karuizawa"
    (fact,) = places_in(s("We appreciate you being here in Karuizawa."), gazetteer, 2)
    assert fact.city == "Karuizawa"


def test_city_beats_country_and_dateline_is_weak(gazetteer: Gazetteer) -> None:
    ranked = [(s("They met in Japan on Monday."), RANK_STATED),
              (s("The two are in Osaka for a summit.", 3), 2)]
    fact = find_place(ranked, gazetteer, s("TOKYO (Kyodo) -- Two ministers met."))
    assert fact is not None and fact.city == "Osaka"
    line = dateline_place(s("TOKYO (Kyodo) -- Two ministers met."), gazetteer)
    assert line is not None and (line.city, line.rank) == ("Tokyo", RANK_DATELINE)


def test_part_of(gazetteer: Gazetteer) -> None:
    assert same_place("Nusa Dua", "Bali", gazetteer)
    assert not same_place("Tokyo", "Karuizawa", gazetteer)


def test_bad_entry_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text("cities:\n  - {name: Tokyo, country: JP}\n  - {name: Nowhere}\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_places(path)
    assert str(err.value.problems[0]).startswith(f"{path}:3: ")


def test_here_in_a_report_makes_the_dateline_the_place(gazetteer: Gazetteer) -> None:
    dateline = s("Canberra, Nov 6 (PTI) The ministers held their dialogue here.")
    elsewhere = s("He began his visit in Brisbane on Sunday.", 2)
    place = find_place([(dateline, RANK_STATED), (elsewhere, 2)], gazetteer, dateline)
    assert place is not None and (place.city, place.rank) == ("Canberra", RANK_STATED)
    quoted = s('Canberra, Nov 6 (PTI) The ministers met. "We are glad to be here," he said.')
    place = find_place([(quoted, RANK_STATED), (elsewhere, 2)], gazetteer, quoted)
    assert place is not None and place.city == "Brisbane"


# --- F1 round 2: towns near a city, places of other times, "here in", "visiting"

def test_town_near_a_known_city_is_the_place(gazetteer: Gazetteer) -> None:
    (fact,) = places_in(s("The ministers met on Monday at Grand-Vallon near Paris."),
                        gazetteer, RANK_STATED)
    assert (fact.city, fact.country) == ("Grand-Vallon", "FR")
    (fact,) = places_in(s("She travelled to Le Petit-Bois, west of Madrid, for the talks."),
                        gazetteer, RANK_STATED)
    assert (fact.city, fact.country) == ("Le Petit-Bois", "ES")


def test_place_of_an_earlier_event_is_not_the_place(gazetteer: Gazetteer) -> None:
    text = "They met today for the first time since the change of government in Warsaw."
    assert places_in(s(text), gazetteer, RANK_STATED) == []
    text = "We have talked often since the meeting of our presidents in San Francisco."
    assert places_in(s(text), gazetteer, RANK_STATED) == []


def test_here_in_a_city_beats_a_city_mentioned_elsewhere(gazetteer: Gazetteer) -> None:
    here = s("It is good to be together here in Vientiane, Director Wang.")
    other = s("The meeting followed talks held in Tokyo.", 2)
    place = find_place([(here, 2), (other, RANK_STATED)], gazetteer)
    assert place is not None and (place.city, place.rank) == ("Vientiane", RANK_STATED)


def test_visiting_a_city_places_the_meeting(gazetteer: Gazetteer) -> None:
    text = "The minister, who is visiting Vientiane to attend the meetings, met Wang."
    (fact,) = places_in(s(text), gazetteer, RANK_STATED)
    assert fact.city == "Vientiane"


@pytest.mark.parametrize("text", [
    "In Nairobi on Monday, the two foreign ministers met for talks on trade.",
    "At Nairobi's State House, the two ministers held talks.",
    "Minister Ruto welcomed his Brazilian counterpart Mauro Vieira to Nairobi on Monday.",
])
def test_a_sentence_opening_in_a_city_or_welcoming_a_guest_places_the_meeting(
        gazetteer: Gazetteer, text: str) -> None:
    assert [f.city for f in places_in(s(text), gazetteer, RANK_STATED)] == ["Nairobi"]


def test_a_welcome_far_from_the_city_places_nothing(gazetteer: Gazetteer) -> None:
    text = ("The minister welcomed the decision taken at the long and difficult session of "
            "the council last year and looked to Nairobi.")
    assert places_in(s(text), gazetteer, RANK_STATED) == []
