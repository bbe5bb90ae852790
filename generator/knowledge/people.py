"""The directory of known officials: names, aliases, name order, countries, roles over time."""
from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pycountry
import yaml
from rapidfuzz.distance import Levenshtein

from generator.errors import DataError
from generator.knowledge.countries import is_country_code
from generator.models import Problem
from generator.support.memo import MEMO_SIZE
from generator.support.prefilter import alternation, needed_words
from generator.support.yamlio import compose_data, load_data

HEAD_KINDS = frozenset({"head-of-state", "head-of-government"})
ROLE_KINDS = HEAD_KINDS | {"foreign-minister", "defence-minister", "other"}
DROPPED = frozenset({"mr", "ms", "mrs", "dr", "rt", "hon", "mp", "jr", "sr", "ii", "iii", "iv",
                     "the", "honorable", "honourable", "h", "e"})
NAME_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*\.?")
PARTICLES = frozenset({"von", "van", "der", "de", "di", "da", "le", "la", "bin", "al"})
NAME = (r"(?:[A-Z][\w'’\-]+|[A-Z]\.)(?:\s+(?:(?:van|von|der|de|del|di|da|dos|la|le|bin|al)"
        r"\s+){0,2}(?:[A-Z][\w'’\-]+|[A-Z]\.)){0,3}")
NOT_NAMES = frozenset(re.split(r"\s+", """the in on at for and but during after before also
meanwhile earlier later then while when photo image caption monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december"""))
# a country's formal name ("the People's Democratic Republic of Algeria")
STATE = r"[A-Z][\w'’]*(?:\s+(?:of\s+(?:the\s+)?|and\s+)?[A-Z][\w'’]*){0,5}"
# rapidfuzz ratio for a misspelt whole name against every known one. Stricter than
# ``generator.group.clusters.NAME_MATCH`` on purpose: here the best of all known names wins,
# and distinct officials' names already score up to 84 ("kim yong hyun" / "kim jong un").
FUZZY_CUTOFF = 88.0
FUZZY_FAMILY_MIN = 6  # a lone family name this long may carry one typo ("Jaishanker")
POSSESSIVE = re.compile(r"['’]s\b")
VARIANT_II = re.compile(r"(?<=\w{3})(?:iy|yy|ij)\b")
VARIANT_EI = re.compile(r"(?<=\w{3})ey\b")
KEY_SPLIT = re.compile(r"[\s\-.,]+")


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
            valid = next((r for r in self.roles if r.valid_on(day)), None)
            # a post handed over that day: the outgoing holder still held it (a farewell call)
            handed = [r for r in self.roles if r.end == day]
            return valid or (handed[-1] if handed else None)
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
    honorifics: tuple[str, ...] = ()
    not_name_words: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def by_key(self) -> dict[str, Person]:
        index: dict[str, Person] = {}
        for person in self.people:
            for key in person_keys(person):
                index.setdefault(key, person)
        return index

    @cached_property
    def positions(self) -> dict[str, tuple[int, ...]]:
        """Name -> where people of that name are in ``people``."""
        index: dict[str, list[int]] = {}
        for n, person in enumerate(self.people):
            index.setdefault(person.name, []).append(n)
        return {k: tuple(v) for k, v in index.items()}

    def named(self, names: set[str]) -> list[Person]:
        """The people called any of ``names``, in directory order."""
        positions = self.positions
        return [self.people[n] for n in sorted(n for name in names
                                               for n in positions.get(name, ()))]

    @cached_property
    def key_list(self) -> tuple[str, ...]:
        """Every name key, for fuzzy matching (in ``by_key`` order)."""
        return tuple(self.by_key)

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
    def role_dates(self) -> tuple[dt.date, ...]:
        """Every day a role starts or ends, sorted: between two of them no role changes."""
        return tuple(sorted({day for person in self.people for role in person.roles
                             for day in (role.start, role.end) if day is not None}))

    def same_roles(self, first: dt.date | None, second: dt.date | None) -> bool:
        """Whether every person holds the same role (``Person.role_on``) on both days:
        neither day is a day a role starts or ends, and no such day lies between them."""
        if first is None or second is None or first == second:
            return first == second
        dates = self.role_dates
        low, high = min(first, second), max(first, second)
        at = bisect.bisect_left(dates, low)
        return at == len(dates) or dates[at] > high

    @cached_property
    def role_pattern(self) -> re.Pattern[str]:
        return build_role_pattern(self)

    @cached_property
    def role_words(self) -> frozenset[str] | None:
        """Words one of which a text must hold for ``role_pattern`` to match in it."""
        return needed_words(self.role_pattern.pattern, self.role_pattern.flags)

    def lookup(self, name: str) -> Person | None:
        """The known person called ``name`` (any listed spelling or order), if any."""
        return self.by_key.get(name_key(name))

    @cached_property
    def family_keys(self) -> dict[str, tuple[tuple[str, Person], ...]]:
        """Each person's family-name key, grouped by its first letter (in people order)."""
        index: dict[str, list[tuple[str, Person]]] = {}
        for person in self.people:
            fam = name_key(person.family)
            index.setdefault(fam[:1], []).append((fam, person))
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def _near_memo(self) -> dict[str, Person | None]:
        return {}

    def near_family(self, word: str, among: Sequence[Person] | None = None) -> Person | None:
        """The one person whose family name ``word`` misspells by a letter ("Blinkin")."""
        if among is None:
            memo = self._near_memo
            if word not in memo:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[word] = self._near(word, None)
            return memo[word]
        return self._near(word, among) if among else None

    def has_near(self, word: str) -> bool:
        """Whether some person's family name is one letter from ``word``: without one,
        ``near_family`` finds no one, whoever it looks among."""
        memo = self._has_near_memo
        if word not in memo:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            key = name_key(word)
            memo[word] = any(fam[:1] == key[:1] and
                             Levenshtein.distance(fam, key, score_cutoff=1) <= 1
                             for fam, _ in self.family_keys.get(key[:1], ()))
        return memo[word]

    @cached_property
    def _has_near_memo(self) -> dict[str, bool]:
        return {}

    def may_misspell(self, word: str) -> bool:
        """Whether ``word`` may be a family name misspelt: one long word, not a country."""
        key = name_key(word)
        return not (len(key) < FUZZY_FAMILY_MIN or " " in key or key in self.countries
                    or _is_country(word))

    def _near(self, word: str, among: Sequence[Person] | None) -> Person | None:
        if not self.may_misspell(word):
            return None
        key = name_key(word)
        pool = self.family_keys.get(key[:1], ()) if among is None else \
            [(name_key(p.family), p) for p in among]
        close = {p.name: p for fam, p in pool
                 if fam[:1] == key[:1] and Levenshtein.distance(fam, key, score_cutoff=1) <= 1}
        return next(iter(close.values())) if len(close) == 1 else None

    def is_body(self, name: str) -> bool:
        """True when ``name`` reads as an institution or a title, not a person ("Central
        Foreign Affairs Commission")."""
        words = {w.rstrip(".").casefold() for w in name.split()}
        return bool(words & (self.not_name_words | {t.rstrip(".") for t in self.title_words}))

    def role_title(self, phrase: str) -> RoleTitle | None:
        folded = " ".join(phrase.casefold().split())
        return next((r for r in self.role_titles if r.phrase.casefold() == folded), None)


