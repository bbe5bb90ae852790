"""Quotes (statements in quotation marks, with their speaker) and outcome statements."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.extract.principals import CREDIT
from generator.extract.segments import NAME_WORD_LENGTH
from generator.models import Evidence, PersonMention, QuoteFact, Sentence
from generator.support.memo import MEMO_SIZE, RecentMemo
from generator.support.prefilter import quick

SAID = (r"(?:said|says|add(?:ed|s)|told|tells|stated|states|noted|notes|wrote|writes|"
        r"reiterated|stressed|emphasi[sz]ed|declared|announced|insisted|argued|explained|"
        r"continued|warned|saying|calling|called|calls|described|describes|posted|tweeted|"
        r"remarked|observed|recalled|acknowledged|asserted|spoke\s+of|speaks\s+of|"
        r"according\s+to)")
SAID_RE = quick(rf"\b{SAID}\b", re.IGNORECASE)
ORG = quick(
    r"(?:\b(?i:the|a|an|their|its)\s+)?(?:[A-Z][\w.\-]*\s+){0,4}(?:[Ff]oreign\s+)?"
    r"(?i:ministry|department|office|government|embassy|cabinet|spokes(?:person|man|woman))"
    r"\b(?:\s+of\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})?"
    r"|(?:\b(?i:the|a|an|their|its)\s+)?(?:[A-Z][\w.\-]*\s+)?(?:joint\s+)?[Ss]tatement\b"
    r"|\b(?:Beijing|Washington|Tokyo|Moscow|Seoul|Kyiv|London|Paris|Berlin|Pyongyang|Kremlin|"
    r"Pentagon|White House)\b")
PRONOUN = re.compile(r"\b(?:he|she|it)\b", re.IGNORECASE)
SMALL_WORDS = frozenset({"the", "of", "and", "for", "in", "on", "a", "an", "to", "at", "by"})
OUTCOME = quick(
    r"\b(?:agreed|agrees|agree (?:to|on|that)|concurred|concur (?:to|on|that)|condemn(?:ed|s)|"
    r"pledged|pledges|vowed|vows|reaffirmed|reaffirms|confirmed|affirmed|affirms|committed|"
    r"commits|shared the view|shared (?:their|the|our) (?:concerns?|recognition)|resolved|"
    r"decided|strongly opposed|renewed (?:their|its) commitment)\b", re.IGNORECASE)
MARKS = re.compile("[“\"‘']")  # the marks that may open a quotation
FINAL = re.compile(r"[.!?][\"”’')\]]*$")
LINKS = quick(r"^\s*(?:related (?:coverage|articles|stories|news)|also read|read more)\b",
              re.IGNORECASE)
SPLIT_GAP = 10  # words of an attribution between two parts of one quote ("he told reporters")
SPEAKER_BEFORE_SAID = 4  # words from a quote to "said": its speaker is named right there
SAID_BEFORE_QUOTE = 3  # words from "said" to the quote: "X said on Monday “…”"
STATEMENT_WORDS = 4  # a shorter quote is a scare quote or a name ...
ATTRIBUTED_WORDS = 2  # ... unless said right beside a speaker
LEAD_IN_WORDS = 2  # words from "said" to the colon of a lead-in ("X said in a statement:")


@dataclass(frozen=True)
class Span:
    """A quotation in a paragraph: ``start``/``end`` include the marks."""

    start: int
    end: int
    text: str
    attribution: str = ""  # the words between the parts of a split quote


def _closing(text: str, start: int, mark: str) -> int:
    """Index just past the mark closing the quote opened at ``start``."""
    if mark == "“":
        close = text.find("”", start + 1)
        if close < 0:  # a mismatched closer: “... ,’ he added
            odd = [m.end() for m in re.finditer(r"[,.!?][’'](?=\s|$)", text[start:])]
            return start + odd[-1] if odd else len(text)
        return close + 1
    if mark == '"':
        close = text.find('"', start + 1)
        return close + 1 if close >= 0 else len(text)
    for m in re.finditer(r"(?<=\S)[’'](?![^\W\d_])", text[start + 1:]):
        return start + 1 + m.end()
    return -1


def _closes(text: str, mark: re.Match[str]) -> bool:
    """Whether the first quotation mark in ``text`` closes a quote rather than opens one."""
    if mark[0] == "”":
        return True
    return (mark[0] == '"' and mark.start() > 0
            and re.match(r"[,.!?]\"(?:\s|$)", text[mark.start() - 1:]) is not None)


def quote_spans(text: str) -> list[Span]:
    """Every top-level quotation in ``text`` (nested quotes stay inside their outer one)."""
    return list(_quote_spans(text))


@lru_cache(maxsize=MEMO_SIZE)
def _quote_spans(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    pos = 0
    first = re.search(r"[“”\"]", text)
    if first and _closes(text, first):
        # the quote began in an earlier sentence: “A. | B,” she said
        spans.append(Span(0, first.end(), text[:first.start()].strip().rstrip(",")))
        pos = first.end()
    while pos < len(text):
        candidate = MARKS.search(text, pos)  # any other character opens nothing
        if candidate is None:
            break
        pos = candidate.start()
        mark = text[pos]
        opening = mark in "“\"" or (mark in "‘'" and (pos == 0 or text[pos - 1] in " ([—–-\n"))
        end = _closing(text, pos, mark) if opening else -1
        if end <= pos:
            pos += 1
            continue
        inner = text[pos + 1:end].strip().rstrip("”’'\"").strip()
        spans.append(Span(pos, end, inner))
        pos = end
    return tuple(_merge(text, spans))


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Join the parts of one quote split by an attribution: “A,” he said, “B.”"""
    merged: list[Span] = []
    for span in spans:
        if merged:
            last = merged[-1]
            gap = text[last.end:span.start]
            if (last.text.endswith(",") and not re.search(r"[.!?;:]", gap)
                    and len(gap.split()) <= SPLIT_GAP):
                merged[-1] = Span(last.start, span.end, f"{last.text} {span.text}", gap)
                continue
        merged.append(span)
    return merged


