"""The GitHub workflows are valid and follow the publishing rules, checked offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)", re.MULTILINE)


def load(path: Path) -> dict:
    return yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # keeps `on` a string


def test_there_is_a_test_and_a_pages_workflow() -> None:
    assert {p.name for p in WORKFLOWS} >= {"test.yml", "pages.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commit_shas(path: Path) -> None:
    refs = USES.findall(path.read_text("utf-8"))
    assert refs
    for ref in refs:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} not pinned"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_declared_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow, f"{path.name}: no top-level permissions"
    top = workflow["permissions"]
    assert top in ({}, "") or set(top.values()) <= {"read", "none"}, top


def test_pages_workflow_builds_strict_and_deploys_with_artifact_actions() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "pages.yml")
    assert workflow["concurrency"]["group"] == "pages"
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8")
    assert "actions/upload-pages-artifact@" in text and "actions/deploy-pages@" in text
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    build_steps = " ".join(str(s.get("run", "")) for s in workflow["jobs"]["build"]["steps"])
    assert "make site" in build_steps
    assert "briefing build" in (ROOT / "Makefile").read_text("utf-8")


def test_briefing_build_is_strict_by_default() -> None:
    from generator.cli import build

    strict = next(p for p in build.params if p.name == "strict")
    assert strict.default is True


def test_test_workflow_runs_make_test_on_push_and_pull_request() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "test.yml")
    assert set(workflow["on"]) >= {"push", "pull_request"}
    steps = " ".join(str(s.get("run", "")) for s in workflow["jobs"]["test"]["steps"])
    assert "make test" in steps


def zizmor_findings(target: Path) -> list[tuple[str, str]]:
    """(rule, severity) of each zizmor finding for a workflow file or folder, offline."""
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run([str(zizmor), "--offline", "--format=json", str(target)],
                            capture_output=True, text=True, check=False)
    if result.returncode not in (0, *range(10, 15)):  # 10-14: findings of some severity
        raise AssertionError(result.stderr)
    return [(f["ident"], f["determinations"]["severity"]) for f in json.loads(result.stdout)]


def test_zizmor_finds_nothing_above_low() -> None:
    found = zizmor_findings(ROOT / ".github" / "workflows")
    assert [f for f in found if f[1] not in ("Unknown", "Informational", "Low")] == []


def test_zizmor_would_catch_an_unpinned_action_with_broad_permissions(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(
        "on: pull_request_target\npermissions: write-all\njobs:\n  t:\n    runs-on: x\n"
        "    steps:\n      - uses: actions/checkout@v4\n        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n", "utf-8")
    assert any(severity == "High" for _, severity in zizmor_findings(tmp_path / "bad.yml"))
