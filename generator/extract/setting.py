"""Meeting format (in person, phone, video), setting and the occasion it was held at."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.knowledge.places import Event, Gazetteer
from generator.models import Evidence, PersonMention, Sentence
from generator.support.memo import MEMO_SIZE, TextMemo
from generator.support.prefilter import quick

PHONE = quick(
    r"\b(?:tele)?phone(?:d)?\b|\bby (?:tele)?phone\b|\b(?:held|had|made|received|took|in) "
    r"(?:a|an|their|the) (?:\w+[- ]){0,3}call\b|\bcall(?:s)? (?:with|between)\b",
    re.IGNORECASE)
VIDEO = quick(r"\bvideo[- ]?(?:conference|call|link|talks?|meeting)s?\b|"
              r"\bvideoconferenc\w*|\bvirtual (?:meeting|talks?|summit)s?\b|"
              r"\bonline (?:meeting|talks?|summit)s?\b|\b(?:by|via|over) video\b",
              re.IGNORECASE)
NOT_NOW = quick(r"\b(?:toward|towards) holding|\bto hold\b|\bseeking\b|\bwill\b|"
                r"\bnext\b|\bupcoming\b|\bprevious\b|\blast (?:week|month|year)\b|"
                r"\bsince\b|\bachievement\b|\bbased on\b|\bplans?\b", re.IGNORECASE)
RELATION = quick(r"\b(?:sidelines?|margins?|fringes?|on the occasion of|attend\w*|"
                 r"meetings? (?:involving|of)|gathering of|series of|"
                 r"for (?:a|the) (?:\w+ )?meeting of|ahead of|in advance of|after|during|"
                 r"at the|for the|join)\b", re.IGNORECASE)
LEADER_VISIT = quick(
    r"\bvisit\w* (?P<country>[A-Z][\w.]+(?: [A-Z]\w+)?) (?:with|alongside|accompanying) "
    r"(?P<title>President|Prime Minister|Chancellor|King|Premier) (?P<name>[A-Z][\w-]+)")
# "on the sidelines of a regional gathering": sidelines even when the event is not named.
ASIDE = quick(r"\b(?:on|at|along) the (?:sidelines?|margins?|fringes?|side) of\b",
              re.IGNORECASE)
GROUP_CUE = quick(r"\b(?i:trilateral|three-way|tripartite|triangle|quadrilateral|"
                  r"multilateral|foreign ministers of|ministers of the (?:three|four))\b|"
                  r"\b[A-Z][\w.]*[-–][A-Z][\w.]*[-–][A-Z][\w.]*")
DEFENCE = re.compile(r"defen[cs]e", re.IGNORECASE)
FOREIGN = re.compile(r"foreign|secretary of state|external affairs", re.IGNORECASE)
NOT_NOW_WINDOW = 60  # characters before a format cue searched for another time ("will")
OCCASION_AFTER = 60  # characters after an event's name that say which meeting of it
RELATION_WINDOW = 120  # characters before an event's name that may tie the meeting to it
TWO_PLUS_TWO_PEOPLE = 4  # a foreign and a defence minister from each of the two countries
TRILATERAL_COUNTRIES = 3
MULTILATERAL_COUNTRIES = 4  # four countries or more


@dataclass(frozen=True)
class SettingFacts:
    format: str
    setting: str
    occasion: str | None
    evidence: tuple[Evidence, ...]


def _ev(field: str, sentence: Sentence, text: str) -> Evidence:
    return Evidence(field, sentence.article, sentence.line, text)


def find_format(sentences: Sequence[Sentence]) -> tuple[str, Evidence | None]:
    """``phone``, ``video`` or ``in_person`` from the sentences reporting the meeting.

    "Video" anywhere wins over a bare "call" elsewhere: a headline's "call with" and the
    body's "video call" are one video call.
    """
    for fmt, pattern in (("video", VIDEO), ("phone", PHONE)):
        for sentence in sentences:
            for match in pattern.finditer(sentence.text):
                before = sentence.text[max(0, match.start() - NOT_NOW_WINDOW):match.start()]
                if not NOT_NOW.search(before):
                    return fmt, _ev("format", sentence, match[0])
    return "in_person", None


def _event_matches(text: str, events: Sequence[Event]) -> Sequence[tuple[int, int, Event]]:
    """Where ``text`` names an event (by any alias), by start, longest first."""
    return _events_in(events, text)


def _find_events(events: Sequence[Event], text: str) -> tuple[tuple[int, int, Event], ...]:
    found = []
    for event in events:
        for alias in sorted(event.aliases, key=len, reverse=True):
            if alias not in text:  # the pattern matches the alias as written, or not at all
                continue
            for match in _alias_re(alias).finditer(text):
                found.append((match.start(), match.end(), event))
    return tuple(sorted(found, key=lambda item: (item[0], -item[1])))


_events_in = TextMemo(_find_events)


@lru_cache(maxsize=MEMO_SIZE)
def _alias_re(alias: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])")


def _ministers_only(people: Sequence[PersonMention]) -> bool:
    roles = [p.role or "" for p in people]
    return bool(roles) and all(FOREIGN.search(r) or "minister" in r.lower() for r in roles)


def occasion_name(event: Event, text: str, end: int, people: Sequence[PersonMention],
                  start: int = 0) -> str:
    """The occasion's name: "G7 Foreign Ministers' Meeting", 'U.S.-Japan ... ("2+2")'."""
    if event.kind == "2+2":
        prefix = re.search(r"((?:[A-Z][\w.]*[-–])+[A-Z][\w.]*)\s+$", text[:start])
        name = (prefix[1].replace("–", "-") + " " if prefix else "") + event.name
        return f"{name} {event.label}" if event.label else name
    after = text[end:end + OCCASION_AFTER].lower()
    if re.match(r"\W*(?:leaders|summit)", after):
        return f"{event.name} Summit"
    if re.match(r"\W*(?:foreign minist|ministerial|foreign ministerial)", after) or \
            _ministers_only(people):
        return f"{event.name} Foreign Ministers' Meeting"
    return f"{event.name} meeting"


