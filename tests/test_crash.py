"""Crashes lose nothing: a killed ingest leaves each record either as it was or as the
next ingest writes it, never partial, and a person's edits survive.

Two proofs: ``briefing ingest`` killed with SIGKILL at seeded random moments while it
writes a generated corpus, and a simulated crash at every single write of a save (each
write point in turn), followed by an ingest of newer articles that must give exactly what
an ingest without the crash gives.
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

from generator import pipeline
from generator.knowledge import load_knowledge
from generator.records import store as records
from generator.support import files

ROOT = Path(__file__).resolve().parents[1]
CITIES = ("Canberra", "Tokyo", "Paris", "Berlin", "Ottawa", "Seoul", "Manila", "Jakarta")
TOPICS = ("trade", "climate change", "North Korea", "maritime security", "energy")
CORPUS = 30
KILLS = 3
SMALL = 2  # articles in the crash-at-every-write test
NOTE = "Analyst note: keep this.\n"


def article(index: int, edition: int) -> str:
    day = dt.date(2023, 1, 1) + dt.timedelta(days=index)
    city = CITIES[index % len(CITIES)]
    return (f"Ministers hold talks in {city}, round {index}, edition {edition}\n"
            f"{city.upper()}, {day:%B} {day.day}, {day.year} (Reuters) - Japanese Foreign "
            f"Minister Yoko Kamikawa met Australian Foreign Minister Penny Wong in {city} on "
            f"{day:%A}, and the two discussed {TOPICS[(index + edition) % 5]}.\n"
            f"“We share a vision number {index * 7 + edition},” Wong told reporters.\n")


def write_seeds(seeds: Path, count: int, edition: int) -> None:
    seeds.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        (seeds / f"a{index:03}.txt").write_text(article(index, edition), "utf-8")


def snapshot(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes()
            for p in sorted(content.glob("*/*.md"))}


def hand_edit(content: Path) -> Path:
    """Give the first meeting a note and a new title, as a person would."""
    record = sorted((content / "meetings").glob("*.md"))[0]
    text = record.read_text("utf-8")
    text = text.replace("\ntitle: ", "\ntitle: Edited – ", 1) + NOTE
    record.write_text(text, "utf-8")
    return record


def run_ingest(project: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "ingest", "--seeds", "seeds", "--content", "content",
         "--wait", "60"], cwd=project, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_mid_write(project: Path, delay: float) -> None:
    """Start an ingest, wait until it renames its first file into a record folder, wait
    ``delay`` more seconds, then SIGKILL it."""
    folders = [project / "content" / kind for kind in ("meetings", "articles")]
    before = [f.stat().st_mtime_ns for f in folders]
    process = run_ingest(project)
    deadline = time.monotonic() + 120
    while [f.stat().st_mtime_ns for f in folders] == before and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.0005)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes],
                                                                dict[str, bytes]]:
    """A project holding edition 0's records (one hand-edited) and edition 1's seeds, and
    the record files before and after a complete ingest of edition 1."""
    base = tmp_path_factory.mktemp("crash") / "base"
    write_seeds(base / "seeds", CORPUS, 0)
    assert run_ingest(base).wait() == 0
    hand_edit(base / "content")
    write_seeds(base / "seeds", CORPUS, 1)
    old = snapshot(base / "content")
    reference = base.parent / "reference"
    shutil.copytree(base, reference)
    assert run_ingest(reference).wait() == 0
    new = snapshot(reference / "content")
    assert old != new
    return base, old, new


@pytest.mark.parametrize("run", range(KILLS))
def test_killed_ingest_leaves_each_record_old_or_new(
        run: int, tmp_path: Path, versions: tuple[Path, dict[str, bytes], dict[str, bytes]]
) -> None:
    base, old, new = versions
    project = tmp_path / "project"
    shutil.copytree(base, project)
    kill_mid_write(project, random.Random(run).uniform(0, 0.05 * run))
    after = snapshot(project / "content")
    for name, data in after.items():
        assert data in (old.get(name), new.get(name)), name
    assert set(old) & set(new) <= set(after)  # nothing that exists in both is ever missing
    assert records.load_corpus(project / "content").problems == ()
    edited = sorted(n for n in after if n.startswith("meetings/"))[0]
    assert after[edited].endswith(NOTE.encode()) and b"title: Edited \xe2\x80\x93 " in after[edited]
    assert run_ingest(project).wait() == 0  # the next ingest finishes the job exactly
    assert snapshot(project / "content") == new
    assert not list((project / "content").rglob("*.tmp"))


class Crash(BaseException):
    """Stands for the process dying at a write."""


def test_crash_at_every_write_then_newer_articles_give_the_clean_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = tmp_path / "start"
    write_seeds(start / "seeds", SMALL, 0)
    pipeline.ingest(start / "seeds", start / "content", start)
    hand_edit(start / "content")
    clean = tmp_path / "clean"
    shutil.copytree(start, clean)
    write_seeds(clean / "seeds", SMALL, 2)
    pipeline.ingest(clean / "seeds", clean / "content", clean)
    expected = snapshot(clean / "content")
    real_rename = files._rename
    point = 0
    while True:
        project = tmp_path / f"crash{point}"
        shutil.copytree(start, project)
        write_seeds(project / "seeds", SMALL, 1)
        calls = 0

        def crash_at(limit: int = point) -> None:
            nonlocal calls
            calls += 1
            if calls > limit:
                raise Crash

        def crashing_rename(source: Path, target: Path) -> None:
            crash_at()
            real_rename(source, target)

        monkeypatch.setattr(files, "_rename", crashing_rename)
        try:
            pipeline.ingest(project / "seeds", project / "content", project, force=True)
        except Crash:
            pass
        else:
            break  # every write point has been crashed at
        finally:
            monkeypatch.setattr(files, "_rename", real_rename)
        write_seeds(project / "seeds", SMALL, 2)
        report = pipeline.ingest(project / "seeds", project / "content", project)
        assert snapshot(project / "content") == expected, f"crash at write {point}"
        assert report.save is not None and not report.save.problems
        assert records.check_content(project / "content", load_knowledge().taxonomy.ids) == ()
        point += 1
    # the states, each record file written (SMALL articles and their meetings), the inputs
    assert point >= 1 + SMALL + 1 + 1
