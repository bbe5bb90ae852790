"""A build whose output the site check finds unsafe fails, whatever the strictness and
whichever command runs it, says why, and leaves no unsafe page behind: ``briefing build``
keeps the previous site, ``mkdocs build`` removes the page, ``mkdocs serve`` does not serve
it. ``mkdocs serve`` stopped by SIGTERM cleans up as Ctrl-C does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_serve import fetch, free_port, wait_for

import generator

if TYPE_CHECKING:
    from conftest import SiteProject

UNSAFE = '# Extra\n\n<a href="javascript:alert(1)">x</a>\n'


@pytest.fixture(autouse=True)
def templates_of_the_code(site_project: SiteProject) -> None:
    """The templates that go with the code under test."""
    shutil.rmtree(site_project.root / "templates")
    shutil.copytree(Path(generator.__file__).resolve().parents[1] / "templates",
                    site_project.root / "templates")


def briefing(project: SiteProject, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project.root,
                          env=project.env, capture_output=True, text=True, timeout=600)


def with_old_site(project: SiteProject) -> Path:
    site = project.root / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the previous site</p>\n", "utf-8")
    return site


def leftovers(project: SiteProject) -> list[str]:
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site"))


def test_a_strict_build_that_fails_shows_every_warning_and_keeps_the_old_site(
        site_project: SiteProject) -> None:
    site = with_old_site(site_project)
    (site_project.root / "docs" / "extra.md").write_text(UNSAFE, "utf-8")
    result = briefing(site_project, "build")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("unsafe output: site/extra/index.html:")
               and "javascript: URL in href= of <a>" in line for line in lines), result.stderr
    assert any("not included in the \"nav\" configuration" in line for line in lines)
    assert any(line.startswith("mkdocs.yml: build failed: ") for line in lines)
    assert (site / "index.html").read_text("utf-8") == "<p>the previous site</p>\n"
    assert not (site / "extra").exists()
    assert leftovers(site_project) == []


def test_unsafe_output_fails_a_build_that_is_not_strict(site_project: SiteProject) -> None:
    site = with_old_site(site_project)
    (site_project.root / "docs" / "extra.md").write_text(UNSAFE, "utf-8")
    result = briefing(site_project, "build", "--no-strict")
    assert result.returncode == 1
    assert "unsafe output: site/extra/index.html:" in result.stderr
    assert (site / "index.html").read_text("utf-8") == "<p>the previous site</p>\n"
    assert leftovers(site_project) == []


def test_a_build_that_succeeds_replaces_the_site(site_project: SiteProject) -> None:
    site = with_old_site(site_project)
    result = briefing(site_project, "build")
    assert result.returncode == 0, result.stderr
    assert "the previous site" not in (site / "index.html").read_text("utf-8")
    assert (site / "meetings" / "index.html").is_file()
    assert leftovers(site_project) == []


def test_mkdocs_build_without_strict_fails_and_removes_the_unsafe_page(
        site_project: SiteProject) -> None:
    (site_project.root / "docs" / "extra.md").write_text(UNSAFE, "utf-8")
    result = subprocess.run(site_project.mkdocs("build", "--no-strict"), cwd=site_project.root,
                            env=site_project.env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "unsafe output: site/extra/index.html:" in result.stderr
    assert "briefing: the build fails: the site check found 1 executable" in result.stderr
    assert not (site_project.root / "site" / "extra" / "index.html").exists()


def serve(project: SiteProject, port: int, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(project.mkdocs("serve", "--dirty", "-a", f"127.0.0.1:{port}"),
                                cwd=project.root, env=project.env, stdout=out,
                                stderr=subprocess.STDOUT)


def test_mkdocs_serve_does_not_serve_an_unsafe_page(site_project: SiteProject,
                                                     tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    server = serve(site_project, port, log)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url, lambda page: "Briefing" in page, 90, log)
        (site_project.root / "docs" / "extra.md").write_text(UNSAFE, "utf-8")
        deadline = time.monotonic() + 60
        while "briefing: the build fails" not in log.read_text("utf-8", "replace") and \
                "unsafe output" not in log.read_text("utf-8", "replace"):
            assert time.monotonic() < deadline, log.read_text("utf-8", "replace")
            time.sleep(0.5)
        time.sleep(2)  # the end of the rebuild
        output = log.read_text("utf-8", "replace")
        assert "briefing: the build fails: the site check found" in output, output
        assert "javascript:alert" not in fetch(url + "extra/")
    finally:
        server.terminate()
        server.wait(30)


def test_mkdocs_serve_stopped_by_sigterm_leaves_no_folder_of_pages(
        site_project: SiteProject, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**site_project.env, "TMPDIR": str(scratch)}
    project = type(site_project)(site_project.root, env)
    port, log = free_port(), tmp_path / "serve.log"
    server = serve(project, port, log)
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda page: "Briefing" in page, 90, log)
        assert [p.name for p in scratch.glob("briefing-pages-*")]
        os.kill(server.pid, signal.SIGTERM)
        server.wait(30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(30)
    assert sorted(p.name for p in scratch.iterdir() if p.name.startswith("briefing-")) == []