@lru_cache(maxsize=MEMO_SIZE)
def _is_country(word: str) -> bool:
    try:
        pycountry.countries.lookup(word)
    except LookupError:
        return False
    return True


# letters that carry no combining mark and so survive NFKD ("Radosław", "Løkke", "Đặng")
PLAIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i",
                       "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th"})


@lru_cache(maxsize=MEMO_SIZE)
def fold(text: str) -> str:
    """``text`` without accents ("Đặng" -> "Dang")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(PLAIN))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=MEMO_SIZE)
def name_key(text: str) -> str:
    """A comparable form of a name: folded, lower case, no initials, honorifics or suffixes."""
    text = POSSESSIVE.sub("", fold(text).casefold())
    # one spelling for common transliteration variants: Andriy/Andrii, Sergey/Sergei
    text = VARIANT_II.sub("ii", text)
    text = VARIANT_EI.sub("ei", text)
    words = KEY_SPLIT.split(text)
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
        data = compose_data(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError([Problem(str(path), f"cannot read people file: {err}")]) from err
    plain = load_data(path.read_text(encoding="utf-8")) if data is not None else None
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
    honorifics = tuple(sorted((str(h) for h in plain.get("honorifics") or []),
                              key=lambda h: (-len(h), h)))
    bodies = frozenset(str(w).casefold() for w in plain.get("not_name_words") or [])
    return PeopleDirectory(tuple(p for p in people if p), titles, nationalities, words,
                           honorifics, bodies)


def _entry_lines(node: yaml.Node, key: str) -> list[int]:
    for k, v in getattr(node, "value", []):
        if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _person(entry: Any, path: str, line: int, extra: frozenset[str],
            problems: list[Problem]) -> Person | None:
    if not isinstance(entry, dict) or not entry.get("name"):
        problems.append(Problem(path, "person: expected a mapping with a `name`", line))
        return None
    name, country = str(entry["name"]), str(entry.get("country", ""))
    if not is_country_code(country, extra):
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
    nats = alternation([n for n, _ in sorted(directory.nationalities,
                                              key=lambda kv: -len(kv[0]))])
    roles = alternation([r.phrase for r in directory.role_titles], fold=True) or "(?!)"
    nat = rf"(?P<nat>(?:the\s+)?(?:{nats}))(?:['’]s)?\s+(?:(?:new|top|acting)\s+)?"
    honour = "|".join(re.escape(h) for h in directory.honorifics) or "(?!)"
    before = (rf"(?:{nat}(?:[A-Z][\w.]*\s+){{0,2}}?)?(?i:(?P<role>{roles}))"
              rf"(?:\s+of\s+(?:the\s+)?(?P<of>{nats}))?"
              rf",?\s+(?:(?:the|{honour})\s+)*(?P<name>{NAME})"
              rf"(?:\s+of\s+(?:the\s+)?(?P<nof>{nats})\b)?")
    counterpart = (rf"\b(?i:his|her|their)\s+(?:(?P<cnat>{nats})\s+)?(?:\w+\s+)?"
                   rf"counterparts?,?\s+(?P<cname>{NAME})")
    after = (rf"(?P<aname>{NAME}),\s+(?:the\s+)?(?:(?P<anat>{nats})\s+)?(?:[A-Z][\w.]*\s+){{0,3}}"
             rf"(?i:(?P<arole>{roles}))(?:\s+of\s+(?:the\s+)?(?P<aof>{nats}|{STATE}))?(?=[,.;:]|\s*$)")
    return re.compile(rf"\b(?:{before}|{counterpart}|{after})")


