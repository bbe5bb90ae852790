"""Who published an article, when the text names it.

In order of strength: a copyright line ("(c) 2024 Example News. All rights reserved."), a
dateline credit ("VIENTIANE, July 26 (Reuters) -", "New Delhi, Nov 10 (PTI)"), a byline
naming the outlet ("By Jane Doe, Example News"), an official statement formula ("The US
Department of State released the following statement"), an agency credit line ("==Kyodo",
a last line "The Canadian Press"), an official site's header naming the ministry
("Ministry of Foreign Affairs of Japan", the .gov banner of a U.S. department) and last
the site name at the head of a navigation bar ("Example Times | World | Politics").
"according to Kyodo News" is a source, not a credit, and does not count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

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
TOP_LINES = 3


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
    first = next((line for line in text.split("\n")[:3]
                  if line.strip() and not line.lstrip().startswith("date ")), "")
    match = NAV_BAR.match(first)
    if not match:
        return None
    site = match["site"].strip()
    return _agency(site, agencies) or site
