"""Time each stage of the pipeline on synthetic corpora of growing size.

For each size N: write a corpus (``make_corpus.py``), then run each stage in its own
process, timing its wall clock and reading its peak memory (``ru_maxrss``) and the CPU
time it and its worker processes used (user and system): that CPU time over the machine's
cores is the least wall time any schedule of the same work could take here.

- ``ingest``: ingest into an empty content folder with an empty extraction cache;
- ``reingest``: ingest again, nothing changed;
- ``reingest-one``: ingest again after one article changed;
- ``render``: render the records to Markdown pages (``pipeline.render``) and write them;
- ``mkdocs``: a bare ``mkdocs build`` of those pages with the project's own settings
  (Material, its nav and ``not_in_nav``, Markdown extensions, assets) and no briefing
  plugin (only for N <= ``--mkdocs-max``);
- ``site``: what ``make site`` does from nothing: ``mkdocs build`` of the project's
  settings with the briefing plugin, into an empty content folder with an empty extraction
  cache (ingest, render, build and the site check); compare with ``mkdocs``;
- ``site-again``: ``site`` once more, nothing changed (ingest finds nothing to do);
- ``blog``: the nearest peer, ``mkdocs build`` of the same meetings as Material blog posts
  (``blog.py``; only for N <= ``--mkdocs-max``);
- ``preview``: ``mkdocs serve --dirty`` of the site, seconds from saving an edited record
  until its page shows the edit (row ``preview-record``) and from saving an edited article
  until the rebuild is done (row ``preview-article``), the median of ``--preview-repeats``
  edits each (``preview.py``; only for N <= ``--mkdocs-max``).

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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

BUILDS = ("ingest", "reingest", "reingest-one", "render", "mkdocs", "site", "site-again",
          "blog")  # timed processes
STAGES = (*BUILDS, "preview")  # what --stages chooses from
ROWS = (*BUILDS, "preview-record", "preview-article")  # the rows of the table, in order
SITE_STAGES = ("mkdocs", "site", "site-again", "blog", "preview")  # N <= --mkdocs-max


def child(stage: str, work: Path) -> None:
    """Run one stage in this process (the parent times it)."""
    from generator import pipeline
    from generator.site.pages import write_pages

    corpus, content = work / "corpus", work / "content"
    if stage in ("ingest", "reingest", "reingest-one"):
        pipeline.ingest(corpus, content, work)
    elif stage == "render":
        result = pipeline.render(content, ROOT / "templates", root=work)
        write_pages(result.pages, work / "docs")
    elif stage == "mkdocs":
        mkdocs_build(work / "mkdocs.yml")
    elif stage in ("site", "site-again"):
        mkdocs_build(work / "site-build" / "mkdocs.yml")
    elif stage == "blog":
        mkdocs_build(work / "blog" / "mkdocs.yml")
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the ingest pool's
    print(json.dumps({"children_maxrss_kib": workers}))


def write_bare_config(work: Path) -> Path:
    """``work/mkdocs.yml``: the project's own settings (theme, nav, ``not_in_nav``, Markdown
    extensions, assets) without the briefing plugin, on the rendered pages in ``work/docs``:
    the bare build that ``site`` is compared with."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config.update(docs_dir=str(work / "docs"), site_dir=str(work / "site"))
    config["plugins"] = [p for p in config.get("plugins") or []
                         if not (isinstance(p, dict) and "briefing" in p) and p != "briefing"]
    shutil.copytree(ROOT / "docs" / "assets", work / "docs" / "assets", dirs_exist_ok=True)
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return work / "mkdocs.yml"


