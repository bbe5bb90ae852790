"""Accessibility: axe-core (bundled by axe-playwright-python) on every page type, light and dark.

No serious or critical violation is allowed; the summary of every run (violations by impact,
including minor and moderate ones) is written to ``a11y/`` in the test output folder
(``$BRIEFING_TEST_OUTPUT``, else a temporary folder) for the closing note.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import BuiltSite, page_types

BLOCKING = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return list(results.response["violations"])


def summary(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
                    "targets": sorted(str(n["target"]) for n in v["nodes"])[:5]}
                   for v in violations), key=lambda v: (v["impact"] or "", v["id"]))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_violation(chromium: Any, built_site: BuiltSite,
                                          scheme: str, test_output: Path) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   color_scheme=scheme)
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        for name, path in page_types(built_site.root).items():
            tab = context.new_page()
            tab.goto(built_site.url + path)
            tab.wait_for_load_state("networkidle")
            found[name] = summary(axe_violations(tab))
            tab.close()
    finally:
        context.close()
    reports = test_output / "a11y"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / f"axe-{scheme}.json").write_text(json.dumps(found, indent=2) + "\n", "utf-8")
    blocking = {name: [v for v in vs if v["impact"] in BLOCKING] for name, vs in found.items()}
    assert {name: vs for name, vs in blocking.items() if vs} == {}
