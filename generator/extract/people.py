"""Finding people in an article: who is named, with which role and country, and who met.

A person is found by a known name (either name order, middle initials and suffixes ignored,
small typos forgiven), by a bare family name after a title or a full mention, or, when not in
the directory, by a role phrase ("German Foreign Minister X Y", "his British counterpart X").
Principals are the people who met or talked (see ``principals``); everyone else is merely
mentioned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pycountry
from rapidfuzz import fuzz, process

from generator.extract.mentions import Mention
from generator.extract.principals import find_principals
from generator.knowledge.people import (
    FUZZY_CUTOFF,
    NAME_TOKEN,
    NOT_NAMES,
    PARTICLES,
    PeopleDirectory,
    Person,
    load_people,
    name_key,
)
from generator.models import Evidence, PersonMention, Sentence
from generator.support.memo import MEMO_SIZE, TextMemo
from generator.support.prefilter import possible, quick

__all__ = ["Mention", "PeopleDirectory", "find_people", "load_people"]

HANDLE = quick(r"@[\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*")  # "@SecBlinken", blanked out

# --- finding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    """A capitalised word outside every full mention: perhaps a bare family name."""

    start: int
    end: int
    word: str
    key: str
    titled: bool  # after a title word ("Minister Hayashi")
    family: tuple[Person, ...]  # the known people of that family name
    fuzzable: bool  # a word that may misspell a family name (see ``near_family``)


@dataclass(frozen=True)
class _Text:
    """What finding people in one sentence's text gives before the rest of the article is
    known: its full mentions (sentence index 0) and its possible bare family names."""

    full: tuple[Mention, ...]
    tokens: tuple[_Token, ...]


@dataclass
class _Known:
    """The people named in full anywhere in the sentences searched together."""

    keys: set[str]
    directory: PeopleDirectory
    on: dt.date | None
    unknown: dict[str, str]  # last name word -> key of a person outside the directory
    named: list[Person] | None = None  # known people named in full, in directory order
    near: dict[str, Person | None] = field(default_factory=dict)

    def named_people(self) -> list[Person]:
        if self.named is None:
            self.named = self.directory.named(self.keys)
        return self.named

    def near_named(self, word: str) -> Person | None:
        """The person named in full whose family name ``word`` misspells (see
        ``PeopleDirectory.near_family``), worked out once per word and set of people."""
        if word not in self.near:
            named = self.named_people()
            key = (word, tuple(map(id, named)))
            memo = _NEAR_NAMED.get(key)
            if memo is None or memo[0] is not self.directory or memo[1] != named:
                if len(_NEAR_NAMED) >= MEMO_SIZE:
                    _NEAR_NAMED.clear()
                memo = (self.directory, named, self.directory.near_family(word, named))
                _NEAR_NAMED[key] = memo
            self.near[word] = memo[2]
        return self.near[word]


# (word, the people named) -> (directory, those people, the person it misspells)
_NEAR_NAMED: dict[tuple[str, tuple[int, ...]],
                  tuple[PeopleDirectory, list[Person], Person | None]] = {}


_Key = tuple[tuple[Sentence, ...], int, "dt.date | None"]
_RECENT: dict[_Key, tuple[PeopleDirectory, tuple[PersonMention, ...]]] = {}
RECENT_SIZE = 32  # calls remembered (one article asks about the same sentences again)
LONGEST_NAME = 5  # words in the longest name looked up whole ("Antony John Blinken ...")
MIN_NAME_WORDS = 2  # a given and a family name: one word alone is not looked up fuzzily
MISSPELT_SIZES = (3, 2)  # words of a name tried against the known ones, longest first
MIN_MISSPELT_KEY = 8  # letters: shorter names lie too close to others to match misspelt


def find_people(sentences: Sequence[Sentence], directory: PeopleDirectory,
                on: dt.date | None) -> tuple[PersonMention, ...]:
    """Each distinct person named in ``sentences`` once, with role, country and principal flag.

    Args:
        sentences: the sentences of one meeting, in article order.
        directory: known people and role vocabulary.
        on: the meeting day, if known; picks the role held that day.

    Returns:
        People in order of first appearance; principals carry ``participants`` evidence from
        the sentence that shows them taking part, others ``people`` evidence.
    """
    key = (tuple(sentences), id(directory), on)
    hit = _RECENT.get(key)
    if hit is not None and hit[0] is directory:
        return hit[1]
    found = _find_people(key[0], directory, on)
    if len(_RECENT) >= RECENT_SIZE:
        _RECENT.clear()
    _RECENT[key] = (directory, found)
    return found


def _find_people(sentences: Sequence[Sentence], directory: PeopleDirectory,
                 on: dt.date | None) -> tuple[PersonMention, ...]:
    texts = [_analysed(directory, s.text) for s in sentences]
    found = [[_at(m, i) for m in t.full] for i, t in enumerate(texts)]
    keys = {m.key for ms in found for m in ms}
    known = _Known(keys, directory, on,
                   {k.rsplit(" ", 1)[-1]: k for k in sorted(keys) if k.startswith("?")})
    for i, t in enumerate(texts):
        found[i] = _family_mentions(t, i, found[i], known)
    mentions = sorted((m for ms in found for m in ms), key=lambda m: (m.index, m.start))
    principal_at = find_principals(sentences, found, directory, on)
    return tuple(_person_mention(key, mentions, principal_at.get(key), sentences, on)
                 for key in dict.fromkeys(m.key for m in mentions))


def _at(mention: Mention, index: int) -> Mention:
    """A copy of a cached mention, in sentence ``index``."""
    return Mention(mention.key, index, mention.start, mention.end, mention.name,
                   mention.person, mention.role, mention.country)


def _analyse(directory: PeopleDirectory, text: str) -> _Text:
    """The part of finding people that depends on one sentence's text alone."""
    full = tuple(_full_mentions(text, 0, directory))
    return _Text(full, _tokens(text, full, directory))


