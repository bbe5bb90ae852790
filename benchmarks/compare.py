"""Cold ingest timed with two revisions of the code, in alternating rounds.

Single runs on a small shared machine vary by 20-30 %, so a gain measured against last
week's table means little. This script measures two revisions in the same minutes: each
revision is exported with ``git archive`` into a temporary folder, and in every round each
revision ingests the same corpus into an empty content folder with an empty extraction
cache, in a process of its own (the revisions alternate, so a slow spell of the machine
hits both). It prints one line per run and the median of each revision.

Usage: ``python benchmarks/compare.py --corpus DIR [--root DIR] [--rounds N] REV REV``,
for instance ``python benchmarks/compare.py --corpus /tmp/benchwork/n10000/corpus
--root /tmp/benchwork/n10000 HEAD~3 HEAD`` after ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(code: Path, corpus: Path, root: Path, scratch: Path) -> None:
    """One cold ingest with the code in ``code``; prints its wall seconds as JSON."""
    sys.path.insert(0, str(code))
    os.environ["BRIEFING_CACHE"] = str(scratch / "cache")
    from generator import pipeline

    start = time.perf_counter()
    report = pipeline.ingest(corpus, scratch / "content", root)
    print(json.dumps({"seconds": time.perf_counter() - start, "articles": report.articles,
                      "meetings": report.meetings}))


def export(revision: str, into: Path) -> Path:
    """The project's files at ``revision`` (``git archive``), in a new folder of ``into``."""
    folder = into / revision.replace("/", "_").replace("~", "-").replace("^", "-")
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def run_once(code: Path, corpus: Path, root: Path, scratch: Path) -> dict[str, float]:
    """One cold ingest in a child process, in an emptied ``scratch`` folder."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                           str(code), str(corpus), str(root), str(scratch)],
                          check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compare(revisions: list[str], corpus: Path, root: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds of each revision's cold ingests, by revision, printing each as it ends."""
    seconds: dict[str, list[float]] = {revision: [] for revision in revisions}
    with tempfile.TemporaryDirectory(prefix="briefing-compare-") as temp:
        codes = {revision: export(revision, Path(temp) / "code") for revision in revisions}
        for number in range(1, rounds + 1):
            for revision in revisions:
                result = run_once(codes[revision], corpus, root, Path(temp) / "run")
                seconds[revision].append(result["seconds"])
                print(f"round {number} {revision}: ingest {result['seconds']:.2f} s "
                      f"({int(result['articles'])} articles, {int(result['meetings'])} "
                      "meetings)", flush=True)
    for revision, values in seconds.items():
        print(f"{revision}: median {statistics.median(values):.2f} s of {len(values)}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs=2, metavar="REV", help="git revisions to compare")
    parser.add_argument("--corpus", type=Path, required=True, help="folder of articles")
    parser.add_argument("--root", type=Path, default=None,
                        help="paths in records are shown relative to it (default: the "
                             "corpus folder's parent)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each revision")
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    compare(args.revisions, corpus, (args.root or corpus.parent).resolve(), args.rounds)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(*(Path(arg) for arg in sys.argv[2:]))
    else:
        sys.exit(main())
