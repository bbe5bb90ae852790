"""Places: where a meeting took place (the gazetteer itself is ``knowledge.places``).

A place counts when the text puts the meeting there ("meeting in Washington, D.C.", "in
the central Japanese town of Karuizawa", "here in Karuizawa", "welcomed ... to Tokyo").
A city named in a future-tense clause ("to be held in Hiroshima"), inside a quotation, as
part of an event's name ("the Hiroshima Summit") or as an adjective ("Australian
counterparts") is not where the meeting was. A dateline is weak evidence: a wire story is
often filed from the capital while the meeting is elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from generator.knowledge.places import Gazetteer
from generator.models import Evidence, Location, Sentence
from generator.support.memo import RecentMemo, TextMemo

RANK_STATED = 3  # in a sentence reporting the meeting
RANK_MENTIONED = 2  # in a sentence about the principals ("Hayashi and Blinken are in X")
RANK_DATELINE = 1  # the dateline only: where the story was filed
PLACE_CUE_BEFORE = 110  # characters before a place name searched for "in", "held at", tenses
HERE_IN_BEFORE = 12  # "here in" stands right before the city it names

# "in"/"at" may open the sentence ("In Tokyo on Monday, ..."); a guest is welcomed "to" a
# city after a name and title ("welcomed his British counterpart James Cleverly to Tokyo")
_BEFORE_PLACE = re.compile(
    r"(?:\b(?:[Ii]n|[Aa]t|here in|there in|town of|city of|island of|capital of|resort of|"
    r"held in|arrived in|visiting)|\b(?:welcom\w*|visit\w*|trip|travel\w*)\b[^.;]{0,70}?\bto)"
    r"\s+(?:the\s+)?(?:[A-Z][\w-]+(?:'s|’s)\s+)?$")
_AFTER_NAME = re.compile(r"^\s*(?:Summit|Declaration|Process|Format|Initiative|Agreement|"
                         r"Dialogue|Accord|Principles|Vision|Statement|Group|Protocol)\b")
_FUTURE = re.compile(r"\b(?:will|would|to be held|next|upcoming|plans? to|expected to|"
                     r"ahead of|in advance of|before|later this)\b[^,;]*$", re.IGNORECASE)
# A place named for another time ("since the meeting ... in San Francisco").
_PAST = re.compile(r"\b(?:since|last|previous|earlier this|former)\b[^,;]*$", re.IGNORECASE)
# A town placed by the city it lies near: "at La Celle-Saint-Cloud near Paris".
_NEAR = re.compile(r"\b(?:at|in|to)\s+(?P<town>[A-Z][\w'’]*(?:[- ][A-Z][\w'’]*){0,4}),?\s+"
                   r"(?:near|outside|just outside|(?:north|south|east|west)(?:-?\w+)? of)\s+"
                   r"(?P<city>[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,2})")
_HERE_IN = re.compile(r"\bhere in\s+$")
_HERE = re.compile(r"\bhere\b(?!\s+(?:is|are|was|were)\b)")
_OPEN_QUOTES = "“\""


@dataclass(frozen=True)
class PlaceFact:
    """Where one article puts a meeting: a city (or only a country) and how sure it is."""

    city: str | None
    country: str
    rank: int
    evidence: Evidence

    @property
    def location(self) -> Location | None:
        return Location(self.city, self.country) if self.city else None


def _inside_quote(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _placed(text: str, start: int, end: int, cue: re.Pattern[str] = _BEFORE_PLACE) -> bool:
    """Whether the name at ``start:end`` is where something happens (not an adjective)."""
    before = text[max(0, start - PLACE_CUE_BEFORE):start]
    if not cue.search(before) or _AFTER_NAME.match(text[end:]):
        return False
    return not _FUTURE.search(before) and not _PAST.search(before) and \
        not _inside_quote(text, start)


_COUNTRY_BEFORE = re.compile(
    r"\b(?:visiting|visits?|visit to|trip to|arrived in|(?:is|are|was|were) (?:now )?in|"
    r"(?:meeting|meetings|talks|met|held|meet)(?: \w+){0,3} in)\s+(?:the\s+)?$")


def _country_placed(text: str, start: int, end: int) -> bool:
    """A country the meeting is put in ("meeting between them in Australia")."""
    return _placed(text, start, end, _COUNTRY_BEFORE)


def places_in(sentence: Sentence, gazetteer: Gazetteer, rank: int) -> list[PlaceFact]:
    """Cities and countries a sentence puts something in, in order of position."""
    return [PlaceFact(city, country, RANK_STATED if stated else rank,
                      Evidence("location", sentence.article, sentence.line, words))
            for city, country, stated, words in _placed_names(gazetteer, sentence.text)]


Placed = tuple[str | None, str, bool, str]  # city, country, stated "here in", words


def _find_placed(gazetteer: Gazetteer, text: str) -> tuple[Placed, ...]:
    """What ``places_in`` finds in a text, before the sentence's rank is known."""
    found = _towns_near(text, gazetteer)
    for match in gazetteer.city_re.finditer(text):
        if any(match.start() <= pos + len(place[3]) for pos, place in found):
            continue  # the city a town lies near
        if _placed(text, match.start(), match.end()):
            city = gazetteer.cities[match[0]]
            here = _HERE_IN.search(text[max(0, match.start() - HERE_IN_BEFORE):match.start()])
            found.append((match.start(), (city.name, city.country, bool(here), match[0])))
    for match in gazetteer.country_re.finditer(text):
        code = gazetteer.countries[match[0]]
        if _country_placed(text, match.start(), match.end()) and not any(
                match.start() <= pos < match.end() for pos, _ in found):
            found.append((match.start(), (None, code, False, match[0])))
    return tuple(place for _, place in sorted(found, key=lambda item: item[0]))