def _name_pattern(person: PersonMention) -> re.Pattern[str]:
    return _name_re(person.name)


@lru_cache(maxsize=MEMO_SIZE)
def _name_re(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in name.split() if len(w) > NAME_WORD_LENGTH]
    return re.compile(rf"\b(?:{'|'.join(words) or '(?!)'})\b", re.IGNORECASE)


def _article(match: re.Match[str]) -> str:
    return "the" if match[0] == "The" else ""


def _candidates(region: str, people: Sequence[PersonMention],
                last: tuple[str | None, str | None]) -> list[tuple[int, str]]:
    """(position, speaker) of every person, organisation or pronoun named in ``region``."""
    found = [(m.end(), p.name) for p in people for m in _name_pattern(p).finditer(region)]
    found += [(m.end(), re.sub(r"^(?:(?:a|an|their|its)\s+|The\b)", _article, m[0].strip()))
              for m in ORG.finditer(region)]
    names = {p.name for p in people}
    for m in PRONOUN.finditer(region):
        # "he"/"she" stands for the person named just before it, else the last speaker
        named = [c for c in found if c[1] in names and c[0] <= m.start()]
        said = last[1] if m[0].casefold() == "it" else \
            (max(named)[1] if named else last[0])
        if said and region[m.end():].strip().casefold() in ("", "also", "further"):
            found.append((m.end(), said))
    people_first = [c for c in found if c[1] in names] or found
    beside = [c for c in found if len(region[c[0]:].split()) <= 1]
    return sorted(people_first) + sorted(beside)  # whoever stands right by the verb wins


def _speaker(text: str, span: Span, people: Sequence[PersonMention],
             last: tuple[str | None, str | None]) -> tuple[str | None, bool]:
    """The quote's speaker and whether the attribution sits right by the quote.

    In order: a speaker just before a verb after the quote (“…,” X said), one just before a
    verb right before it (X described it as “…”), a person before a verb further before it
    (X said the two should “…”), one after a verb after it (…, according to X), then one
    anywhere before it.
    """
    start = max(text.rfind(". ", 0, span.start), text.rfind("” ", 0, span.start), 0)
    before = text[start:span.start]
    stop = re.search(r"[.!?](?:\s|$)|[“\"‘]", text[span.end:])
    after = text[span.end:span.end + stop.start()] if stop else text[span.end:]
    after = span.attribution or after
    verb = SAID_RE.search(after)
    near = _candidates(after[:verb.start()], people, last) if verb else []
    tight = verb is not None and len(after[:verb.start()].split()) <= SPEAKER_BEFORE_SAID
    if verb and near and (tight or _beside(after[near[-1][0]:verb.start()])):
        return near[-1][1], tight
    verbs = list(SAID_RE.finditer(before))
    region = before[:verbs[-1].start()] if verbs else before
    close = _candidates(region, people, last)
    if close and verbs and len(before[verbs[-1].end():].split()) <= SAID_BEFORE_QUOTE:
        return close[-1][1], True
    if close and verbs and close[-1][1] in {p.name for p in people}:
        return close[-1][1], False  # X said that ... “…”, according to his office
    far = _candidates(after[verb.end():], people, last) if verb else []
    if far:
        return far[0][1], True
    if close and (verbs or re.search(r"\bstatement\b", close[-1][1])):
        return close[-1][1], False
    return None, False


def _beside(gap: str) -> bool:
    """Whether a speaker this far before the verb is its subject: next to it, or with only an
    apposition between (“…,” Iwaya, a former defence minister, told reporters)."""
    return len(gap.split()) <= 1 or re.fullmatch(r",[^,;]*,\s*", gap) is not None


