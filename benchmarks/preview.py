"""Live preview latency: how long an edit takes to show in ``mkdocs serve --dirty``.

In a work folder that holds a corpus (``corpus/``) and its records (``content/``), write a
copy of the project's ``mkdocs.yml`` whose briefing plugin reads them (``preview.yml``: in
the work folder, so that records name the articles as the ingest stages did), with copies
of the project's ``templates/`` and ``docs/`` in ``preview/``, start ``python -m mkdocs
serve --dirty`` on a free local port and wait until the home page is served. Then:

- ``record``: change the ``title:`` of one meeting record (written atomically: a temporary
  file, then ``os.replace``) and time from the save until the served page of that meeting
  contains the new title (polled every 50 ms);
- ``article``: add a sentence to one article of the corpus and time from the save until
  the server has finished the rebuild (its log says ``Reloading browsers``).

Each edit is made ``repeats`` times, the server being idle before each (no rebuild running
or pending). The server is always stopped: SIGINT (MkDocs shuts down and removes its build
folder), then SIGTERM, then SIGKILL for whatever is left in its process group.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
POLL = 0.05  # seconds between two looks at the page or the log
QUIET = 1.5  # an idle server's log stays unchanged this long (file polling is every 0.5 s)
REBUILT, CHANGED = "Reloading browsers", "Detected file changes"
FAILED = "An error happened during the rebuild"
PLAIN_ID = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+$")  # its page is /meetings/<id>/
SENTENCE = "\nOfficials said the talks in the preview check {n} would continue.\n"


class PreviewError(RuntimeError):
    """The server did not start, stopped, failed a rebuild or never showed the edit."""


@dataclass
class PreviewResult:
    """Seconds to the first served page, per edit, and the server's peak memory."""

    startup: float = 0.0
    record: list[float] = field(default_factory=list)
    article: list[float] = field(default_factory=list)
    peak_mib: float = 0.0


def write_config(work: Path, name: str = "preview", content: Path | None = None,
                 beside: bool = False) -> Path:
    """``work/<name>/mkdocs.yml``: the project's settings on the work folder's corpus and
    records (or ``content``), with copies of the project's ``docs/`` and ``templates/`` in
    ``work/<name>``. ``beside``: the file is ``work/<name>.yml`` instead, so that the
    plugin's root is the work folder, as it is for the ingest stages (records name article
    files relative to the root: another root would make every record anew)."""
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copytree(ROOT / "templates", folder / "templates")  # a snapshot: not edited meanwhile
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config.update(docs_dir=str(folder / "docs"), site_dir=str(folder / "site"))
    options = {"seeds": str(work / "corpus"), "content": str(content or work / "content"),
               "templates": str(folder / "templates")}
    plugins = config.get("plugins") or []
    config["plugins"] = [{"briefing": {**(p.get("briefing") or {}), **options}}
                         if isinstance(p, dict) and "briefing" in p else p for p in plugins]
    if not any(isinstance(p, dict) and "briefing" in p for p in config["plugins"]):
        config["plugins"].append({"briefing": options})
    path = work / f"{name}.yml" if beside else folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def free_port() -> int:
    """A local TCP port nobody listens on (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_atomic(path: Path, text: str) -> None:
    """Replace a file's text at once: a temporary file beside it, then ``os.replace``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


def retitle(text: str, title: str) -> str:
    """A record's text with the ``title:`` of its front matter (and any continuation
    lines of a wrapped title) replaced; the rest is unchanged."""
    lines = text.split("\n")
    end = lines.index("---", 1) if lines[0] == "---" and "---" in lines[1:] else 0
    for number in range(1, end):
        if lines[number].startswith("title:"):
            rest = number + 1
            while rest < end and lines[rest].startswith(" "):
                rest += 1
            lines[number:rest] = [f"title: {title}"]
            return "\n".join(lines)
    raise PreviewError("the record has no title: line in its front matter")