_analysed = TextMemo(_analyse)


def _tokens(text: str, full: Sequence[Mention], directory: PeopleDirectory,
            ) -> tuple[_Token, ...]:
    """Capitalised words that no full mention covers, each with its name key."""
    taken = [(m.start, m.end) for m in full]
    tokens = list(NAME_TOKEN.finditer(text))
    kept: list[_Token] = []
    title_words, by_family = directory.title_words, directory.by_family
    for pos, tok in enumerate(tokens):
        word = tok[0]
        if not word[0].isupper():
            continue
        start, end = tok.span()
        if taken and any(s < end and start < e for s, e in taken):
            continue
        key = name_key(word)
        titled = pos > 0 and tokens[pos - 1][0].casefold() in title_words
        family = by_family.get(key, ())
        kept.append(_Token(start, end, word, key, titled, family,
                           not family and directory.may_misspell(word) and
                           directory.has_near(word)))
    return tuple(kept)


def _name_runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of capitalised words (with name particles) separated only by spaces."""
    runs: list[list[re.Match[str]]] = []
    for tok in NAME_TOKEN.finditer(text):
        word = tok[0]
        if not (word[0].isupper() or word in PARTICLES):
            continue
        if runs and not text[runs[-1][-1].end():tok.start()].strip(" \u00a0"):
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return runs


def _full_mentions(text: str, index: int, directory: PeopleDirectory) -> list[Mention]:
    """Known full names (exact or fuzzy) and people introduced by a role phrase."""
    text = HANDLE.sub(lambda m: " " * len(m[0]), text)
    found: list[Mention] = []
    for run in _name_runs(text):
        pos = 0
        while pos < len(run) - 1:
            hit = _match_span(text, run, pos, directory)
            if hit:
                person, size = hit
                start, end = run[pos].start(), run[pos + size - 1].end()
                found.append(Mention(person.name, index, start, end, person.name, person))
                pos += size
            else:
                pos += 1
    if possible(directory.role_words, text):
        for match in directory.role_pattern.finditer(text):
            _role_mention(match, text, index, directory, found)
    return sorted(found, key=lambda m: m.start)


def _match_span(text: str, run: list[re.Match[str]], pos: int,
                directory: PeopleDirectory) -> tuple[Person, int] | None:
    by_key, start = directory.by_key, run[pos].start()
    for size in range(min(LONGEST_NAME, len(run) - pos), 1, -1):
        person = by_key.get(name_key(text[start:run[pos + size - 1].end()]))
        if person:
            return person, size
    if len(run) - pos < MIN_NAME_WORDS:
        return None
    title_words, countries = directory.title_words, directory.countries
    for size in MISSPELT_SIZES:
        words = [t[0].rstrip(".").casefold() for t in run[pos:pos + size]]
        if len(words) < size or any(w in title_words or w in countries or w in NOT_NAMES
                                    for w in words):
            continue
        key = name_key(" ".join(words))
        full = [w for w in words if len(w) > 1]  # a middle initial is no name word
        if len(key) < MIN_MISSPELT_KEY or len(full) < MIN_NAME_WORDS or \
                key.count(" ") != len(full) - 1:
            continue
        best = process.extractOne(key, directory.key_list, scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        if best:
            return directory.by_key[best[0]], size
    return None


def _country(phrase: str | None, directory: PeopleDirectory) -> str | None:
    if not phrase:
        return None
    phrase = re.sub(r"^the\s+", "", phrase.strip(), flags=re.IGNORECASE)
    code = directory.countries.get(phrase.casefold())
    if code:
        return code
    try:
        return str(pycountry.countries.lookup(phrase).alpha_2)
    except LookupError:
        return None


def _clean_name(raw: str) -> str:
    """Drop honorifics; turn "HAYASHI Yoshimasa" (family name in capitals) into "Yoshimasa
    Hayashi"."""
    raw = re.sub(r"['’]s$", "", raw.strip())  # "Minister Ana Ruiz's government"
    words = [w for w in raw.split() if name_key(w) or re.fullmatch(r"[A-Z]\.", w)]
    while words and words[-1].casefold() in NOT_NAMES:
        words.pop()
    caps = [w for w in words if len(w.rstrip(".")) > 1 and w.isupper()]
    if caps and len(caps) < len(words):
        words = [w for w in words if w not in caps] + caps
    return " ".join(w.title() if len(w) > 1 and w.isupper() else w for w in words)


