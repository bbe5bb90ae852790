"""Extraction: the facts one article gives about the meetings it reports.

``extract_facts`` decides whether the article reports a meeting at all (an opinion piece,
a press conference on other matters or a report that mentions a meeting in passing does
not), finds the main meeting and any side meetings reported inside it ("Earlier in the
day, Hayashi met with his British counterpart ..."), and reads each meeting's date, place,
format, setting, occasion, principals, topics, quotes and outcomes. Side-meeting sentences
do not feed the main meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.extract import people as people_mod
from generator.extract import quotes as quotes_mod
from generator.extract import topics as topics_mod
from generator.extract.context import Context
from generator.extract.dates import (
    DATE_BASES,
    DATELINE,
    date_in_sentence,
    find_dateline,
    usable_dates,
)
from generator.extract.duration import find_duration
from generator.extract.masthead import DATELINE_CREDIT
from generator.extract.places import (
    RANK_MENTIONED,
    RANK_STATED,
    PlaceFact,
    dateline_place,
    find_place,
)
from generator.extract.principals import MIN_PRINCIPALS
from generator.extract.segments import (
    CUE,
    GROUP,
    MODAL,
    SAME_DAY,
    SIDE_CUE,
    body_sentences,
    elsewhen_text,
    is_opinion,
    mentions,
    other_events,
    reports_meeting,
)
from generator.extract.setting import find_format, find_setting
from generator.extract.side import (
    find_side_spans,
    side_named,
)
from generator.knowledge.places import Gazetteer
from generator.models import (
    ArticleFacts,
    DateFact,
    Evidence,
    Location,
    MeetingFacts,
    PersonMention,
    Sentence,
    SourceArticle,
)
from generator.support.memo import RecentMemo, TextMemo

if TYPE_CHECKING:
    from generator.knowledge import KnowledgeBase

LEAD_SENTENCES = 5  # full sentences in the lead: a report states its meeting by then
DATELINE_SENTENCES = 8  # a dateline opens one of the first sentences (after page chrome)
FULL_SENTENCE_WORDS = 8  # a shorter sentence is a headline, caption or fragment
OPENING_LINES = 2  # a sentence on these lines is the headline or right under it
LEAD_STATED = 4  # lead sentences that name the meeting's format and setting
FORMAT_SENTENCES = 3  # without such, the first stating sentences name its format
SUMMARY_SENTENCES = 2  # a meeting's summary: its first sentences
MIN_COUNTRIES = 2  # talks "between" countries: two at least
CITY_HEAD = re.compile(r"^\s*[A-Z][A-Za-z .'-]{1,40}?\s*(?::|--|—)\s")


def lead_sentences(body: Sequence[Sentence]) -> list[Sentence]:
    """The headline and the first few full sentences."""
    lead: list[Sentence] = []
    long_ones = 0
    for sentence in body:
        lead.append(sentence)
        text = sentence.text.rstrip("\"”’)")
        long_ones += len(text.split()) >= FULL_SENTENCE_WORDS and text.endswith((".", "!", "?"))
        if long_ones >= LEAD_SENTENCES:
            break
    return lead


def extract_facts(article: SourceArticle, kb: KnowledgeBase) -> ArticleFacts:
    """Find the meetings an article reports, main one first.

    Args:
        article: the article read by ``generator.ingest.sources.read_article``.
        kb: taxonomy, people and places.

    Returns:
        The article's facts; ``meetings`` is empty when it reports no meeting.

    Roles are those held on the meeting day: the meeting is first read with roles of the
    publication day, and read again with those of its own day when that differs (a
    minister who left office the day before publication still met in her role).
    """
    if is_opinion(article):
        return ArticleFacts(article, ())
    facts = _extract(article, kb, article.published)
    main = facts.meetings[0] if facts.meetings else None
    day = main.date.value if main is not None and main.date is not None else \
        _lead_day(article)
    # read again only when some role differs between the two days (else nothing would)
    if day is not None and not kb.people.same_roles(day, article.published):
        again = _extract(article, kb, day)
        if again.meetings:
            return again
    return facts


def _lead_day(article: SourceArticle) -> dt.date | None:
    """A day the opening sentences give for a meeting, before anyone in it is known."""
    body = body_sentences(article)
    for sentence in lead_sentences(body):
        if CUE.search(sentence.text) and _about_principals(sentence):
            fact = date_in_sentence(sentence, article.published,
                                    article.published or _any_full_date(body))
            if fact is not None and fact.value is not None:
                return fact.value
    return None


def _extract(article: SourceArticle, kb: KnowledgeBase, on: dt.date | None) -> ArticleFacts:
    """The article's meetings, with roles looked up on the day ``on``."""
    body = body_sentences(article)
    everyone = people_mod.find_people(body, kb.people, on)
    ctx = Context(article, kb, body, everyone, on)
    opening = lead_sentences(body)
    side = next((n for n, s in enumerate(opening) if SIDE_CUE.search(s.text)), len(opening))
    lead = [s for s in opening[:side] if reports_meeting(s, everyone)]
    if not lead:
        return ArticleFacts(article, ())
    lead_people = _lead_principals(lead, ctx)
    if len(lead_people) < MIN_PRINCIPALS:  # "the two agreed": the names are in the sentences before
        lead_people = _lead_principals(opening[:side] or lead, ctx)
    spans = find_side_spans(body, lead_people, ctx)
    in_spans = {s for span in spans for s in span}
    main_body = [s for s in body if s not in in_spans]
    elsewhere = other_events(main_body[1:], lead_people, everyone)
    main_body = [s for s in main_body if s not in elsewhere]
    main = build_meeting(main_body, ctx, None)
    if main is None:
        return ArticleFacts(article, ())
    sides = [build_meeting(span, ctx, main, side_named(span[0], everyone, lead_people))
             for span in spans]
    return ArticleFacts(article, (main, *[m for m in sides if m is not None]))


