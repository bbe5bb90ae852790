"""Near copies at scale: time, memory and output size of an ingest full of copies.

Three corpora, each ingested into a fresh temporary project (empty content folder and
extraction cache) by ``briefing ingest`` in a child process:

- ``near``: N tiny near-identical files (one report of one meeting, a number changed);
- ``distinct``: N articles of the benchmark corpus (``make_corpus.py``: distinct reports of
  many meetings, with the few copies and paraphrases a news feed has);
- ``copies``: M syndicated copies of one real story (a seed article, each copy with a
  credit line of its own and one word changed).

The site is then built from the corpora named by ``--build`` (``briefing build``, strict;
by default ``near`` and ``copies``).

For each: wall seconds, peak resident MiB (the largest of the ingest process and its
workers, from ``wait4``), the exit status, the largest record and all records' bytes; for
the site, its bytes, the search index's and the largest page's. Near copies used to grow all
of these with the square of their number (1,000 near-identical files: 30-44 s, 547 MB,
70 MB of records). Usage::

    python benchmarks/near_copies.py --near 20000 --distinct 20000 --copies 750
    python benchmarks/near_copies.py --build near distinct copies  # build every site
    python benchmarks/near_copies.py --near 1000 --copies 300 --work /tmp/nc  # keep files
    python benchmarks/near_copies.py --code ../other-checkout  # that checkout's generator
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "seeds" / "002_dbcf363fd8ba6696.txt"  # a State Department story, 2+2 talks
TINY = ("Tokyo, May 8 (Wire) -- Foreign Minister Yoshimasa Hayashi met U.S. Secretary of "
        "State Antony Blinken in Tokyo on Monday, May 8, 2023.\n\n"
        "The two ministers agreed to strengthen the alliance and to work closely on "
        "regional security.\n\nWire bulletin number {number} of the day.\n")
EDITS = (("said", "stated"), ("and", "as well as"), ("the ", "the "))


def write_near(folder: Path, count: int) -> None:
    """``count`` tiny files that differ in one number."""
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"n{number:06d}.txt").write_text(TINY.format(number=number), "utf-8")


def write_distinct(folder: Path, count: int, seed: int) -> None:
    """``count`` articles of the benchmark corpus."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_corpus import write_corpus

    write_corpus(folder, count, seed=seed)


def write_copies(folder: Path, count: int, seed: int) -> None:
    """``count`` copies of one seed story, each with its own credit line and one word
    changed in one of its lines."""
    folder.mkdir(parents=True)
    lines = STORY.read_text("utf-8").split("\n")
    rng = random.Random(seed)
    for number in range(count):
        edited = list(lines)
        at = rng.randrange(len(edited))
        old, new = EDITS[number % len(EDITS)]
        edited[at] = edited[at].replace(old, new, 1)
        edited.insert(1, f"Distributed by Partner Wire {number} under a syndication licence.")
        (folder / f"c{number:05d}.txt").write_text("\n".join(edited), "utf-8")


def run(command: list[str], cwd: Path, cache: Path) -> dict[str, Any]:
    """Run ``command`` in ``cwd`` (this checkout's code, an empty extraction cache)."""
    env = {**os.environ, "PYTHONPATH": os.environ.get("NEAR_COPIES_CODE", str(ROOT)),
           "BRIEFING_CACHE": str(cache)}
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output, tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=errors,
                                   text=True)
        # wait4: the child's own usage, its ru_maxrss the largest of it and its workers
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        output.seek(0)
        errors.seek(0)
        lines, problems = output.read().strip().splitlines(), errors.read().strip().splitlines()
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024,
            "status": os.waitstatus_to_exitcode(status), "last_line": (lines or [""])[-1],
            "errors": problems[-3:]}


def record_sizes(content: Path) -> dict[str, Any]:
    sizes = {p: p.stat().st_size for kind in ("meetings", "articles")
             for p in (content / kind).glob("*.md")}
    largest = max(sizes, key=lambda p: sizes[p]) if sizes else None
    return {"records": len(sizes), "record_bytes": sum(sizes.values()),
            "largest_record": sizes[largest] if largest else 0,
            "largest_name": f"{largest.parent.name}/{largest.name}" if largest else ""}


