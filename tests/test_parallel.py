"""Ingest in a process pool gives the same records, byte for byte, as ingest in one process;
grouping and near-duplicate detection give the same results with precomputed sketches."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.extract import batch as intake
from generator.extract.masthead import read_article
from generator.group.near_duplicates import find_near_duplicates
from generator.ingest.inputs import scan_seeds
from generator.ingest.shingles import sketch
from generator.knowledge import load_knowledge
from generator.knowledge.settings import Limits
from generator.support.cache import ExtractCache

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import write_corpus  # noqa: E402

EVAL = ROOT / "tests" / "data" / "eval"


def tree(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes() for p in sorted(content.rglob("*"))
            if p.is_file() and p.name not in (".lock", "inputs.json", "article-digests.json")}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    folder = tmp_path / "articles"
    write_corpus(folder, 40, seed=7)
    for article in sorted((EVAL / "tune" / "articles").glob("*.txt"))[:6]:
        shutil.copy(article, folder / article.name)
    return folder


def test_parallel_and_serial_records_are_identical(corpus: Path, tmp_path: Path) -> None:
    serial = pipeline.ingest(corpus, tmp_path / "serial", tmp_path, workers=1)
    parallel = pipeline.ingest(corpus, tmp_path / "parallel", tmp_path, workers=2)
    assert (serial.articles, serial.meetings) == (parallel.articles, parallel.meetings)
    assert serial.articles == 46
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")


def test_read_source_matches_read_article(tmp_path: Path) -> None:
    files = sorted((EVAL / "tune" / "articles").glob("*.txt")) + \
        sorted((ROOT / "seeds").glob("*.txt"))
    kb = load_knowledge(None)
    for path in files:
        expected = read_article(path, ROOT)
        got = intake.read_source(path.read_bytes(), path, expected.source_file, kb)
        assert got == expected, path.name


def test_process_files_reports_unreadable_and_taken_ids(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0],
                folder / "a.txt")
    shutil.copy(folder / "a.txt", folder / "a.md")
    (folder / "b.txt").write_bytes(b"")
    files, _ = scan_seeds(folder, tmp_path)
    kb = pipeline.load_knowledge(None)
    found = intake.process_files(files, tmp_path, Limits(), kb,
                                 intake.ExtractCache(None, "x"), None, 1)
    messages = sorted(str(p) for p in found.problems)
    assert [f.article.id for f in found.facts] == ["a"]
    assert any('article id "a" is already taken' in m for m in messages)
    assert any(m.startswith("seeds/b.txt: empty file") for m in messages)


def test_precomputed_sketches_give_the_same_duplicates(corpus: Path) -> None:
    articles = [read_article(p) for p in sorted(corpus.glob("*.txt"))]
    plain = find_near_duplicates(articles)
    assert any(plain.values())
    assert find_near_duplicates(articles, {a.id: sketch(a) for a in articles}) == plain


def test_workers_write_the_cache_packs_and_a_second_run_extracts_nothing(
        corpus: Path, tmp_path: Path) -> None:
    files, _ = scan_seeds(corpus, tmp_path)
    kb = pipeline.load_knowledge(None)
    first = ExtractCache(tmp_path / "cache", "v")
    found = intake.process_files(files, tmp_path, Limits(), kb, first, None, 2)
    assert found.extracted == len(files) == 46 and first.pending == {}
    packs = first.packs()
    assert len(packs) == 3  # one per group of 16 articles, each written by a worker
    assert all(not p.name.startswith(f"{os.getpid()}-") for p in packs)
    written = [key for pack in packs for key in pickle.loads(pack.read_bytes())]
    assert len(written) == len(set(written)) == 46  # every entry once
    second = ExtractCache(tmp_path / "cache", "v")
    again = intake.process_files(files, tmp_path, Limits(), kb, second, None, 2)
    assert again.extracted == 0 and (second.hits, second.misses) == (46, 0)
    assert second.packs() == packs  # nothing written again
    assert (again.facts, again.sketches) == (found.facts, found.sketches)


def test_spawned_workers_beside_other_threads_write_the_packs_too(
        corpus: Path, tmp_path: Path) -> None:
    import threading

    files, _ = scan_seeds(corpus, tmp_path)
    kb = pipeline.load_knowledge(None)
    serial = intake.process_files(files, tmp_path, Limits(), kb, ExtractCache(None, "v"),
                                  None, 1)
    cache = ExtractCache(tmp_path / "cache", "v")
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # as under ``mkdocs serve``: spawn
    other.start()
    try:
        found = intake.process_files(files, tmp_path, Limits(), kb, cache, None, 2)
    finally:
        release.set()
        other.join()
    assert (found.facts, found.problems) == (serial.facts, serial.problems)
    assert cache.packs() and all(not p.name.startswith(f"{os.getpid()}-")
                                 for p in cache.packs())


def _die_while_starting(*args: object) -> None:
    os._exit(3)  # at module level: a spawned worker finds it too


def test_a_broken_pool_falls_back_to_this_process_which_writes_the_pack(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, _ = scan_seeds(corpus, tmp_path)
    kb = pipeline.load_knowledge(None)
    monkeypatch.setattr(intake, "_start_worker", _die_while_starting)
    cache = ExtractCache(tmp_path / "cache", "v")
    found = intake.process_files(files, tmp_path, Limits(), kb, cache, None, 2)
    assert found.extracted == len(found.facts) == 46
    assert [p.name.split("-")[0] for p in cache.packs()] == [str(os.getpid())]
    assert len(pickle.loads(cache.packs()[0].read_bytes())) == 46
