"""Shared fixtures: a temporary copy of the project that MkDocs can build and serve."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# In CI property tests are derandomized so that a run cannot flake.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

PROJECT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SiteProject:
    """A copy of the project in a temporary folder, and the environment to run MkDocs in."""

    root: Path
    env: dict[str, str]

    def mkdocs(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "mkdocs", *args]


@pytest.fixture
def site_project(tmp_path: Path) -> SiteProject:
    """Copy mkdocs.yml, templates/, seeds/ and docs/ into ``tmp_path/project``.

    The ``briefing`` plugin is found through the installed package's entry point
    (``make test`` installs the project).
    """
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("templates", "seeds", "docs"):
        shutil.copytree(PROJECT / folder, root / folder)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
           "NO_MKDOCS_2_WARNING": "1"}  # Material's banner about MkDocs 2.0 is no build warning
    return SiteProject(root, env)