def site_config(project: Path) -> Path:
    """The project's MkDocs settings on ``project``'s articles, records and a site folder."""
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "templates", project / "templates")
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    options = {"seeds": "articles", "content": "content", "templates": "templates"}
    config["plugins"] = [{"briefing": {**(p.get("briefing") or {}), **options}}
                         if isinstance(p, dict) and "briefing" in p else p
                         for p in config.get("plugins") or []]
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def site_sizes(site: Path) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.name == "index.html"]
    index = site / "search" / "search_index.json"
    return {"site_bytes": sum(p.stat().st_size for p in files),
            "search_index_bytes": index.stat().st_size if index.exists() else 0,
            "largest_page": max((p.stat().st_size for p in pages), default=0)}


def child(kind: str, size: int, project: Path, seed: int, build: bool) -> dict[str, Any]:
    """Write one corpus in ``project/articles``, ingest it, and build its site if ``build``."""
    writers = {"near": lambda f: write_near(f, size),
               "distinct": lambda f: write_distinct(f, size, seed),
               "copies": lambda f: write_copies(f, size, seed)}
    writers[kind](project / "articles")
    briefing = [sys.executable, "-m", "generator"]
    found = {"corpus": kind, "articles": size}
    found["ingest"] = run([*briefing, "ingest", "--seeds", "articles", "--content", "content"],
                          project, project / "cache")
    found.update(record_sizes(project / "content"))
    check = run([*briefing, "check", "--content", "content"], project, project / "cache")
    found["check_status"] = check["status"]
    if build:
        site_config(project)
        found["site"] = run([*briefing, "build", "-f", "mkdocs.yml"], project,
                            project / "cache")
        found.update(site_sizes(project / "site"))
    return found


def measure(kind: str, size: int, work: Path | None, seed: int, build: bool
            ) -> dict[str, Any]:
    """One corpus in a fresh child process (so that its peak memory is its own)."""
    folder = Path(tempfile.mkdtemp(prefix=f"near-{kind}-", dir=work))
    try:
        out = subprocess.run([sys.executable, __file__, "--child", kind, "--size", str(size),
                              "--project", str(folder), "--seed", str(seed),
                              "--build", *([kind] if build else [])],
                             capture_output=True, text=True, check=True).stdout
        found: dict[str, Any] = yaml.safe_load(out.strip().splitlines()[-1])
        return found
    finally:
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)


def show(row: dict[str, Any]) -> str:
    ingest = row["ingest"]
    line = (f"{row['corpus']:>8} {row['articles']:>7,}: ingest {ingest['seconds']:7.1f} s, "
            f"peak {ingest['peak_mib']:7.0f} MiB, exit {ingest['status']}; "
            f"{row['records']:,} records, {row['record_bytes'] / 1e6:.2f} MB, largest "
            f"{row['largest_record']:,} B ({row['largest_name']}); check exit "
            f"{row['check_status']}")
    if "site" in row:
        site = row["site"]
        line += (f"\n{'':>17} site build {site['seconds']:7.1f} s, peak "
                 f"{site['peak_mib']:.0f} MiB, exit {site['status']}; site "
                 f"{row['site_bytes'] / 1e6:.2f} MB, search index "
                 f"{row['search_index_bytes'] / 1e6:.2f} MB, largest page "
                 f"{row['largest_page'] / 1e3:.0f} kB")
    for stage in ("ingest", "site"):
        if stage in row and row[stage]["status"]:
            line += f"\n{'':>17} {stage}: " + " | ".join(row[stage]["errors"])
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--near", type=int, nargs="*", default=[1000],
                        help="sizes of the near-identical corpus (none: skip it)")
    parser.add_argument("--distinct", type=int, nargs="*", default=[1000],
                        help="sizes of the distinct corpus (none: skip it)")
    parser.add_argument("--copies", type=int, nargs="*", default=[300],
                        help="numbers of copies of one story (none: skip it)")
    parser.add_argument("--build", nargs="*", default=["near", "copies"],
                        choices=["near", "distinct", "copies"],
                        help="corpora whose site is built too (default: near copies)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="keep each project in this folder")
    parser.add_argument("--code", type=Path, help="run the generator of another checkout")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        found = child(args.child, args.size, args.project, args.seed,
                      args.child in args.build)
        print(yaml.safe_dump(found, default_flow_style=True, width=10**6).strip())
        return 0
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    if args.code:
        os.environ["NEAR_COPIES_CODE"] = str(args.code.resolve())
    for kind in ("near", "distinct", "copies"):
        for size in getattr(args, kind):
            print(show(measure(kind, size, args.work, args.seed, kind in args.build)),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
