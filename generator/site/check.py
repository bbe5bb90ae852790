"""A scan of a built site for executable content that did not come from the theme.

The generator escapes every untrusted value before MkDocs sees it; this scan checks the result.
It reads every HTML file of ``site/`` and the search index (``search/search_index.json``,
whose titles and texts the theme shows as HTML in search results) and reports:

- ``<script>`` elements other than the theme's and the site's own: a ``src`` inside the
  site's ``assets/`` folder (a file that exists), Material's JSON configuration
  (``<script id="__config" type="application/json">``) and Material's inline scripts, matched
  against the installed theme's own partials (``partials/javascripts/*.html``);
- any ``on…`` event-handler attribute;
- ``javascript:``, ``data:`` and ``vbscript:`` URLs in URL attributes (``href``, ``src``,
  ``action``, ``formaction``, ``xlink:href`` …), after entity decoding, removal of the
  whitespace and control characters browsers ignore, and case folding;
- ``<iframe>``, ``<frame>``, ``<object>``, ``<embed>``, ``<applet>``, ``<base>``,
  ``<meta http-equiv=refresh>`` and SVG animations of a link target.

In the search index nothing counts as the theme's: any ``<script`` there is reported.
Only the standard library's :mod:`html.parser` is used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import posixpath
import re
import threading
from collections.abc import Collection
from concurrent.futures import Future, ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from generator.models import Problem
from generator.support.cache import cache_root, package_version, read_pickle, write_pickle

SEARCH_INDEX = "search/search_index.json"
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset",
                            "poster", "data", "background", "cite", "ping", "lowsrc",
                            "dynsrc", "codebase", "manifest", "longdesc", "icon"})
FORBIDDEN = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform"})
JSON_TYPES = frozenset({"application/json", "application/ld+json"})
# characters a browser drops from a URL before reading its scheme
URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
JINJA = re.compile(r"\{\{.*?\}\}")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
SNIPPET = 60


@functools.cache
def theme_inline_scripts() -> tuple[re.Pattern[str], ...]:
    """Patterns of the inline scripts Material's own partials write into every page.

    Each ``<script>…</script>`` of ``material/templates/partials/javascripts/*.html`` becomes
    a pattern where a Jinja expression (``{{ base_url }}``) may stand for any text without
    quotes, angle brackets or backslashes; everything else must match exactly.
    """
    try:
        import material
    except ImportError:  # pragma: no cover - the theme is a dependency of the site
        return ()
    folder = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
    patterns = []
    for partial in sorted(folder.glob("*.html")):
        for body in INLINE_SCRIPT.findall(partial.read_text("utf-8")):
            parts = JINJA.split(body)
            patterns.append(re.compile(r'[^"\'<>\\]*'.join(re.escape(p) for p in parts)))
    return tuple(patterns)


def bad_scheme(url: str) -> str | None:
    """The script-running scheme ``url`` starts with (``javascript:``), else ``None``.

    ``url`` is already entity-decoded (the parser decodes attribute values); the characters
    browsers ignore are removed and the rest case-folded before the scheme is read.
    """
    folded = URL_IGNORED.sub("", url).casefold()
    return next((s for s in BAD_SCHEMES if folded.startswith(s)), None)


def short(text: str) -> str:
    """``text`` on one line, cut to a readable length, for a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"


class Scanner(HTMLParser):
    """Collects the problems of one HTML document (see the module docstring for the rules).

    Args:
        shown: the path messages name (``site/meetings/x/index.html``).
        assets: the built site's folder and the page's path in it, to resolve script
            ``src``; ``None`` allows no script at all (the search index).
        base_path: the URL path of the site root (``/`` or ``/briefing/``), for ``src``
            paths that start with ``/`` (the 404 page's).
    """

    def __init__(self, shown: str, assets: tuple[Path, str] | None = None,
                 base_path: str = "/") -> None:
        super().__init__(convert_charrefs=True)
        self.shown = shown
        self.assets = assets
        self.base_path = base_path
        self.problems: list[Problem] = []
        self.script: tuple[dict[str, str | None], int] | None = None
        self.script_text: list[str] = []

    def report(self, message: str, line: int | None = None) -> None:
        where = self.getpos()[0] if line is None else line
        self.problems.append(Problem(self.shown, message, where))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.check_element(tag, values)
        if tag == "script":
            self.script = (values, self.getpos()[0])
            self.script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.check_element(tag, dict(attrs))
        if tag == "script":
            self.check_script(dict(attrs), "", self.getpos()[0])

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            values, line = self.script
            self.check_script(values, "".join(self.script_text), line)
            self.script = None

    def close(self) -> None:
        super().close()
        if self.script is not None:  # a <script> never closed still runs
            values, line = self.script
            self.check_script(values, "".join(self.script_text), line)
            self.script = None

    def check_element(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Forbidden elements, event handlers and script URLs of one start tag."""
        if tag in FORBIDDEN:
            self.report(f"<{tag}> element")
        if tag == "meta" and (attrs.get("http-equiv") or "").strip().casefold() == "refresh":
            self.report("<meta http-equiv=refresh> element")
        if tag in ANIMATIONS and (attrs.get("attributename") or "").strip().casefold() in {
                "href", "xlink:href"}:
            self.report(f"<{tag}> animating a link target")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.report(f"event handler {name}= on <{tag}>: {short(value or '')}")
            elif name in URL_ATTRIBUTES and value:
                urls = value.split(",") if name == "srcset" else [value]
                for url in urls:
                    scheme = bad_scheme(url)
                    if scheme:
                        self.report(f"{scheme} URL in {name}= of <{tag}>: {short(url)}")

    def check_script(self, attrs: dict[str, str | None], text: str, line: int) -> None:
        """Report a script element unless it is one of the theme's or the site's own."""
        if self.assets is not None and self.script_allowed(attrs, text):
            return
        what = f"src={attrs['src']}" if attrs.get("src") else short(text) or "empty"
        self.report(f"<script> element not from the theme or the site's assets: {what}", line)

    def script_allowed(self, attrs: dict[str, str | None], text: str) -> bool:
        kind = (attrs.get("type") or "").strip().casefold()
        src = attrs.get("src")
        if src is not None:
            return not text.strip() and kind in {"", "text/javascript", "module"} \
                and self.local_asset(src)
        if kind in JSON_TYPES:
            return attrs.get("id") == "__config"
        return kind == "" and any(p.fullmatch(text) for p in theme_inline_scripts())

    def local_asset(self, src: str) -> bool:
        """Whether ``src`` names an existing file under the site's ``assets/`` folder."""
        assert self.assets is not None
        site, page = self.assets
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or parts.query or not parts.path:
            return False
        if parts.path.startswith("/"):
            if not parts.path.startswith(self.base_path):
                return False
            target = posixpath.normpath(parts.path[len(self.base_path):])
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        return target.startswith("assets/") and (site / target).is_file()


def check_html(text: str, shown: str, *, site: Path | None = None, page: str = "",
               base_path: str = "/") -> list[Problem]:
    """The problems of one HTML document.

    Args:
        text: the HTML.
        shown: the path messages name.
        site: the built site folder; with ``page`` (the document's path in it) scripts
            from the site's ``assets/`` and the theme's inline scripts are allowed. Without
            it every script is reported (how the search index is checked).
        page: the document's path relative to ``site`` (``meetings/x/index.html``).
        base_path: the URL path of the site root, for root-relative ``src`` paths.

    Returns:
        Problems in document order, each ``shown:line: message``.
    """
    scanner = Scanner(shown, (site, page) if site is not None else None, base_path)
    scanner.feed(text)
    scanner.close()
    return scanner.problems


def check_search_index(path: Path, shown: str, part: tuple[int, int] = (0, 1)
                       ) -> list[Problem]:
    """The problems of a search index: markup that would run when results are shown.

    Every entry's ``title`` and ``text`` is scanned as HTML with no script allowed, and its
    ``location`` (a link in the results) must not use a script scheme. ``part`` (k, n)
    scans only the entries whose number is k modulo n (so n processes can share the work).
    """
    try:
        index = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        return [Problem(shown, f"cannot read the search index: {err}")]
    docs = index.get("docs") if isinstance(index, dict) else None
    if not isinstance(docs, list):
        return [Problem(shown, "the search index has no list of docs")]
    problems: list[Problem] = []
    for number, doc in enumerate(docs):
        if not isinstance(doc, dict) or number % part[1] != part[0]:
            continue
        where = f"{shown}: docs[{number}] ({short(str(doc.get('location', '')))})"
        for key in ("title", "text"):
            value = doc.get(key)
            if isinstance(value, str) and "<" in value:  # without "<" there is no markup
                problems += [Problem(where, f"{key}: {p.message}")
                             for p in check_html(value, where)]
        location = str(doc.get("location", ""))
        scheme = bad_scheme(location)
        if scheme:
            problems.append(Problem(where, f"location is a {scheme} URL"))
    return problems


def check_site(site: Path, site_url: str | None = None,
               only: Collection[Path] | None = None, *, index: bool = True
               ) -> tuple[Problem, ...]:
    """Scan every HTML file of a built site and its search index.

    Args:
        site: the built site folder (MkDocs ``site_dir``).
        site_url: the site's public URL (MkDocs ``site_url``); its path is the root that
            ``/…`` script paths start from (``/`` when not set).
        only: scan these HTML files only (the pages a dirty ``mkdocs serve`` rebuilt),
            and the search index.
        index: scan the search index too.

    Returns:
        Problems sorted by file and line, each ``site/path.html:line: what``; empty when the
        site carries no executable content beyond the theme's and its own assets.
    """
    base_path = _base_path(site_url)
    problems: list[Problem] = []
    paths = site.rglob("*.html") if only is None else (p for p in only if p.suffix == ".html")
    for path in sorted(paths):
        page = path.relative_to(site).as_posix()
        text = path.read_text("utf-8", errors="replace")
        problems += check_html(text, f"{site.name}/{page}", site=site, page=page,
                               base_path=base_path)
    if index and (site / SEARCH_INDEX).is_file():
        problems += check_search_index(site / SEARCH_INDEX, f"{site.name}/{SEARCH_INDEX}")
    return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.message)))


def _base_path(site_url: str | None) -> str:
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


class CleanPages:
    """Pages found clean before, by a digest of their bytes, so that a build that writes
    the same pages again (``make site`` with nothing changed) does not scan them again.

    A digest covers the page's HTML and path, the site's root path, the list of files under
    ``assets/`` (scripts are allowed from there), this package's code and the theme's
    version (its inline scripts are allowed), so any change to what the scan depends on
    scans the page again. Only pages with no problem are kept; the digests of one build are
    kept in the cache folder (see ``generator.support.cache``; none when the cache is off).
    """

    def __init__(self, site: Path, base_path: str) -> None:
        self.site = site
        self.base_path = base_path
        self.salt: bytes | None = None
        root = cache_root("sitecheck")
        self.path = None if root is None else root / "clean.pickle"
        self.known: set[bytes] = set()
        self.seen: set[bytes] = set()
        loaded = read_pickle(self.path) if self.path is not None else None
        if isinstance(loaded, set):
            self.known = {key for key in loaded if isinstance(key, bytes)}

    def key(self, text: str | bytes, shown: str, page: str) -> bytes:
        """The digest of one page as it would be scanned."""
        if self.salt is None:
            from importlib.metadata import PackageNotFoundError, version

            try:
                theme = version("mkdocs-material")
            except PackageNotFoundError:
                theme = "?"
            assets = self.site / "assets"
            files = sorted(p.relative_to(self.site).as_posix()
                           for p in assets.rglob("*") if p.is_file()) if assets.is_dir() else []
            self.salt = hashlib.sha256("\0".join(
                [package_version(), theme, self.base_path, *files]).encode()).digest()
        raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        return hashlib.sha256(self.salt + f"{shown}\0{page}\0".encode() + raw).digest()

    def clean(self, key: bytes) -> bool:
        """Whether a page with this digest was found clean before (and is kept as such)."""
        if key in self.known:
            self.seen.add(key)
            return True
        return False

    def add(self, key: bytes) -> None:
        """Keep a page just found clean."""
        self.seen.add(key)

    def save(self) -> None:
        """Write the digests of this build's clean pages (a failure only costs speed)."""
        if self.path is None or self.seen == self.known:
            return
        write_pickle(self.path, self.seen)


class BackgroundChecks:
    """Pages checked in a second process while MkDocs builds the next ones.

    MkDocs builds on one core; handing each page's HTML to a worker as it is written hides
    most of the scan's time on a machine with two. ``finish`` scans the HTML files no page
    event handed over (theme pages such as ``404.html``) and the search index, and gives
    the same problems as :func:`check_site` would.

    Args:
        site: the built site folder.
        site_url: the site's public URL.
    """

    def __init__(self, site: Path, site_url: str | None) -> None:
        self.site = site
        self.base_path = _base_path(site_url)
        self.checked: set[Path] = set()
        self.problems: list[Problem] = []
        self.futures: list[tuple[Future[list[Problem]], bytes]] = []
        self.clean = CleanPages(site, self.base_path)
        fork = threading.active_count() == 1 and \
            "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) \
            if fork else None

    def submit(self, html: str, dest: Path) -> None:
        """Check one page's HTML (as written to ``dest``) now or in the worker."""
        page = dest.relative_to(self.site).as_posix()
        shown = f"{self.site.name}/{page}"
        self.checked.add(dest)
        key = self.clean.key(html, shown, page)
        if self.clean.clean(key):
            return
        if self.pool is not None:
            self.futures.append((self.pool.submit(check_html, html, shown, site=self.site,
                                                  page=page, base_path=self.base_path), key))
        else:
            found = check_html(html, shown, site=self.site, page=page, base_path=self.base_path)
            self.problems += found
            if not found:
                self.clean.add(key)

    def finish(self, site_url: str | None) -> tuple[Problem, ...]:
        """Every problem of the site: the pages handed over, then the rest and the index."""
        try:
            for future, key in self.futures:
                problems = future.result()
                self.problems += problems
                if not problems:
                    self.clean.add(key)
            self._check_index()
        except BaseException:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
            raise
        if self.pool is not None:
            self.pool.shutdown()
        rest = [p for p in self.site.rglob("*.html") if p not in self.checked]
        found = {*self.problems, *check_site(self.site, site_url, rest, index=False)}
        self.clean.save()
        # (a search index that cannot be read is reported by both halves: once is enough)
        return tuple(sorted(found, key=lambda p: (p.path, p.line or 0, p.message)))

    def _check_index(self) -> None:
        """The search index, in two halves when there is a worker (unless found clean
        before)."""
        index = self.site / SEARCH_INDEX
        shown = f"{self.site.name}/{SEARCH_INDEX}"
        if not index.is_file():
            return
        key = self.clean.key(index.read_bytes(), shown, SEARCH_INDEX)
        if self.clean.clean(key):
            return
        if self.pool is not None:
            half = self.pool.submit(check_search_index, index, shown, (1, 2))
            problems = check_search_index(index, shown, (0, 2)) + half.result()
        else:
            problems = check_search_index(index, shown)
        self.problems += problems
        if not problems:
            self.clean.add(key)