def mkdocs_build(config_file: Path) -> None:
    """What ``mkdocs build`` does: load the settings, start the plugins, build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def touch_one(corpus: Path) -> None:
    """Change one article: a sentence added at its end."""
    first = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    with first.open("a", encoding="utf-8") as handle:
        handle.write("\nOfficials said further talks would follow in due course.\n")


def timed(stage: str, work: Path, env: dict[str, str]) -> tuple[float, float, int, float]:
    """(wall seconds, peak resident MiB, exit status, CPU seconds) of one stage in a child
    process; the CPU seconds are the child's and those of every process it waited for (its
    workers), user and system time."""
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
    cpu = usage.ru_utime + usage.ru_stime  # wait4 counts the child's waited-for children
    return seconds, max(usage.ru_maxrss, workers) / 1024, process.returncode, cpu


def run_size(size: int, stages: list[str], base: Path, seed: int, mkdocs_max: int,
             repeats: int = 3) -> list[dict[str, object]]:
    """Every chosen stage on a corpus of ``size`` articles."""
    from make_corpus import write_corpus

    work = base / f"n{size}"
    shutil.rmtree(work, ignore_errors=True)
    write_corpus(work / "corpus", size, seed)
    env = {**os.environ, "BRIEFING_CACHE": str(work / "cache"), "CI": "true",
           "NO_MKDOCS_2_WARNING": "1"}
    rows: list[dict[str, object]] = []
    for stage in STAGES:
        if stage not in stages or (stage in SITE_STAGES and size > mkdocs_max):
            continue
        found = (preview_rows(size, work, env, repeats) if stage == "preview"
                 else [build_row(size, stage, work, env)])
        for row in found:
            cpu = f"{row['cpu_seconds']:8.2f} s CPU" if "cpu_seconds" in row else " " * 14
            print(f"N={size:>6} {row['stage']:<15} {row['seconds']:8.2f} s {cpu} "
                  f"{row['peak_mib']:8.1f} MiB"
                  + ("" if row["status"] == 0 else f" (exit {row['status']})"), flush=True)
        rows += found
    return rows


def row_of(size: int, stage: str, seconds: float, mib: float, status: int,
           cpu: float | None = None) -> dict[str, object]:
    """One row of the results (``cpu_seconds`` only for a stage timed in its own process)."""
    row: dict[str, object] = {"n": size, "stage": stage, "seconds": round(seconds, 3),
                              "peak_mib": round(mib, 1), "status": status}
    if cpu is not None:
        row["cpu_seconds"] = round(cpu, 3)
    return row


def build_row(size: int, stage: str, work: Path, env: dict[str, str]) -> dict[str, object]:
    """Time one stage in its own process, after its untimed preparation."""
    if stage == "reingest-one":
        touch_one(work / "corpus")
    if stage == "mkdocs":
        write_bare_config(work)
    if stage == "site":  # from nothing: no records, no cache (untimed preparation)
        from preview import write_config

        write_config(work, "site-build", work / "site-build" / "content")
    if stage in ("site", "site-again"):  # site-again: the same, its records already there
        env = {**env, "BRIEFING_CACHE": str(work / "site-build" / "cache")}
    if stage == "blog":
        from blog import write_blog

        _, posts, _ = write_blog(work)  # the peer's sources: not part of its build time
        if not posts:
            sys.stderr.write(f"blog: no meeting records in {work / 'content'}; "
                             "run the ingest and render stages first\n")
            return row_of(size, stage, 0.0, 0.0, 1)
    return row_of(size, stage, *timed(stage, work, env))


def preview_rows(size: int, work: Path, env: dict[str, str],
                 repeats: int) -> list[dict[str, object]]:
    """``preview-record`` and ``preview-article``: the median seconds of their edits, and
    the peak memory of the server; each edit's seconds are kept as ``samples``."""
    from preview import PreviewError, measure

    try:
        result = measure(work, env, repeats)
    except (PreviewError, OSError) as err:
        sys.stderr.write(f"preview: {err}\n")
        return [row_of(size, name, 0.0, 0.0, 1) for name in ROWS if name.startswith("prev")]
    return [{**row_of(size, name, statistics.median(samples), result.peak_mib, 0),
             "samples": [round(s, 3) for s in samples],
             "startup_seconds": round(result.startup, 3)}
            for name, samples in (("preview-record", result.record),
                                  ("preview-article", result.article))]


