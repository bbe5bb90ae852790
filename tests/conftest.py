"""Shared fixtures: a temporary copy of the project that MkDocs can build, and the site built
from the seeds and served on loopback for the browser tests.

Tests write only inside temporary folders: every cache and scratch place a test, a subprocess
it starts or a library it uses would write to (the extraction cache, XDG folders, the temporary
folder, Matplotlib's and Hypothesis's folders) is pointed into this worker's pytest temporary
folder before the first test runs, and each test gets an extraction cache of its own.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis.configuration
import pytest
from hypothesis import settings

# No per-example deadline: the suite runs on every core, beside whatever else the machine
# runs, and a property test checks what its examples give, not how fast. In CI property
# tests are derandomized too, so that a run cannot flake.
settings.register_profile("briefing", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("briefing"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "briefing")

# BRIEFING_THOROUGH=1: the slowest property tests try all the examples they name, not a fifth
THOROUGH = os.environ.get("BRIEFING_THOROUGH") == "1"


ONE_ARTICLE = Path(__file__).parent / "data" / "bad_twins" / "lf.txt"


@pytest.fixture()
def article_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of one article (``seeds/article.txt``, no content yet), made the working
    folder, for tests that run ``briefing`` commands with their default folders."""
    (tmp_path / "seeds").mkdir()
    shutil.copyfile(ONE_ARTICLE, tmp_path / "seeds" / "article.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_ingest(*extra: str) -> tuple[int, str, str]:
    """``briefing ingest EXTRA`` in this process: exit status, stdout, stderr. Anything but
    an exit (a traceback) fails the test."""
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["ingest", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


def examples(thorough: int) -> int:
    """Hypothesis examples for a property test whose examples cost much to draw: ``thorough``
    under ``BRIEFING_THOROUGH=1``, a fifth of it (at least 50) in an ordinary run."""
    return thorough if THOROUGH else max(50, thorough // 5)


PROJECT = Path(__file__).resolve().parents[1]

def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps its example database and caches in a temporary folder of this
    process, not in ``.hypothesis/`` of the working directory: it writes there while test
    modules are collected, before any fixture runs."""
    folder = tempfile.mkdtemp(prefix="briefing-hypothesis-")
    config.add_cleanup(functools.partial(shutil.rmtree, folder, ignore_errors=True))
    hypothesis.configuration.set_hypothesis_home_dir(folder)


# where programs write caches, settings and scratch files, by environment variable
SCRATCH_VARIABLES = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
                     "XDG_RUNTIME_DIR", "MPLCONFIGDIR", "TMPDIR")


@pytest.fixture(scope="session", autouse=True)
def scratch_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point every place a test run writes to outside its temporary folders into one folder
    of this worker's pytest temporary folder, for the whole session.

    Subprocesses inherit the environment; this process's ``tempfile`` is set directly. The
    extraction cache is per test (:func:`own_extraction_cache`); this one serves the
    session-scoped fixtures. Hypothesis's folder is set earlier (:func:`pytest_configure`).
    """
    root = tmp_path_factory.mktemp("scratch")
    saved = {name: os.environ.get(name) for name in (*SCRATCH_VARIABLES, "BRIEFING_CACHE")}
    for name in SCRATCH_VARIABLES:
        folder = root / name.lower()
        folder.mkdir(mode=0o700)
        os.environ[name] = str(folder)
    os.environ["BRIEFING_CACHE"] = str(root / "briefing-cache")
    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = os.environ["TMPDIR"]
    try:
        yield root
    finally:
        tempfile.tempdir = saved_tempdir
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(autouse=True)
def own_extraction_cache(scratch_folders: Path, tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty extraction cache for each test (``BRIEFING_CACHE``), outside ``tmp_path`` so
    that a test sees only its own files there; a test may still set its own."""
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def test_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests put screenshots and accessibility reports for a reader:
    ``$BRIEFING_TEST_OUTPUT`` when set, else a temporary folder."""
    given = os.environ.get("BRIEFING_TEST_OUTPUT")
    if given:
        return Path(given)
    return tmp_path_factory.mktemp("test-output")


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


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder every worker of this run sees (pytest-xdist gives each worker its
    own base folder, inside the run's); this process's own base folder without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_seed_site(project: Path) -> None:
    """Copy the project's site sources into ``project`` and build them strictly."""
    project.mkdir(parents=True)
    shutil.copy2(PROJECT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("templates", "seeds", "docs"):
        shutil.copytree(PROJECT / folder, project / folder)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
                   cwd=project, env=env, check=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory,
               scratch_folders: Path) -> Iterator[BuiltSite]:
    """Build the site from ``seeds/`` with ``mkdocs build --strict`` and serve ``site/``.

    One build is shared by every browser and accessibility test, across pytest-xdist
    workers too: the first worker to take the lock builds, the others wait and read it (a
    build that failed is tried again by the next). Each worker serves it with a threaded
    ``http.server`` on a free 127.0.0.1 port, stopped at the end of its session.
    """
    shared = shared_folder(tmp_path_factory)
    project = shared / "seed-site" / "project"
    with open(shared / "seed-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "seed-site" / "built").exists():
            shutil.rmtree(project.parent, ignore_errors=True)
            build_seed_site(project)
            (shared / "seed-site" / "built").touch()
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
