"""Output folders never overlap the inputs: ``briefing render --out`` and MkDocs' site folder
may not be the content, seeds or templates folder, lie inside one or hold one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator
from generator import pipeline
from generator.cli import cli

PROJECT = Path(generator.__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    for folder in ("seeds", "templates", "docs"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    pipeline.ingest(root / "seeds", root / "content", root)
    monkeypatch.chdir(root)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def overlap(out: str, relation: str, name: str, folder: str) -> str:
    return (f"{out}: the output folder {relation} the {name} folder {folder}, whose files it "
            "would overwrite; choose a folder outside it")


@pytest.mark.parametrize(("out", "expected"), [
    ("content", [overlap("content", "is", "content", "content")]),
    ("content/meetings", [overlap("content/meetings", "is inside", "content", "content")]),
    ("seeds/pages", [overlap("seeds/pages", "is inside", "seeds", "seeds")]),
    (".", [overlap(".", "holds", "content", "content"), overlap(".", "holds", "seeds", "seeds"),
           overlap(".", "holds", "templates", "templates")]),
])
def test_render_never_writes_over_its_inputs(project: Path, out: str, expected: list[str]
                                             ) -> None:
    before = {name: snapshot(project / name) for name in ("content", "seeds", "templates")}
    result = CliRunner().invoke(cli, ["render", "--content", "content", "--out", out])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""
    assert {name: snapshot(project / name) for name in before} == before


def test_render_writes_to_a_folder_of_its_own(project: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "--content", "content", "--out", "pages"])
    assert result.exit_code == 0, result.stderr
    assert (project / "pages" / "index.md").is_file()


@pytest.mark.parametrize("site_dir", ["content", "seeds/site", "templates"])
def test_a_site_folder_over_the_inputs_is_refused(project: Path, site_dir: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_dir: site",
                                                        f"site_dir: {site_dir}"), "utf-8")
    before = {name: snapshot(project / name) for name in ("content", "seeds")}
    cli_run = CliRunner().invoke(cli, ["build"])
    assert cli_run.exit_code == 1
    assert "the output folder" in cli_run.stderr and "choose a folder outside it" in \
        cli_run.stderr
    mkdocs_run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"],
                                cwd=project, capture_output=True, text=True, timeout=600)
    assert mkdocs_run.returncode != 0
    assert "choose a folder outside it" in mkdocs_run.stderr
    assert {name: snapshot(project / name) for name in before} == before