def _lead_principals(lead: Sequence[Sentence], ctx: Context) -> list[PersonMention]:
    """The known people the lead sentences report as meeting (all known ones if < 2)."""
    found = [p for p in people_mod.find_people(lead, ctx.kb.people, ctx.on)
             if p.known]
    chosen = [p for p in found if p.principal]
    return chosen if len(chosen) >= MIN_PRINCIPALS else found


def principals_of(sentences: Sequence[Sentence], ctx: Context) -> list[PersonMention]:
    """The people who took part: the people finder's principals, else those in report lines."""
    found = people_mod.find_people(sentences, ctx.kb.people, ctx.on)
    chosen = [p for p in found if p.principal]
    if len(chosen) < MIN_PRINCIPALS:
        reporting = [s for s in sentences if reports_meeting(s, found)]
        opening = [s for s in lead_sentences(sentences) if not MODAL.search(s.text)
                   and sum(mentions(s, p) for p in found if p.known) >= MIN_PRINCIPALS][:1]
        chosen = [p for p in found if p.known and any(mentions(s, p)
                                                     for s in reporting + opening)]
    return sorted({p.name: p for p in chosen}.values(), key=lambda p: p.name)


def rank_sentences(sentences: Sequence[Sentence], principals: Sequence[PersonMention],
                   ) -> list[tuple[Sentence, int]]:
    """Each sentence with how closely it reports the meeting (3, 2 or 0)."""
    ranked = []
    for sentence in sentences:
        named = any(mentions(sentence, p) for p in principals)
        if reports_meeting(sentence, principals) and (named or GROUP.search(sentence.text)):
            ranked.append((sentence, RANK_STATED))
        elif named:
            ranked.append((sentence, RANK_MENTIONED))
    return ranked


def find_meeting_date(ranked: Sequence[tuple[Sentence, int]], ctx: Context) -> DateFact | None:
    """The best-supported meeting date among sentences about the meeting and the dateline."""
    return _DATES((tuple(ranked), id(ctx.article), id(ctx.kb.places)),
                  (ctx.article, ctx.kb.places), lambda: _meeting_date(ranked, ctx))


_DATES: RecentMemo[DateFact | None] = RecentMemo()  # roles of another day: the same date


def _meeting_date(ranked: Sequence[tuple[Sentence, int]], ctx: Context) -> DateFact | None:
    published = ctx.article.published
    reference = published or _any_full_date(ctx.body)
    opening = set(lead_sentences(ctx.body))
    ranks = dict(ranked)
    candidates = [s for s in ctx.body if ranks.get(s) == RANK_STATED or (
        s in opening and _about_principals(s) and (s in ranks or GROUP.search(s.text) or
                                                   _between_countries(s, ctx)))]
    facts = [fact for sentence in candidates
             for fact in [date_in_sentence(sentence, published, reference)] if fact]
    first = dateline_sentence(ctx.body, ctx.kb.places)
    dateline = find_dateline(first, published) if first else None
    if dateline is not None:
        facts.append(dateline)
    if not facts:
        return _page_date(ctx.article)
    return min(facts, key=lambda f: DATE_BASES.index(f.basis))


def _page_date(article: SourceArticle) -> DateFact | None:
    """A report that gives no day of its own (an official readout under its page date) is
    of a meeting held the day it was published."""
    where = article.published_evidence
    if article.published is None or where is None:
        return None
    return DateFact(article.published, "publication-date", None,
                    Evidence("date", where.article, where.line, where.text))


def _between_countries(sentence: Sentence, ctx: Context) -> bool:
    """A sentence reporting talks between two countries ("India and the US on Friday held
    their 2+2 dialogue")."""
    return _two_countries(ctx.kb.places, sentence.text)


