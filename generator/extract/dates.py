"""Dates in article text: explicit dates in common English forms, weekdays, datelines.

A meeting date is read the way a careful reader reads it: an explicit date in a sentence
about the meeting wins; then a dateline; then a weekday resolved against the publication
date ("on Wednesday" in an article published Thursday 2023-01-12 is 2023-01-11); then
"today" meaning the publication day. Site chrome (a display date above the headline next
to a weather widget) is not a publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.models import DateFact, Evidence, Sentence, calendar_date
from generator.support.memo import MEMO_SIZE
from generator.support.prefilter import quick

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# "April 17, 2023", "January 12,2023", "Nov. 10", "April 17th"; the year is optional.
MONTH_DAY = quick(rf"\b{_MONTH}\s+{_DAY}(?![\d-])(?:(?:,\s*|\s+){_YEAR}\b)?",
                  re.IGNORECASE)
# "12 Jan. 2023", "17 April 2023", "28 July"
DAY_MONTH = quick(rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR}\b)?", re.IGNORECASE)
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d)-(?P<day>\d\d)\b")
# "06.05.2025", "10/10/2024": day first, as most of the world writes it ...
NUMERIC = re.compile(r"(?<![\d.:/])(?P<day>[0-3]?\d)(?P<sep>[./])(?P<mon>[01]?\d)(?P=sep)"
                     r"(?P<year>(?:19|20)\d\d)\b(?![.:/]\d)")
# ... and "3/14/2024", month first, when the day-first reading cannot be a date.
US_NUMERIC = re.compile(r"(?<![\d.:/])(?P<mon>[01]?\d)/(?P<day>[0-3]?\d)/"
                        r"(?P<year>(?:19|20)\d\d)\b(?![.:/]\d)")
WEEKDAY = quick(r"\b(?P<wd>" + "|".join(WEEKDAYS) + r")\b(?:'s)?", re.IGNORECASE)
TODAY = quick(r"\b(?:today|this (?:morning|afternoon|evening)|tonight|"
              r"just (?:had|held|concluded|finished|met))\b", re.IGNORECASE)
# Words before a weekday or date that point away from the meeting itself.
NOT_THE_MEETING = quick(
    r"\b(?:ahead of|before|until|through|since|next|last|will|would|to be|plans? to|"
    r"expected|announced|announce|launched|became|assuming|assumed|test-fired|"
    r"press conference)\b[^,;]*$", re.IGNORECASE)
TEMPERATURE = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*°?\s*[FC]\s*$")
# Words of a site's header bar: a date beside them is the day the page was viewed.
SITE_CHROME = quick(r"\b(?:Log ?in|Sign ?in|Sign up|Subscribe|Today's Paper|E-?Paper|"
                    r"Newsletters?|Register|My account)\b", re.IGNORECASE)
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

AHEAD_DAYS = 7  # a report speaks of past days or the next few days, not of next year
WEEKDAY_LOOKBACK = 100  # characters before a weekday searched for words pointing elsewhere
DATE_LOOKBACK = 50  # the same for a date: its qualifier sits closer than a weekday's
CHROME_LINES_ABOVE = 3  # a weather widget sits this close above the date it sits beside
TOP_DATE_LINES = 6  # non-blank lines at the top that may hold the page date
TOP_DATE_START = 40  # a date starting further into its line is inside a sentence
TOP_DATE_LINE_LENGTH = 120  # a longer line is a paragraph (unless it is a dateline)

# How a meeting date was found, strongest first; "weekday" is a cue not yet resolved.
DATE_BASES = ("stated", "date-line", "weekday-before-publication", "publication-date",
              "weekday")


@dataclass(frozen=True)
class DateMention:
    """A date written in the text; ``year`` is None when the text leaves it out."""

    year: int | None
    month: int
    day: int
    start: int
    end: int
    text: str

    def resolve(self, reference: dt.date | None) -> dt.date | None:
        """The full date, taking a missing year from ``reference`` (the nearest past one)."""
        if self.year is not None:
            return calendar_date(self.year, self.month, self.day)
        if reference is None:
            return None
        # next year too: "Jan 2" in a report of Dec 30 is three days on, not a year back
        for year in (reference.year + 1, reference.year, reference.year - 1):
            day = calendar_date(year, self.month, self.day)
            if day is not None and day <= reference + dt.timedelta(days=AHEAD_DAYS):
                return day
        return None




def _mention(match: re.Match[str]) -> DateMention | None:
    mon = match["mon"]
    if not mon[0].isupper() and not mon.isdigit():
        return None  # "may" the verb, not May the month
    month = int(mon) if mon.isdigit() else MONTHS.get(mon.lower().rstrip("."))
    day = int(match["day"])
    year = int(match["year"]) if match["year"] else None
    if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return DateMention(year, month, day, match.start(), match.end(), match[0].strip())


@lru_cache(maxsize=MEMO_SIZE)
def find_dates(text: str) -> tuple[DateMention, ...]:
    """Every explicit date in ``text``, in order of position.

    Args:
        text: any English text.

    Returns:
        The dates found; a date written without a year has ``year=None``.
    """
    found: dict[int, DateMention] = {}
    for pattern in (ISO_DATE, NUMERIC, US_NUMERIC, MONTH_DAY, DAY_MONTH):
        for match in pattern.finditer(text):
            if any(m.start <= match.start() < m.end for m in found.values()):
                continue
            mention = _mention(match)
            if mention is not None:
                found[mention.start] = mention
    return tuple(found[k] for k in sorted(found))


@lru_cache(maxsize=MEMO_SIZE)
def find_weekday(text: str) -> tuple[int, re.Match[str]] | None:
    """The first weekday named in ``text`` that may be the day of the meeting."""
    for match in WEEKDAY.finditer(text):
        if NOT_THE_MEETING.search(text[max(0, match.start() - WEEKDAY_LOOKBACK):match.start()]):
            continue
        if _is_date_prefix(text, match.end()):
            continue  # "Monday, May 23, 2022" is an explicit date, handled elsewhere
        return WEEKDAYS.index(match["wd"].lower()), match
    return None


def _is_date_prefix(text: str, end: int) -> bool:
    return bool(MONTH_DAY.match(text[end:].lstrip(", ")))


def weekday_before(published: dt.date, weekday: int) -> dt.date:
    """The last ``weekday`` on or before ``published`` (same weekday means that day)."""
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def usable_dates(text: str, reference: dt.date | None) -> list[tuple[dt.date, DateMention]]:
    """Explicit dates in ``text`` that may be the meeting day, resolved against ``reference``."""
    return list(_usable_dates(text, reference))


@lru_cache(maxsize=MEMO_SIZE)
def _usable_dates(text: str, reference: dt.date | None,
                  ) -> tuple[tuple[dt.date, DateMention], ...]:
    result = []
    for mention in find_dates(text):
        if NOT_THE_MEETING.search(text[max(0, mention.start - DATE_LOOKBACK):mention.start]):
            continue
        if re.match(r"\s*[-–]\s*\d", text[mention.end:]):
            continue  # a range such as "July 7-8" names an event, not one meeting
        value = mention.resolve(reference)
        if value is not None:
            result.append((value, mention))
    return tuple(result)


def date_in_sentence(sentence: Sentence, published: dt.date | None,
                     reference: dt.date | None) -> DateFact | None:
    """The meeting date a sentence about the meeting gives, if any.

    Args:
        sentence: a sentence that reports the meeting.
        published: the publication date, to resolve weekdays and "today".
        reference: a date to take a missing year from (publication date or another date
            in the article).
    """
    dates = usable_dates(sentence.text, reference or published)
    if dates:
        value, mention = dates[0]
        return DateFact(value, "stated", None, _evidence(sentence, mention.text))
    weekday = find_weekday(sentence.text)
    if weekday is not None:
        number, match = weekday
        evidence = _evidence(sentence, match[0])
        if published is None:
            return DateFact(None, "weekday", number, evidence)
        return DateFact(weekday_before(published, number), "weekday-before-publication",
                        number, evidence)
    today = TODAY.search(sentence.text)
    if today and published is not None:
        return DateFact(published, "publication-date", None, _evidence(sentence, today[0]))
    return None


def _evidence(sentence: Sentence, text: str) -> Evidence:
    return Evidence("date", sentence.article, sentence.line, text)


DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .'-]{1,40}?(?:,\s*[A-Z][A-Za-z .'-]{1,30}?){0,2}),\s*"
    r"(?P<date>[^()\n:]{3,30}?)\s*(?:\((?P<credit>[^)]{2,40})\)|:|--|—)")


def find_dateline(sentence: Sentence, published: dt.date | None) -> DateFact | None:
    """A dateline at the start of a paragraph: "Tokyo, 17 April 2023 (TDI):"."""
    match = DATELINE.match(sentence.text)
    if not match:
        return None
    dates = find_dates(match["date"])
    if not dates:
        return None
    value = dates[0].resolve(published)
    if value is None:
        return None
    return DateFact(value, "date-line", None, _evidence(sentence, match[0].strip()))


def is_chrome_date(lines: Sequence[str], index: int) -> bool:
    """Whether a date line at ``index`` sits in site chrome (weather widget, city name,
    or a header bar with "Login | Subscribe")."""
    if SITE_CHROME.search(lines[index]):
        return True
    above = lines[max(0, index - CHROME_LINES_ABOVE):index]
    before = [line.strip() for line in above if line.strip()]
    return any(TEMPERATURE.match(line) for line in before)


def find_top_date(lines: Sequence[str], limit: int = TOP_DATE_LINES,
                  ) -> tuple[dt.date, int, str] | None:
    """A date standing near the top of an article, under or above the headline.

    A line counts when it is mostly a date: "January 12,2023 572" (a view counter after
    it), "Monday, May 23, 2022, 6:38 p.m. Happo-en Tokyo", or a dateline. Returns the date,
    its 1-based line number and the matched words.
    """
    seen = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > limit:
            break
        mentions = [m for m in find_dates(line) if m.year is not None]
        if not mentions or mentions[0].start > TOP_DATE_START:
            continue
        dateline = re.match(r"\s*(?:\(|:|--|—)", line[mentions[0].end:])
        if len(line) > TOP_DATE_LINE_LENGTH and not dateline:
            continue
        if is_chrome_date(lines, index):
            continue
        value = mentions[0].resolve(None)
        if value is not None:
            return value, index + 1, mentions[0].text
    return None
