"""Injection into the site: hostile article text and hand-edited records render as inert text.

The fixture ``tests/data/inject_site`` holds three seed articles (tags, links in every Markdown
form, Markdown structure and template syntax; extraction carries them into titles, summaries,
quotes, evidence, outcomes, headlines and the whole-text pages) and a hand-edited meeting and
article record carrying them in every other slot (title, place, occasion, names, roles, date
basis, quote speaker and variant, evidence, notes, headline, publisher, rights). The real site
is built from them with ``mkdocs build --strict`` (whole texts on), scanned by
``generator.site.check`` and opened page by page in Chromium.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT, QuietHandler

from generator.site.check import check_site

FIXTURE = PROJECT / "tests" / "data" / "inject_site"
HAND = "meetings/2022-08-01-hand-edited/index.html"

# (page, text a reader sees there, exactly as it was written in the input)
VISIBLE = [
    # hand-edited meeting record
    (HAND, "Talks <script>alert(1)</script> <img src=x onerror=alert(1)> "
           "[a](javascript:alert(1)) {{ 7*7 }} {% raw %}"),  # title
    (HAND, "Osaka <iframe src=javascript:alert(1)></iframe>, Japan"),  # place
    (HAND, '<!-- unclosed comment [o](JaVaScRiPt:alert(1)) --8<-- "README.md"'),  # occasion
    (HAND, "Eve <script>alert(1)</script> Mallory, [r](vbscript:msgbox(1)) "
           "<img src=x onerror=alert(1)> (Japan)"),  # name and role
    (HAND, '[Bob](&#106;avascript:alert(1)) <javascript:alert(1)>, {{ 7*7 }} {% raw %} '
           ';--8<-- "mkdocs.yml" (Australia)'),
    (HAND, "How the date was found: <svg onload=alert(1)> stated"),
    (HAND, "# heading <script>alert(1)</script> "
           "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),  # summary
    (HAND, "“We say <svg onload=alert(1)> and [x](javascript:alert(1)) {{ 7*7 }}”"),  # quote
    (HAND, "— <img src=x onerror=alert(1)> {% raw %}, in 1 source"),  # speaker
    (HAND, "“We said <script>alert(1)</script> | a | b |”"),  # variant
    (HAND, "> quoted [r]: javascript:alert(1) <iframe src=javascript:alert(1)>"),  # outcome
    (HAND, "“<img src=x onerror=alert(1)> on 1 August {{ 7*7 }}”"),  # evidence
    (HAND, "“[o][r] <!-- unclosed”"),
    (HAND, '“<a href="javascript:alert(1)">Eve</a> met <a href=vbscript:msgbox(1)>Bob</a>”'),
    (HAND, "“<form action=javascript:alert(1)><button formaction=javascript:alert(1)>go"
           "</button></form>”"),
    (HAND, "“<object data=javascript:alert(1)></object> <embed src=javascript:alert(1)> "
           "<base href=javascript:alert(1)//>”"),
    (HAND, '“<meta http-equiv=refresh content="0;url=javascript:alert(1)"> '
           '<math><a xlink:href=javascript:alert(1)>m</a></math>”'),
    (HAND, 'remarks: “{: onclick="alert(1)" } <svg><animate onbegin=alert(1) '
           'attributeName=x dur=1s>”'),
    # hand-edited article record, shown among the meeting's sources
    (HAND, "Headline <script>alert(1)</script> [h](javascript:alert(1)) {{ 7*7 }}, "
           'Evil <img src=x onerror=alert(1)> News [p](JaVaScRiPt:alert(1)) --8<-- "README.md"'),
    (HAND, "rights: <svg onload=alert(1)> {% raw %} [r](vbscript:msgbox(1))"),
    # analyst notes: every line shown as written, none of it structure
    (HAND, '<script>alert("notes")</script> # heading in the notes > a quote in the notes '
           "--- | a | b | | --- | --- | [x]: javascript:alert(1) [notes link][x] and "
           "[inline](javascript:alert(1)) and <javascript:alert(1)>"),
    (HAND, "[ ] a task"),
    (HAND, "a bullet with <img src=x onerror=alert(1)>"),
    (HAND, '--8<-- "README.md" ;--8<-- "mkdocs.yml" {{ 7*7 }} {% raw %} {% endraw %} '
           '!!! danger "<svg onload=alert(1)>" {: onclick="alert(1)" } '
           '*[HTML]: <script>alert(1)</script> <div markdown="1" onclick="alert(1)">md_in_html'
           "</div> <!-- an unclosed comment at the end of the notes"),
    # seed articles, through extraction
    ("meetings/2022-05-09-wong-hayashi-meeting-tokyo/index.html",
     "“We will not accept coercion <img src=x onerror=alert(3)> in the region "
     "<svg onload=alert(4)>”"),
    ("meetings/2022-05-09-wong-hayashi-meeting-tokyo/index.html",
     "The two ministers agreed to strengthen cooperation on supply chains <!-- and the text "
     "goes on unclosed"),
    ("meetings/2022-06-12-wong-hayashi-meeting-canberra/index.html",
     "“Our [partnership](JaVaScRiPt:alert(1)) is [strong](&#106;avascript:alert(1)) and "
     "[lasting](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)”"),
    ("meetings/2022-06-12-wong-hayashi-meeting-canberra/index.html",
     "China [a][r] <javascript:alert(1)>."),
    ("meetings/2022-07-03-wong-hayashi-meeting-perth/index.html",
     "“We agreed {{ config }} to deepen cooperation {% include 'x' %} on energy”"),
    ("meetings/2022-07-03-wong-hayashi-meeting-perth/index.html",
     "# Hayashi meets Wong {{ 7*7 }} {% raw %} in Perth"),  # headline as a source
    # whole-text pages of the seed articles
    ("articles/inject_links/index.html",
     "[r]: javascript:alert(1) [x]: http://evil.example/"),
    ("articles/inject_links/index.html",
     "adding [more](vbscript:msgbox(1)) ![img](javascript:alert(1))."),
    ("articles/inject_structure/index.html",
     "> quoted line at the start --- | a | b | | --- | --- | - [ ] a task --8<-- \"README.md\" "
     ';--8<-- "mkdocs.yml" !!! note "admonition <script>alert(1)</script>" === "tab" '
     '{: onclick="alert(1)" } *[HTML]: <script>alert(1)</script>'),
    ("articles/inject_tags/index.html",
     "Tokyo, 9 May 2022 (Kyodo News) <svg onload=alert(1)>"),
]
TITLES = [
    (HAND, "Talks <script>alert(1)</script> <img src=x onerror=alert(1)> "
           "[a](javascript:alert(1)) {{ 7*7 }} {% raw %} - Briefing"),
    ("articles/inject_structure/index.html",
     "# Hayashi meets Wong {{ 7*7 }} {% raw %} in Perth - Briefing"),
]


class Text(HTMLParser):
    """The text a reader sees (scripts and styles left out) and the page's ``<title>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skip: str | None = None
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip = tag
        self.in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == self.skip:
            self.skip = None
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif self.skip is None:
            self.parts.append(data)