def write_table(rows: list[dict[str, object]], out: Path) -> None:
    """``results.md``: one row per stage and size."""
    lines = ["# Benchmark results", "",
             f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Each stage runs in its own process; peak MiB is the largest maximum resident "
             "set of that process and of its worker processes. CPU s is the user and system "
             "time of that process and its workers; divided by the cores, it is the least "
             "wall time the same work could take on this machine (`floor`).", "",
             "| N articles | stage | seconds | CPU s | floor s | peak MiB | exit |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        floor = _floor(row)
        used = f"{row['cpu_seconds']:.2f} | {floor:.2f}" if floor is not None else "- | -"
        lines.append(f"| {row['n']:,} | {row['stage']} | {row['seconds']:.2f} | {used} | "
                     f"{row['peak_mib']:.0f} | {row['status']} |")
    lines += _notes({str(row["stage"]) for row in rows})
    lines += _site_ratios(rows)
    small, large, growth = _growth(rows)
    if growth:
        lines += ["", f"Growth from N = {small:,} to N = {large:,} (x{large / small:.1f} "
                  "the articles):", ""]
        lines += [f"- {stage}: x{factor:.1f}" for stage, factor in sorted(growth.items())]
    (out / "results.md").write_text("\n".join(lines) + "\n", "utf-8")


def _notes(stages: set[str]) -> list[str]:
    notes = []
    if "blog" in stages:
        notes.append("- `blog`: the nearest peer, the same meetings as Material blog posts "
                     "(categories, tags) built by Material's blog plugin; compare with `mkdocs`.")
    if stages & {"preview-record", "preview-article"}:
        notes.append("- `preview-record`, `preview-article`: seconds from saving an edited "
                     "record (article) until `mkdocs serve --dirty` shows it (has rebuilt), "
                     "the median of the edits (each in `results.json`); peak MiB of the "
                     "server process.")
    return ["", *notes] if notes else []


def _site_ratios(rows: list[dict[str, object]]) -> list[str]:
    """``site`` (make site from nothing) against ``mkdocs`` (a bare build of the same
    pages), per N: the generator's share of a whole build."""
    time_of = {(r["n"], r["stage"]): float(str(r["seconds"])) for r in rows
               if r["status"] == 0}
    ratios = []
    for n in sorted({int(str(r["n"])) for r in rows}):
        bare = time_of.get((n, "mkdocs"), 0.0)
        found = [f"{name} {time_of[(n, name)]:.1f} s (x{time_of[(n, name)] / bare:.2f})"
                 for name in ("site", "site-again") if (n, name) in time_of]
        if bare > 0 and found:
            least = _least_site(rows, n, bare)
            ratios.append(f"- N = {n:,}: bare mkdocs {bare:.1f} s; " + ", ".join(found)
                          + (f"; from nothing at least {least:.1f} s (x{least / bare:.2f})"
                             if least else ""))
    return ["", "`site` (make site from nothing: ingest with an empty cache, render, build, "
            "check) and `site-again` (make site again, nothing changed) against `mkdocs` "
            "(a bare build of the same pages). The least a site from nothing could take here "
            "is the floor of `ingest` (its CPU seconds over the cores) followed by the bare "
            "build, which runs on one core and cannot start before every record is made:",
            "", *ratios] if ratios else []


def _floor(row: dict[str, object]) -> float | None:
    """A row's CPU seconds over the machine's cores (None for a row without them)."""
    cpu = row.get("cpu_seconds")
    return float(str(cpu)) / (os.cpu_count() or 1) if cpu is not None else None


def _least_site(rows: list[dict[str, object]], n: int, bare: float) -> float:
    """``ingest``'s floor at ``n`` plus the bare build's seconds (0 when not measured)."""
    floor = next((_floor(r) for r in rows
                  if r["n"] == n and r["stage"] == "ingest" and r["status"] == 0), None)
    return floor + bare if floor is not None else 0.0


def _growth(rows: list[dict[str, object]]) -> tuple[int, int, dict[str, float]]:
    """Time at the largest N over time at the smallest N that is at least a tenth of it
    (1,000 for 10,000), per stage: (that smaller N, the largest N, factors)."""
    sizes = sorted({int(str(r["n"])) for r in rows})
    if len(sizes) < 2:
        return 0, 0, {}
    large = sizes[-1]
    small = next(n for n in sizes if n * 10 >= large and n != large) \
        if any(n * 10 >= large for n in sizes[:-1]) else sizes[-2]
    time_of = {(r["n"], r["stage"]): float(str(r["seconds"])) for r in rows}
    return small, large, {str(stage): time_of[(large, stage)] / time_of[(small, stage)]
                          for stage in ROWS if (large, stage) in time_of and
                          (small, stage) in time_of and time_of[(small, stage)] > 0}


def write_plot(rows: list[dict[str, object]], out: Path) -> None:
    """``results.png``: seconds against N for each stage, both axes logarithmic."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4.5), dpi=100)
    for stage in ROWS:
        points = sorted((int(str(r["n"])), float(str(r["seconds"]))) for r in rows
                        if r["stage"] == stage and float(str(r["seconds"])) > 0)
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
                        help="largest N for the mkdocs, blog and preview stages")
    parser.add_argument("--preview-repeats", type=int, default=3,
                        help="edits of each kind in the preview stage (the median is reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--work", type=Path, default=None,
                        help="scratch folder (default: a temporary one, removed after)")
    parser.add_argument("--child", choices=BUILDS, help=argparse.SUPPRESS)
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
                for row in run_size(size, stages, base, args.seed, args.mkdocs_max,
                                    args.preview_repeats)]
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
