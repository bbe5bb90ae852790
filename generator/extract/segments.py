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

from generator.models import PersonMention, Sentence, SourceArticle
from generator.support.memo import MEMO_SIZE
from generator.support.prefilter import quick

NAME_WORD = re.compile(r"[A-Za-z][\w-]+")
WORD = re.compile(r"[\w-]+")

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
CUE = quick(r"\b(?:met|meets?|meetings?|talks?|talked|call|conversation|discussions?|"
            r"discussed|convened|sat down|spoke|consultations?|bilateral|dialogue|"
            r"video[- ]?conferences?|videoconferences?|telephone talk|"
            # "called on the prime minister" is a visit; "called on Germany to act" is
            # a demand
            r"called on(?![^.;]{0,80}\bto\b))\b",
            re.IGNORECASE)
MODAL = quick(r"\b(?:will|would|could|might|may|should|to be held|plans? to|planned|"
              r"expected to|is set to|upcoming|due to|hopes? to|hoping to|wants? to|"
              r"aims? to|seeks? to|intends? to|looks? forward to|to visit|"
              r"next (?:week|month))\b")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December)")
BACKGROUND = quick(r"\blast (?:week|month|year|met|time|visited|held|spoke|talked)\b|"
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
SIDE_CUE = quick(rf"\b(?:earlier|later) (?:in the day|that day|on|{_WEEKDAY})\b|"
                 r"\balso (?:held|had|met)\b|\bseparate(?:ly)?\b|\bin a separate\b|"
                 r"\b(?:after|before) (?:that|the (?:talks|dialogue|meeting|call|"
                 r"summit|session))\b", re.IGNORECASE)
SAME_DAY = quick(r"\b(?:earlier|later) (?:in the day|that day)|\bsame day\b|\balso\b",
                 re.IGNORECASE)
SIDE_SPAN = 3  # a side meeting's report runs this many sentences past its first at most
NAME_WORD_LENGTH = 2  # shorter name words ("Al", initials) would match unrelated words
PLAN_BEFORE = 80  # characters before a meeting cue searched for a plan ("will meet")
PLAN_AFTER = 30  # and after it ("meet ... next week")
OPINION_LINES = 8  # an opinion piece is labelled as such above its first paragraph
OPINION = quick(r"^\s*(?:Commentary|Opinion|Op-Ed|Editorial|Column|Perspective|"
                r"Analysis)\s*$", re.IGNORECASE)
STOP = quick(r"^\s*(?:Related (?:coverage|articles?|stories|news)|Latest articles?|"
             r"More from|Recommended|Read next|Most read|"
             r"(?:Also read|Read also|Read more|See also)\s*:?\s*$)", re.IGNORECASE)
SKIP = quick(r"^\s*(?:Also Read|Read more|Read also|See also|Official news published at|"
             r"Image:|Caption\s*$|- Part of|>\s)", re.IGNORECASE)
SEPARATE = quick(r"\bseparate(?:ly)?\b|\b(?:earlier|later) (?:in the day|that day)\b",
                 re.IGNORECASE)


@lru_cache(maxsize=MEMO_SIZE)
def _name_words(name: str) -> frozenset[str]:
    words = NAME_WORD.findall(name)
    return frozenset(w.lower() for w in words if len(w) > NAME_WORD_LENGTH and w[0].isupper())


@lru_cache(maxsize=MEMO_SIZE)
def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in WORD.findall(text))


def mentions(sentence: Sentence, person: PersonMention) -> bool:
    """Whether a sentence names ``person``."""
    return not _words(sentence.text).isdisjoint(_name_words(person.name))


@lru_cache(maxsize=MEMO_SIZE)
def elsewhen_text(text: str) -> bool:
    """Whether ``text`` speaks of a plan or another time (a modal or background cue)."""
    return bool(MODAL.search(text)) or bool(BACKGROUND.search(text))


def planned(text: str, start: int, end: int) -> bool:
    """Whether the meeting cue at ``start:end`` is in a plan ("will meet", "due to hold")."""
    return bool(MODAL.search(text[max(0, start - PLAN_BEFORE):end + PLAN_AFTER]))


def reports_meeting(sentence: Sentence, people: Sequence[PersonMention]) -> bool:
    """A sentence that reports a meeting that happened (not a plan, not an old one)."""
    happened, group = _reported(sentence.text)
    if not happened:
        return False
    return group or any(mentions(sentence, p) for p in people)


@lru_cache(maxsize=MEMO_SIZE)
def _reported(text: str) -> tuple[bool, bool]:
    """Whether ``text`` has a meeting cue neither planned nor about another time, and
    whether it speaks of the meeting's group ("the two", "counterparts")."""
    if BACKGROUND.search(text):
        return False, False
    if not any(not planned(text, cue.start(), cue.end()) for cue in CUE.finditer(text)):
        return False, False
    return True, bool(GROUP.search(text))


def other_events(body: Sequence[Sentence], principals: Sequence[PersonMention],
                 everyone: Sequence[PersonMention]) -> set[Sentence]:
    """Sentences about another meeting: an earlier one, or one only planned.

    A sentence counts when each of its meeting cues is planned or it speaks of another
    time, and either it names nobody of the meeting or it names someone else too ("Iwaya
    hopes to hold talks with Cho", "a day after Wang met Lavrov").
    """
    found = set()
    for sentence in body:
        if not _elsewhen(sentence.text):
            continue
        ours = any(mentions(sentence, p) for p in principals)
        names = {p.name for p in principals}
        strangers = any(mentions(sentence, p) for p in everyone if p.name not in names)
        if not ours or strangers:
            found.add(sentence)
    return found


@lru_cache(maxsize=MEMO_SIZE)
def _elsewhen(text: str) -> bool:
    """Whether ``text`` has meeting cues, each planned or all about another time."""
    cues = list(CUE.finditer(text))
    if not cues:
        return False
    return bool(BACKGROUND.search(text)) or all(planned(text, c.start(), c.end())
                                                for c in cues)


def side_starts(sentence: Sentence, new: Sequence[str]) -> bool:
    """Whether ``sentence`` opens a side meeting with the new counterparts ``new``."""
    return bool(new) and _side_cued(sentence.text)


@lru_cache(maxsize=MEMO_SIZE)
def _side_cued(text: str) -> bool:
    return bool(SIDE_CUE.search(text)) and bool(CUE.search(text)) and not BACKGROUND.search(text)


def body_sentences(article: SourceArticle) -> tuple[Sentence, ...]:
    """Sentences of the article proper: related-links blocks and link lines left out."""
    last = _BODY[0]
    if last is not None and last[0] is article:
        return last[1]
    lines = article.text.split("\n")
    stop = next((n for n, line in enumerate(lines, 1) if STOP.match(line)), len(lines) + 1)
    skipped = {n for n, line in enumerate(lines, 1) if SKIP.match(line)}
    body = tuple(s for s in article.sentences if s.line < stop and s.line not in skipped)
    _BODY[0] = (article, body)
    return body


_BODY: list[tuple[SourceArticle, tuple[Sentence, ...]] | None] = [None]  # the last one


def is_opinion(article: SourceArticle) -> bool:
    """An opinion piece or commentary, marked as such near the top."""
    return any(OPINION.match(line) for line in article.text.split("\n")[:OPINION_LINES])
