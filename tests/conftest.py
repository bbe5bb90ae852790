"""Shared fixtures: a temporary copy of the project that MkDocs can build, and the site built
from the seeds and served on loopback for the browser tests."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# In CI property tests are derandomized so that a run cannot flake.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

PROJECT = Path(__file__).resolve().parents[1]


def names_read(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[str]:
    """Replace ``owner.name`` (a function or method whose first argument is a path) by one
    that also notes the file name of each path it is given; the list of those names."""
    read: list[str] = []
    real = getattr(owner, name)

    def spy(path: Path, *args: Any, **options: Any) -> Any:
        read.append(path.name)
        return real(path, *args, **options)

    monkeypatch.setattr(owner, name, spy)
    return read


@dataclass(frozen=True)
class SiteProject:
    """A copy of the project in a temporary folder, and the environment to run MkDocs in."""

    root: Path
    env: dict[str, str]

    def mkdocs(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "mkdocs", *args]


@pytest.fixture
def site_project(tmp_path: Path) -> SiteProject:
    """Copy mkdocs.yml, templates/, seeds/ and docs/ into ``tmp_path/project``.

    The ``briefing`` plugin is found through the installed package's entry point
    (``make test`` installs the project).
    """
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("templates", "seeds", "docs"):
        shutil.copytree(PROJECT / folder, root / folder)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
           "NO_MKDOCS_2_WARNING": "1"}  # Material's banner about MkDocs 2.0 is no build warning
    return SiteProject(root, env)


@dataclass(frozen=True)
class BuiltSite:
    """The site built once from the seeds in a temporary project, served on loopback."""

    root: Path  # the built site/ folder
    url: str  # http://127.0.0.1:<port>/


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """Build the site from ``seeds/`` with ``mkdocs build --strict`` and serve ``site/``.

    One build is shared by every browser and accessibility test; the server is a threaded
    ``http.server`` on a free 127.0.0.1 port, stopped at the end of the session.
    """
    project = tmp_path_factory.mktemp("site") / "project"
    project.mkdir()
    shutil.copy2(PROJECT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("templates", "seeds", "docs"):
        shutil.copytree(PROJECT / folder, project / folder)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
                   cwd=project, env=env, check=True)
    site = project / "site"
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield BuiltSite(site, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        """Requests are not logged: the test output stays readable."""


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = PROJECT / "test-output" / "screenshots"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    Module-scoped: Playwright's sync API runs an event loop while it is open, and other test
    modules start their own. Skipped when Chromium is missing, except in CI (``CI=true``),
    where that is an error.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium is missing: `make test` installs it")
        pytest.skip("Chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, headless=True,
                                       args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_types(site: Path) -> dict[str, str]:
    """One page of every type, as URL paths relative to the site root."""
    meetings = sorted(p.parent.name for p in site.glob("meetings/*/index.html"))
    meeting = next((m for m in meetings if "karuizawa" in m and "blinken" in m), meetings[0])
    people = sorted(p.parent.name for p in site.glob("people/*/index.html"))
    person = next((p for p in people if "hayashi" in p), people[0])
    topics = sorted(p.parent.name for p in site.glob("topics/*/index.html"))
    topic = next((t for t in topics if t == "ukraine-russia"), topics[0])
    return {"home": "", "meeting": f"meetings/{meeting}/", "topic": f"topics/{topic}/",
            "topics-index": "topics/", "person": f"people/{person}/", "people-index": "people/",
            "timeline": "timeline/", "data": "data/"}
