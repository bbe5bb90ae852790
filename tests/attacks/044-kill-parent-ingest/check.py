"""kill -9 the parent ingest while the forked processes that write its records run (450
distinct articles: more than the records it takes to write them in a pool): the workers must
not keep content/.lock, so the next ingest gets it."""

import contextlib
import os
import random
import signal
import time
from pathlib import Path

from attackkit import run_briefing, start_briefing

ARTICLES = 450
WORDS = ("talks", "minister", "cooperation", "region", "security", "trade", "climate", "energy",
         "summit", "treaty", "delegation", "economy", "ports", "fisheries", "science", "culture",
         "students", "visas", "railway", "grain", "shipping", "satellites", "vaccines",
         "forests", "water")
CITIES = ("Osaka", "Lima", "Oslo", "Accra", "Hanoi", "Quito", "Riga", "Doha", "Dakar", "Perth")


def prepare(project: Path) -> None:
    chance = random.Random(20)
    for index in range(ARTICLES):
        city = CITIES[index % len(CITIES)]
        words = " ".join(chance.choice(WORDS) for _ in range(120))
        (project / "seeds" / f"a{index:03d}.txt").write_text(
            f"Delegates meet in {city} (report {index})\n{city.upper()}, March {1 + index % 28}"
            f" (Example Wire) - Officials met in {city} on Monday to discuss {words}.\n"
            f"Report {index}: {words[::-1]}.\n", "utf-8")


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def check(project: Path) -> None:
    run = start_briefing(project, "ingest", "--seeds", "seeds", "--content", "content")
    first: set[int] = set()
    later: set[int] = set()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and run.poll() is None and not later:
        now = children(run.pid)
        if now and first and not now & first:
            later = now  # a second pool, after the extraction's: the one that writes records
        else:
            first |= now
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert later or first, "the ingest ended before it started any worker process"
    try:
        done = run_briefing(project, "ingest", "--seeds", "seeds", "--content", "content",
                            "--wait", "15", timeout=240)
    finally:
        for pid in first | later:  # the harness cleans up what the attack left behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert done.returncode == 0, f"second ingest: {done.stderr.strip()[-200:]}"
