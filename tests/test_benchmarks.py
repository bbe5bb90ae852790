"""The benchmark kit: the corpus generator repeats itself byte for byte, the benchmark
script runs end to end, and blocked grouping equals grouping without blocks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.extract.masthead import read_article
from generator.group import clusters as grouping
from generator.group.clusters import Item, affinity, compatible
from generator.group.near_duplicates import find_near_copies, find_near_duplicates
from generator.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import write_corpus  # noqa: E402


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    write_corpus(tmp_path / "one", 60, seed=3)
    write_corpus(tmp_path / "two", 60, seed=3)
    write_corpus(tmp_path / "three", 60, seed=4)
    assert len(contents(tmp_path / "one")) == 60
    assert contents(tmp_path / "one") == contents(tmp_path / "two")
    assert contents(tmp_path / "one") != contents(tmp_path / "three")


def test_corpus_has_copies_meetings_and_distractors(tmp_path: Path) -> None:
    write_corpus(tmp_path, 80, seed=5)
    texts = [p.read_text("utf-8") for p in sorted(tmp_path.iterdir())]
    assert any(t.startswith("Home | World") for t in texts)  # copies with site clutter
    assert any(t.startswith("Opinion") or "told reporters" in t for t in texts)
    assert len({t.split("\n")[0] for t in texts}) > 20


def test_corpus_near_duplicates_are_its_copies_and_paraphrases(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    write_corpus(tmp_path / "corpus", 400, seed=7, truth=truth)
    what = json.loads(truth.read_text("utf-8"))
    near = find_near_duplicates(
        [read_article(p) for p in sorted((tmp_path / "corpus").iterdir())])
    pairs = {(key, other.id) for key, found in near.items() for other in found}
    made = [(key, item["of"]) for key, item in what.items() if item["of"]]
    assert len(made) > 100 and all(pair in pairs for pair in made)
    assert {item["kind"] for item in what.values()} == {"report", "copy", "paraphrase",
                                                         "distractor"}
    apart = [(a, b) for a, b in pairs if what[a]["meeting"] != what[b]["meeting"]
             or what[a]["meeting"] is None]
    assert len(apart) <= 4  # reports of different meetings are worded differently


def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out, work = tmp_path / "results", tmp_path / "work"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "30",
                           "--preview-repeats", "1", "--out", str(out), "--work", str(work)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    rows = json.loads((out / "results.json").read_text("utf-8"))
    assert [r["stage"] for r in rows] == ["ingest", "reingest", "reingest-one", "render",
                                          "mkdocs", "site", "site-again", "blog",
                                          "preview-record",
                                          "preview-article"]
    assert all(r["seconds"] > 0 and r["peak_mib"] > 0 and r["status"] == 0 for r in rows)
    # CPU time for each stage timed in its own process (its workers' included), none for the
    # preview's edits (timed in a server); a stage's process cannot use more than the cores
    cores = os.cpu_count() or 1
    assert all(0 < r["cpu_seconds"] <= r["seconds"] * cores for r in rows[:-2])
    assert not any("cpu_seconds" in r for r in rows[-2:])
    for row in rows[-2:]:  # one edit each, shown by a server that was up
        assert row["samples"] == [row["seconds"]] and row["startup_seconds"] > 0
    table = (out / "results.md").read_text("utf-8")
    assert "| 30 | ingest |" in table and "| 30 | blog |" in table
    ingest = next(r for r in rows if r["stage"] == "ingest")
    assert (f"| 30 | ingest | {ingest['seconds']:.2f} | {ingest['cpu_seconds']:.2f} | "
            f"{ingest['cpu_seconds'] / cores:.2f} |") in table
    assert "| 30 | preview-record | " in table and " | - | - | " in table
    assert "- N = 30: bare mkdocs " in table and "site-again " in table  # against bare
    bare = next(r["seconds"] for r in rows if r["stage"] == "mkdocs")
    least = ingest["cpu_seconds"] / cores + bare
    assert f"; from nothing at least {least:.1f} s (x{least / bare:.2f})" in table
    built = work / "n30" / "site-build"
    assert sorted(p.stem for p in (built / "content" / "meetings").glob("*.md")) == \
        sorted(p.stem for p in (work / "n30" / "content" / "meetings").glob("*.md"))
    assert (built / "site" / "index.html").is_file()
    assert "| 30 | preview-record |" in table and "| 30 | preview-article |" in table
    assert (out / "results.png").read_bytes().startswith(b"\x89PNG")
    meetings = sorted(p.stem for p in (work / "n30" / "content" / "meetings").glob("*.md"))
    posts = sorted(p.stem for p in (work / "n30" / "blog" / "docs" / "blog" / "posts").iterdir())
    assert posts == meetings and len(posts) > 5
    site = work / "n30" / "blog" / "site" / "blog"
    assert (site / "index.html").is_file()
    assert list((site / "category").glob("*/index.html"))
    assert list((site / "archive").glob("*/index.html"))
    # the server stopped cleanly: MkDocs removed its build folder on the way out
    assert not list((work / "n30" / "preview" / "tmp").iterdir())
    assert "Shutting down" in (work / "n30" / "preview" / "serve.log").read_text("utf-8")
    # the server's ingest named the articles as the ingest stages did (the same root): an
    # article edit re-extracted that article, not every one
    for record in (work / "n30" / "content" / "articles").glob("*.md"):
        assert "\nsource_file: corpus/" in record.read_text("utf-8"), record


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the project's git history")
def test_compare_times_each_revision_in_alternating_rounds(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 12, 5)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "compare.py"),
                           "--corpus", str(tmp_path / "corpus"), "--rounds", "2",
                           "HEAD", "HEAD~1"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    runs = [line.split(":")[0] for line in lines if line.startswith("round ")]
    assert runs == ["round 1 HEAD", "round 1 HEAD~1", "round 2 HEAD", "round 2 HEAD~1"]
    assert all(" articles, " in line for line in lines[:4])
    assert [line.split(":")[0] for line in lines[4:]] == ["HEAD", "HEAD~1"]
    assert all(line.endswith(" s of 2") for line in lines[4:])


def naive_cluster(items: Sequence[Item], groups: dict[str, str],
                  places: grouping.Gazetteer) -> list[list[Item]]:
    """Grouping as it was before blocking by day and by kind of report: every cluster
    sharing a person, every member of it (``groups``: clusters of near copies)."""
    ordered = sorted(items, key=lambda i: (i.facts.secondary, grouping.date_rank(i.facts),
                                           i.article))
    clusters: list[list[Item]] = []
    by_person: dict[str, list[int]] = {}
    for item in ordered:
        group = groups.get(item.article, item.article)

        def same(other: Item) -> bool:
            return groups.get(other.article, other.article) == group  # noqa: B023

        options = sorted({c for n in item.names for c in by_person.get(n, [])})
        fits = [c for c in options if all(compatible(item, o, places, same(o))
                                          for o in clusters[c])]
        if fits:
            best = max(fits, key=lambda c: (
                *affinity(item, [(o, 1) for o in clusters[c]], group,
                          [groups.get(o.article, o.article) for o in clusters[c]], places), -c))
            clusters[best].append(item)
        else:
            clusters.append([item])
            best = len(clusters) - 1
        for name in item.names:
            by_person.setdefault(name, []).append(best)
    return clusters


def test_blocked_grouping_equals_unblocked(tmp_path: Path) -> None:
    write_corpus(tmp_path, 150, seed=11)
    kb = load_knowledge(None)
    from generator.extract.article import extract_facts

    facts = [extract_facts(read_article(p), kb) for p in sorted(tmp_path.iterdir())]
    near = find_near_copies([f.article for f in facts])
    groups = {key: found.cluster.id for key, found in near.items() if found.cluster}
    canon = grouping.canonical_names(facts)
    items = [grouping.item_of(f.article.id, m, canon) for f in facts for m in f.meetings]
    blocked = grouping.cluster(items, groups, kb.places)
    assert len(blocked) > 20
    assert [[i.article for i in c] for c in blocked] == \
        [[i.article for i in c] for c in naive_cluster(items, groups, kb.places)]
