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

import hashlib
import json
from collections.abc import Collection
from concurrent.futures import Future
from pathlib import Path
from urllib.parse import urlsplit

from generator.models import Problem
from generator.site.htmlscan import (
    bad_scheme,
    check_html,
    short,
)
from generator.support.cache import cache_root, package_version, read_pickle, write_pickle
from generator.support.pool import cores, fork_is_safe, process_pool

SEARCH_INDEX = "search/search_index.json"


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
        # one forked worker checks beside MkDocs (spawning one would cost more than it saves)
        self.pool = process_pool(1, fork=True) if fork_is_safe() and cores() > 1 else None

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


class BuildCheck:
    """The site check of one MkDocs build, fed the pages as MkDocs writes them.

    A whole build's pages are checked beside MkDocs, in a worker (``BackgroundChecks``); a
    live preview's dirty build checks, once it is done, only the pages it built (and not
    the search index, which a dirty build does not change).
    """

    def __init__(self, site: Path, site_url: str | None, *, whole: bool) -> None:
        self.site = site
        self.site_url = site_url
        self.whole = whole
        self.built: list[Path] = []
        self.background: BackgroundChecks | None = None  # started by the first page

    def page(self, html: str, dest: Path) -> None:
        """A page MkDocs wrote."""
        self.built.append(dest)
        if self.whole:
            if self.background is None:
                self.background = BackgroundChecks(self.site, self.site_url)
            self.background.submit(html, dest)

    def finish(self) -> tuple[Problem, ...]:
        """Every problem of the build's output."""
        if self.background is not None:
            return self.background.finish(self.site_url)
        if self.whole:
            return check_site(self.site, self.site_url)
        return check_site(self.site, self.site_url, self.built, index=False)

    def withdraw(self, problems: Collection[Problem]) -> list[Path]:
        """Remove from the site every file a problem names (an unsafe page is never left
        to be served or published); the files removed."""
        removed = []
        for problem in problems:
            shown = problem.path.split(": ", 1)[0]  # the search index adds the entry
            page = shown.removeprefix(f"{self.site.name}/")
            path = self.site / page
            if page != shown and path.is_file() and path.resolve().is_relative_to(
                    self.site.resolve()):
                path.unlink()
                removed.append(path)
        return sorted(removed)

    def cancel(self) -> None:
        """Stop the worker of a build that failed."""
        if self.background is not None and self.background.pool is not None:
            self.background.pool.shutdown(cancel_futures=True)