def _paragraphs(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        if groups and (groups[-1][-1].article, groups[-1][-1].line) == (sentence.article,
                                                                       sentence.line):
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
    return groups


def _is_statement(span: Span, attributed: bool) -> bool:
    """Not a scare quote or a name: 4+ words, or 2+ words said right beside a speaker."""
    words = re.findall(r"[\w'’\-]+", span.text)
    capitalised = all(w[0].isupper() or w.casefold() in SMALL_WORDS or not w[0].isalpha()
                      for w in words)
    if capitalised and not re.search(r"[.!?]$", span.text.rstrip(",")):
        return False
    return len(words) >= STATEMENT_WORDS or (len(words) >= ATTRIBUTED_WORDS and attributed)


def find_quotes(sentences: Sequence[Sentence],
                people: Sequence[PersonMention]) -> tuple[QuoteFact, ...]:
    """Statements in quotation marks, each with its speaker when the text names one.

    Args:
        sentences: one meeting's sentences in article order (a paragraph is one line).
        people: the people found in them; a speaker is given by their normalised name.

    Returns:
        Quotes in article order; ``speaker`` is a person's name, an organisation or
        statement ("the Japanese Foreign Ministry", "joint statement"), or None.
    """
    return _QUOTES((tuple(sentences), tuple(p.name for p in people)), (),
                   lambda: _find_quotes(sentences, people))


_QUOTES: RecentMemo[tuple[QuoteFact, ...]] = RecentMemo()  # people count by name only


def _find_quotes(sentences: Sequence[Sentence],
                 people: Sequence[PersonMention]) -> tuple[QuoteFact, ...]:
    quotes: list[QuoteFact] = []
    last: tuple[str | None, str | None] = (None, None)  # the last person, the last body
    names = {p.name for p in people}
    lead_in: str | None = None  # the speaker a paragraph ending "X said:" introduces
    for group in _paragraphs(sentences):
        text = " ".join(s.text for s in group)
        if CREDIT.search(text):
            lead_in = None
            continue
        previous = lead_in
        for span in quote_spans(text):
            speaker, attributed = _speaker(text, span, people, last)
            if speaker is None and previous and re.search(r"(?:^|[.!?][”\"’']?\s+)$",
                                                          text[:span.start]):
                speaker, attributed = previous, True  # “A,” X said. “B.” / X said: | “B.”
            previous = speaker
            if speaker:
                last = (speaker, last[1]) if speaker in names else (last[0], speaker)
            if not _is_statement(span, attributed):
                continue
            where = _sentence_at(group, text, span.start)
            quotes.append(QuoteFact(span.text.rstrip(","), speaker,
                                    Evidence("quotes", where.article, where.line, where.text)))
        lead_in = _lead_in(text, people, last)
    return tuple(quotes)


def _lead_in(text: str, people: Sequence[PersonMention],
             last: tuple[str | None, str | None]) -> str | None:
    """The speaker of a paragraph that introduces the next one: "Minister X said:"."""
    tail = text.rstrip()
    if not tail.endswith(":"):
        return None
    verbs = list(SAID_RE.finditer(tail))
    if not verbs or len(tail[verbs[-1].end():].split()) > LEAD_IN_WORDS:
        return None
    found = _candidates(tail[:verbs[-1].start()], people, last)
    return found[-1][1] if found else None


def _sentence_at(group: list[Sentence], text: str, offset: int) -> Sentence:
    pos = 0
    for sentence in group:
        pos = text.find(sentence.text, pos) + len(sentence.text)
        if offset < pos:
            return sentence
    return group[-1]


def find_outcomes(sentences: Sequence[Sentence]) -> tuple[Evidence, ...]:
    """Sentences that state what was agreed, affirmed, condemned, pledged or vowed.

    Credits, captions, questions and "Related coverage" link lines are left out.
    """
    outcomes: list[Evidence] = []
    in_links = False
    for s in sentences:
        links, final, left_out, outcome = _outcome_shape(s.text)
        if links:
            in_links = True
            continue
        if in_links and not final:
            continue
        in_links = False
        if left_out:
            continue
        if outcome:
            outcomes.append(Evidence("outcomes", s.article, s.line, s.text))
    return tuple(outcomes)


@lru_cache(maxsize=MEMO_SIZE)
def _outcome_shape(text: str) -> tuple[bool, bool, bool, bool]:
    """Whether ``text`` opens link lines, ends a sentence, is a credit or a question, and
    states an outcome."""
    return (bool(LINKS.search(text)), bool(FINAL.search(text)),
            bool(CREDIT.search(text)) or text.rstrip().endswith("?"), bool(OUTCOME.search(text)))