def chosen_record(content: Path) -> Path:
    """The middle one of the meeting records whose page URL is ``/meetings/<id>/``."""
    records = [p for p in sorted((content / "meetings").glob("*.md")) if PLAIN_ID.match(p.stem)]
    if not records:
        raise PreviewError(f"{content}/meetings: no dated meeting record to edit")
    return records[len(records) // 2]


def chosen_article(corpus: Path) -> Path:
    """An article of the corpus, a third of the way down (not the one ``reingest-one``
    changes)."""
    articles = sorted(corpus.glob("*.txt"))
    if not articles:
        raise PreviewError(f"{corpus}: no article to edit")
    return articles[len(articles) // 3]


class Server:
    """A ``mkdocs serve --dirty`` process, its log, and its page requests."""

    def __init__(self, config: Path, env: dict[str, str], folder: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder = folder or config.parent  # for its log and build folder
        self.log = folder / "serve.log"
        scratch = folder / "tmp"  # MkDocs' build folder; removed with the work folder
        scratch.mkdir(exist_ok=True)
        path = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "mkdocs", "serve", "--dirty",
                   "-a", f"127.0.0.1:{self.port}", "-f", str(config)]
        with self.log.open("wb") as log:  # its own session: stop() can end its workers too
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**env, "TMPDIR": str(scratch), "NO_MKDOCS_2_WARNING": "1",
                     "PYTHONPATH": path}, preexec_fn=_own_session)
        self.peak_mib = 0.0

    def text(self) -> str:
        """The server's log so far."""
        return self.log.read_text("utf-8", "replace")

    def check(self) -> None:
        """Raise when the server has stopped or a rebuild failed."""
        if self.process.poll() is not None:
            raise PreviewError(f"mkdocs serve stopped (exit {self.process.returncode}); "
                               f"see {self.log}")
        if FAILED in self.text():
            raise PreviewError(f"a rebuild failed; see {self.log}")

    def get(self, path: str, wait: float) -> tuple[int, str]:
        """(status, body) of one page; (0, "") when the server did not answer in time."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=wait) as response:
                return int(response.status), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, ""
        except (urllib.error.URLError, OSError):
            return 0, ""

    def wait_for_page(self, path: str, marker: str, timeout: float) -> None:
        """Poll a page until it is served (HTTP 200) and contains ``marker``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check()
            status, body = self.get(path, min(5.0, max(deadline - time.monotonic(), 0.1)))
            if status == 200 and marker in body:
                return
            time.sleep(POLL)
        raise PreviewError(f"{path} did not show {marker!r} within {timeout:.0f} s")

    def wait_for_rebuild(self, before: int, timeout: float) -> None:
        """Poll the log until it says ``Reloading browsers`` more than ``before`` times."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check()
            if self.text().count(REBUILT) > before:
                return
            time.sleep(POLL)
        raise PreviewError(f"no rebuild finished within {timeout:.0f} s; see {self.log}")

    def settle(self, timeout: float) -> None:
        """Wait until every detected change has been rebuilt and the log stays quiet."""
        deadline, last, since = time.monotonic() + timeout, "", time.monotonic()
        while time.monotonic() < deadline:
            self.check()
            text = self.text()
            if text != last:
                last, since = text, time.monotonic()
            elif (time.monotonic() - since >= QUIET
                  and text.count(CHANGED) <= text.count(REBUILT)):
                return
            time.sleep(POLL)
        raise PreviewError(f"the server did not become idle within {timeout:.0f} s")

    def stop(self) -> None:
        """SIGINT, then SIGTERM, then SIGKILL of its process group; reads its peak memory."""
        for sig, grace in ((signal.SIGINT, 15.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            if self.process.returncode is None:
                with _gone():
                    if sig == signal.SIGKILL:
                        os.killpg(self.process.pid, sig)
                    else:
                        self.process.send_signal(sig)
                self._reap(grace)
        with _gone():  # workers the server left behind, in its own session
            os.killpg(self.process.pid, signal.SIGKILL)

    def _reap(self, grace: float) -> None:
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and self.process.returncode is None:
            try:
                pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            except ChildProcessError:  # already reaped by Popen.poll (no memory to read)
                return
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                self.peak_mib = usage.ru_maxrss / 1024  # KiB
                return
            time.sleep(POLL)


def _own_session() -> None:
    """In the server's process, before MkDocs starts: a session of its own (so that its
    workers can be ended with it), and Ctrl-C handling even when the benchmark was started
    with SIGINT ignored (a background job)."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class _gone:
    """Ignore ``ProcessLookupError``: the process (group) has already ended."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> bool:
        return kind is ProcessLookupError


def measure(work: Path, env: dict[str, str], repeats: int = 3,
            startup_timeout: float = 1800.0, edit_timeout: float = 600.0) -> PreviewResult:
    """Start the server on ``work``, time ``repeats`` record edits and article edits.

    Raises:
        PreviewError: the server did not start, a rebuild failed, or an edit never showed.
    """
    record, article = chosen_record(work / "content"), chosen_article(work / "corpus")
    path = f"/meetings/{record.stem}/"
    result, token = PreviewResult(), secrets.token_hex(4)
    start = time.perf_counter()
    server = Server(write_config(work, beside=True), env, work / "preview")
    try:
        server.wait_for_page("/", "</html>", startup_timeout)
        result.startup = time.perf_counter() - start
        server.settle(edit_timeout)
        if server.get(path, edit_timeout)[0] != 200:
            raise PreviewError(f"{path}: no such page on the served site")
        for number in range(1, repeats + 1):
            marker = f"Preview check {number} {token}"
            text = retitle(record.read_text("utf-8"), marker)
            begin = time.perf_counter()
            write_atomic(record, text)
            server.wait_for_page(path, marker, edit_timeout)
            result.record.append(time.perf_counter() - begin)
            server.settle(edit_timeout)
        for number in range(1, repeats + 1):
            before = server.text().count(REBUILT)
            text = article.read_text("utf-8") + SENTENCE.format(n=number)
            begin = time.perf_counter()
            write_atomic(article, text)
            server.wait_for_rebuild(before, edit_timeout)
            result.article.append(time.perf_counter() - begin)
            server.settle(edit_timeout)
    finally:
        server.stop()
        result.peak_mib = server.peak_mib
    return result
