"""One meeting's facts from the reports gathered for it: date, place, setting, participants,
quotes, outcomes, duration and summary."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from generator.group.clusters import (
    Item,
    date_rank,
    person_key,
)
from generator.models import (
    Evidence,
    MeetingFacts,
    Participant,
    Quote,
    QuoteVariant,
)

SETTING_ORDER = ("2+2", "trilateral", "multilateral", "sidelines", "standalone")
QUOTE_MATCH = 90  # rapidfuzz ratio of one quote as two reports give it (a mark or word off)
OUTCOME_MATCH = 80  # token-set similarity of two outcome sentences saying the same
CALL_DATE_COUNTRY = "JP"  # calls with Japan are dated in Japanese time


def merge_date(items: Sequence[Item]) -> tuple[MeetingFacts | None, str]:
    """The report whose date is best supported, and the date basis for the meeting."""
    dated = [i for i in items if i.facts.date and i.facts.date.value]
    if not dated:
        return None, "unknown"
    votes = Counter(i.facts.date.value for i in dated if i.facts.date)
    best = min(dated, key=lambda i: (date_rank(i.facts),
                                     -votes[i.facts.date.value if i.facts.date else None],
                                     i.article))
    if best.facts.format != "in_person" and _involves(items, CALL_DATE_COUNTRY):
        # Tokyo is a day ahead of Washington or Europe: of two adjacent dates reported for
        # a call with Japan, the later one is the Japanese date (as MOFA gives it).
        best = max(dated, key=lambda i: (i.facts.date.value if i.facts.date else dt.date.min,
                                         -date_rank(i.facts), i.article))
    basis = best.facts.date.basis if best.facts.date else "unknown"
    return best.facts, basis


def _involves(items: Sequence[Item], country: str) -> bool:
    return any(p.country == country for i in items for p in i.facts.participants)


def merge_place(items: Sequence[Item], fmt: str) -> MeetingFacts | None:
    """The report whose city is best supported (none for a call)."""
    if fmt != "in_person":
        return None
    placed = [i for i in items if i.facts.location]
    if not placed:
        return None
    votes = Counter(i.facts.location.city for i in placed if i.facts.location)
    first = {id(item): n for n, item in enumerate(items)}  # not items.index: quadratic
    return max(placed, key=lambda i: (i.facts.place_rank,
                                      votes[i.facts.location.city if i.facts.location else ""],
                                      -first[id(i)])).facts


def merge_setting(items: Sequence[Item]) -> tuple[str, str | None]:
    """The most reported specific setting (standalone only if none), and its occasion."""
    votes = Counter(i.facts.setting for i in items if i.facts.setting != "standalone")
    if not votes:
        return "standalone", None
    setting = min(votes, key=lambda s: (-votes[s], SETTING_ORDER.index(s)))
    names = Counter(i.facts.occasion for i in items
                    if i.facts.setting == setting and i.facts.occasion)
    occasion = min(names, key=lambda n: (-names[n], -len(n), n)) if names else None
    return setting, occasion


def merge_quotes(items: Sequence[Item], shown: Collection[str] | None = None,
                 ) -> tuple[Quote, ...]:
    """Quotes of every report; near-identical wordings merge, listing every source and
    keeping each other wording as a variant.

    Only the ``shown`` articles (all when None) are listed and give variants; the others,
    near copies of them, are counted in ``copies`` (or, carrying a quote none of those
    carries, the first of them is listed)."""
    merged: list[_Merged] = []
    exact: dict[str, _Merged] = {}  # a copy's quote is mostly word for word: no fuzzy match
    for item in sorted(items, key=lambda i: i.article):
        listed = shown is None or item.article in shown
        for quote in item.facts.quotes:
            match = exact.get(quote.text) or next(
                (m for m in merged if fuzz.ratio(m.text, quote.text) >= QUOTE_MATCH), None)
            if match is None:
                match = _Merged(quote.text, quote.speaker, set(), {}, set())
                merged.append(match)
            exact.setdefault(quote.text, match)
            if not listed:
                match.counted.add(item.article)
                continue
            match.sources.add(item.article)
            if _wording(quote.text) != _wording(match.text):
                match.variants.setdefault(item.article, quote.text)
    return tuple(sorted((m.quote() for m in merged), key=lambda q: q.text))


@dataclass
class _Merged:
    """One quote as merged so far: its text and speaker (of the first source), the sources
    listed, their other wordings and the near copies only counted."""

    text: str
    speaker: str | None
    sources: set[str]
    variants: dict[str, str]
    counted: set[str]

    def quote(self) -> Quote:
        sources = self.sources or {min(self.counted)}
        return Quote(self.text, self.speaker, tuple(sorted(sources)),
                     tuple(QuoteVariant(t, a) for a, t in sorted(self.variants.items())),
                     len(self.counted - sources))


def _wording(text: str) -> str:
    """A quote's words, without the closing punctuation sources add or drop."""
    return text.strip().rstrip(".,;:!?\"'’”").casefold()


def merge_outcomes(items: Sequence[Item], shown: Collection[str] | None = None,
                   ) -> tuple[Evidence, ...]:
    """Outcome sentences of every report, in source order (the ``shown`` articles' first);
    a sentence another source already gave in other words (a copy or close paraphrase) is
    given once."""
    kept: list[Evidence] = []
    seen: set[str] = set()  # texts already given: a copy's sentence, word for word
    every = sorted({e for i in items for e in i.facts.outcomes},
                   key=lambda e: (shown is not None and e.article not in shown,
                                  e.article, e.line, e.text))
    for outcome in every:
        if outcome.text in seen:
            continue
        seen.add(outcome.text)
        if not any(fuzz.token_set_ratio(outcome.text, k.text) >= OUTCOME_MATCH for k in kept):
            kept.append(outcome)
    return tuple(kept)


def merge_duration(items: Sequence[Item]) -> MeetingFacts | None:
    """The report of the duration most reports give (None when none gives one)."""
    timed = [i for i in items if i.facts.duration_minutes]
    if not timed:
        return None
    votes = Counter(i.facts.duration_minutes for i in timed)
    return min(timed, key=lambda i: (-votes[i.facts.duration_minutes], i.article)).facts


def merge_summary(items: Sequence[Item], dated: MeetingFacts | None) -> tuple[Evidence, ...]:
    """The lead sentences of the best-dated report, else of the first report with a lead."""
    if dated is not None and dated.summary:
        return dated.summary
    return next((i.facts.summary for i in sorted(items, key=lambda i: i.article)
                 if i.facts.summary), ())


def merge_participants(items: Sequence[Item], hubs: Counter[str],
                       canon: dict[str, str] | None = None) -> tuple[Participant, ...]:
    """Every principal once, under the spelling most reports use (a misspelt name counts
    as that spelling); the most-met person first, then by name."""
    reports: dict[str, list[Participant]] = {}
    for item in sorted(items, key=lambda i: i.article):
        for person in item.facts.participants:
            key = person_key(person.name)
            reports.setdefault((canon or {}).get(key, key), []).append(
                Participant(person.name, person.role, person.country))
    merged = []
    for key, found in reports.items():
        names = Counter(p.name for p in found)
        name = min(names, key=lambda n: (-names[n], n))
        role = next((p.role for p in found if p.name == name and p.role),
                    next((p.role for p in found if p.role), None))
        country = next((p.country for p in found if p.country), None)
        merged.append((key, Participant(name, role, country)))
    return tuple(p for _, p in sorted(merged, key=lambda kp: (-hubs[kp[0]], kp[1].name)))
