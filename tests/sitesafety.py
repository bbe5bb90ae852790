"""A second, independent look at a built site: every HTML page parsed with a real HTML parser
(``lxml.html``, libxml2's HTML parser, which recovers from broken markup the way a browser
does) and compared with what the clean seed site contains.

A page of a site built from hostile input is unsafe when it has

- an element, or an attribute on an element, that no page of the clean seed site has (plus a
  few harmless text-level elements analyst notes may produce);
- any ``on*`` event-handler attribute;
- a ``javascript:``, ``data:`` or ``vbscript:`` URL in an attribute that takes a URL (after
  entities are decoded and the whitespace and control characters browsers ignore are removed),
  or a ``<meta http-equiv=refresh>`` pointing to one;
- a ``<script>`` whose source or inline text is not one of the theme's own (inline scripts are
  compared after the page's relative path to the site root is taken out).

:func:`baseline` reads what the clean site has; :func:`check_site` and :func:`check_html` give
one line per finding (``page: what``), an empty list for a safe site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "poster", "background", "cite", "longdesc", "codebase", "srcset",
                            "ping", "manifest", "icon", "lowsrc", "dynsrc", "usemap"})
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
# elements that Markdown text may legitimately produce on a page although the seed site's
# pages happen not to contain one; none of them runs anything or takes a URL
HARMLESS = frozenset({"p", "ul", "ol", "li", "em", "strong", "code", "pre", "br", "span",
                      "del", "sub", "sup", "hr"})
# what browsers skip inside a URL scheme: ASCII whitespace and C0 controls
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
# the page's way back to the site root inside the theme's inline scripts: "/", ".", "..",
# "../..", "../assets/…"
RELATIVE_ROOT = re.compile(r'(?<=")(?:\.\./)*(?:\.\.|\.)?/?(?=assets/|search/|")')
RELATIVE_SRC = re.compile(r"^(?:\.\./|\./|/)+")


@dataclass
class Baseline:
    """What the pages of the clean seed site contain."""

    tags: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)
    scripts: set[str] = field(default_factory=set)  # normalised inline script texts
    sources: set[str] = field(default_factory=set)  # normalised script src values


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site, sorted."""
    return sorted(site.rglob("*.html"))


def _parse(raw: bytes) -> lxml.html.HtmlElement | None:
    if not raw.strip():
        return None
    return lxml.html.document_fromstring(raw)


def _elements(root: lxml.html.HtmlElement) -> Iterable[lxml.html.HtmlElement]:
    for element in root.iter():
        if isinstance(element.tag, str):  # comments and processing instructions are inert
            yield element


def normal_script(text: str) -> str:
    """An inline script's text with the page's relative way to the site root taken out."""
    return RELATIVE_ROOT.sub("", text.strip())


def normal_source(src: str) -> str:
    return RELATIVE_SRC.sub("", src.strip())


def baseline(site: Path) -> Baseline:
    """Read every page of a clean built site."""
    seen = Baseline()
    for path in html_pages(site):
        root = _parse(path.read_bytes())
        if root is None:
            continue
        for element in _elements(root):
            seen.tags.add(element.tag)
            seen.attributes.update((element.tag, name) for name in element.attrib)
            if element.tag == "script":
                if element.get("src") is not None:
                    seen.sources.add(normal_source(element.get("src", "")))
                else:
                    seen.scripts.add(normal_script(element.text or ""))
    return seen


def unsafe_url(value: str) -> bool:
    """True when a URL attribute value would run or embed code in a browser."""
    for candidate in value.split(","):  # srcset and ping hold several
        cleaned = IGNORED_IN_SCHEME.sub("", candidate).lower()
        if cleaned.startswith(UNSAFE_SCHEMES):
            return True
    return False


def check_html(raw: bytes | str, allowed: Baseline, page: str = "page") -> list[str]:
    """The findings on one HTML document (see the module docstring)."""
    root = _parse(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if root is None:
        return []
    found: list[str] = []
    for element in _elements(root):
        tag = element.tag
        if tag not in allowed.tags and tag not in HARMLESS:
            found.append(f"{page}: new element <{tag}>")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                found.append(f"{page}: event handler {lowered}= on <{tag}>")
            elif (tag, name) not in allowed.attributes:
                found.append(f"{page}: new attribute {name}= on <{tag}>")
            if lowered in URL_ATTRIBUTES and unsafe_url(value):
                found.append(f"{page}: unsafe URL in <{tag} {lowered}={value[:60]!r}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append(f"{page}: meta refresh {element.get('content')!r}")
        if tag == "script":
            src = element.get("src")
            if src is not None:
                if normal_source(src) not in allowed.sources:
                    found.append(f"{page}: script from {src!r}")
            elif normal_script(element.text or "") not in allowed.scripts:
                found.append(f"{page}: inline script {(element.text or '')[:60]!r}")
    return found


def check_site(site: Path, allowed: Baseline) -> list[str]:
    """The findings on every HTML page of a built site."""
    found: list[str] = []
    for path in html_pages(site):
        found += check_html(path.read_bytes(), allowed, path.relative_to(site).as_posix())
    return found