def find_two_plus_two(lead: Sequence[Sentence], events: Sequence[Event]) -> Evidence | None:
    """A 2+2 named in the headline or the sentence that first reports the meeting."""
    for sentence in lead:
        for start, end, event in _event_matches(sentence.text, events):
            if event.kind == "2+2" and not NOT_NOW.search(sentence.text[:start]):
                return _ev("setting", sentence, sentence.text[start:end])
    return None


def by_roles(people: Sequence[PersonMention]) -> str | None:
    """2+2 when each of two countries sends a foreign and a defence minister."""
    countries = sorted({p.country for p in people if p.country})
    if len(countries) == 2 and len(people) >= TWO_PLUS_TWO_PEOPLE:
        for code in countries:
            roles = [p.role or "" for p in people if p.country == code]
            if not (any(DEFENCE.search(r) for r in roles) and
                    any(FOREIGN.search(r) for r in roles)):
                return None
        return "2+2"
    if len(countries) == TRILATERAL_COUNTRIES:
        return "trilateral"
    if len(countries) >= MULTILATERAL_COUNTRIES:
        return "multilateral"
    return None


def find_occasion(sentences: Sequence[Sentence], gazetteer: Gazetteer,
                  people: Sequence[PersonMention]) -> tuple[str, Evidence] | None:
    """A multilateral event or leader's visit the meeting was held at."""
    for sentence in sentences:
        text = sentence.text
        for start, end, event in _event_matches(text, gazetteer.events):
            if event.kind != "multilateral":
                continue
            window = text[max(0, start - RELATION_WINDOW):start]
            if RELATION.search(window) and not re.search(r"\blast\b|\bprevious", window):
                return (occasion_name(event, text, end, people, start),
                        _ev("occasion", sentence, text[start:end]))
        visit = LEADER_VISIT.search(text)
        if visit:
            name = f"{visit['title']} {visit['name']}'s visit to {visit['country']}"
            return name, _ev("occasion", sentence, visit[0])
    return None


def find_setting(lead: Sequence[Sentence], about: Sequence[Sentence], fmt: str,
                 gazetteer: Gazetteer, people: Sequence[PersonMention]) -> SettingFacts:
    """Setting and occasion of the meeting.

    Args:
        lead: the headline and the sentence that first reports the meeting.
        about: every sentence about the meeting or its principals.
        fmt: the meeting's format (a call is never on the sidelines of anything).
        gazetteer: events and places.
        people: the principals, with roles and countries.
    """
    evidence: list[Evidence] = []
    two = find_two_plus_two(lead, gazetteer.events)
    if two is not None:
        names = [(occasion_name(e, s.text, b, people, a), s) for s in lead
                 for a, b, e in _event_matches(s.text, gazetteer.events)
                 if e.kind == "2+2" and e.label]
        named = max(names, key=lambda n: len(n[0])) if names else None
        occasion = named[0] if named else None
        if named:
            evidence.append(_ev("occasion", named[1], occasion or ""))
        return SettingFacts(fmt, "2+2", occasion, (two, *evidence))
    roles = by_roles(people)
    if roles == "2+2":
        return SettingFacts(fmt, roles, None, ())
    group = _group_cue(lead, gazetteer.events)
    if group is not None and (group[0] or roles):
        # Three or more countries make a trilateral or multilateral meeting only when the
        # text says so; otherwise someone merely mentioned was taken for a principal.
        setting, where, occasion = group
        return SettingFacts(fmt, setting or roles or "standalone", occasion, (where,))
    if fmt != "in_person":
        return SettingFacts(fmt, "standalone", None, ())
    found = find_occasion(about, gazetteer, people)
    if found is None:
        return _unnamed_aside(lead, about, fmt)
    name, where = found
    setting_ev = Evidence("setting", where.article, where.line, where.text)
    return SettingFacts(fmt, "sidelines", name, (setting_ev, where))


def _group_cue(lead: Sequence[Sentence], events: Sequence[Event],
               ) -> tuple[str | None, Evidence, str | None] | None:
    """A named trilateral format ("Weimar Triangle") as (setting, evidence, occasion), or
    a word saying the meeting had three or more sides as (None, evidence, None)."""
    for sentence in lead:
        for start, end, event in _event_matches(sentence.text, events):
            if event.kind == "trilateral" and not NOT_NOW.search(sentence.text[:start]):
                where = _ev("setting", sentence, sentence.text[start:end])
                return "trilateral", where, event.name
        match = GROUP_CUE.search(sentence.text)
        if match and not NOT_NOW.search(sentence.text[:match.start()]):
            return None, _ev("setting", sentence, match[0]), None
    return None


def _unnamed_aside(lead: Sequence[Sentence], about: Sequence[Sentence], fmt: str,
                   ) -> SettingFacts:
    """Sidelines of an event the text does not name, else standalone."""
    for sentence in [*lead, *about]:
        match = ASIDE.search(sentence.text)
        if match and not NOT_NOW.search(sentence.text[:match.start()]):
            return SettingFacts(fmt, "sidelines", None, (_ev("setting", sentence, match[0]),))
    return SettingFacts(fmt, "standalone", None, ())
