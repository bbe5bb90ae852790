"""Escaping untrusted text for the places it lands in a generated Markdown page.

Article-derived strings and hand-edited record values are data, never markup: every one of
them passes through one of these functions (as a Jinja filter) before it reaches a page.

- :func:`md_inline` for text inside a Markdown line (headings, list items, link text, tables);
- :func:`md_notes` for analyst notes, kept as paragraphs and simple bullet lists;
- :func:`front_matter_value` for YAML front matter values, which the theme puts into HTML
  (``<title>``, ``<meta content="…">``) without escaping them again;
- :func:`csv_cell` for a cell of a published CSV table.

Every writer of the site's outputs (these, the Atom feeds and the calendar) first passes a
value through :func:`clean_text`, which removes the characters none of those formats can
carry or show safely; each then escapes for its own format.

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
# Characters that open a block at the start of a line and that no backslash escapes in
# Python-Markdown: setext underlines and tabs (===), details (???), tilde fences (~~~),
# definition lists and fenced divs (:::). Made entities, they are only text.
LINE_START_ENTITY = {"=": "&#61;", "?": "&#63;", "~": "&#126;", ":": "&#58;"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WHITESPACE = re.compile(r"\s+")
# What no output format carries: C0 controls but tab and line feed, DEL, C1 controls, lone
# surrogates, noncharacters (PyYAML refuses front matter holding any of these, and MkDocs then
# reads the whole block as Markdown; XML 1.0 forbids most of them), and the invisible format
# characters that reorder or hide text (bidi embeddings, overrides and isolates, zero-width
# characters, the byte order mark), which would make a page, feed or table show other text
# than the record holds.
NONCHARACTERS = "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF)
                        for plane in range(0, 0x110000, 0x10000))
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + NONCHARACTERS
    + "\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb\U000e0000-\U000e007f]")
LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
# CSV cells a spreadsheet would read as a formula (OWASP "CSV injection"), also after blanks
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")


# md_inline's character mapping: entities, backslash escapes, control characters dropped
INLINE_TABLE = {
    **{code: None for code in (*range(32), *range(0x7F, 0xA0))},  # they carry no text
    **{ord(char): "\\" + char for char in MARKDOWN_SPECIAL},
    **{ord(char): entity for char, entity in HTML_ENTITIES.items()},
}


def clean_text(value: object) -> str:
    """``value`` as text every output format can carry: the one cleaning step of every writer.

    Line breaks of any kind become ``\\n``; C0 controls but tab and line feed, DEL, C1
    controls, lone surrogates, noncharacters and the invisible format characters (bidi
    controls, zero-width characters, the byte order mark) are removed. Nothing is escaped:
    each writer escapes the result for its own format.

    Args:
        value: any value; ``None`` gives an empty string.
    """
    if value is None:
        return ""
    return UNPRINTABLE.sub("", LINE_BREAKS.sub("\n", str(value)))


def csv_cell(value: object) -> str:
    """A value for a cell of a published CSV table: cleaned (:func:`clean_text`), and with a
    ``'`` before a leading ``=``, ``+``, ``-``, ``@``, tab or line break (even after spaces),
    so that no spreadsheet runs it as a formula. The csv module quotes the cell as needed."""
    text = clean_text(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


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
    text = WHITESPACE.sub(" ", clean_text(value)).strip()
    out: list[str] = []
    if text[:1] in LINE_START_ENTITY:  # "===" makes a heading or a tab, "???" a details block
        out.append(LINE_START_ENTITY[text[0]])
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
    for raw in clean_text(value).split("\n"):
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
    text = WHITESPACE.sub(" ", clean_text(value)).strip()
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
    text = WHITESPACE.sub(" ", clean_text(value)).strip()
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


def place_text(record: MeetingRecord) -> str:
    """:func:`place` as plain text, for values escaped later (front matter)."""
    if record.format in ("phone", "video") or record.location is None:
        return str(place(record))
    return f"{record.location.city}, {english_name(record.location.country)}"


def finalize(value: object) -> object:
    """Escape any expression a template did not escape itself (the safety net)."""
    if isinstance(value, MarkdownSafe | int | float):
        return value
    return md_inline(value)
