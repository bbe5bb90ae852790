"""The masthead of an article: its headline, publisher, publication date and rights notice.

Who published it, when the text names it, in order of strength: a copyright line ("(c) 2024
Example News. All rights reserved."), a dateline credit ("VIENTIANE, July 26 (Reuters) -",
"New Delhi, Nov 10 (PTI)"), a byline naming the outlet ("By Jane Doe, Example News"), an
official statement formula ("The US Department of State released the following statement"),
an agency credit line ("==Kyodo", a last line "The Canadian Press"), an official site's
header naming the ministry ("Ministry of Foreign Affairs of Japan", the .gov banner of a U.S.
department) and last the site name at the head of a navigation bar ("Example Times | World |
Politics"). "according to Kyodo News" is a source, not a credit, and does not count. The
news agencies are the gazetteer's (``knowledge.places``), the site's own when it has one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from generator.extract.dates import (
    AHEAD_DAYS,
    DATELINE,
    find_dates,
    find_top_date,
    find_weekday,
    is_chrome_date,
)
from generator.ingest.sources import DATE_LINE, read_article_text
from generator.knowledge import load_knowledge
from generator.models import Evidence, SourceArticle, calendar_date

COPYRIGHT = re.compile(r"(?:Copyright|©|\(c\))\s*(?:\d{4}\s+)?([A-Z][\w.&' -]{1,60}?)"
                       r"(?:\s+\d{4})?(?:[.,]\s|\s*$)", re.IGNORECASE | re.MULTILINE)
# "(Kyodo) ==Kyodo", "TOKYO (Kyodo) --", "April 17 (Jiji Press)--", a last line "Reuters".
CREDIT = re.compile(r"==\s*(?P<a>[A-Z][\w .-]{1,30}?)\s*$"
                    r"|\((?P<b>[A-Z][\w .-]{1,30}?)\)\s*(?:--|—|==|:)"
                    r"|^\s*(?P<c>[A-Z][\w .-]{1,30}?)\s*$", re.MULTILINE)
# A dateline credit: "PLACE[, date] (Credit)" at the start of a paragraph.
DATELINE_CREDIT = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]{1,40}?(?:,[^()\n]{1,40}?)?\s*\((?P<credit>[A-Z][\w .&-]{1,30}?)\)"
    r"(?P<after>\s*(?:--|[-–—:=]))?", re.MULTILINE)
NOT_A_CREDIT = re.compile(r"\b(?:local|time|JST|GMT|UTC|photo|file|updated?)\b|\d",
                          re.IGNORECASE)
BYLINE = re.compile(r"^\s*By\s+[A-Z][\w.'’ -]{2,60}?,\s*(?P<outlet>[A-Z][\w&'’. -]{2,50}?)\s*$",
                    re.MULTILINE)
STATEMENT = re.compile(r"\b(?:The\s+)?(?P<country>U\.S\.|US|United States)\s+Department of "
                       r"(?P<dept>[A-Z]\w+)\s+(?:released|issued|published)\s+the following")
GOV_BANNER = re.compile(r"\.gov website belongs to an official government organization in the "
                        r"United States", re.IGNORECASE)
US_DEPARTMENT = re.compile(r"\b(?:U\.S\.|US|United States) Department of (?P<dept>[A-Z]\w+)")
MINISTRY = re.compile(
    r"^\s*(?P<name>(?:(?:The\s+)?(?:U\.S\.|US|United States) Department of [A-Z]\w+|"
    r"(?:Ministry|Department) of (?:Foreign|External) Affairs(?:,? (?:of )?[A-Z][\w &,'-]{2,40})?|"
    r"Federal Foreign Office|Foreign, Commonwealth & Development Office|"
    r"Ministry for (?:Europe and )?Foreign Affairs[\w &,'-]{0,40}|GOV\.UK))\s*$",
    re.MULTILINE)
GOV_UK_FROM = re.compile(r"^\s*From:\s*(?P<office>[^\n]+?)(?:\s+and\s+[^\n]*)?$", re.MULTILINE)
NAV_BAR = re.compile(r"^\s*(?P<site>[A-Z][\w&'’. -]{1,40}?)\s*\|(?:[^|\n]+\|){2,}")
TOP_LINES = 3  # a site's name or navigation bar stands in the first few lines


def find_publisher(text: str, agencies: Mapping[str, str]) -> str | None:
    """The publisher a text names, or None.

    Args:
        text: the article text (normalised line endings).
        agencies: news-agency credit aliases -> publisher names (from ``places.yaml``).
    """
    finders: tuple[Callable[[str, Mapping[str, str]], str | None], ...] = (
        _copyright, _dateline_credit, _byline, _statement, _credit_line, _official_site,
        _nav_bar)
    for finder in finders:
        name = finder(text, agencies)
        if name:
            return name
    return None


def _agency(name: str, agencies: Mapping[str, str]) -> str | None:
    name = name.strip()
    if name in agencies:
        return agencies[name]
    folded = {alias.lower(): full for alias, full in agencies.items()}
    return folded.get(name.lower())


def _copyright(text: str, agencies: Mapping[str, str]) -> str | None:
    match = COPYRIGHT.search(text)
    return match[1].strip() if match else None


def _dateline_credit(text: str, agencies: Mapping[str, str]) -> str | None:
    for match in DATELINE_CREDIT.finditer(text):
        credit = match["credit"].strip()
        known = _agency(credit, agencies)
        if known:
            return known
        if match["after"] and not NOT_A_CREDIT.search(credit):
            return credit
    return None


def _byline(text: str, agencies: Mapping[str, str]) -> str | None:
    match = BYLINE.search(text)
    if not match:
        return None
    outlet = match["outlet"].strip()
    return _agency(outlet, agencies) or outlet


def _statement(text: str, agencies: Mapping[str, str]) -> str | None:
    match = STATEMENT.search(text)
    return f"U.S. Department of {match['dept']}" if match else None


def _credit_line(text: str, agencies: Mapping[str, str]) -> str | None:
    for credit in CREDIT.finditer(text):
        name = _agency(credit["a"] or credit["b"] or credit["c"] or "", agencies)
        if name:
            return name
    return None


def _official_site(text: str, agencies: Mapping[str, str]) -> str | None:
    top = "\n".join([line for line in text.split("\n") if line.strip()][:TOP_LINES])
    match = MINISTRY.search(top)
    if match:
        name = re.sub(r"^The\s+", "", match["name"].strip())
        name = re.sub(r"^(?:US|United States) ", "U.S. ", name)
        name = re.sub(r"(Affairs),? (Republic|Kingdom|Federation) of", r"\1 of the \2 of", name)
        office = GOV_UK_FROM.search(text) if name == "GOV.UK" else None
        return f"GOV.UK ({office['office'].strip()})" if office else name
    if GOV_BANNER.search(text):
        department = US_DEPARTMENT.search(text)
        return f"U.S. Department of {department['dept']}" if department else None
    return None


def _nav_bar(text: str, agencies: Mapping[str, str]) -> str | None:
    first = next((line for line in text.split("\n")[:TOP_LINES]
                  if line.strip() and not line.lstrip().startswith("date ")), "")
    match = NAV_BAR.match(first)
    if not match:
        return None
    site = match["site"].strip()
    return _agency(site, agencies) or site

# Navigation bars ("News | World | Politics"), breadcrumbs ("Home > World") and bylines.
CHROME_LINE = re.compile(r"\s\|\s|\s>\s|^By\s|^(?:Published|Updated|Posted)\b")

DATELINE_LINES = 30  # a dateline opens the story, within the first lines of the page


# A year the text names ("in September 2021", "since 2022").
YEAR = re.compile(r"\b(?:in|since|of|from|by|until|(?:Jan|Febr)uary|March|April|May|June|July|"
                  r"August|(?:Sept|Nov|Dec)ember|October)\s+((?:19|20)\d\d)\b")


YEARS_BACK = 12  # a month and day fall on each weekday within this many years


DATELINE_SLACK = 2  # days between a dateline and the publication date


CAMEL = re.compile(r"[a-z][A-Z]")
LEAD_LINE_WORDS = 8  # a line longer than this is the story's first paragraph, not chrome
HEADLINE_LINES = 12  # a headline stands above the story, within the first lines
HEADLINE_WORDS = 4  # fewer words: a section name or a widget ("Press Conferences")
CAMEL_SHARE = 4  # more than 1 in this many words in camel case: an icon-label run
HEADLINE_DATE_START = 12  # a date this close to the start: a date line, not a headline
HEADLINE_LENGTH = 160  # a longer line is a paragraph


# A rights notice. Any of it in an article's text keeps the whole text off the site; the
# "All rights reserved" sentence (with what it says may not be done) is what the article's
# record keeps as its ``rights``.
# The rights sentence a record keeps ("All rights reserved. ... may not be published ...").
_RESERVED = r"All rights reserved\.?(?:[^\n]*?may not be (?:published|reproduced)[^\n]*)?"
RESERVED = re.compile(_RESERVED, re.IGNORECASE)
# Any rights notice: the sentence above, a reuse ban, a copyright word or sign.
RIGHTS = re.compile(_RESERVED + r"|may not be (?:re)?(?:published|reproduced|redistributed|"
                    r"broadcast)|\bcopyright\b|©", re.IGNORECASE)


def find_leading_date(article_id: str, text: str) -> tuple[dt.date | None, Evidence | None]:
    """The publication date given by a leading `` date YYYY-MM-DD `` line, if any."""
    first = text.split("\n", 1)[0]
    match = DATE_LINE.match(first)
    if not match:
        return None, None
    day = calendar_date(int(match[1]), int(match[2]), int(match[3]))
    if day is None:
        return None, None
    return day, Evidence("published", article_id, 1, match[0].strip())


def find_publication_date(article_id: str, text: str) -> tuple[dt.date | None,
                                                                Evidence | None]:
    """The publication date: a leading ``date`` line, a date near the top, or inferred.

    The inference: a report that says "on Monday" and also gives a full date that fell on
    a Monday was written that day (wire reports name the weekday within the week).
    """
    day, evidence = find_leading_date(article_id, text)
    if day is not None:
        return day, evidence
    lines = text.split("\n")
    top = find_top_date(lines)
    if top is not None:
        value, line, words = top
        filed = _dateline_date(lines, value)
        if filed is not None and abs((filed[0] - value).days) > DATELINE_SLACK:
            # The date at the top is the site's display date, not the story's: the
            # dateline says when the story was filed.
            return filed[0], Evidence("published", article_id, filed[1], filed[2])
        return value, Evidence("published", article_id, line, words)
    day, evidence = _inferred_publication(article_id, lines)
    if day is not None:
        return day, evidence
    return _dateline_in_context(article_id, lines)


def _dateline_in_context(article_id: str, lines: list[str]) -> tuple[dt.date | None,
                                                                     Evidence | None]:
    """A dateline without a year ("New Delhi, Nov 20 (PTI) ... on Monday"): the year in
    which that day fell on the weekday the line names, nearest the latest year the text
    mentions. Without a weekday or a year in the text the day stays unknown."""
    years = sorted({m.year for line in lines for m in find_dates(line) if m.year} |
                   {int(y) for y in YEAR.findall("\n".join(lines))})
    for number, line in enumerate(lines[:DATELINE_LINES], start=1):
        match = DATELINE.match(line)
        dates = find_dates(match["date"]) if match else ()
        weekday = find_weekday(line[match.end():]) if match else None
        if not (match and dates and dates[0].year is None and weekday and years):
            continue
        mention = dates[0]
        fits = [d for year in range(years[-1] - YEARS_BACK, years[-1] + YEARS_BACK)
                for d in [calendar_date(year, mention.month, mention.day)]
                if d is not None and d.weekday() == weekday[0]]
        if fits:
            best = min(fits, key=lambda d: (abs(d.year - years[-1]), -d.year))
            return best, Evidence("published", article_id, number, match[0].strip())
    return None, None




def _dateline_date(lines: list[str], reference: dt.date) -> tuple[dt.date, int, str] | None:
    """The date of the first dateline ("VIENTIANE, July 26 (Reuters) -"), year from
    ``reference`` (the nearest one not after it)."""
    for number, line in enumerate(lines[:DATELINE_LINES], start=1):
        match = DATELINE.match(line)
        dates = find_dates(match["date"]) if match else ()
        if dates:
            # resolve() allows a few days after its reference; a dateline is not after it
            value = dates[0].resolve(reference - dt.timedelta(days=AHEAD_DAYS))
            if value is not None:
                return _on_weekday(value, line), number, match[0].strip() if match else ""
    return None


def _on_weekday(value: dt.date, line: str) -> dt.date:
    """``value`` moved back by whole years until it falls on the weekday the line names
    ("VILNIUS, March 5 (Reuters) - ... on Tuesday"), if it names one."""
    weekday = find_weekday(line)
    for years in range(YEARS_BACK):
        earlier = _safe_year(value, value.year - years)
        if weekday is None or (earlier is not None and earlier.weekday() == weekday[0]):
            return earlier or value
    return value


def _safe_year(value: dt.date, year: int) -> dt.date | None:
    return calendar_date(year, value.month, value.day)


def _inferred_publication(article_id: str, lines: list[str]) -> tuple[dt.date | None,
                                                                      Evidence | None]:
    lead = next((line for line in lines if len(line.split()) > LEAD_LINE_WORDS), "")
    weekday = find_weekday(lead)
    if weekday is None:
        return None, None
    for number, line in enumerate(lines, start=1):
        if is_chrome_date(lines, number - 1):
            continue
        for mention in find_dates(line):
            value = mention.resolve(None)
            if value is not None and value.weekday() == weekday[0]:
                return value, Evidence("published", article_id, number, mention.text)
    return None, None


def find_headline(text: str) -> str | None:
    """The first line that reads as a headline: 4+ words, short, no final full stop.

    Site chrome above it is skipped: widgets ("71.5 F"), section names ("Press
    Conferences"), icon-label runs ("ArrowArtboardCreated ...") and bare dates.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines[:HEADLINE_LINES]):
        line = DATE_LINE.sub("", line).strip() if index == 0 else line.strip()
        words = line.split()
        camel = sum(bool(CAMEL.search(w)) for w in words)
        if len(words) < HEADLINE_WORDS or camel > len(words) // CAMEL_SHARE:
            continue
        if CHROME_LINE.search(line) or MINISTRY.match(line):
            continue
        dates = find_dates(line)
        if dates and dates[0].start < HEADLINE_DATE_START:
            continue
        if len(line) <= HEADLINE_LENGTH and not line.endswith((".", "”", '"', ":")):
            return line
        return None
    return None


def find_rights(text: str) -> str | None:
    """The rights sentence an article's record keeps ("All rights reserved. ..."), if any."""
    match = RESERVED.search(text)
    return match[0].strip() if match else None


def has_rights_notice(text: str) -> bool:
    """Whether ``text`` carries any rights notice (a copyright line or sign counts)."""
    return RIGHTS.search(text) is not None


def with_masthead(article: SourceArticle, agencies: Mapping[str, str]) -> SourceArticle:
    """``article`` with the headline, publisher, publication date and rights notice its
    text gives (``agencies``: news-agency credit -> publisher name)."""
    published, published_evidence = find_publication_date(article.id, article.text)
    return replace(article, headline=find_headline(article.text),
                   publisher=find_publisher(article.text, agencies), published=published,
                   published_evidence=published_evidence, rights=find_rights(article.text))


def read_article(path: Path, root: Path | None = None,
                 agencies: Mapping[str, str] | None = None) -> SourceArticle:
    """Read one article file (see ``ingest.sources.read_article_text``) with its masthead;
    ``agencies`` default to the packaged gazetteer's.

    Raises:
        SourceError: the file is empty, binary, a link, too large or cannot be read.
    """
    if agencies is None:
        agencies = load_knowledge().places.agencies
    return with_masthead(read_article_text(path, root), agencies)
