"""Two ingests into one content folder never run at once: the second waits for the lock
(``<content>/.lock``, ``flock``) and, after its timeout, exits 1 saying who holds it."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.knowledge import load_knowledge
from generator.records.store import check_content

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Path(__file__).parent / "data" / "bad_twins" / "lf.txt"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copyfile(ARTICLE, tmp_path / "seeds" / "article.txt")
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hold(lock: Path, pid: int) -> int:
    handle = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)
    os.ftruncate(handle, 0)
    os.write(handle, f"{pid}\n".encode())
    return handle


@pytest.fixture()
def held(project: Path) -> Iterator[int]:
    handle = hold(project / "content" / ".lock", 4242)
    yield handle
    os.close(handle)


def ingest(*extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["ingest", "--seeds", "seeds", "--content", "content",
                                      *extra])
    return result.exit_code, result.stdout, result.stderr


def test_second_ingest_gives_up_after_its_wait_and_names_the_holder(held: int) -> None:
    start = time.monotonic()
    code, out, err = ingest("--wait", "0.3")
    assert (code, out, err) == (1, "", "content: another ingest is running "
                                       "(lock held by pid 4242)\n")
    assert 0.3 <= time.monotonic() - start < 5


def test_wait_can_come_from_the_settings(held: int, project: Path) -> None:
    (project / "content" / "data").mkdir()
    (project / "content" / "data" / "settings.yaml").write_text("limits:\n  lock_seconds: 0.1\n")
    code, _, err = ingest()
    assert (code, err) == (1, "content: another ingest is running (lock held by pid 4242)\n")


def test_second_ingest_waits_for_the_first_to_finish(held: int, project: Path) -> None:
    threading.Timer(0.5, fcntl.flock, [held, fcntl.LOCK_UN]).start()
    code, out, err = ingest("--wait", "20")
    assert (code, err) == (0, "")
    assert out == "1 articles, 1 meetings (written) in content; 0 skipped\n"
    assert (project / "content" / ".lock").read_text() == f"{os.getpid()}\n"


def test_lock_of_a_killed_process_is_released(project: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        "h = os.open('content/.lock', os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(h, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    assert ingest("--wait", "0")[0] == 1
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert ingest("--wait", "0")[0] == 0


def test_two_ingests_at_once_are_serialized(project: Path) -> None:
    for index in range(20):
        shutil.copyfile(ARTICLE, project / "seeds" / f"copy_{index:02}.txt")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "ingest", "--seeds", "seeds",
               "--content", "content", "--force", "--wait", "120"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert [out for out, _ in results] == ["21 articles, 1 meetings (written) in content; "
                                           "0 skipped\n"] * 2
    assert check_content(project / "content", load_knowledge().taxonomy.ids) == ()
    assert not list((project / "content").rglob("*.tmp"))


def test_lock_file_that_is_a_link_is_refused(project: Path) -> None:
    target = project / "elsewhere.txt"
    target.write_text("keep\n")
    (project / "content" / ".lock").symlink_to(target)
    code, out, err = ingest("--wait", "0")
    assert (code, out, err) == (1, "", "content: .lock is a symbolic link; refusing to follow "
                                       "it (remove it and run again)\n")
    assert target.read_text() == "keep\n"


def test_lock_file_is_kept_and_not_rewritten_by_the_same_process(project: Path) -> None:
    assert ingest("--wait", "0")[0] == 0
    lock = project / "content" / ".lock"
    before = lock.stat()
    assert ingest("--wait", "0", "--force")[0] == 0
    after = lock.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert lock.read_text() == f"{os.getpid()}\n"
