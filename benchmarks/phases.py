"""Where an ingest spends its time, phase by phase, for each size a benchmark run left.

After ``run.py --work DIR`` (which keeps each size's corpus and extraction cache in
``DIR/n<N>/``), this times, in one process per size:

- ``read+extract (cached)``: reading every article and taking its facts from the cache
  (one process, so that the phases below are not hidden behind a pool);
- ``near duplicates``: ``find_near_duplicates`` over all articles (exact counts: an inverted
  index of rare shingles, a bounding product for frequent ones; see
  ``generator/group/near_duplicates.py``);
- ``grouping``: the rest of ``group_articles`` (blocking by person and date window);
- ``save``: ``records.save_ingest`` into an empty content folder.

Each phase runs with the garbage collector paused, as an ingest runs it.

Writes ``phases.md`` (a table) and ``phases.png`` (seconds against N, log-log) into
``--out``. Usage: ``python benchmarks/phases.py --work DIR [--out DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT)]

PHASES = ("read+extract (cached)", "near duplicates", "grouping", "save")


def child(work: Path) -> dict[str, float]:
    """Time each phase of an ingest of ``work/corpus`` (its cache already filled)."""
    from generator.support.cache import collector_paused

    scratch = Path(tempfile.mkdtemp(prefix="phases-"))
    try:
        with collector_paused():  # as an ingest runs them (see generator.pipeline)
            return _phases(work, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _phases(work: Path, scratch: Path) -> dict[str, float]:
    from generator.extract import batch as intake
    from generator.group.meetings import group_articles
    from generator.group.near_duplicates import find_near_duplicates
    from generator.ingest import inputs
    from generator.knowledge import load_knowledge
    from generator.knowledge.settings import load_limits
    from generator.records import store as records
    from generator.support.cache import ExtractCache, cache_root, package_version, version_key

    limits = load_limits(scratch)
    kb = load_knowledge(scratch)
    times: dict[str, float] = {}
    start = time.perf_counter()
    files, _ = inputs.scan_seeds(work / "corpus", work, limits.max_article_bytes)
    cache = ExtractCache(cache_root(), version_key(package_version(),
                                                   intake.data_digest(scratch)))
    found = intake.process_files(files, work, limits, kb, cache, scratch, workers=1)
    times[PHASES[0]] = time.perf_counter() - start
    start = time.perf_counter()
    find_near_duplicates([f.article for f in found.facts], found.sketches)
    times[PHASES[1]] = time.perf_counter() - start
    start = time.perf_counter()
    meetings, articles = group_articles(found.facts, kb, found.sketches)
    # group_articles finds the near duplicates again: the rest is grouping. On a small
    # corpus both are milliseconds, and the difference of two timings can fall below zero
    times[PHASES[2]] = max(0.0, time.perf_counter() - start - times[PHASES[1]])
    start = time.perf_counter()
    records.save_ingest(scratch / "content", meetings, articles)
    times[PHASES[3]] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="run.py's --work folder")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    sizes = sorted(int(p.name[1:]) for p in args.work.glob("n*") if (p / "corpus").is_dir())
    rows: dict[int, dict[str, float]] = {}
    for size in sizes:
        work = args.work / f"n{size}"
        env = {**os.environ, "BRIEFING_CACHE": str(work / "cache")}
        done = subprocess.run([sys.executable, __file__, "--work", str(args.work), "--child",
                               str(work)], env=env, capture_output=True, text=True, check=True)
        rows[size] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"N={size:>6} " + "  ".join(f"{k} {v:.2f} s" for k, v in rows[size].items()),
              flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    write(rows, args.out)
    return 0


def write(rows: dict[int, dict[str, float]], out: Path) -> None:
    """``phases.md`` and ``phases.png``."""
    lines = ["# Ingest phases", "", "Seconds in one process (extraction taken from the cache).",
             "", "| N articles | " + " | ".join(PHASES) + " |",
             "| ---: |" + " ---: |" * len(PHASES)]
    lines += [f"| {n:,} | " + " | ".join(f"{rows[n][p]:.2f}" for p in PHASES) + " |"
              for n in sorted(rows)]
    (out / "phases.md").write_text("\n".join(lines) + "\n", "utf-8")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4.5), dpi=100)
    sizes = sorted(rows)
    for phase in PHASES:
        axes.plot(sizes, [rows[n][phase] for n in sizes], marker="o", label=phase)
    axes.set(xscale="log", yscale="log", xlabel="articles", ylabel="seconds",
             title="Ingest phases against the number of articles")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(out / "phases.png", metadata={"Software": None})
    pyplot.close(figure)


if __name__ == "__main__":
    sys.exit(main())
