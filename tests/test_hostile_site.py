"""One site built from every hostile record of ``tests/attacks/`` together (the attacks marked
``hostile_site: true``), beside the seed articles so that every page type exists; checked page
by page with a real HTML parser (:mod:`sitesafety`) and opened in Debian's Chromium, which must
show no dialog whatever a reader clicks or hovers.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from attackkit import (
    MEETING_ID_IN_ATTACKS,
    attack_folders,
    command,
    environment,
    load_spec,
    make_project,
)
from conftest import PROJECT, BuiltSite, QuietHandler
from sitesafety import Baseline, baseline, check_site

HOSTILE = [f for f in attack_folders() if load_spec(f).get("hostile_site")]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], str]:
    """The project of every hostile record (ids made unique per attack), built with
    ``briefing build``; the site folder, the hostile meeting ids and the build's output."""
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", None)
    for seed in sorted((PROJECT / "seeds").glob("*.txt")):
        shutil.copy2(seed, project / "seeds" / seed.name)
    ids = []
    for folder in HOSTILE:
        number = folder.name.split("-", 1)[0]
        for path in sorted((folder / "files").rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(folder / "files").as_posix()
            renamed = re.sub(r"hostile_article|hostile_seed", rf"\g<0>_{number}",
                             relative.replace(MEETING_ID_IN_ATTACKS,
                                              f"{MEETING_ID_IN_ATTACKS}-{number}"))
            data = path.read_bytes().replace(MEETING_ID_IN_ATTACKS.encode(),
                                             f"{MEETING_ID_IN_ATTACKS}-{number}".encode())
            data = re.sub(rb"hostile_article|hostile_seed", rb"\g<0>_" + number.encode(), data)
            target = project / renamed
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            if renamed.startswith("content/meetings/"):
                ids.append(Path(renamed).stem)
    done = subprocess.run(command("run", ["build"]), cwd=project, env=environment(project),
                          capture_output=True, text=True, timeout=600)
    return project / "site", sorted(ids), done.stdout + done.stderr + f"\nexit {done.returncode}"


@pytest.fixture(scope="module")
def seed_baseline(built_site: BuiltSite) -> Baseline:
    return baseline(built_site.root)


def test_hostile_attacks_are_many(hostile_site: tuple[Path, list[str], str]) -> None:
    assert len(HOSTILE) >= 15
    assert len(hostile_site[1]) >= 15


def test_the_hostile_site_builds_strictly(hostile_site: tuple[Path, list[str], str]) -> None:
    site, _, output = hostile_site
    assert output.rstrip().endswith("exit 0"), output[-2000:]
    assert (site / "index.html").exists()


def test_every_hostile_meeting_has_its_page(hostile_site: tuple[Path, list[str], str]) -> None:
    site, ids, _ = hostile_site
    assert [i for i in ids if not (site / "meetings" / i / "index.html").exists()] == []


def test_no_page_has_markup_the_clean_site_lacks(hostile_site: tuple[Path, list[str], str],
                                                seed_baseline: Baseline) -> None:
    site = hostile_site[0]
    assert (site / "index.html").exists(), hostile_site[2][-2000:]
    assert check_site(site, seed_baseline) == []


# --- Chromium ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_url(hostile_site: tuple[Path, list[str], str]) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(hostile_site[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def hostile_pages(site: Path, ids: list[str]) -> list[str]:
    """One page of every type, and every hostile meeting's brief, as paths from the root."""
    people = sorted(p.parent.name for p in site.glob("people/*/index.html"))
    topics = sorted(p.parent.name for p in site.glob("topics/*/index.html"))
    years = sorted(p.parent.name for p in site.glob("meetings/[0-9]*/index.html")
                   if "-" not in p.parent.name)
    timeline_years = sorted(p.parent.name for p in site.glob("timeline/*/index.html"))
    pages = ["", "meetings/", "people/", "topics/", "timeline/", "data/", "book/"]
    pages += [f"people/{p}/" for p in people if "example" in p or "eve" in p or "index" in p]
    pages += [f"people/{people[0]}/"] if people else []
    pages += [f"topics/{topics[0]}/"] if topics else []
    pages += [f"meetings/{y}/" for y in years] + [f"timeline/{y}/" for y in timeline_years]
    pages += [f"meetings/{i}/" for i in ids if (site / "meetings" / i / "index.html").exists()]
    pages += [f"articles/{p.parent.name}/" for p in sorted(site.glob("articles/*/index.html"))]
    return list(dict.fromkeys(pages))


def watch(tab: Any) -> list[str]:
    events: list[str] = []

    def on_dialog(dialog: Any) -> None:
        events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    return events


SAFE_HREF = re.compile(r"^(?:https?:|mailto:|#|\.{0,2}/|[\w.~%-]+(?:[/?#]|$))", re.IGNORECASE)


# every pointer and focus event on every element at once: inline handlers run on them
HOVER_ALL = """() => { for (const element of document.querySelectorAll('*')) {
  for (const type of ['mouseover', 'mouseenter', 'mousemove', 'focus', 'focusin']) {
    element.dispatchEvent(new MouseEvent(type, {bubbles: true})); } } }"""


def poke(tab: Any, url: str) -> None:
    """Hover the page's elements (the first of the article with the real pointer, all of them
    by their events) and click every link whose address is not an ordinary one."""
    tab.goto(url)
    tab.wait_for_load_state("load")
    for details in tab.locator("article details summary").all()[:20]:
        details.click()
    for element in tab.locator("article *").all()[:30]:
        try:
            element.hover(timeout=200, force=True)
        except Exception:  # noqa: BLE001 - hidden or detached elements cannot be hovered
            continue
    tab.evaluate(HOVER_ALL)
    for link in tab.locator("a[href]").all():
        href = (link.get_attribute("href") or "").strip()
        if SAFE_HREF.match(href):
            continue
        try:
            link.click(timeout=500, force=True, no_wait_after=True)
        except Exception:  # noqa: BLE001 - a link that cannot be clicked runs nothing either
            continue
        tab.wait_for_timeout(100)
        if tab.url != url:
            tab.goto(url)


def test_no_dialog_on_any_page_type(chromium: Any, hostile_site: tuple[Path, list[str], str],
                                    hostile_url: str) -> None:
    site, ids, output = hostile_site
    assert (site / "index.html").exists(), output[-2000:]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        events = watch(tab)
        pages = hostile_pages(site, ids)
        assert len(pages) >= 15
        for page in pages:
            poke(tab, hostile_url + page)
            assert events == [], (page, events)
        tab.goto(hostile_url)
        tab.locator("label.md-search__icon, .md-search__input").first.click()
        tab.locator("input.md-search__input").press_sequentially("Osaka", delay=20)
        tab.locator(".md-search-result__item").first.wait_for(timeout=15000)
        for result in tab.locator(".md-search-result__item").all()[:20]:
            result.hover(force=True)
        tab.wait_for_timeout(300)
        assert events == [], ("search", events)
    finally:
        context.close()


def test_the_dialog_watch_sees_a_dialog(chromium: Any) -> None:
    context = chromium.new_context()
    try:
        tab = context.new_page()
        events = watch(tab)
        tab.set_content("<a href='javascript:alert(7)' id=x>x</a>"
                        "<span onmouseover='alert(8)' id=y>y</span><b onfocus='alert(9)'>z</b>")
        assert not SAFE_HREF.match("javascript:alert(7)") and SAFE_HREF.match("../x/")
        tab.locator("#y").hover()
        tab.locator("#x").click(no_wait_after=True)
        tab.wait_for_timeout(300)
        assert events == ["dialog alert: 8", "dialog alert: 7"], events
        tab.evaluate(HOVER_ALL)
        assert "dialog alert: 9" in events, events
    finally:
        context.close()
