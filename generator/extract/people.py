"""People: the directory of known officials and finding who met in an article.

A person is found by a known name (either name order, middle initials and suffixes ignored,
small typos forgiven), by a bare family name after a title or a full mention, or, when not in
the directory, by a role phrase ("German Foreign Minister X Y", "his British counterpart X").
Principals are the people who met or talked; everyone else is merely mentioned.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pycountry
import yaml
from rapidfuzz import fuzz, process

from generator.errors import DataError
from generator.models import Evidence, PersonMention, Problem, Sentence

HEAD_KINDS = frozenset({"head-of-state", "head-of-government"})
ROLE_KINDS = HEAD_KINDS | {"foreign-minister", "defence-minister", "other"}
DROPPED = frozenset({"mr", "ms", "mrs", "dr", "rt", "hon", "mp", "jr", "sr", "ii", "iii", "iv",
                     "the", "honorable", "honourable", "h", "e"})
NAME_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*\.?")
PARTICLES = frozenset({"von", "van", "der", "de", "di", "da", "le", "la", "bin", "al"})
NAME = r"(?:[A-Z][\w'’\-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’\-]+|[A-Z]\.)){0,3}"
NOT_NAMES = frozenset(re.split(r"\s+", """the in on at for and but during after before also
meanwhile earlier later then while when photo image caption monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december"""))
FUZZY_CUTOFF = 88.0


@dataclass(frozen=True)
class Role:
    """A post held from ``start`` up to (not including) ``end``."""

    title: str
    kind: str
    start: dt.date | None
    end: dt.date | None
    country: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Person:
    name: str
    family: str
    country: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]

    def role_on(self, day: dt.date | None, kind: str | None = None) -> Role | None:
        """The role held on ``day``; without a day, the latest role of ``kind`` (if given)."""
        if day is not None:
            return next((r for r in self.roles if r.valid_on(day)), None)
        fitting = [r for r in self.roles if kind is None or r.kind == kind]
        return fitting[-1] if fitting else None


@dataclass(frozen=True)
class RoleTitle:
    phrase: str
    title: str
    kind: str


@dataclass(frozen=True)
class PeopleDirectory:
    """Known people plus the vocabulary used to recognise unknown ones."""

    people: tuple[Person, ...]
    role_titles: tuple[RoleTitle, ...] = ()
    nationalities: tuple[tuple[str, str], ...] = ()
    title_words: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def by_key(self) -> dict[str, Person]:
        index: dict[str, Person] = {}
        for person in self.people:
            for key in person_keys(person):
                index.setdefault(key, person)
        return index

    @cached_property
    def by_family(self) -> dict[str, tuple[Person, ...]]:
        index: dict[str, list[Person]] = {}
        for person in self.people:
            index.setdefault(name_key(person.family), []).append(person)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def countries(self) -> dict[str, str]:
        return {k.casefold(): v for k, v in self.nationalities}

    @cached_property
    def role_pattern(self) -> re.Pattern[str]:
        return build_role_pattern(self)

    def lookup(self, name: str) -> Person | None:
        """The known person called ``name`` (any listed spelling or order), if any."""
        return self.by_key.get(name_key(name))

    def role_title(self, phrase: str) -> RoleTitle | None:
        folded = " ".join(phrase.casefold().split())
        return next((r for r in self.role_titles if r.phrase.casefold() == folded), None)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """A comparable form of a name: folded, lower case, no initials, honorifics or suffixes."""
    text = re.sub(r"['’]s\b", "", fold(text).casefold())
    words = re.split(r"[\s\-.,]+", text)
    return " ".join(w for w in words if len(w) > 1 and w not in DROPPED)


def person_keys(person: Person) -> set[str]:
    keys = {name_key(a) for a in (person.name, *person.aliases)}
    family = name_key(person.family)
    for key in list(keys):
        rest = " ".join(w for w in key.split() if w not in family.split())
        if rest:
            keys |= {f"{rest} {family}", f"{family} {rest}"}
    mononym = " " not in name_key(person.name)
    return {k for k in keys if k and (" " in k or mononym)}


# --- loading -------------------------------------------------------------------------------

def load_people(path: Path) -> PeopleDirectory:
    """Load the people data file.

    Raises:
        DataError: the file cannot be read or an entry is invalid (every problem, with line).
    """
    try:
        data = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError([Problem(str(path), f"cannot read people file: {err}")]) from err
    plain = yaml.safe_load(path.read_text(encoding="utf-8")) if data is not None else None
    if not isinstance(plain, dict) or not isinstance(plain.get("people"), list):
        raise DataError([Problem(str(path), "expected a mapping with a `people` list", 1)])
    assert data is not None
    lines = _entry_lines(data, "people")
    extra = frozenset(str(c) for c in plain.get("extra_country_codes") or [])
    problems: list[Problem] = []
    people = [_person(entry, str(path), line, extra, problems)
              for entry, line in zip(plain["people"], lines, strict=False)]
    titles = _role_titles(plain.get("role_titles") or {}, str(path), problems)
    if problems:
        raise DataError(problems)
    nationalities = tuple(sorted((str(k), str(v)) for k, v in
                                 (plain.get("nationalities") or {}).items()))
    words = frozenset(str(w).casefold() for w in plain.get("title_words") or [])
    return PeopleDirectory(tuple(p for p in people if p), titles, nationalities, words)


def _entry_lines(node: yaml.Node, key: str) -> list[int]:
    for k, v in getattr(node, "value", []):
        if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def valid_country(code: str, extra: frozenset[str]) -> bool:
    return code in extra or (len(code) == 2 and code.isupper()
                             and pycountry.countries.get(alpha_2=code) is not None)


def _person(entry: Any, path: str, line: int, extra: frozenset[str],
            problems: list[Problem]) -> Person | None:
    if not isinstance(entry, dict) or not entry.get("name"):
        problems.append(Problem(path, "person: expected a mapping with a `name`", line))
        return None
    name, country = str(entry["name"]), str(entry.get("country", ""))
    if not valid_country(country, extra):
        problems.append(Problem(path, f"{name}: country: expected an ISO 3166-1 alpha-2 code, "
                                      f"got {country!r}", line))
    roles: list[Role] = []
    for raw in entry.get("roles") or []:
        try:
            role = Role(str(raw["title"]), str(raw.get("kind", "other")), _date(raw.get("from")),
                        _date(raw.get("to")), raw.get("country"))
        except (KeyError, TypeError, ValueError) as err:
            problems.append(Problem(path, f"{name}: bad role {raw!r}: {err}", line))
            continue
        if role.kind not in ROLE_KINDS:
            problems.append(Problem(path, f"{name}: unknown role kind {role.kind!r}", line))
        if role.start and role.end and role.end < role.start:
            problems.append(Problem(path, f"{name}: role {role.title!r} ends before it starts",
                                    line))
        roles.append(role)
    family = str(entry.get("family") or name.split()[-1])
    aliases = tuple(str(a) for a in entry.get("aliases") or [])
    roles.sort(key=lambda r: r.start or dt.date.min)
    return Person(name, family, country, aliases, tuple(roles))


def _role_titles(raw: Any, path: str, problems: list[Problem]) -> tuple[RoleTitle, ...]:
    titles = []
    for phrase, spec in sorted(raw.items(), key=lambda kv: (-len(str(kv[0])), str(kv[0]))):
        if not isinstance(spec, dict) or spec.get("kind", "other") not in ROLE_KINDS:
            problems.append(Problem(path, f"role_titles: {phrase}: expected title and kind"))
            continue
        titles.append(RoleTitle(str(phrase), str(spec.get("title", phrase)),
                                str(spec.get("kind", "other"))))
    return tuple(titles)


def build_role_pattern(directory: PeopleDirectory) -> re.Pattern[str]:
    """Role phrases: "[Nationality] Role Name", "his [Nat.] counterpart Name", "Name, Role"."""
    nats = "|".join(re.escape(n) for n, _ in sorted(directory.nationalities,
                                                    key=lambda kv: -len(kv[0])))
    roles = "|".join(re.escape(r.phrase) for r in directory.role_titles) or "(?!)"
    nat = rf"(?P<nat>(?:the\s+)?(?:{nats}))(?:['’]s)?\s+(?:(?:new|top|acting)\s+)?"
    before = (rf"(?:{nat}(?:[A-Z][\w.]*\s+){{0,2}}?)?(?i:(?P<role>{roles}))"
              rf"(?:\s+of\s+(?:the\s+)?(?P<of>{nats}))?"
              rf",?\s+(?:the\s+)?(?:Honorable\s+|Rt\s+Hon\s+)?(?P<name>{NAME})")
    counterpart = (rf"\b(?i:his|her|their)\s+(?:(?P<cnat>{nats})\s+)?(?:\w+\s+)?"
                   rf"counterparts?,?\s+(?P<cname>{NAME})")
    after = (rf"(?P<aname>{NAME}),\s+(?:the\s+)?(?:(?P<anat>{nats})\s+)?(?:[A-Z][\w.]*\s+){{0,3}}"
             rf"(?i:(?P<arole>{roles}))(?:\s+of\s+(?:the\s+)?(?P<aof>{nats}))?(?=[,.;:]|\s*$)")
    return re.compile(rf"\b(?:{before}|{counterpart}|{after})")


# --- finding -------------------------------------------------------------------------------

@dataclass
class Mention:
    """One place a person is named in a sentence (internal)."""

    key: str
    index: int
    start: int
    end: int
    name: str
    person: Person | None = None
    role: RoleTitle | None = None
    country: str | None = None


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
    found = [_full_mentions(s.text, i, directory) for i, s in enumerate(sentences)]
    known = {m.key for ms in found for m in ms}
    for i, s in enumerate(sentences):
        found[i] = _family_mentions(s.text, i, found[i], known, directory, on)
    mentions = sorted((m for ms in found for m in ms), key=lambda m: (m.index, m.start))
    principal_at = find_principals(sentences, found, directory, on)
    return tuple(_person_mention(key, mentions, principal_at.get(key), sentences, on)
                 for key in dict.fromkeys(m.key for m in mentions))


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
    text = re.sub(r"@[\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*", lambda m: " " * len(m[0]), text)
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
    for match in directory.role_pattern.finditer(text):
        _role_mention(match, text, index, directory, found)
    return sorted(found, key=lambda m: m.start)


def _match_span(text: str, run: list[re.Match[str]], pos: int,
                directory: PeopleDirectory) -> tuple[Person, int] | None:
    for size in range(min(5, len(run) - pos), 1, -1):
        span = text[run[pos].start():run[pos + size - 1].end()]
        person = directory.by_key.get(name_key(span))
        if person:
            return person, size
    for size in (3, 2):
        words = [t[0].rstrip(".").casefold() for t in run[pos:pos + size]]
        if len(words) < size or any(w in directory.title_words or w in directory.countries
                                    or w in NOT_NAMES for w in words):
            continue
        key = name_key(" ".join(words))
        if len(key) < 8 or key.count(" ") != size - 1:
            continue
        best = process.extractOne(key, list(directory.by_key), scorer=fuzz.ratio,
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
    words = [w for w in raw.split() if name_key(w) or re.fullmatch(r"[A-Z]\.", w)]
    while words and words[-1].casefold() in NOT_NAMES:
        words.pop()
    caps = [w for w in words if len(w) > 1 and w.isupper()]
    if caps and len(caps) < len(words):
        words = [w for w in words if w not in caps] + caps
    return " ".join(w.title() if len(w) > 1 and w.isupper() else w for w in words)


def _role_mention(match: re.Match[str], text: str, index: int, directory: PeopleDirectory,
                  found: list[Mention]) -> None:
    group = next(g for g in ("name", "cname", "aname") if match[g])
    start, end = match.span(group)
    phrase = match["role"] or match["arole"] or ("" if match["cname"] else None)
    role = directory.role_title(phrase) if phrase else None
    nat = match["nat"] or match["of"] or match["cnat"] or match["anat"] or match["aof"]
    country = _country(nat, directory)
    for mention in found:
        if mention.start < end and start < mention.end:
            mention.role = mention.role or role
            mention.country = mention.country or country
            return
    name = _clean_name(match[group])
    key = name_key(name)
    if not key or name.split()[0].casefold() in NOT_NAMES or key in directory.by_family:
        return
    if group == "aname" and len(name.split()) < 2:
        return
    found.append(Mention("?" + key, index, start, end, name, None, role, country))


def _family_mentions(text: str, index: int, found: list[Mention], known: set[str],
                     directory: PeopleDirectory, on: dt.date | None) -> list[Mention]:
    """Bare family names of people named in full elsewhere, or after a title word."""
    unknown = {k.rsplit(" ", 1)[-1]: k for k in sorted(known) if k.startswith("?")}
    taken = [(m.start, m.end) for m in found]
    tokens = list(NAME_TOKEN.finditer(text))
    result = list(found)
    for pos, tok in enumerate(tokens):
        if not tok[0][0].isupper() or any(s < tok.end() and tok.start() < e for s, e in taken):
            continue
        key = name_key(tok[0])
        titled = pos > 0 and tokens[pos - 1][0].casefold() in directory.title_words
        if key in unknown and (titled or unknown[key] in known):
            result.append(Mention(unknown[key], index, tok.start(), tok.end(), tok[0]))
            continue
        people = directory.by_family.get(key, ())
        person = _pick_family(people, known, titled, on)
        if person:
            result.append(Mention(person.name, index, tok.start(), tok.end(), person.name,
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


# --- principals ------------------------------------------------------------------------------

MEET = (r"(?:met|meets|meet\s+with|walk(?:s|ed)?\s+with|talked|spoke|convened|attended|"
        r"sh(?:ook|akes?)\s+hands|(?:held|holds?|had|has|have|concluded)\s+(?:\S+\s+){0,6}?"
        r"(?:talks?|meeting|conversation|call|discussions?|dialogue|consultations|"
        r"(?:news|press)\s+(?:conference|availability))|(?:before|after|ahead\s+of|at|during)\s+"
        r"(?:their|a|the)\s+(?:\S+\s+){0,3}?(?:meeting|talks|press\s+availability|"
        r"(?:news|press)\s+conference))\b")
AGREE = (r"(?:agree[sd]?|vow(?:s|ed)?|reaffirm(?:s|ed)?|concur(?:s|red)?|pledged?|confirmed|"
         r"affirmed|committed|discussed|exchanged\s+views|condemned|critici[sz]ed)\b")
CUE = re.compile(rf"\b(?:(?P<meet>{MEET})|(?P<agree>{AGREE}))", re.IGNORECASE)
GAP_BLOCK = re.compile(r"[;:“”\"]|\b(?:said|says|say|told|tells|stated|states|according|who|"
                       r"whom|which|that|whose|when|after|before|because|while|if|since|ahead|"
                       r"visiting|hosting|than|where|announced|reported)\b", re.IGNORECASE)
OBJECT = re.compile(r"\b(?:met|meets|meet|meeting|talks?|conversation|call|discussions?|"
                    r"dialogue|spoke|talked|walks|walked|hands)\b(?:\s+[^\s,;:]+){0,6}?"
                    r"\s+with\s+(?P<list>[^;:]*)$", re.IGNORECASE)
DIRECT = re.compile(r"\b(?:met|meets|meet|meeting)\s+(?P<list>[^;:]*)$", re.IGNORECASE)
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
        return True
    tail = text[mention.end:]
    verb = CUE.search(tail)
    if verb and _gap_ok(_blank(tail[:verb.start()], others, mention.end), 20):
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
