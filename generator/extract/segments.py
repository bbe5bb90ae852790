"""Segmenting an article: which sentences report the main meeting, which a side meeting,
and which speak of other events (a plan, an earlier meeting) that feed neither.

A sentence reports a meeting when it has a meeting cue ("met", "held talks", "video
conference", "dialogue", "called on") that is not in a plan ("will meet", "hopes to hold
talks", "is due to hold") and not about another time ("last week", "a day after X met").
A side meeting starts at a sentence that names a new counterpart and marks a separate
meeting ("Earlier in the day", "Later Friday", "Before the dialogue", "also met").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from generator.extract.memo import MEMO_SIZE
from generator.models import PersonMention, Sentence

NAME_WORD = re.compile(r"[A-Za-z][\w-]+")
WORD = re.compile(r"[\w-]+")

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
CUE = re.compile(r"\b(?:met|meets?|meetings?|talks?|talked|call|conversation|discussions?|"
                 r"discussed|convened|sat down|spoke|consultations?|bilateral|dialogue|"
                 r"video[- ]?conferences?|videoconferences?|telephone talk|"
                 # "called on the prime minister" is a visit; "called on Germany to act" is
                 # a demand
                 r"called on(?![^.;]{0,80}\bto\b))\b",
                 re.IGNORECASE)
MODAL = re.compile(r"\b(?:will|would|could|might|may|should|to be held|plans? to|planned|"
                   r"expected to|is set to|upcoming|due to|hopes? to|hoping to|wants? to|"
                   r"aims? to|seeks? to|intends? to|looks? forward to|to visit|"
                   r"next (?:week|month))\b")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December)")
BACKGROUND = re.compile(r"\blast (?:week|month|year|met|time|visited|held|spoke|talked)\b|"
                        r"\bprevious\b|"
                        rf"\blast {_MONTH}\b|\bsince (?:19|20)\d\d\b|"
                        r"\b(?:talk|meet|speak|call)s? (?:often|regularly|frequently)\b|"
                        r"\b(?:follows|followed(?! by)|comes after|came after)\b[^.;]{0,40}?"
                        r"\b(?:meeting|talks|visit|call)\b|"
                        r"\bearlier this (?:week|month|year)\b|"
                        r"\b(?:a day|days|weeks?|months?) (?:after|before)\b[^.;]{0,60}?"
                        r"\b(?:met|meets|held|meeting|talks|visit\w*)\b", re.IGNORECASE)
GROUP = re.compile(r"\b(?:the two|both|the ministers|counterparts?|top diplomats|"
                   r"ministers|I|we|We)\b|^The (?:meeting|talks|call|conversation)\b|"
                   r"\b(?:was|were) held\b|\btook place\b")
SIDE_CUE = re.compile(rf"\b(?:earlier|later) (?:in the day|that day|on|{_WEEKDAY})\b|"
                      r"\balso (?:held|had|met)\b|\bseparate(?:ly)?\b|\bin a separate\b|"
                      r"\b(?:after|before) (?:that|the (?:talks|dialogue|meeting|call|"
                      r"summit|session))\b", re.IGNORECASE)
SAME_DAY = re.compile(r"\b(?:earlier|later) (?:in the day|that day)|\bsame day\b|\balso\b",
                      re.IGNORECASE)
SIDE_SPAN = 3
SEPARATE = re.compile(r"\bseparate(?:ly)?\b|\b(?:earlier|later) (?:in the day|that day)\b",
                      re.IGNORECASE)


def name_tokens(person: PersonMention) -> set[str]:
    """Words that name a person in a sentence (family and given names, as written)."""
    return set(_name_words(person.name))


@lru_cache(maxsize=MEMO_SIZE)
def _name_words(name: str) -> frozenset[str]:
    words = NAME_WORD.findall(name)
    return frozenset(w.lower() for w in words if len(w) > 2 and w[0].isupper())


@lru_cache(maxsize=MEMO_SIZE)
def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in WORD.findall(text))


def mentions(sentence: Sentence, person: PersonMention) -> bool:
    """Whether a sentence names ``person``."""
    return not _words(sentence.text).isdisjoint(_name_words(person.name))


def planned(text: str, start: int, end: int) -> bool:
    """Whether the meeting cue at ``start:end`` is in a plan ("will meet", "due to hold")."""
    return bool(MODAL.search(text[max(0, start - 80):end + 30]))


def reports_meeting(sentence: Sentence, people: Sequence[PersonMention]) -> bool:
    """A sentence that reports a meeting that happened (not a plan, not an old one)."""
    text = sentence.text
    if BACKGROUND.search(text):
        return False
    if not any(not planned(text, cue.start(), cue.end()) for cue in CUE.finditer(text)):
        return False
    return bool(GROUP.search(text)) or any(mentions(sentence, p) for p in people)


def other_events(body: Sequence[Sentence], principals: Sequence[PersonMention],
                 everyone: Sequence[PersonMention]) -> set[Sentence]:
    """Sentences about another meeting: an earlier one, or one only planned.

    A sentence counts when each of its meeting cues is planned or it speaks of another
    time, and either it names nobody of the meeting or it names someone else too ("Iwaya
    hopes to hold talks with Cho", "a day after Wang met Lavrov").
    """
    found = set()
    for sentence in body:
        cues = list(CUE.finditer(sentence.text))
        if not cues:
            continue
        elsewhen = BACKGROUND.search(sentence.text) or all(
            planned(sentence.text, c.start(), c.end()) for c in cues)
        if not elsewhen:
            continue
        ours = any(mentions(sentence, p) for p in principals)
        names = {p.name for p in principals}
        strangers = any(mentions(sentence, p) for p in everyone if p.name not in names)
        if not ours or strangers:
            found.add(sentence)
    return found


def side_starts(sentence: Sentence, new: Sequence[str]) -> bool:
    """Whether ``sentence`` opens a side meeting with the new counterparts ``new``."""
    return bool(new) and bool(SIDE_CUE.search(sentence.text)) and bool(
        CUE.search(sentence.text)) and not BACKGROUND.search(sentence.text)
