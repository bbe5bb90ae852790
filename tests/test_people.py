"""People: the directory, name forms, roles by date, role phrases, principals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import DataError
from generator.extract.masthead import read_article
from generator.extract.people import PeopleDirectory, find_people, load_people
from generator.models import PersonMention, Sentence

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PEOPLE = ROOT / "generator" / "knowledge" / "data" / "people.yaml"


@pytest.fixture(scope="module")
def directory() -> PeopleDirectory:
    return load_people(PEOPLE)


def people_in(text: str, directory: PeopleDirectory,
              on: dt.date | None = dt.date(2023, 1, 11)) -> dict[str, PersonMention]:
    sentences = [Sentence("t", 1, text)]
    return {p.name: p for p in find_people(sentences, directory, on)}


def article_people(name: str, directory: PeopleDirectory,
                   on: dt.date | None) -> dict[str, PersonMention]:
    article = read_article(DATA / "a2_people" / name)
    return {p.name: p for p in find_people(article.sentences, directory, on)}


@pytest.mark.parametrize(("name", "title", "start", "end"), [
    ("Yoshimasa Hayashi", "Minister for Foreign Affairs", "2021-11-10", "2023-09-13"),
    ("Antony Blinken", "Secretary of State", "2021-01-26", "2025-01-20"),
    ("James Cleverly", "Foreign Secretary", "2022-09-06", "2023-11-13"),
    ("Annalena Baerbock", "Foreign Minister", "2021-12-08", "2025-05-06"),
])
def test_shipped_roles_are_accurate(directory: PeopleDirectory, name: str, title: str,
                                    start: str, end: str) -> None:
    person = directory.lookup(name)
    assert person is not None
    role = next(r for r in person.roles if r.title == title)
    assert (role.start, role.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_ships_ministers_of_many_countries(directory: PeopleDirectory) -> None:
    for name in ("Lloyd Austin", "Yasukazu Hamada", "Yoko Kamikawa", "Takeshi Iwaya",
                 "Marco Rubio", "Wang Yi", "Park Jin", "Cho Tae-yul", "Penny Wong",
                 "S. Jaishankar", "Dmytro Kuleba", "Andrii Sybiha", "Sergey Lavrov"):
        assert directory.lookup(name) is not None, name


@pytest.mark.parametrize("written", [
    "Hayashi Yoshimasa", "HAYASHI Yoshimasa", "Mr. HAYASHI Yoshimasa", "Yoshimasa Hayashi",
    "Yohimasa Hayashi",  # a typo
])
def test_name_forms_give_the_normalised_name(directory: PeopleDirectory, written: str) -> None:
    found = people_in(f"Foreign Minister {written} spoke to reporters.", directory)
    assert list(found) == ["Yoshimasa Hayashi"]


@pytest.mark.parametrize(("written", "name"), [
    ("Antony J. Blinken", "Antony Blinken"), ("Lloyd J. Austin III", "Lloyd Austin"),
    ("Cho Tae-yul", "Cho Tae-yul"),
])
def test_initials_and_suffixes_are_ignored(directory: PeopleDirectory, written: str,
                                           name: str) -> None:
    assert list(people_in(f"{written} arrived in Tokyo.", directory)) == [name]


def test_role_is_the_one_held_on_the_day(directory: PeopleDirectory) -> None:
    text = "Yoshimasa Hayashi met Antony Blinken."
    assert people_in(text, directory, dt.date(2022, 5, 23))["Yoshimasa Hayashi"].role == (
        "Minister for Foreign Affairs")
    assert people_in(text, directory, dt.date(2024, 3, 1))["Yoshimasa Hayashi"].role == (
        "Chief Cabinet Secretary")
    assert people_in(text, directory, dt.date(2023, 10, 1))["Yoshimasa Hayashi"].role is None


def test_former_minister_is_not_the_minister(directory: PeopleDirectory) -> None:
    found = article_people("transcript.txt", directory, dt.date(2021, 11, 13))
    motegi = found["Toshimitsu Motegi"]
    assert motegi.role is None and not motegi.principal
    assert found["Yoshimasa Hayashi"].principal and found["Antony Blinken"].principal


def test_role_phrases_recognise_unknown_people(directory: PeopleDirectory) -> None:
    found = article_people("principals.txt", directory, dt.date(2023, 4, 17))
    oakridge, vale = found["Maren Oakridge"], found["Teodor Vale"]
    assert (oakridge.role, oakridge.known, oakridge.principal) == ("Foreign Minister", False,
                                                                   True)
    assert vale.principal and not vale.known
    british = people_in("He met his British counterpart Jonas Whitcombe.", directory)
    assert british["Jonas Whitcombe"].country == "GB"
    german = people_in("German Foreign Minister Erika Feldmann arrived.", directory)
    assert (german["Erika Feldmann"].role, german["Erika Feldmann"].country) == (
        "Foreign Minister", "DE")
    assert people_in("Defense Secretary Harlow said so.", directory)["Harlow"].role == (
        "Secretary of Defense")


def test_principals_apart_from_people_mentioned(directory: PeopleDirectory) -> None:
    found = article_people("principals.txt", directory, dt.date(2023, 4, 17))
    principals = sorted(n for n, p in found.items() if p.principal)
    assert principals == ["James Cleverly", "Maren Oakridge", "Teodor Vale",
                          "Yoshimasa Hayashi"]
    for name in ("Fumio Kishida", "Donald Trump", "Volodymyr Zelensky"):
        assert not found[name].principal, name
    assert "Antony Blinken" not in found  # an image credit names nobody
    assert found["Donald Trump"].role is None  # not president in 2023


def test_attended_by_lists_every_participant(directory: PeopleDirectory) -> None:
    found = article_people("attended.txt", directory, dt.date(2023, 1, 11))
    assert list(found) == ["Antony Blinken", "Lloyd Austin", "Yoshimasa Hayashi",
                           "Yasukazu Hamada"]
    assert all(p.principal for p in found.values())
    assert found["Yasukazu Hamada"].role == "Minister of Defense"
    assert found["Lloyd Austin"].evidence.line == 1  # not the photo caption on line 3


def test_evidence_points_at_the_source(directory: PeopleDirectory) -> None:
    found = article_people("principals.txt", directory, None)
    cleverly = found["James Cleverly"]
    assert (cleverly.evidence.field, cleverly.evidence.article, cleverly.evidence.line) == (
        "participants", "principals", 3)
    assert "James Cleverly" in cleverly.evidence.text
    assert found["Fumio Kishida"].evidence.field == "people"


def test_each_person_once(directory: PeopleDirectory) -> None:
    text = "Blinken met Wang Yi. Antony Blinken and Wang discussed Taiwan."
    sentences = [Sentence("t", 1, s) for s in text.split(". ")]
    names = [p.name for p in find_people(sentences, directory, dt.date(2022, 7, 9))]
    assert names == ["Antony Blinken", "Wang Yi"]


def test_bad_people_file_reports_every_problem() -> None:
    with pytest.raises(DataError) as caught:
        load_people(DATA / "a2_bad_people" / "people.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 3
    assert any(":7: Bad Country: country" in m for m in messages)
    assert any(":10: Bad Dates: role 'Secretary of State' ends before it starts" in m
               for m in messages)
    assert any(":14: person: expected a mapping with a `name`" in m for m in messages)


def test_unreadable_people_file(tmp_path: Path) -> None:
    bad = tmp_path / "people.yaml"
    bad.write_text("people: [\n", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read people file"):
        load_people(bad)


def test_direct_object_of_met_is_a_principal(directory: PeopleDirectory) -> None:
    found = people_in("External Affairs Minister S. Jaishankar met Australian Foreign Minister "
                      "Penny Wong in Delhi.", directory, dt.date(2023, 3, 2))
    assert [n for n, p in found.items() if p.principal] == ["S. Jaishankar", "Penny Wong"]
    assert found["S. Jaishankar"].role == "Minister of External Affairs"


def test_leaders_in_a_ministers_meeting_are_mentioned_only(
        directory: PeopleDirectory) -> None:
    sentences = [Sentence("t", 1, "Foreign Minister Yoshimasa Hayashi held talks with Secretary "
                                  "of State Antony Blinken."),
                 Sentence("t", 3, "Prime Minister Fumio Kishida and President Joe Biden agreed "
                                  "to meet in May.")]
    found = {p.name: p.principal for p in find_people(sentences, directory, dt.date(2023, 1, 11))}
    assert found == {"Yoshimasa Hayashi": True, "Antony Blinken": True, "Fumio Kishida": False,
                     "Joe Biden": False}
    summit = people_in("President Joe Biden met with Prime Minister Fumio Kishida at the "
                       "White House.", directory, dt.date(2023, 1, 13))
    assert all(p.principal for p in summit.values()) and len(summit) == 2


def test_spokesperson_with_nationality_before_the_ministry(directory: PeopleDirectory) -> None:
    found = people_in("Chinese Foreign Ministry spokesperson Wang Wenbin said the talks with "
                      "Wang Yi were candid.", directory, dt.date(2022, 7, 9))
    wenbin = found["Wang Wenbin"]
    assert (wenbin.role, wenbin.country, wenbin.known, wenbin.principal) == (
        "Spokesperson", "CN", False, False)
    assert found["Wang Yi"].role == "Minister of Foreign Affairs"


# --- F2: principals, name forms, roles and coverage ------------------------------------------

F2 = DATA / "f2_people"


def principals_in(text: str, directory: PeopleDirectory,
                  on: dt.date | None = dt.date(2024, 9, 24)) -> list[str]:
    return sorted(n for n, p in people_in(text, directory, on).items() if p.principal)


def test_a_meeting_still_to_come_makes_no_principal(directory: PeopleDirectory) -> None:
    due = people_in("Blinken later travels to Manila, where he and Defense Secretary Lloyd "
                    "Austin are due to hold talks with their counterparts.", directory,
                    dt.date(2024, 7, 26))
    assert not due["Lloyd Austin"].principal
    hope = people_in("Iwaya said he also hopes to hold talks with South Korean Foreign "
                     "Minister Cho Tae-yul.", directory, dt.date(2024, 10, 1))
    assert not hope["Cho Tae-yul"].principal


def test_video_conference_call_and_hosting_are_meetings(directory: PeopleDirectory) -> None:
    assert principals_in("Foreign Minister Andrii Sybiha held a video conference with Federal "
                         "Minister for Foreign Affairs Annalena Baerbock.", directory) == [
        "Andrii Sybiha", "Annalena Baerbock"]
    assert principals_in("German Foreign Minister Annalena Baerbock on Monday promised more "
                         "help in a video call with her Ukrainian counterpart Andriy Sybiha.",
                         directory) == ["Andrii Sybiha", "Annalena Baerbock"]
    assert principals_in("Defence Minister Rajnath Singh hosted Defense Secretary Lloyd Austin "
                         "in New Delhi.", directory, dt.date(2023, 11, 10)) == [
        "Lloyd Austin", "Rajnath Singh"]


def test_honorifics_are_not_people(directory: PeopleDirectory) -> None:
    found = people_in("Australia's Minister for Foreign Affairs, Senator the Hon Penny Wong, "
                      "and India's External Affairs Minister, Dr S. Jaishankar, met in Canberra.",
                      directory, dt.date(2024, 11, 6))
    assert sorted(found) == ["Penny Wong", "S. Jaishankar"]
    unknown = people_in("Foreign Minister H.E. Mr. Ahmed Bello met the press.", directory)
    assert "Ahmed Bello" in unknown


def test_role_phrases_with_particles_nationalities_and_counterparts(
        directory: PeopleDirectory) -> None:
    found = people_in("Chilean Foreign Minister Alberto van Klaveren met his Peruvian "
                      "counterpart Elmer Schialer in Lima.", directory)
    assert (found["Alberto van Klaveren"].role, found["Alberto van Klaveren"].country) == (
        "Foreign Minister", "CL")
    assert found["Elmer Schialer"].country == "PE"
    assert all(p.principal and not p.known for p in found.values())


@pytest.mark.parametrize(("text", "name"), [
    ("India's External Affairs Minister Dr. S. Jaishanker met the press.", "S. Jaishankar"),
    ("Foreign Minister Stephane Sejourne met the press.", "Stéphane Séjourné"),
    ("Foreign Minister Radoslaw Sikorski met the press.", "Radosław Sikorski"),
    ("Foreign Minister Andriy Sybiha met the press.", "Andrii Sybiha"),
    ("Foreign Minister Dmitriy Kuleba met the press.", "Dmytro Kuleba"),
    ("Mr. IWAYA Takeshi met the press.", "Takeshi Iwaya"),
])
def test_spellings_typos_and_accents(directory: PeopleDirectory, text: str, name: str) -> None:
    assert name in people_in(text, directory, dt.date(2024, 10, 2))


def test_a_misspelt_family_name_alone(directory: PeopleDirectory) -> None:
    sentences = [Sentence("t", 1, "Secretary of State Antony Blinken arrived on Thursday."),
                 Sentence("t", 2, "Jaishankar met Blinkin on Friday."),
                 Sentence("t", 3, "Minister Kamikwa spoke to reporters.")]
    found = {p.name for p in find_people(sentences, directory, dt.date(2024, 7, 26))}
    assert found == {"Antony Blinken", "S. Jaishankar", "Yoko Kamikawa"}
    assert directory.near_family("Cameroon") is None  # a country is not a misspelt Cameron


def test_a_role_is_held_up_to_its_handover_day_and_not_after(
        directory: PeopleDirectory) -> None:
    person = directory.lookup("Annalena Baerbock")
    assert person is not None
    role = person.role_on(dt.date(2025, 5, 6))  # her farewell call, the day she handed over
    assert role is not None and role.title == "Foreign Minister"
    assert person.role_on(dt.date(2025, 5, 7)) is None
    kamikawa = directory.lookup("Yoko Kamikawa")
    assert kamikawa is not None and kamikawa.role_on(dt.date(2024, 10, 2)) is None


def test_ships_ministers_beyond_the_g7(directory: PeopleDirectory) -> None:
    on = dt.date(2024, 9, 24)
    expected = {"Musalia Mudavadi": "KE", "Radosław Sikorski": "PL", "Mauro Vieira": "BR",
                "Hakan Fidan": "TR", "Faisal bin Farhan": "SA", "Ronald Lamola": "ZA",
                "Juan Ramón de la Fuente": "MX", "Bui Thanh Son": "VN", "Mohamad Hasan": "MY",
                "Władysław Kosiniak-Kamysz": "PL", "Yaşar Güler": "TR"}
    for name, country in expected.items():
        person = directory.lookup(name)
        assert person is not None, name
        assert person.country == country
    sikorski = directory.lookup("Radoslaw Sikorski")
    assert sikorski is not None and sikorski.role_on(on) is not None
    assert sikorski.role_on(dt.date(2020, 1, 1)) is None  # out of office then


def test_unga_sidelines_readout(directory: PeopleDirectory) -> None:
    article = read_article(F2 / "sidelines.txt")
    found = {p.name: p for p in find_people(article.sentences, directory,
                                            dt.date(2024, 9, 24))}
    principals = sorted(n for n, p in found.items() if p.principal)
    assert principals == ["Musalia Mudavadi", "Radosław Sikorski"]
    for name in ("William Ruto", "Mauro Vieira", "Alberto van Klaveren"):
        assert name in found and not found[name].principal, name
    assert found["Musalia Mudavadi"].role == ("Prime Cabinet Secretary and Cabinet Secretary "
                                              "for Foreign and Diaspora Affairs")


def test_an_institution_in_a_role_phrase_is_not_a_person(directory: PeopleDirectory) -> None:
    found = people_in("Ms. KAMIKAWA Yoko held talks with Mr. WANG Yi, Director of the Office "
                      "of the National Security Commission, Minister of Foreign Affairs of "
                      "the People's Republic of China.", directory, dt.date(2024, 7, 26))
    assert sorted(found) == ["Wang Yi", "Yoko Kamikawa"]
    assert directory.is_body("Central Planning Bureau") and not directory.is_body("Ana Ruiz")


def test_a_typo_next_to_a_middle_initial(directory: PeopleDirectory) -> None:
    assert "Antony Blinken" in people_in("Secretary Antony J. Blinkin arrived in Laos.",
                                         directory, dt.date(2024, 7, 26))


@pytest.mark.parametrize(("text", "expected"), [
    # a relative clause between the subject and its verb
    ("Norwegian Foreign Minister Ola Berg, who is visiting Hanoi, Vietnam, to attend a forum, "
     "held a bilateral meeting with Vietnamese Foreign Minister Tran Van Nam.",
     ["Ola Berg", "Tran Van Nam"]),
    # the subject taken up by a pronoun: "where she was hosted by"
    ("Chilean Foreign Minister Ana Ruiz travelled to Lima, where she was hosted by Peruvian "
     "Foreign Minister Elmer Soto.", ["Ana Ruiz", "Elmer Soto"]),
    # "welcomed" with a person as its object
    ("Foreign Secretary David Lammy today welcomed French Minister for Europe and Foreign "
     "Affairs Jean-Noël Barrot to London.", ["David Lammy", "Jean-Noël Barrot"]),
    # delegations led by ministers
    ("Jaishankar and Rajnath Singh led the Indian side, while the Australian delegation was "
     "led by Richard Marles and Foreign Minister Penny Wong.",
     ["Penny Wong", "Rajnath Singh", "Richard Marles", "S. Jaishankar"]),
    ("Chilean Foreign Minister Ana Ruiz paid a courtesy call on Prime Minister Ola Berg.",
     ["Ana Ruiz", "Ola Berg"]),
    ("Foreign Minister Ana Ruiz of Chile sat down with Peru's Foreign Minister Elmer Soto.",
     ["Ana Ruiz", "Elmer Soto"]),
    ("Foreign Minister Ana Ruiz and Foreign Minister Elmer Soto co-chaired the commission.",
     ["Ana Ruiz", "Elmer Soto"]),
])
def test_more_ways_to_say_who_met(directory: PeopleDirectory, text: str,
                                  expected: list[str]) -> None:
    assert principals_in(text, directory, dt.date(2024, 10, 10)) == expected


@pytest.mark.parametrize("text", [
    "David Lammy welcomed the decision of Foreign Minister Ana Ruiz's government.",
    "Lammy is scheduled to return to London to host a security meeting on Sunday with "
    "Secretary of State Antony Blinken.",
])
def test_no_meeting_without_a_person_met_or_when_it_is_still_to_come(
        directory: PeopleDirectory, text: str) -> None:
    assert "David Lammy" not in principals_in(text, directory, dt.date(2024, 10, 10))
    assert "Antony Blinken" not in principals_in(text, directory, dt.date(2024, 10, 10))


def test_ships_more_ministers_and_leaders(directory: PeopleDirectory) -> None:
    for name, day, title in [("Peter Szijjarto", "2024-05-01", "Minister of Foreign Affairs "
                              "and Trade"),
                             ("Antonio Costa", "2025-02-01", "President of the European "
                              "Council"),
                             ("Antonio Costa", "2023-02-01", "Prime Minister"),
                             ("Gabrielius Landsbergis", "2024-01-10", "Minister of Foreign "
                              "Affairs")]:
        person = directory.lookup(name)
        assert person is not None, name
        role = person.role_on(dt.date.fromisoformat(day))
        assert role is not None and role.title == title, name


def test_a_country_after_the_name(directory: PeopleDirectory) -> None:
    found = people_in("Foreign Minister Ana Ruiz of Chile arrived.", directory)
    assert (found["Ana Ruiz"].role, found["Ana Ruiz"].country) == ("Foreign Minister", "CL")


def test_a_formal_state_name_after_the_role(directory: PeopleDirectory) -> None:
    found = people_in("Minister Kamikawa held a meeting with H.E. Mr. Ahmed Attaf, Minister of "
                      "Foreign Affairs of the People's Democratic Republic of Algeria.",
                      directory, dt.date(2024, 7, 26))
    attaf = found["Ahmed Attaf"]
    assert (attaf.role, attaf.country, attaf.principal) == ("Minister of Foreign Affairs",
                                                            "DZ", True)


def test_an_earlier_meeting_the_visit_follows_is_background(directory: PeopleDirectory) -> None:
    assert principals_in("The visit follows the Prime Minister's talks with President "
                         "Emmanuel Macron in Paris.", directory) == []
    assert principals_in("The call comes after Foreign Minister Ana Ruiz met Foreign Minister "
                         "Elmer Soto in Lima.", directory) == []
