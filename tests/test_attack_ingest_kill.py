"""An ingest killed with SIGKILL while its workers extract (what the OOM killer does) takes
its workers with it and leaves the content lock free: the next ingest starts at once and
gives the records an uninterrupted run gives.

The corpus is large enough that extraction takes seconds in a pool of two workers; each
run is killed at a seeded random moment once its workers have started.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 400
KILLS = 10
CITIES = ("Canberra", "Tokyo", "Paris", "Berlin", "Ottawa", "Seoul", "Manila", "Jakarta")


def write_seeds(seeds: Path) -> None:
    seeds.mkdir(parents=True)
    for index in range(ARTICLES):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=index % 300)
        city = CITIES[index % len(CITIES)]
        (seeds / f"a{index:03}.txt").write_text(
            f"Ministers hold talks in {city}, round {index}\n"
            f"{city.upper()}, {day:%B} {day.day}, {day.year} (Reuters) - Japanese Foreign "
            f"Minister Yoko Kamikawa met Australian Foreign Minister Penny Wong in {city} on "
            f"{day:%A}, and the two discussed trade.\n"
            f"“We share a vision number {index}.” Wong told reporters.\n", "utf-8")


def ingest(project: Path, *extra: str, output: int = subprocess.PIPE
           ) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFING_CACHE": "off"}
    return subprocess.Popen([sys.executable, "-m", "generator", "ingest", "--seeds", "seeds",
                             "--content", "content", *extra], cwd=project, env=env,
                            stdout=output, stderr=output)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


def holds_open(pid: int, target: Path) -> bool:
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return str(target) in links


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def snapshot(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes()
            for p in sorted(content.glob("*/*.md"))}


def kill_during_extraction(project: Path, delay: float) -> list[int]:
    """Start an ingest, wait for its worker processes, wait ``delay`` more seconds, SIGKILL
    the ingest alone; returns the workers' pids (checked: none holds the content lock)."""
    # no pipes: a worker left alive would keep them open
    process = ingest(project, "--force", "--wait", "0", output=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(workers := children(process.pid)) < 2:
        assert process.poll() is None, "ended before its workers started"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(delay)
    lock = project / "content" / ".lock"
    assert not [pid for pid in workers if holds_open(pid, lock)]
    assert process.poll() is None, "ended before it was killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    return workers


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux /proc and two cores")
def test_killed_ingest_takes_its_workers_along_and_frees_the_lock(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    write_seeds(reference / "seeds")
    began = time.monotonic()
    done = ingest(reference)
    assert done.wait() == 0, done.communicate()
    window = min(1.0, (time.monotonic() - began) / 3)  # well inside the extraction
    expected = snapshot(reference / "content")
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    shutil.copytree(reference / "seeds", project / "seeds")
    chance = random.Random(20)
    for _ in range(KILLS):
        workers = kill_during_extraction(project, chance.uniform(0, window))
        deadline = time.monotonic() + 5
        while [pid for pid in workers if alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.05)
        survivors = [pid for pid in workers if alive(pid)]
        for pid in survivors:  # leave nothing running, then fail
            os.kill(pid, signal.SIGKILL)
        assert survivors == []
    start = time.monotonic()
    last = ingest(project, "--wait", "0")
    out, err = last.communicate()
    assert (last.returncode, err) == (0, b"")
    assert out.startswith(f"{ARTICLES} articles".encode())
    assert time.monotonic() - start < 60
    assert snapshot(project / "content") == expected
    assert not list((project / "content").rglob("*.tmp"))
