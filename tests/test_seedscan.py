"""The fingerprint of ingest's inputs: article files whose inode, size and times are
unchanged since their digest was taken are not read again, and no change goes unseen."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import names_read

from generator import pipeline
from generator.ingest import inputs as seedscan
from generator.ingest.run import DIGESTS_FILE

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LATER = 10 * seedscan.SETTLED_NS  # digests taken this long after the files were written


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "content").mkdir()
    return tmp_path / "seeds"


def take(seeds: Path, known: seedscan.FileDigests | None = None,
         known_ns: int = 0) -> seedscan.Inputs:
    files, skipped = seedscan.scan_seeds(seeds)
    return seedscan.take_inputs("code", files, skipped, seeds.parent / "content",
                                known, known_ns, root=seeds.parent)


def test_settled_unchanged_files_are_not_read_and_give_the_same_fingerprint(
        seeds: Path) -> None:
    first = take(seeds)
    assert first.hashed == 5 and sorted(first.digests) == sorted(f"seeds/{p.name}" for p in
                                                                 seeds.glob("*.txt"))
    again = take(seeds, first.digests, first.taken_ns + LATER)
    assert again.hashed == 0
    assert again.fingerprint == first.fingerprint
    files, skipped = seedscan.scan_seeds(seeds)
    assert seedscan.fingerprint("code", files, skipped, seeds.parent / "content",
                                seeds.parent) == first.fingerprint


def test_a_rewritten_file_is_read_again_even_with_the_same_size_and_mtime(
        seeds: Path) -> None:
    first = take(seeds)
    article = sorted(seeds.glob("*.txt"))[2]
    before = article.stat()
    raw = article.read_bytes()
    article.write_bytes(raw[:-1] + (b"X" if raw[-1:] != b"X" else b"Y"))
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back
    again = take(seeds, first.digests, first.taken_ns + LATER)
    assert again.hashed == 1
    assert again.fingerprint != first.fingerprint


def test_files_changed_just_before_the_digests_were_taken_are_read_again(
        seeds: Path) -> None:
    """Within one tick of a coarse clock a file may change without its times changing:
    a digest taken then is not trusted."""
    first = take(seeds)
    again = take(seeds, first.digests, first.taken_ns)
    assert again.hashed == 5
    assert again.fingerprint == first.fingerprint


def test_a_wrong_digest_under_unchanged_times_would_change_the_fingerprint(
        seeds: Path) -> None:
    """The digests kept are what the fingerprint is made of (so this test can fail)."""
    first = take(seeds)
    name = sorted(first.digests)[0]
    forged = {**first.digests, name: [*first.digests[name][:4], "0" * 64]}
    assert take(seeds, forged, first.taken_ns + LATER).fingerprint != first.fingerprint


def test_a_second_ingest_with_nothing_changed_reads_no_article(
        seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = seeds.parent / "content"
    pipeline.ingest(seeds, content, seeds.parent, workers=1)
    kept = json.loads((content / DIGESTS_FILE).read_text("utf-8"))
    kept["taken_ns"] = time.time_ns() + LATER  # as if taken well after the files were written
    (content / DIGESTS_FILE).write_text(json.dumps(kept), "utf-8")
    read = names_read(monkeypatch, Path, "read_bytes")
    assert pipeline.ingest(seeds, content, seeds.parent, workers=1).up_to_date
    assert not set(read) & {p.name for p in seeds.iterdir()}


def test_an_edited_article_is_ingested_again(seeds: Path) -> None:
    content = seeds.parent / "content"
    pipeline.ingest(seeds, content, seeds.parent, workers=1)
    article = sorted(seeds.glob("*.txt"))[0]
    article.write_text(article.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    assert not pipeline.ingest(seeds, content, seeds.parent, workers=1).up_to_date


@pytest.mark.parametrize("kept", ["", "{", '{"files": [], "taken_ns": 1}',
                                  '{"files": {"a.txt": 3}, "taken_ns": "x"}', "[]"])
def test_unreadable_digests_are_ignored(seeds: Path, kept: str) -> None:
    content = seeds.parent / "content"
    pipeline.ingest(seeds, content, seeds.parent, workers=1)
    (content / DIGESTS_FILE).write_text(kept, "utf-8")
    assert pipeline.ingest(seeds, content, seeds.parent, workers=1).up_to_date
    again = json.loads((content / DIGESTS_FILE).read_text("utf-8"))
    assert sorted(again["files"]) == sorted(f"seeds/{p.name}" for p in seeds.glob("*.txt"))


def test_the_same_files_seen_from_another_root_are_ingested_again(seeds: Path) -> None:
    """Records name article files relative to the root: another root makes other records,
    so ingest must not take the files as unchanged."""
    content = seeds.parent / "content"
    pipeline.ingest(seeds, content, seeds.parent, workers=1)
    record = sorted((content / "articles").glob("*.md"))[0]
    assert "source_file: seeds/" in record.read_text("utf-8")
    assert pipeline.ingest(seeds, content, seeds.parent, workers=1).up_to_date
    assert not pipeline.ingest(seeds, content, seeds, workers=1).up_to_date
    assert "source_file: seeds/" not in record.read_text("utf-8")
    assert pipeline.ingest(seeds, content, seeds, workers=1).up_to_date
