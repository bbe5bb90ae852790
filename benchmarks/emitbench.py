"""Time the front-matter emitter against PyYAML's dump on real records, and check both
write the same bytes.

The records come from a pickle of ``(meetings, articles)`` (MeetingRecord and ArticleRecord
lists, as ``grouping.group_articles`` returns them) or, without one, from an ingest of the
seeds into a temporary folder. Each record's fields (``fields.meeting_to_fields`` or
``article_to_fields``, dates as ``record_text`` writes them) are dumped by
``yamlio.reference_dump`` (PyYAML) and by ``yamlio.dump_yaml`` (the fast emitter); the
script prints milliseconds per record for each and the number of records whose text
differs (it must be 0). Usage: ``python benchmarks/emitbench.py [PICKLE] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import pickle  # noqa: S403 - reads a pickle this project wrote
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def _seed_records() -> tuple[list[Any], list[Any]]:
    """Meetings and articles of an ingest of the seeds into a temporary folder."""
    from generator import pipeline

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        os.environ["BRIEFING_CACHE"] = str(root / "cache")
        content = root / "content"
        pipeline.ingest(ROOT / "seeds", content, root, workers=1)
        corpus, _ = pipeline.load(content)
        return list(corpus.meetings), list(corpus.articles)


def _documents(meetings: list[Any], articles: list[Any]) -> list[dict[str, Any]]:
    """The mappings ``record_text`` hands to the emitter."""
    from generator.records import fields

    rows = [fields.meeting_to_fields(m) for m in meetings]
    rows += [fields.article_to_fields(a) for a in articles]
    return [{key: fields._date(value) if key in ("date", "published") else value
             for key, value in row.items()} for row in rows]


def _best(dump: Any, documents: list[dict[str, Any]], repeat: int) -> tuple[float, list[str]]:
    """The best CPU time of ``repeat`` runs (seconds) and the texts of the last."""
    best, texts = float("inf"), []
    for _ in range(repeat):
        start = time.process_time()
        texts = [dump(document) for document in documents]
        best = min(best, time.process_time() - start)
    return best, texts


def main(argv: list[str] | None = None) -> int:
    """Print old and new milliseconds per record and the count of differing records."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pickle", nargs="?", type=Path, help="(meetings, articles) pickle")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from generator.support.yamlio import dump_yaml, reference_dump

    if args.pickle:
        with args.pickle.open("rb") as handle:
            meetings, articles = pickle.load(handle)  # noqa: S301 - our own file
    else:
        meetings, articles = _seed_records()
    documents = _documents(meetings, articles)
    old, expected = _best(reference_dump, documents, args.repeat)
    new, got = _best(dump_yaml, documents, args.repeat)
    differ = sum(a != b for a, b in zip(expected, got, strict=True))
    count = len(documents)
    print(f"records: {count} ({len(meetings)} meetings, {len(articles)} articles)")
    print(f"PyYAML:  {old * 1000 / count:.4f} ms/record ({old:.2f} s)")
    print(f"emitter: {new * 1000 / count:.4f} ms/record ({new:.2f} s), x{old / new:.1f}")
    print(f"identical: {count - differ}/{count}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
