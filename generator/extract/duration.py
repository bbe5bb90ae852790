"""How long a meeting lasted: "20-minute talks", "for approximately 30 minutes", "an hour"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from generator.models import Evidence, Sentence
from generator.support.memo import MEMO_SIZE
from generator.support.prefilter import quick

NUMBER_WORDS = {"ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
                "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90, "an": 1, "one": 1,
                "two": 2, "three": 3, "half an": 0.5}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_EVENT = r"(?:talks?|meeting|call|conversation|discussions?|session|dialogue|telephone talk)"
_ABOUT = r"(?:(?:approximately|about|around|some|nearly|almost|over|more than|roughly)\s+)?"
COMPOUND = quick(rf"\b{_NUM}[- ](minute|hour)(?:-long)?\s+(?:\w+\s+){{0,2}}?{_EVENT}\b",
                 re.IGNORECASE)
FOR_SPAN = quick(rf"\b(?:for|lasting|lasted)\s+{_ABOUT}{_NUM}\s+(minutes?|hours?)\b",
                 re.IGNORECASE)
HOUR_LONG = quick(rf"\b(an|one|half an)[- ]hour(?:-long)?\s+(?:\w+\s+){{0,2}}?{_EVENT}\b",
                  re.IGNORECASE)
LONGEST = 12 * 60  # a "meeting" reported as longer than a day's session is something else


def _minutes(amount: str, unit: str) -> int | None:
    value = NUMBER_WORDS.get(amount.lower())
    number = float(amount) if value is None else float(value)
    minutes = round(number * (60 if unit.lower().startswith("hour") else 1))
    return minutes if 1 <= minutes <= LONGEST else None


def find_duration(sentences: Sequence[Sentence]) -> tuple[int | None, Evidence | None]:
    """The first duration the meeting's sentences state, in minutes, with its evidence."""
    for sentence in sentences:
        found = _duration_in(sentence.text)
        if found is not None:
            return found[0], Evidence("duration", sentence.article, sentence.line, found[1])
    return None, None


@lru_cache(maxsize=MEMO_SIZE)
def _duration_in(text: str) -> tuple[int, str] | None:
    """The first duration ``text`` states, in minutes, with the words stating it."""
    for pattern in (COMPOUND, FOR_SPAN, HOUR_LONG):
        match = pattern.search(text)
        if match is None:
            continue
        unit = match[2] if pattern is not HOUR_LONG else "hour"
        minutes = _minutes(match[1], unit)
        if minutes is not None:
            return minutes, match[0]
    return None