def _role_mention(match: re.Match[str], text: str, index: int, directory: PeopleDirectory,
                  found: list[Mention]) -> None:
    group = next(g for g in ("name", "cname", "aname") if match[g])
    start, end = match.span(group)
    phrase = match["role"] or match["arole"] or ("" if match["cname"] else None)
    role = directory.role_title(phrase) if phrase else None
    nat = (match["nat"] or match["of"] or match["nof"] or match["cnat"] or match["anat"]
           or match["aof"])
    country = _country(nat, directory)
    for mention in found:
        if mention.start < end and start < mention.end:
            mention.role = mention.role or role
            mention.country = mention.country or country
            return
    name = _clean_name(match[group])
    key = name_key(name)
    if not key or name.split()[0].casefold() in NOT_NAMES or key in directory.by_family \
            or directory.is_body(name):
        return
    if group == "aname" and len(name.split()) < MIN_NAME_WORDS:
        return
    person = _near_person(key, directory)
    if person is not None:  # a known official, misspelt ("Dr. S. Jaishanker")
        found.append(Mention(person.name, index, start, end, person.name, person, role, country))
        return
    found.append(Mention("?" + key, index, start, end, name, None, role, country))


def _near_person(key: str, directory: PeopleDirectory) -> Person | None:
    """The known person a role phrase's unknown name misspells, if exactly one fits."""
    if " " not in key:
        return directory.near_family(key)
    best = process.extractOne(key, directory.key_list, scorer=fuzz.ratio,
                              score_cutoff=FUZZY_CUTOFF)
    return directory.by_key[best[0]] if best else None


def _family_mentions(text: _Text, index: int, found: list[Mention],
                     known: _Known) -> list[Mention]:
    """Bare family names of people named in full elsewhere, or after a title word."""
    result = list(found)
    unknown, keys = known.unknown, known.keys
    for tok in text.tokens:
        if tok.key in unknown and (tok.titled or unknown[tok.key] in keys):
            result.append(Mention(unknown[tok.key], index, tok.start, tok.end, tok.word))
            continue
        person = _pick_family(tok.family, keys, tok.titled, known.on) if tok.family else None
        if person is None and tok.fuzzable:
            person = known.directory.near_family(tok.word) if tok.titled else \
                known.near_named(tok.word)
        if person:
            result.append(Mention(person.name, index, tok.start, tok.end, person.name,
                                  person))
    return sorted(result, key=lambda m: m.start)


def _pick_family(people: Sequence[Person], known: set[str], titled: bool,
                 on: dt.date | None) -> Person | None:
    named = [p for p in people if p.name in known]
    if len(named) == 1:
        return named[0]
    if len(people) == 1 and " " not in name_key(people[0].name):
        return people[0]  # known by one name only ("Jaishankar")
    if titled and not named:
        serving = [p for p in people if on is None or p.role_on(on)]
        fits = people if len(people) == 1 else serving
        return fits[0] if len(fits) == 1 else None
    return None


def _person_mention(key: str, mentions: list[Mention], cue: tuple[int, bool] | None,
                    sentences: Sequence[Sentence], on: dt.date | None) -> PersonMention:
    own = [m for m in mentions if m.key == key]
    hint = next((m.role for m in own if m.role), None)
    person = own[0].person
    role_title, country = (hint.title if hint else None), next((m.country for m in own
                                                                if m.country), None)
    if person is not None:
        role = person.role_on(on, hint.kind if hint else None)
        role_title = role.title if role else (hint.title if hint and on is None else None)
        country = (role.country if role else None) or person.country
    where = sentences[cue[0] if cue else own[0].index]
    evidence = Evidence("participants" if cue else "people", where.article, where.line,
                        where.text)
    return PersonMention(own[0].name, role_title, country, cue is not None, person is not None,
                         evidence)


