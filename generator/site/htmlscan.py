"""The scan of one HTML page for executable content that did not come from the theme (see
``site.check`` for what is reported); only the standard library's :mod:`html.parser` is used."""

from __future__ import annotations

import functools
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from generator.models import Problem

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
