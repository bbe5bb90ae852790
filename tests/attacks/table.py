"""Run every attack of ``tests/attacks/`` and print a Markdown table of the outcomes.

    PYTHONPATH=. python tests/attacks/table.py [--jobs 2] [NAME-PATTERN ...]

The clean seed site is built once (for the site-safety checks); each attack runs in a
temporary project, as the test suite runs it.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from attackkit import (  # noqa: E402 - after the path is set
    attack_folders,
    load_spec,
    restore_permissions,
    run_attack,
)
from conftest import build_seed_site  # noqa: E402
from sitesafety import Baseline, baseline  # noqa: E402


def outcome(folder: Path, allowed: Baseline) -> tuple[str, float]:
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="attack-") as temp:
        try:
            failures = run_attack(folder, Path(temp), allowed)
        except Exception as err:  # noqa: BLE001 - the table reports every outcome
            failures = [f"harness: {type(err).__name__}: {err}"]
        finally:
            restore_permissions(Path(temp))
    seconds = time.monotonic() - start
    if not failures:
        return "pass", seconds
    return f"**fail**: {failures[0]}" + (f" (+{len(failures) - 1} more)"
                                         if len(failures) > 1 else ""), seconds


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("patterns", nargs="*", default=["*"])
    parser.add_argument("--jobs", type=int, default=1)
    options = parser.parse_args()
    folders = [f for f in attack_folders()
               if any(fnmatch.fnmatch(f.name, p) for p in options.patterns)]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory(prefix="seed-site-") as temp:
        build_seed_site(Path(temp) / "project")
        allowed = baseline(Path(temp) / "project" / "site")
    with ProcessPoolExecutor(options.jobs) as pool:
        results = list(pool.map(outcome, folders, [allowed] * len(folders)))
    print("| fixture | defect | attack | expected | observed | s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for folder, (observed, seconds) in zip(folders, results, strict=True):
        spec = load_spec(folder)
        print(f"| {folder.name} | {spec['defect'] or 'held'} | {cell(spec['attack'])} | "
              f"{cell(spec['expected'])} | {cell(observed)[:300]} | {seconds:.1f} |")
    failed = sum(1 for observed, _ in results if observed != "pass")
    print(f"\n{len(results)} attacks, {len(results) - failed} withstood, {failed} failed")


if __name__ == "__main__":
    main()
