"""Time each stage of the pipeline on synthetic corpora of growing size.

For each size N: write a corpus (``make_corpus.py``), then run each stage in its own
process, timing its wall clock and reading its peak memory (``ru_maxrss``):

- ``ingest``: ingest into an empty content folder with an empty extraction cache;
- ``reingest``: ingest again, nothing changed;
- ``reingest-one``: ingest again after one article changed;
- ``render``: render the records to Markdown pages (``pipeline.render``) and write them;
- ``mkdocs``: ``mkdocs build`` of those pages with the Material theme (only for
  N <= ``--mkdocs-max``: a build of the unpruned site grows with N squared).

Writes ``results.json``, ``results.md`` (a table) and ``results.png`` (time against N
for each stage, log-log) into ``--out``.

Usage: ``python benchmarks/run.py [--sizes 100,1000,10000] [--stages ...] [--out DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

STAGES = ("ingest", "reingest", "reingest-one", "render", "mkdocs")
MKDOCS_YML = """site_name: Benchmark
docs_dir: {docs}
site_dir: {site}
theme:
  name: material
  features: [navigation.prune]
"""


def child(stage: str, work: Path) -> None:
    """Run one stage in this process (the parent times it)."""
    from generator import pipeline
    from generator.render import write_pages

    corpus, content = work / "corpus", work / "content"
    if stage in ("ingest", "reingest", "reingest-one"):
        pipeline.ingest(corpus, content, work)
    elif stage == "render":
        result = pipeline.render(content, ROOT / "templates", root=work)
        write_pages(result.pages, work / "docs")
    elif stage == "mkdocs":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        (work / "mkdocs.yml").write_text(MKDOCS_YML.format(docs=work / "docs",
                                                           site=work / "site"), "utf-8")
        build(load_config(str(work / "mkdocs.yml")))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the ingest pool's
    print(json.dumps({"children_maxrss_kib": workers}))


def touch_one(corpus: Path) -> None:
    """Change one article: a sentence added at its end."""
    first = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    with first.open("a", encoding="utf-8") as handle:
        handle.write("\nOfficials said further talks would follow in due course.\n")


def timed(stage: str, work: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak resident MiB, exit status) of one stage in a child process."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child",
                                stage, "--work", str(work)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output, errors = process.stdout.read() if process.stdout else b"", b""
    if process.stderr is not None:
        errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    lines = [line for line in output.decode("utf-8", "replace").splitlines()
             if line.startswith("{")]
    workers = json.loads(lines[-1])["children_maxrss_kib"] if lines else 0
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.stderr.write(errors.decode("utf-8", "replace")[-2000:])
    # ru_maxrss is in KiB: the largest of the stage's process and its workers
    return seconds, max(usage.ru_maxrss, workers) / 1024, process.returncode


def run_size(size: int, stages: list[str], base: Path, seed: int,
             mkdocs_max: int) -> list[dict[str, object]]:
    """Every chosen stage on a corpus of ``size`` articles."""
    from make_corpus import write_corpus

    work = base / f"n{size}"
    shutil.rmtree(work, ignore_errors=True)
    write_corpus(work / "corpus", size, seed)
    env = {**os.environ, "BRIEFING_CACHE": str(work / "cache"), "CI": "true"}
    rows: list[dict[str, object]] = []
    for stage in STAGES:
        if stage not in stages or (stage == "mkdocs" and size > mkdocs_max):
            continue
        if stage == "reingest-one":
            touch_one(work / "corpus")
        seconds, mib, status = timed(stage, work, env)
        rows.append({"n": size, "stage": stage, "seconds": round(seconds, 3),
                     "peak_mib": round(mib, 1), "status": status})
        print(f"N={size:>6} {stage:<13} {seconds:8.2f} s {mib:8.1f} MiB"
              + ("" if status == 0 else f" (exit {status})"), flush=True)
    return rows


def write_table(rows: list[dict[str, object]], out: Path) -> None:
    """``results.md``: one row per stage and size."""
    lines = ["# Benchmark results", "",
             f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Each stage runs in its own process; peak MiB is the largest maximum resident "
             "set of that process and of its worker processes.", "",
             "| N articles | stage | seconds | peak MiB | exit |",
             "| ---: | --- | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| {row['n']:,} | {row['stage']} | {row['seconds']:.2f} | "
                     f"{row['peak_mib']:.0f} | {row['status']} |")
    growth = _growth(rows)
    if growth:
        lines += ["", "Growth from the second-largest to the largest size:", ""]
        lines += [f"- {stage}: x{factor:.1f}" for stage, factor in sorted(growth.items())]
    (out / "results.md").write_text("\n".join(lines) + "\n", "utf-8")


def _growth(rows: list[dict[str, object]]) -> dict[str, float]:
    sizes = sorted({int(str(r["n"])) for r in rows})
    if len(sizes) < 2:
        return {}
    time_of = {(r["n"], r["stage"]): float(str(r["seconds"])) for r in rows}
    return {str(stage): time_of[(sizes[-1], stage)] / time_of[(sizes[-2], stage)]
            for stage in STAGES if (sizes[-1], stage) in time_of and (sizes[-2], stage) in
            time_of and time_of[(sizes[-2], stage)] > 0}


def write_plot(rows: list[dict[str, object]], out: Path) -> None:
    """``results.png``: seconds against N for each stage, both axes logarithmic."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4.5), dpi=100)
    for stage in STAGES:
        points = sorted((int(str(r["n"])), float(str(r["seconds"]))) for r in rows
                        if r["stage"] == stage)
        if points:
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=stage)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("articles (N)")
    axes.set_ylabel("wall seconds")
    axes.set_title("Briefing pipeline: time per stage")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(out / "results.png", metadata={"Software": None})
    pyplot.close(figure)


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated N")
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated stages")
    parser.add_argument("--mkdocs-max", type=int, default=1000,
                        help="largest N for the mkdocs stage")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--work", type=Path, default=None,
                        help="scratch folder (default: a temporary one, removed after)")
    parser.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.work)
        return 0
    stages = [s for s in args.stages.split(",") if s]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        parser.error(f"unknown stages: {', '.join(unknown)}")
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    base = args.work or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        rows = [row for size in sizes
                for row in run_size(size, stages, base, args.seed, args.mkdocs_max)]
    finally:
        if args.work is None:
            shutil.rmtree(base, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(rows, indent=1) + "\n", "utf-8")
    write_table(rows, args.out)
    write_plot(rows, args.out)
    return 1 if any(r["status"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