_placed_names = TextMemo(_find_placed)


def _towns_near(text: str, gazetteer: Gazetteer) -> list[tuple[int, Placed]]:
    """Towns the gazetteer may not know, placed near a city it knows ("talks at La
    Celle-Saint-Cloud near Paris"): the town, in the city's country."""
    found = []
    for match in _NEAR.finditer(text):
        city = next((c for n, c in gazetteer.cities.items()
                     if match["city"].startswith(n)), None)
        town = gazetteer.cities.get(match["town"])
        if city is None or not _placed(text, match.start("town"), match.end("town")):
            continue
        name = town.name if town else match["town"]
        words = match[0][match.start("town") - match.start():]
        found.append((match.start("town"), (name, city.country, False, words)))
    return found


def dateline_place(sentence: Sentence, gazetteer: Gazetteer) -> PlaceFact | None:
    """The city a dateline names: "TOKYO (Kyodo) --", "Karuizawa, Nagano Pref., April 17"."""
    head = re.match(r"^\s*([A-Z][A-Za-z .'-]{1,40}?)\s*(?:,|\(|:|--|—)", sentence.text)
    if not head:
        return None
    name = head[1].strip()
    city = gazetteer.cities.get(name) or next(
        (c for alias, c in gazetteer.cities.items() if alias.upper() == name), None)
    if city is None:
        return None
    evidence = Evidence("location", sentence.article, sentence.line, head[0].strip(" ,(:-—"))
    return PlaceFact(city.name, city.country, RANK_DATELINE, evidence)


def find_place(ranked: Sequence[tuple[Sentence, int]], gazetteer: Gazetteer,
               dateline: Sentence | None = None) -> PlaceFact | None:
    """The best place for a meeting from sentences ranked by how closely they report it.

    Args:
        ranked: (sentence, rank) pairs; rank is RANK_STATED or RANK_MENTIONED.
        gazetteer: known places.
        dateline: the article's first body sentence, checked for a dateline.

    Returns:
        A city when one is found (or only a country), preferring higher ranks and earlier
        sentences; None when the text places the meeting nowhere.
    """
    return _PLACES((tuple(ranked), id(gazetteer), dateline), (gazetteer,),
                   lambda: _find_place(ranked, gazetteer, dateline))


_PLACES: RecentMemo[PlaceFact | None] = RecentMemo()


def _find_place(ranked: Sequence[tuple[Sentence, int]], gazetteer: Gazetteer,
                dateline: Sentence | None) -> PlaceFact | None:
    facts = [fact for sentence, rank in ranked for fact in places_in(sentence, gazetteer, rank)]
    if dateline is not None:
        fact = dateline_place(dateline, gazetteer)
        if fact is not None:
            here = any(rank == RANK_STATED and _says_here(sentence.text)
                       for sentence, rank in ranked)
            facts.append(replace(fact, rank=RANK_STATED) if here else fact)
    if not facts:
        return None
    best_country = max(facts, key=lambda f: f.rank).country
    cities = [f for f in facts if f.city and (f.country == best_country or f.rank > RANK_DATELINE)]
    if cities:
        top = max(f.rank for f in cities)
        return next(f for f in cities if f.rank == top)
    return max(facts, key=lambda f: f.rank)


def _says_here(text: str) -> bool:
    """Whether a sentence puts the meeting at the dateline ("talks here", "met here")."""
    return any(not _inside_quote(text, m.start()) for m in _HERE.finditer(text))


def same_place(a: str, b: str, gazetteer: Gazetteer) -> bool:
    """Whether two city names name the same place (or one lies within the other)."""
    if a == b:
        return True
    ca, cb = gazetteer.cities.get(a), gazetteer.cities.get(b)
    return bool(ca and cb and (ca.part_of == cb.name or cb.part_of == ca.name))
