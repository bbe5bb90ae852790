"""Count the instructions a cold ingest executes, for revisions of the project side by side.

Wall and CPU seconds on a small shared machine vary by 20-40 % from one run to the next;
instruction counts under ``valgrind --tool=callgrind`` do not (the same code and input give
the same count whatever else the machine does). Each revision is exported with
``git archive`` and ingests one corpus in one process (``workers=1``, extraction cache off)
under callgrind; the script prints each revision's count and its ratio to the first's.

Usage (valgrind from Debian's package; about 20 s of valgrind per 10 articles)::

    .venv/bin/python benchmarks/make_corpus.py --count 200 /tmp/c200
    .venv/bin/python benchmarks/instructions.py --corpus /tmp/c200 HEAD~3 HEAD
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# run inside the exported revision: its own package first on the path, the cache off
INGEST = """
import os, sys, tempfile
sys.path.insert(0, os.getcwd())
os.environ["BRIEFING_CACHE"] = "off"
from pathlib import Path
from generator import pipeline
corpus = Path(sys.argv[1])
with tempfile.TemporaryDirectory() as scratch:
    pipeline.ingest(corpus, Path(scratch) / "content", corpus.parent, workers=1)
"""
TOTAL = re.compile(r"I\s+refs:\s+([\d,]+)")


def export(revision: str, into: Path) -> Path:
    """The files of ``revision`` in a folder of their own."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def instructions(tree: Path, corpus: Path) -> int:
    """Instructions of one cold ingest of ``corpus`` by the code in ``tree``."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", INGEST, str(corpus.resolve())],
        cwd=tree, capture_output=True, text=True, check=False)
    found = TOTAL.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{tree}: ingest under callgrind failed:\n{done.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of articles")
    parser.add_argument("revisions", nargs="+", help="git revisions, the first the baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefing-instructions-") as scratch:
        counts = []
        for number, revision in enumerate(args.revisions):
            tree = export(revision, Path(scratch) / str(number))
            counts.append(instructions(tree, args.corpus))
            ratio = counts[-1] / counts[0]
            print(f"{revision}: {counts[-1]:,} instructions, x{ratio:.3f}", flush=True)


if __name__ == "__main__":
    main()
