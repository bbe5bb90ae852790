"""Principals: the people who met or talked, apart from those merely mentioned."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from generator.knowledge.people import HEAD_KINDS, PeopleDirectory
from generator.models import Sentence
from generator.support.memo import MEMO_SIZE
from generator.support.prefilter import quick

if TYPE_CHECKING:
    from generator.extract.mentions import Mention

# --- principals ------------------------------------------------------------------------------

TALK = (r"(?:talks?|meeting|conversation|call|discussions?|dialogue|consultations|"
        r"(?:video|tele(?:phone)?|phone)[\s-]?conference|videoconference|"
        r"(?:news|press)\s+(?:conference|availability))")
MEET = (rf"(?:met|meets|meet\s+with|walk(?:s|ed)?\s+with|talked|spoke|convened|attended|"
        rf"sat\s+down\s+with|co-?chair(?:s|ed)|(?:paid|pays)\s+a\s+(?:courtesy\s+)?call\s+on|"
        rf"(?:led|headed)\s+(?:the|their|his|her)\s+(?:\S+\s+){{0,2}}?(?:side|delegations?)|"
        rf"host(?:s|ed)|receiv(?:es|ed)|call(?:s|ed)\s+on|"
        rf"sh(?:ook|akes?)\s+hands|(?:held|holds?|had|has|have|concluded)\s+(?:\S+\s+){{0,6}}?"
        rf"{TALK}|(?:before|after|ahead\s+of|at|during|in)\s+"
        rf"(?:their|a|the|an)\s+(?:\S+\s+){{0,3}}?{TALK})\b")
AGREE = (r"(?:agree[sd]?|vow(?:s|ed)?|reaffirm(?:s|ed)?|concur(?:s|red)?|pledged?|confirmed|"
         r"affirmed|committed|discussed|exchanged\s+views|condemned|critici[sz]ed)\b")
CUE = quick(rf"\b(?:(?P<meet>{MEET})|(?P<agree>{AGREE}))", re.IGNORECASE)
GAP_BLOCK = re.compile(r"[;:“”\"]|\b(?:said|says|say|told|tells|stated|states|according|who|"
                       r"whom|which|that|whose|when|after|before|because|while|if|since|ahead|"
                       r"visiting|hosting|than|where|announced|reported)\b", re.IGNORECASE)
OBJECT = quick(r"\b(?:met|meets|meet|meeting|talks?|conversation|call|discussions?|"
               r"dialogue|spoke|talked|walks|walked|hands|conference|down)\b(?:\s+[^\s,;:]+){0,6}?"
               r"\s+with\s+(?P<list>[^;:]*)$", re.IGNORECASE)
DIRECT = quick(r"\b(?:met|meets|meet|meeting|host(?:s|ed)?|receiv(?:es|ed)|welcom(?:es|ed)|"
               r"call(?:s|ed)\s+on|courtesy\s+call\s+on)\s+(?P<list>[^;:]*)$", re.IGNORECASE)
# a meeting still to come or only wished for: "are due to hold talks", "hopes to meet"
UNREAL = quick(r"\b(?:(?:will|would|shall|could|might|may)(?:\s+\S+){0,2}|(?:due|plans?|"
               r"planning|hopes?|hoping|expects?|expected|wants?|scheduled|set|likely|"
               r"seeks?|seeking|going|intends?|is|are)\s+to(?:\s+[^\s,.;:]+){0,8})\s+$",
               re.IGNORECASE)
COUNTERPART = quick(r"\b(?:his|her|their)\s+(?:\S+\s+){0,2}counterparts?,?\s*$",
                    re.IGNORECASE)
ATTENDED = quick(r"\b(?:attended by|joined by|participants? (?:included|were)|"
                 r"(?:side|delegations?) (?:was |were )?(?:led|headed) by)\b")
# an appositive relative clause between a subject and its verb: "X, who is visiting Y, met"
RELATIVE = re.compile(r",\s+who\s[^;:“”\"]*,\s*$")
# "X ..., where he was hosted by Y": the pronoun stands for the sentence's subject
PRONOUN = quick(rf"\b(?:he|she)\s+(?:(?:was|had|has)\s+)?(?:{MEET})", re.IGNORECASE)
# hosting verbs that mean a meeting only with a person as their object
WELCOME = quick(r"\bwelcom(?:es|ed)\b", re.IGNORECASE)
ROLE_WORDS = frozenset(re.split(r"\s+", """the his her their its new newly appointed incoming
of for and counterpart counterparts visiting top foreign defence defense minister secretary
affairs state prime president diplomat envoy"""))
FORMER = quick(r"\b(?:then|former|late|ex|predecessors?)\b[\s\-]*(?:[A-Z][\w.'’\-]*\s+)"
               r"{0,5}$", re.IGNORECASE)
CREDIT = quick(r"^\s*(?:\(?Photo\)?|Image|Caption|Pictured|File photo)\b|Getty Images|"
               r"\(Pool photo\)|Facebook/@|Twitter/@|\bvia (?:Al Jazeera|Reuters|AP)\b",
               re.IGNORECASE)
ELSEWHEN = quick(r"^Previously\b|\b(?:last|previous) (?:week|month|year)\b|\blast met\b|"
                 r"\bearlier this (?:week|month|year)\b|"
                 r"^(?:the|this|their|his|her)\s+(?:\S+\s+){0,3}?(?:follows|comes\s+after)\b",
                 re.IGNORECASE)
LABEL = re.compile(r"^\s*([^:“\"]{2,120}):\s")
FIRST_PERSON = quick(rf"\b(?:I|[Ww]e)\b(?:\s+\S+){{0,2}}?\s+(?:{MEET}|{AGREE})")
QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
MEET_RE = quick(MEET)
PARENS = re.compile(r"\([^)]*\)")
POSSESSED = re.compile(r"['’]s\s+(?:\S+\s+){0,3}$")
POSSESSIVE = re.compile(r"['’]s\b")
PUNCTUATION = re.compile(r"[,.;:“”\"]")
WORDS = re.compile(r"[\w'’-]+")
QUOTE_MARK = re.compile(r"[“”\"]")
AND_I = re.compile(r"\b(?:and|I)\b")
MIN_PRINCIPALS = 2  # a meeting takes at least two people
OBJECT_GAP = 25  # words between "met" and the list of whom it met ("met ... with X and Y")
SUBJECT_GAP = 20  # words between a subject and its verb (a role, a relative clause)
WELCOMED_GAP = 10  # words between "welcomed" and the person welcomed (a role and a name)


Span = tuple[int, int]  # where a person is named in a sentence: (start, end)


def _gap_ok(gap: str, limit: int) -> bool:
    gap = PARENS.sub(" ", gap)
    return not GAP_BLOCK.search(gap) and len(gap.split()) <= limit


@lru_cache(maxsize=MEMO_SIZE)
def _mention_cue(text: str, mention: Span, others: tuple[Span, ...]) -> bool | None:
    """True for a meeting cue, False for an agreement cue, None when the mention has none."""
    before = text[:mention[0]]
    if FORMER.search(before):
        return None
    if COUNTERPART.search(before) or ATTENDED.search(before):
        return True
    obj = OBJECT.search(before) or DIRECT.search(before)
    if obj and _gap_ok(_blank(obj["list"], others, obj.start("list")), OBJECT_GAP) and not \
            POSSESSED.search(before[:obj.start()]):
        return None if UNREAL.search(before[:obj.start()]) else True
    tail = text[mention[1]:]
    verb = CUE.search(tail)
    if verb and _subject_gap_ok(tail[:verb.start()], others, mention[1]):
        if UNREAL.search(tail[:verb.start()]):
            return None
        return bool(verb["meet"])
    if _welcomes(tail, others, mention[1]) or _pronoun_cue(text, mention, others):
        return True
    return None


def _subject_gap_ok(gap: str, others: Sequence[Span], offset: int) -> bool:
    """Whether the words between a subject and its verb keep them together."""
    return _gap_ok(RELATIVE.sub(", ", _blank(gap, others, offset)), SUBJECT_GAP)


def _welcomes(tail: str, others: Sequence[Span], offset: int) -> bool:
    """"X welcomed [role] Y": a welcome counts as meeting only with a person as object."""
    verb = WELCOME.search(tail)
    if not verb or not _subject_gap_ok(tail[:verb.start()], others, offset) or \
            UNREAL.search(tail[:verb.start()]):
        return False
    after = sorted((start - offset, end - offset) for start, end in others
                   if start - offset >= verb.end())
    if not after or POSSESSIVE.match(tail[after[0][1]:]):
        return False  # no one welcomed, or only someone's decision, visit, ...
    between = tail[verb.end():after[0][0]]
    return not PUNCTUATION.search(between) and len(between.split()) <= WELCOMED_GAP and all(
        w[0].isupper() or w.casefold() in ROLE_WORDS for w in WORDS.findall(between))


def _pronoun_cue(text: str, mention: Span, others: Sequence[Span]) -> bool:
    """The sentence's subject, taken up by "he"/"she" before a meeting verb: "X travelled
    to Y, where she was hosted by Z"."""
    if any(start < mention[0] for start, _ in others):
        return False
    hit = PRONOUN.search(text, mention[1])
    if not hit or QUOTE_MARK.search(text[mention[1]:hit.start()]):
        return False
    return not any(mention[1] <= start < hit.start() for start, _ in others)


