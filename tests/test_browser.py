"""A reader's path through the built site, in Debian's Chromium driven by Playwright.

The site is built once from the seeds (``built_site`` in conftest.py) and served from
``site/`` on a free loopback port; screenshots go to ``screenshots/`` in the test output
folder (``$BRIEFING_TEST_OUTPUT``, else a temporary folder).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BuiltSite, page_types


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page that records console errors and uncaught exceptions in ``page.errors``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error"
           else None)
    tab.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    tab.errors = errors
    yield tab
    context.close()


def test_reader_path_home_meeting_topic_person_timeline(page: Any, built_site: BuiltSite
                                                        ) -> None:
    page.goto(built_site.url)
    assert "Briefing" in page.title()
    page.locator("article a[href*='meetings/2023-04-17']").first.click()
    page.wait_for_load_state()
    assert "/meetings/2023-04-17" in page.url
    article = page.locator("article").inner_text()
    assert "Karuizawa" in article and "Monday, 17 April 2023" in article
    details = page.locator("article details").first
    assert details.get_attribute("open") is None  # evidence is shown on demand
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    page.locator("article a[href*='topics/']").first.click()
    page.wait_for_load_state()
    assert "/topics/" in page.url
    assert "discussed this topic" in page.locator("article").inner_text()
    page.locator("article a[href*='people/']").first.click()
    page.wait_for_load_state()
    assert "/people/" in page.url
    assert "Roles over time" in page.locator("article").inner_text()
    page.locator("nav a", has_text="Timeline").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/timeline/")
    assert page.locator(".briefing-meeting").count() >= 1
    assert page.errors == []


@pytest.mark.parametrize(("query", "expected"), [
    ("Karuizawa", "karuizawa"),  # a place
    ("Baerbock", "baerbock"),  # a person
    ("Sanctions", "meetings/"),  # a topic
    ("collaborate", "meetings/"),  # words of a quote
])
def test_search_finds_meetings(page: Any, built_site: BuiltSite, query: str,
                               expected: str) -> None:
    page.goto(built_site.url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.press_sequentially(query, delay=20)  # Material searches as the reader types
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    meetings = [h for h in hrefs if "/meetings/" in h and not h.rstrip("/").endswith("meetings")]
    assert any(expected in h for h in meetings), hrefs
    assert page.errors == []


def visible_entries(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".briefing-meeting", "els => els.filter(e => !e.hidden).map(e => e.dataset.topics)")


def test_timeline_filter_hides_and_shows_entries(page: Any, built_site: BuiltSite) -> None:
    page.goto(built_site.url + "timeline/")
    everything = visible_entries(page)
    assert len(everything) >= 2
    topic = page.locator("#filter-topic option").nth(1).get_attribute("value")
    carrying = [t for t in everything if topic in t.split()]
    assert 0 < len(carrying) < len(everything), topic
    page.select_option("#filter-topic", topic)
    assert visible_entries(page) == carrying
    assert f"{len(carrying)} of {len(everything)}" in page.locator("#filter-status").inner_text()
    page.select_option("#filter-format", "phone")
    assert all(topic in t.split() for t in visible_entries(page))
    page.select_option("#filter-topic", "")
    page.select_option("#filter-format", "")
    assert visible_entries(page) == everything
    assert page.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_loads_cleanly_and_is_screenshot(chromium: Any, built_site: BuiltSite,
                                                         scheme: str, test_output: Path) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   color_scheme=scheme)
    screenshots = test_output / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    try:
        for name, path in page_types(built_site.root).items():
            tab = context.new_page()
            errors: list[str] = []
            tab.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error"
                   else None)
            tab.on("pageerror", lambda x, e=errors: e.append(str(x)))
            response = tab.goto(built_site.url + path)
            assert response is not None and response.ok, path
            shown = tab.get_attribute("body", "data-md-color-scheme")
            assert shown == ("slate" if scheme == "dark" else "default"), (path, shown)
            tab.screenshot(path=str(screenshots / f"{name}-{scheme}.png"), full_page=True)
            assert errors == [], (path, errors)
            tab.close()
    finally:
        context.close()


def test_every_meeting_brief_prints_on_one_or_two_pages(page: Any,
                                                         built_site: BuiltSite) -> None:
    meetings = sorted(p.parent.name for p in built_site.root.glob("meetings/*/index.html"))
    assert meetings
    counts = {}
    for meeting in meetings:
        page.goto(f"{built_site.url}meetings/{meeting}/")
        pdf = page.pdf(format="A4")  # printing uses the print stylesheet
        counts[meeting] = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert all(1 <= n <= 2 for n in counts.values()), counts
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".briefing-print-note").is_visible()
