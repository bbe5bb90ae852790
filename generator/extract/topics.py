"""Topics: finding the topics a meeting's sources discuss (the taxonomy is ``knowledge.taxonomy``).

A topic counts only when discussed substantively: a sentence must carry a discussion cue
(a statement, pledge, concern, agreement) and must not be a credit, caption, link line or an
explanatory aside; the weights of the topic's terms in such sentences must reach its
threshold. All of this is data in ``taxonomy.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.knowledge.taxonomy import Taxonomy, Topic, conjunction, holds_all
from generator.models import Evidence, Sentence, TopicFact
from generator.support.memo import RecentMemo, TextMemo
from generator.support.prefilter import (
    Need,
    plain,
    possible,
)

FINAL_STOP = re.compile(r"[.!?][\"”’')\]]*\s*$")


def _fast_score(topic: Topic, terms: list[int], text: str, low: str) -> int:
    """``topic.score(text)`` for a text (see ``prefilter.plain``) in which only the given
    terms (no exclude) may match. No ``any_term`` test: it matches where some term does."""
    total = 0
    for term in (topic.terms[m] for m in terms):
        if not term.pattern.search(text):
            continue
        if term.requires and not (holds_all(conjunction(term.requires), low) and
                                  term.requires.search(text)):
            continue
        if term.unless and holds_all(conjunction(term.unless), low) and term.unless.search(text):
            continue
        total += term.weight
    return total


def discussion_sentences(sentences: Sequence[Sentence],
                         taxonomy: Taxonomy) -> list[Sentence]:
    """The sentences that can carry a topic: substantive, not credits, links or asides."""
    kept: list[Sentence] = []
    skipping = False
    for sentence in sentences:
        after, final, skip, cue = _filters(taxonomy, sentence.text)
        if after:
            skipping = True
            continue
        if skipping and not final:
            continue
        skipping = False
        if skip:
            continue
        if cue:
            kept.append(sentence)
    return kept


def _filter_text(taxonomy: Taxonomy, text: str) -> tuple[bool, bool, bool, bool]:
    """Whether ``text`` starts a run to skip, ends a sentence, is skipped, has a cue."""
    after, skip, cues = taxonomy.filters
    return (_any_match(after, text), bool(FINAL_STOP.search(text)), _any_match(skip, text),
            _any_match(cues, text))


def _any_match(patterns: tuple[tuple[re.Pattern[str], Need], ...], text: str) -> bool:
    return any(possible(words, text) and pattern.search(text) for pattern, words in patterns)


def _score_text(taxonomy: Taxonomy, text: str) -> tuple[int, ...]:
    """Each topic's score for ``text``, in taxonomy order.

    Only the patterns whose needed words the text holds are searched (see ``prefilter``).
    """
    if not plain(text):
        return tuple(topic.score(text) for topic in taxonomy.topics)
    low = text.lower()
    found = taxonomy.index.candidates(low)
    scores = []
    for n, topic in enumerate(taxonomy.topics):
        terms = found.get(n)
        if not terms:
            scores.append(0)
        elif terms[0] < 0:  # an exclude may match: it may change the text
            scores.append(topic.score(text))
        else:
            scores.append(_fast_score(topic, terms, text, low))
    return tuple(scores)


_filters = TextMemo(_filter_text)
_scores = TextMemo(_score_text)


def find_topics(sentences: Sequence[Sentence], taxonomy: Taxonomy) -> tuple[TopicFact, ...]:
    """The topics the sentences of one meeting discuss, in taxonomy order.

    Args:
        sentences: the meeting's sentences, in article order.
        taxonomy: the topics and their matching data.

    Returns:
        One TopicFact per topic whose score reaches its threshold; its evidence is every
        sentence that contributed, with field ``topics.<id>``.
    """
    return _TOPICS((tuple(sentences), id(taxonomy)), (taxonomy,),
                   lambda: _find_topics(sentences, taxonomy))


_TOPICS: RecentMemo[tuple[TopicFact, ...]] = RecentMemo()


def _find_topics(sentences: Sequence[Sentence], taxonomy: Taxonomy) -> tuple[TopicFact, ...]:
    usable = discussion_sentences(sentences, taxonomy)
    table = [_scores(taxonomy, s.text) for s in usable]
    columns = list(zip(*table, strict=True))
    facts: list[TopicFact] = []
    for n, topic in enumerate(taxonomy.topics):
        if not columns or not any(columns[n]):
            continue  # no sentence scores: no support
        scored = [(s, row[n]) for s, row in zip(usable, table, strict=True)]
        support = [s for s, points in scored if points > 0]
        if support and sum(points for _, points in scored) >= topic.threshold:
            evidence = tuple(Evidence(f"topics.{topic.id}", s.article, s.line, s.text)
                             for s in support)
            facts.append(TopicFact(topic.id, evidence))
    return tuple(facts)
