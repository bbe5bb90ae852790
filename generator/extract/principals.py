"""Principals: the people who met or talked, apart from those merely mentioned."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.extract.directory import HEAD_KINDS, PeopleDirectory
from generator.models import Sentence

if TYPE_CHECKING:
    from generator.extract.people import Mention

# --- principals ------------------------------------------------------------------------------

TALK = (r"(?:talks?|meeting|conversation|call|discussions?|dialogue|consultations|"
        r"(?:video|tele(?:phone)?|phone)[\s-]?conference|videoconference|"
        r"(?:news|press)\s+(?:conference|availability))")
MEET = (rf"(?:met|meets|meet\s+with|walk(?:s|ed)?\s+with|talked|spoke|convened|attended|"
        rf"host(?:s|ed)|receiv(?:es|ed)|call(?:s|ed)\s+on|"
        rf"sh(?:ook|akes?)\s+hands|(?:held|holds?|had|has|have|concluded)\s+(?:\S+\s+){{0,6}}?"
        rf"{TALK}|(?:before|after|ahead\s+of|at|during|in)\s+"
        rf"(?:their|a|the|an)\s+(?:\S+\s+){{0,3}}?{TALK})\b")
AGREE = (r"(?:agree[sd]?|vow(?:s|ed)?|reaffirm(?:s|ed)?|concur(?:s|red)?|pledged?|confirmed|"
         r"affirmed|committed|discussed|exchanged\s+views|condemned|critici[sz]ed)\b")
CUE = re.compile(rf"\b(?:(?P<meet>{MEET})|(?P<agree>{AGREE}))", re.IGNORECASE)
GAP_BLOCK = re.compile(r"[;:“”\"]|\b(?:said|says|say|told|tells|stated|states|according|who|"
                       r"whom|which|that|whose|when|after|before|because|while|if|since|ahead|"
                       r"visiting|hosting|than|where|announced|reported)\b", re.IGNORECASE)
OBJECT = re.compile(r"\b(?:met|meets|meet|meeting|talks?|conversation|call|discussions?|"
                    r"dialogue|spoke|talked|walks|walked|hands|conference)\b(?:\s+[^\s,;:]+){0,6}?"
                    r"\s+with\s+(?P<list>[^;:]*)$", re.IGNORECASE)
DIRECT = re.compile(r"\b(?:met|meets|meet|meeting|host(?:s|ed)?|receiv(?:es|ed)|"
                    r"call(?:s|ed)\s+on)\s+(?P<list>[^;:]*)$", re.IGNORECASE)
# a meeting still to come or only wished for: "are due to hold talks", "hopes to meet"
UNREAL = re.compile(r"\b(?:(?:will|would|shall|could|might|may)(?:\s+\S+){0,2}|(?:due|plans?|"
                    r"planning|hopes?|hoping|expects?|expected|wants?|scheduled|set|likely|"
                    r"seeks?|seeking|going|intends?|is|are)\s+to(?:\s+\S+)?)\s+$",
                    re.IGNORECASE)
COUNTERPART = re.compile(r"\b(?:his|her|their)\s+(?:\S+\s+){0,2}counterparts?,?\s*$",
                         re.IGNORECASE)
ATTENDED = re.compile(r"\b(?:attended by|joined by|participants? (?:included|were))\b")
FORMER = re.compile(r"\b(?:then|former|late|ex|predecessors?)\b[\s\-]*(?:[A-Z][\w.'’\-]*\s+)"
                    r"{0,5}$", re.IGNORECASE)
CREDIT = re.compile(r"^\s*(?:\(?Photo\)?|Image|Caption|Pictured|File photo)\b|Getty Images|"
                    r"\(Pool photo\)|Facebook/@|Twitter/@|\bvia (?:Al Jazeera|Reuters|AP)\b",
                    re.IGNORECASE)
ELSEWHEN = re.compile(r"^Previously\b|\b(?:last|previous) (?:week|month|year)\b|\blast met\b|"
                      r"\bearlier this (?:week|month|year)\b", re.IGNORECASE)
LABEL = re.compile(r"^\s*([^:“\"]{2,120}):\s")
FIRST_PERSON = re.compile(rf"\b(?:I|[Ww]e)\b(?:\s+\S+){{0,2}}?\s+(?:{MEET}|{AGREE})")
QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def _gap_ok(gap: str, limit: int) -> bool:
    gap = re.sub(r"\([^)]*\)", " ", gap)
    return not GAP_BLOCK.search(gap) and len(gap.split()) <= limit


def _mention_cue(text: str, mention: Mention, others: list[Mention]) -> bool | None:
    """True for a meeting cue, False for an agreement cue, None when the mention has none."""
    before = text[:mention.start]
    if FORMER.search(before):
        return None
    if COUNTERPART.search(before) or ATTENDED.search(before):
        return True
    obj = OBJECT.search(before) or DIRECT.search(before)
    if obj and _gap_ok(_blank(obj["list"], others, obj.start("list")), 25) and not re.search(
            r"['’]s\s+(?:\S+\s+){0,3}$", before[:obj.start()]):
        return None if UNREAL.search(before[:obj.start()]) else True
    tail = text[mention.end:]
    verb = CUE.search(tail)
    if verb and _gap_ok(_blank(tail[:verb.start()], others, mention.end), 20):
        if UNREAL.search(tail[:verb.start()]):
            return None
        return bool(verb["meet"])
    return None


def _blank(part: str, others: list[Mention], offset: int) -> str:
    """``part`` (starting at ``offset`` of the sentence) with other people's names removed."""
    chars = list(part)
    for m in others:
        for pos in range(max(m.start - offset, 0), min(m.end - offset, len(chars))):
            chars[pos] = " "
    return re.sub(r"\b(?:and|I)\b", " ", "".join(chars))


def find_principals(sentences: Sequence[Sentence], found: list[list[Mention]],
                    directory: PeopleDirectory,
                    on: dt.date | None) -> dict[str, tuple[int, bool]]:
    """Who took part: key -> (index of the first sentence showing it, meeting cue or not)."""
    cues: dict[str, tuple[int, bool]] = {}
    speaker: str | None = None
    for i, sentence in enumerate(sentences):
        text, mentions = sentence.text, found[i]
        label = LABEL.match(text)
        if label:
            speaker = next((m.key for m in mentions if m.end <= label.end(1)), None)
        if CREDIT.search(text) or ELSEWHEN.search(text):
            continue
        quoted = [q.span() for q in QUOTED.finditer(text)]
        for m in mentions:
            if any(s < m.start < e for s, e in quoted):
                continue
            cue = _mention_cue(text, m, [o for o in mentions if o is not m])
            if cue is not None:
                _add_cue(cues, m.key, i, cue)
        first = FIRST_PERSON.search(text[label.end():] if label else text)
        if speaker and first:
            _add_cue(cues, speaker, i, bool(re.search(MEET, first[0])))
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
            if kinds.get(k) not in HEAD_KINDS or (v[1] and len(others) < 2)}