def _countries_met(places: Gazetteer, text: str) -> bool:
    if not CUE.search(text):
        return False
    named = {places.countries[m[0]] for m in places.country_re.finditer(text)}
    return len(named) >= MIN_COUNTRIES


_two_countries = TextMemo(_countries_met)


def dateline_sentence(body: Sequence[Sentence], places: Gazetteer | None = None,
                      ) -> Sentence | None:
    """The sentence that opens the story: the first with a dateline ("Canberra, Nov 6
    (PTI)", "TOKYO (Kyodo) --", "New Delhi:") among the first few, else the first one."""
    for sentence in body[:DATELINE_SENTENCES]:
        if DATELINE.match(sentence.text) or DATELINE_CREDIT.match(sentence.text) or (
                places is not None and CITY_HEAD.match(sentence.text) and
                dateline_place(sentence, places) is not None):
            return sentence
    return body[0] if body else None


def _about_principals(sentence: Sentence) -> bool:
    return not elsewhen_text(sentence.text)


def _any_full_date(body: Sequence[Sentence]) -> dt.date | None:
    for sentence in body:
        for value, mention in usable_dates(sentence.text, None):
            if mention.year is not None:
                return value
    return None


def build_meeting(sentences: Sequence[Sentence], ctx: Context, main: MeetingFacts | None,
                  named: Sequence[PersonMention] = ()) -> MeetingFacts | None:
    """The facts of one meeting from its sentences.

    Args:
        sentences: the sentences reporting it (a side meeting's run, or the rest).
        ctx: the article and knowledge base.
        main: the article's main meeting when this is a side meeting.
        named: people met earlier in the article and named in a side meeting's first
            sentence by family name only ("Hayashi also held separate talks with ...").
    """
    principals = principals_of(sentences, ctx)
    known = {p.name for p in principals}
    principals = sorted([*principals, *[p for p in named if p.name not in known]],
                        key=lambda p: p.name)
    if len(principals) < MIN_PRINCIPALS:
        return None
    ranked = rank_sentences(sentences, principals)
    stated = [s for s, rank in ranked if rank == RANK_STATED]
    lead = [s for s in lead_sentences(sentences)
            if s in stated or s.line <= OPENING_LINES][:LEAD_STATED]
    fmt, format_ev = find_format([s for s in lead if s in stated] or stated[:FORMAT_SENTENCES])
    date = find_meeting_date(ranked, ctx)
    if main is not None and (date is None or date.value is None or
                             SAME_DAY.search(sentences[0].text)):
        date = main.date
    place = find_place(ranked, ctx.kb.places, dateline_sentence(ctx.body, ctx.kb.places)
                       if main is None else None) if fmt == "in_person" else None
    about = [s for s, _ in ranked]
    setting = find_setting(lead, about, fmt, ctx.kb.places, principals)
    location, country, place_rank = _place_of(place, main, fmt)
    kind, occasion = _side_setting(setting.setting, setting.occasion, fmt, main)
    evidence = [e for e in (date.evidence if date else None, format_ev,
                            place.evidence if place else None) if e] + list(setting.evidence)
    people = people_mod.find_people(sentences, ctx.kb.people, ctx.on)
    minutes, minutes_ev = find_duration(sentences)
    summary = tuple(Evidence("summary", s.article, s.line, s.text)
                    for s in (lead or stated)[:SUMMARY_SENTENCES])
    return MeetingFacts(
        date=date, location=location, format=fmt, setting=kind, occasion=occasion,
        participants=tuple(principals),
        topics=topics_mod.find_topics(sentences, ctx.kb.taxonomy),
        quotes=quotes_mod.find_quotes(sentences, people),
        outcomes=quotes_mod.find_outcomes(sentences),
        evidence=tuple(sorted(set(evidence), key=_evidence_key)),
        secondary=main is not None, country=country, place_rank=place_rank,
        duration_minutes=minutes, duration_evidence=minutes_ev, summary=summary)


def _side_setting(kind: str, occasion: str | None, fmt: str, main: MeetingFacts | None,
                  ) -> tuple[str, str | None]:
    """A side meeting held in person at the main meeting's event (a summit's sidelines, a
    2+2 or trilateral) is held on its sidelines."""
    if main is not None and fmt == "in_person" and main.setting != "standalone" and \
            kind in ("standalone", "sidelines"):
        return "sidelines", main.occasion or occasion
    return kind, occasion


def _place_of(place: PlaceFact | None, main: MeetingFacts | None, fmt: str,
              ) -> tuple[Location | None, str | None, int]:
    if fmt != "in_person":
        return None, None, 0
    if place is not None and (place.city or main is None):
        return place.location, place.country, place.rank
    if main is not None:
        return main.location, main.country, main.place_rank
    return None, None, 0


def _evidence_key(evidence: Evidence) -> tuple[str, str, int, str]:
    return evidence.field, evidence.article, evidence.line, evidence.text
