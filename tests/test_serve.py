"""``mkdocs serve`` rebuilds when a seed article, a record or a template changes, then settles."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from conftest import SiteProject

WAIT = 30.0  # seconds a change may take to show
START = 90.0  # seconds the first build may take (ingest of every seed)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, ok: Callable[[str], bool], seconds: float, log: Path) -> str:
    """Poll ``url`` until ``ok(page)``; fail with the server log after ``seconds``."""
    start = time.monotonic()
    deadline = start + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page and ok(page):
            print(f"{url} changed after {time.monotonic() - start:.1f} s")
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} did not change within {seconds} s; server log:\n"
                         + log.read_text("utf-8", errors="replace"))


def builds(log: Path) -> int:
    return log.read_text("utf-8", errors="replace").count("Building documentation")


def front_matter(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text("utf-8").split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


def seed_with_headline(root: Path) -> tuple[Path, str] | None:
    """A seed whose article record has a headline, and a meeting page that shows it."""
    for record in sorted((root / "content" / "articles").glob("*.md")):
        article = front_matter(record)
        meetings = article.get("meetings") or []
        if article.get("headline") and meetings:
            return root / str(article["source_file"]), str(meetings[0])  # type: ignore[index]
    return None


def append_to_first_line(path: Path, words: str) -> None:
    first, _, rest = path.read_text("utf-8").partition("\n")
    path.write_text(f"{first} {words}\n{rest}", "utf-8")


@contextlib.contextmanager
def serving(project: SiteProject, log: Path) -> Iterator[str]:
    """Run ``mkdocs serve`` on a free port; yield its base URL; always stop it."""
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(project.mkdocs("serve", "-a", f"127.0.0.1:{port}"),
                                  cwd=project.root, env=project.env, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/", lambda page: "Briefing" in page, START, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def assert_settles(log: Path) -> None:
    """No rebuild loop: once the last change has shown, the build count stays put."""
    time.sleep(3)
    settled = builds(log)
    time.sleep(4)
    assert builds(log) == settled, log.read_text("utf-8")


def test_serve_rebuilds_on_record_and_template_edits(site_project: SiteProject,
                                                     tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(site_project, log) as base:
        record = sorted((site_project.root / "content" / "meetings").glob("*.md"))[0]
        url = f"{base}/meetings/{record.stem}/"
        wait_for(url, lambda page: "Participants" in page, WAIT, log)
        first = builds(log)

        with record.open("a", encoding="utf-8") as handle:  # an analyst note in a record
            handle.write("\nAnalyst marker qzxv.\n")
        wait_for(url, lambda page: "Analyst marker qzxv" in page, WAIT, log)

        template = site_project.root / "templates" / "meeting.md.j2"
        template.write_text(template.read_text("utf-8") + "\nTemplate marker wkpj.\n",
                            "utf-8")
        wait_for(url, lambda page: "Template marker wkpj" in page, WAIT, log)
        assert_settles(log)
        assert builds(log) > first


def test_serve_rebuilds_on_seed_edits(site_project: SiteProject, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(site_project, log) as base:
        found = seed_with_headline(site_project.root)
        assert found is not None, "no article record with a headline and a meeting"
        seed, meeting = found
        append_to_first_line(seed, "Seedmarker")
        wait_for(f"{base}/meetings/{meeting}/", lambda page: "Seedmarker" in page,
                 WAIT + START, log)
        assert_settles(log)


def test_serve_shows_a_bad_record_and_keeps_serving_the_rest(site_project: SiteProject,
                                                             tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(site_project, log) as base:
        bad, other = sorted((site_project.root / "content" / "meetings").glob("*.md"))[:2]
        wait_for(f"{base}/meetings/{bad.stem}/", lambda page: "Participants" in page, WAIT, log)
        text = bad.read_text("utf-8")
        bad.write_text(text.replace("\ntitle: ", '\ntitle: "\\ud800" # ', 1), "utf-8")
        problem = f"{bad}:3:1: title: character 1 is U+D800, half of a surrogate pair"
        wait_for(f"{base}/", lambda page: problem in log.read_text("utf-8", "replace"),
                 WAIT, log)
        with other.open("a", encoding="utf-8") as handle:
            handle.write("\nAnalyst marker ktrw.\n")
        wait_for(f"{base}/meetings/{other.stem}/", lambda page: "Analyst marker ktrw" in page,
                 WAIT, log)
        bad.write_text(text, "utf-8")
        wait_for(f"{base}/meetings/{bad.stem}/", lambda page: "Participants" in page, WAIT, log)
