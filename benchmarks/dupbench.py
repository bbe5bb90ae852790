"""Time near-duplicate detection on corpora of growing size.

For each size N, a fresh process reads the first N article files of a corpus (for example
one written by ``make_corpus.py``), sketches them, and times ``find_near_duplicates`` with
the sketches given, as an ingest does with sketches from its cache. CPU seconds are shown
(other work on the machine disturbs them less than wall seconds), with the growth from the
previous size. Usage: ``python benchmarks/dupbench.py CORPUS [--sizes 1000 2500 10000]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def child(corpus: Path, size: int) -> dict[str, float]:
    """Sketch the first ``size`` articles of ``corpus`` and time the pairs' search."""
    from generator.extract.masthead import read_article
    from generator.group.near_duplicates import find_near_duplicates, sketch
    from generator.ingest.inputs import list_article_files

    articles = [read_article(path) for path in list_article_files(corpus)[:size]]
    start = time.process_time()
    sketches = {article.id: sketch(article) for article in articles}
    sketched = time.process_time() - start
    start, wall = time.process_time(), time.perf_counter()
    found = find_near_duplicates(articles, sketches)
    return {"articles": len(articles), "sketch": sketched,
            "pairs": time.process_time() - start, "wall": time.perf_counter() - wall,
            "found": sum(len(near) for near in found.values()) // 2}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 10000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.corpus, args.child)))
        return 0
    print("| articles | sketching (CPU s) | finding pairs (CPU s) | wall s | growth | pairs |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    previous = None
    for size in sorted(args.sizes):
        out = subprocess.run([sys.executable, __file__, str(args.corpus), "--child", str(size)],
                             capture_output=True, text=True, check=True).stdout
        row = json.loads(out)
        growth = f"x{row['pairs'] / previous:.1f}" if previous else ""
        previous = row["pairs"]
        print(f"| {row['articles']:,} | {row['sketch']:.2f} | {row['pairs']:.2f} | "
              f"{row['wall']:.2f} | {growth} | {row['found']:,} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