def read_text(path: Path) -> tuple[str, str]:
    parser = Text()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return " ".join("".join(parser.parts).split()), " ".join("".join(parser.title).split())


@pytest.fixture(scope="module")
def inject_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The injection fixture built with ``mkdocs build --strict`` (whole texts on)."""
    root = tmp_path_factory.mktemp("inject") / "project"
    root.mkdir()
    config = (PROJECT / "mkdocs.yml").read_text("utf-8")
    assert "full_text: false" in config
    (root / "mkdocs.yml").write_text(config.replace("full_text: false", "full_text: true"),
                                     "utf-8")
    for folder in ("templates", "docs"):
        shutil.copytree(PROJECT / folder, root / folder)
    for folder in ("seeds", "content"):
        shutil.copytree(FIXTURE / folder, root / folder)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return root / "site", result.stdout + result.stderr


def test_strict_build_is_clean_and_the_scan_finds_nothing(inject_build: tuple[Path, str]
                                                          ) -> None:
    site, output = inject_build
    assert [line for line in output.splitlines() if "WARNING" in line] == []
    assert check_site(site) == ()
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert HAND in pages and len([p for p in pages if p.startswith("articles/")]) == 3


@pytest.mark.parametrize(("page", "expected"), VISIBLE)
def test_hostile_text_is_shown_as_written(inject_build: tuple[Path, str], page: str,
                                          expected: str) -> None:
    text, _ = read_text(inject_build[0] / page)
    assert " ".join(expected.split()) in text


@pytest.mark.parametrize(("page", "expected"), TITLES)
def test_hostile_titles_are_shown_as_written_in_the_window_title(
        inject_build: tuple[Path, str], page: str, expected: str) -> None:
    assert read_text(inject_build[0] / page)[1] == expected


def test_no_template_expression_ran_and_no_snippet_was_included(inject_build: tuple[Path, str]
                                                                ) -> None:
    readme = (PROJECT / "README.md").read_text("utf-8").splitlines()[2]
    for path in sorted(inject_build[0].rglob("*.html")):
        text, _ = read_text(path)
        assert readme not in text, path


@pytest.fixture(scope="module")
def inject_url(inject_build: tuple[Path, str]) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(inject_build[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def watch(tab: Any) -> list[str]:
    """Record every dialog (dismissed), console error and uncaught exception of a tab."""
    events: list[str] = []

    def on_dialog(dialog: Any) -> None:
        events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("console", lambda m: events.append(f"console: {m.text}") if m.type == "error"
           else None)
    tab.on("pageerror", lambda e: events.append(f"page error: {e}"))
    return events


def test_every_page_opens_without_a_dialog_or_script_error(
        chromium: Any, inject_build: tuple[Path, str], inject_url: str) -> None:
    site = inject_build[0]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.name in ("index.html", "404.html"))
    assert len(pages) >= 15
    context = chromium.new_context()
    try:
        tab = context.new_page()
        events = watch(tab)
        for page in pages:
            url = inject_url + page.removesuffix("index.html")
            response = tab.goto(url)
            assert response is not None and (response.ok or page == "404.html"), page
            tab.wait_for_load_state("load")
            for details in tab.locator("article details").all():
                details.locator("summary").first.click()  # open every evidence block
            assert events == [], (page, events)
    finally:
        context.close()


def test_searching_hostile_text_shows_it_without_running_it(
        chromium: Any, inject_build: tuple[Path, str], inject_url: str) -> None:
    context = chromium.new_context()
    try:
        tab = context.new_page()
        events = watch(tab)
        tab.goto(inject_url)
        tab.locator("label.md-search__icon, .md-search__input").first.click()
        tab.locator("input.md-search__input").press_sequentially("onerror", delay=20)
        results = tab.locator(".md-search-result__item")
        results.first.wait_for(timeout=15000)
        shown = " ".join(results.all_inner_texts())
        assert "<img src=x onerror=alert(" in shown, shown
        tab.wait_for_timeout(500)
        assert events == [], events
    finally:
        context.close()


def test_the_watch_would_see_a_dialog_and_a_script_error(chromium: Any) -> None:
    context = chromium.new_context()
    try:
        tab = context.new_page()
        events = watch(tab)
        tab.set_content("<img src=x onerror=alert(1)><script>undefined_name()</script>")
        tab.wait_for_timeout(300)
        assert any(e == "dialog alert: 1" for e in events), events
        assert any(e.startswith("page error:") for e in events), events
    finally:
        context.close()
