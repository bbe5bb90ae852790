"""Escaping untrusted text for the places it lands in a generated Markdown page.

Article-derived strings and hand-edited record values are data, never markup: every one of
them passes through one of these functions (as a Jinja filter) before it reaches a page.

- :func:`md_inline` for text inside a Markdown line (headings, list items, link text, tables);
- :func:`md_notes` for analyst notes, kept as paragraphs and simple bullet lists;
- :func:`front_matter_value` for YAML front matter values, which the theme puts into HTML
  (``<title>``, ``<meta content="…">``) without escaping them again.

The Jinja filters built on them return :class:`MarkdownSafe` text; :func:`finalize` escapes
every other value a template prints, so a forgotten filter cannot let markup through.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from generator.knowledge.countries import english_name
from generator.models import MeetingRecord

# Punctuation that means something anywhere in a Python-Markdown line (emphasis, code, links,
# images, tables, attribute lists, closing heading hashes, template syntax of macro plugins).
# Each is in Python-Markdown's escapable set, so a backslash makes it literal.
MARKDOWN_SPECIAL = frozenset("\\`*_[]()#!|")
# Characters with a meaning in HTML (raw HTML, autolinks, entities) become entities; so do
# braces, so that no "{{", "{%" or "{:" survives for a templating plugin or attribute list.
HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "{": "&#123;", "}": "&#125;"}
# Block markers that only count at the start of a line: list items, ordered lists.
LINE_START = re.compile(r"^(?:[-+](?=\s|$|-)|\d+[.)](?=\s|$))")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WHITESPACE = re.compile(r"\s+")
# What YAML cannot hold in a scalar (DEL, C1 controls, surrogates, U+FFFE and U+FFFF): PyYAML
# refuses such front matter, and MkDocs then reads the whole block as Markdown.
NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")


# md_inline's character mapping: entities, backslash escapes, control characters dropped
INLINE_TABLE = {
    **{code: None for code in (*range(32), *range(0x7F, 0xA0))},  # they carry no text
    **{ord(char): "\\" + char for char in MARKDOWN_SPECIAL},
    **{ord(char): entity for char, entity in HTML_ENTITIES.items()},
}


def md_inline(value: object) -> str:
    """Escape ``value`` so it renders as literal text inside one Markdown line.

    Line breaks and runs of whitespace collapse to one space (a value can never start a new
    block), HTML-significant characters become entities and Markdown-significant punctuation
    is backslash-escaped, so ``<script>``, ``[x](javascript:…)`` and ``{{ 7*7 }}`` all render
    as the characters they are.

    Args:
        value: any value; ``None`` renders as an empty string.

    Returns:
        Markdown source that displays exactly ``str(value)`` (whitespace collapsed).
    """
    if value is None:
        return ""
    text = WHITESPACE.sub(" ", str(value)).strip()
    out: list[str] = []
    if text.startswith("="):  # a line of "=" would turn the line above into a heading
        out.append("&#61;")
        text = text[1:]
    start = LINE_START.match(text)
    if start:
        marker = start[0]
        out.append(marker[:-1] + "\\" + marker[-1])
        text = text[len(marker):]
    out.append(text.translate(INLINE_TABLE))
    return "".join(out)


def md_notes(value: object) -> str:
    """Escape multi-line analyst notes, keeping paragraphs and ``-`` bullet items.

    Every line is escaped like :func:`md_inline`, so notes can carry no raw HTML, links,
    images, headings or template syntax; blank lines still separate paragraphs and lines
    starting with ``-``, ``*`` or ``+`` still render as list items.

    Args:
        value: the notes text (may be empty or ``None``).

    Returns:
        Markdown source, lines joined with ``\\n``, without trailing blank lines.
    """
    if not value:
        return ""
    lines: list[str] = []
    for raw in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        bullet = BULLET.match(raw)
        if bullet:  # an empty item would underline the line above as a heading
            item = md_inline(bullet[1])
            lines.append("- " + item if item else "")
        else:
            lines.append(md_inline(raw))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def front_matter_value(value: object) -> str:
    """A YAML scalar for front matter whose text is also safe in an HTML attribute.

    The theme writes ``title`` and ``description`` into ``<title>`` and ``<meta>`` without
    escaping, so HTML-significant characters are turned into entities first; the result is
    then written as a JSON string, which is valid YAML and cannot break out of its line.

    Args:
        value: any value; ``None`` gives an empty string.

    Returns:
        A double-quoted YAML scalar.
    """
    text = "" if value is None else WHITESPACE.sub(" ", NOT_YAML.sub("", str(value))).strip()
    escaped = html.escape(text, quote=False).replace('"', "&quot;")
    escaped = escaped.replace("{", "&#123;").replace("}", "&#125;")
    return json.dumps(escaped, ensure_ascii=False)


class MarkdownSafe(str):
    """Text already escaped (or generated) for Markdown: ``finalize`` passes it through."""


def format_day(date: dt.date | None) -> MarkdownSafe:
    """``Friday, 11 February 2022`` (English names, whatever the locale), or ``undated``."""
    if date is None:
        return MarkdownSafe("undated")
    return MarkdownSafe(f"{WEEKDAYS[date.weekday()]}, {date.day} {MONTHS[date.month - 1]} "
                        f"{date.year}")


def country_name(code: str | None) -> MarkdownSafe:
    """The English short name of an ISO 3166-1 alpha-2 code; unknown codes shown escaped."""
    if not code:
        return MarkdownSafe("")
    return MarkdownSafe(md_inline(english_name(code)))


def html_text(value: object) -> MarkdownSafe:
    """Escape ``value`` for raw HTML in a page (an attribute value or element text).

    Inside a raw HTML block Markdown does not apply, so backslash escapes would show; instead
    every HTML-significant character, quotes and braces become entities.
    """
    text = "" if value is None else WHITESPACE.sub(" ", str(value)).strip()
    text = "".join(ch for ch in text if not (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0))
    escaped = html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")
    return MarkdownSafe(escaped)


def format_duration(minutes: int | None) -> MarkdownSafe:
    """``35 minutes``, ``1 hour``, ``1 hour 30 minutes``; empty when not known."""
    if minutes is None or minutes <= 0:
        return MarkdownSafe("")
    hours, rest = divmod(int(minutes), 60)
    parts = [plural(hours, "hour")] if hours else []
    if rest:
        parts.append(plural(rest, "minute"))
    return MarkdownSafe(" ".join(parts))


def format_month_day(date: dt.date | None) -> MarkdownSafe:
    """``11 February 2022`` (no weekday), or ``undated``."""
    if date is None:
        return MarkdownSafe("undated")
    return MarkdownSafe(f"{date.day} {MONTHS[date.month - 1]} {date.year}")


def plural(count: int, noun: str, nouns: str | None = None) -> MarkdownSafe:
    """``1 meeting``, ``2 meetings``: for the template's own nouns only, not record values."""
    return MarkdownSafe(f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}")


def place(record: MeetingRecord) -> MarkdownSafe:
    """Where a meeting took place: ``Melbourne, Australia``, or the kind of call."""
    if record.format == "phone":
        return MarkdownSafe("phone call")
    if record.format == "video":
        return MarkdownSafe("video call")
    if record.location is None:
        return MarkdownSafe("place not known")
    return MarkdownSafe(f"{md_inline(record.location.city)}, "
                        f"{country_name(record.location.country)}")


def finalize(value: object) -> object:
    """Escape any expression a template did not escape itself (the safety net)."""
    if isinstance(value, MarkdownSafe | int | float):
        return value
    return md_inline(value)
