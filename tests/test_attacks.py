"""The attacker in the suite: every attack of ``tests/attacks/`` run in a fresh project.

Each attack folder says what a hostile or careless user does and what must happen (see
``tests/attacks/README.md``); :mod:`attackkit` runs it and lists every way the outcome differs.
An attack that reproduces an open defect fails until the defect is fixed: none is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from attackkit import attack_folders, load_spec, restore_permissions, run_attack
from conftest import BuiltSite
from sitesafety import Baseline, baseline

FOLDERS = attack_folders()


@pytest.fixture(scope="session")
def seed_baseline(built_site: BuiltSite) -> Baseline:
    """What the pages of the clean seed site contain: anything else is new."""
    return baseline(built_site.root)


def test_the_corpus_is_large_and_covers_every_defect() -> None:
    specs = [load_spec(folder) for folder in FOLDERS]
    assert len(specs) >= 70
    assert {s["defect"] for s in specs} >= {None, *range(1, 18)}


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_attack_is_withstood(folder: Path, tmp_path: Path, seed_baseline: Baseline) -> None:
    spec = load_spec(folder)
    try:
        failures = run_attack(folder, tmp_path, seed_baseline)
    finally:
        restore_permissions(tmp_path)
    defect = f"issue item {spec['defect']}" if spec["defect"] else "held on main"
    assert failures == [], f"{spec['attack']} ({defect}); expected: {spec['expected']}"