def _blank(part: str, others: Sequence[Span], offset: int) -> str:
    """``part`` (starting at ``offset`` of the sentence) with other people's names removed."""
    chars = list(part)
    for start, end in others:
        low, high = max(start - offset, 0), min(end - offset, len(chars))
        if low < high:
            chars[low:high] = " " * (high - low)
    return AND_I.sub(" ", "".join(chars))


@dataclass(frozen=True)
class _Shape:
    """What ``find_principals`` reads in a sentence's text apart from the people in it."""

    label: int | None  # the end of a speaker label ("Wong: ...")
    passed: bool  # a credit line, or about another time: no principals here
    quoted: tuple[Span, ...]
    first_person: bool | None  # "we met" (True), "we agreed" (False), or neither (None)


@lru_cache(maxsize=MEMO_SIZE)
def _shape(text: str) -> _Shape:
    label = LABEL.match(text)
    first = FIRST_PERSON.search(text[label.end():] if label else text)
    return _Shape(label.end(1) if label else None,
                  bool(CREDIT.search(text) or ELSEWHEN.search(text)),
                  tuple(q.span() for q in QUOTED.finditer(text)),
                  bool(MEET_RE.search(first[0])) if first else None)


def find_principals(sentences: Sequence[Sentence], found: list[list[Mention]],
                    directory: PeopleDirectory,
                    on: dt.date | None) -> dict[str, tuple[int, bool]]:
    """Who took part: key -> (index of the first sentence showing it, meeting cue or not)."""
    cues: dict[str, tuple[int, bool]] = {}
    speaker: str | None = None
    for i, sentence in enumerate(sentences):
        text, mentions, shape = sentence.text, found[i], _shape(sentence.text)
        if shape.label is not None:
            speaker = next((m.key for m in mentions if m.end <= shape.label), None)
        if shape.passed:
            continue
        spans = [(m.start, m.end) for m in mentions]
        for n, m in enumerate(mentions):
            if any(s < m.start < e for s, e in shape.quoted):
                continue
            cue = _mention_cue(text, spans[n], tuple(spans[:n] + spans[n + 1:]))
            if cue is not None:
                _add_cue(cues, m.key, i, cue)
        if speaker and shape.first_person is not None:
            _add_cue(cues, speaker, i, shape.first_person)
    return _drop_heads(cues, [m for ms in found for m in ms], directory, on)


def _add_cue(cues: dict[str, tuple[int, bool]], key: str, index: int, strong: bool) -> None:
    old = cues.get(key)
    cues[key] = (old[0] if old else index, strong or bool(old and old[1]))


def _drop_heads(cues: dict[str, tuple[int, bool]], mentions: list[Mention],
                directory: PeopleDirectory, on: dt.date | None) -> dict[str, tuple[int, bool]]:
    """Heads of state or government give way when two or more ministers met (a ministers'
    meeting names leaders in passing); otherwise only those who merely "agreed" do."""
    kinds: dict[str, str | None] = {}
    for m in mentions:
        role = m.person.role_on(on, m.role.kind if m.role else None) if m.person else None
        kinds.setdefault(m.key, role.kind if role else (m.role.kind if m.role else None))
    others = [k for k in cues if kinds.get(k) not in HEAD_KINDS]
    if not others:
        return cues
    return {k: v for k, v in cues.items()
            if kinds.get(k) not in HEAD_KINDS or (v[1] and len(others) < MIN_PRINCIPALS)}

