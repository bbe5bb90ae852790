"""Reproducible output: two builds of the same inputs, in two folders at different paths,
give a byte-identical ``site/``; ``SOURCE_DATE_EPOCH`` sets every date a build writes."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT

INJECT = PROJECT / "tests" / "data" / "inject_site"
SITE_URL = "https://example.org/briefing/"  # so that the sitemap lists every page
EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z


def project(root: Path) -> Path:
    """The seeds plus the injection fixture (hand-edited records too), whole texts on."""
    root.mkdir(parents=True)
    config = (PROJECT / "mkdocs.yml").read_text("utf-8")
    config = config.replace("full_text: false", "full_text: true")
    (root / "mkdocs.yml").write_text(f"site_url: {SITE_URL}\n{config}", "utf-8")
    for folder in ("templates", "docs", "seeds"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copytree(INJECT / "seeds", root / "seeds", dirs_exist_ok=True)
    shutil.copytree(INJECT / "content", root / "content")
    return root


def build(root: Path, epoch: int, hash_seed: str) -> dict[str, bytes]:
    """Build with ``mkdocs build --strict``; every file of ``site/`` by relative path."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1",
           "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build(project(tmp_path_factory.mktemp("one") / "a"), EPOCH, "1")


def differing(one: dict[str, bytes], two: dict[str, bytes]) -> list[str]:
    return sorted(p for p in one.keys() | two.keys() if one.get(p) != two.get(p))


def test_two_builds_in_different_folders_are_byte_identical(
        first: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> None:
    second = build(project(tmp_path_factory.mktemp("two") / "elsewhere" / "deeper" / "b"),
                   EPOCH, "2")
    assert len(first) > 50
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json",
            "calendar/meetings.ics", "feeds/meetings.xml"} <= first.keys()
    assert differing(first, second) == []


def test_source_date_epoch_sets_every_date_the_build_writes(first: dict[str, bytes]) -> None:
    sitemap = first["sitemap.xml"].decode("utf-8")
    assert sitemap.count("<lastmod>2023-11-14</lastmod>") == sitemap.count("<url>") > 10
    gz = first["sitemap.xml.gz"]
    midnight = 1_699_920_000  # 2023-11-14T00:00:00Z: MkDocs stamps the day of the epoch
    assert int.from_bytes(gz[4:8], "little") == midnight
    assert gzip.decompress(gz) == first["sitemap.xml"]
    assert b"DTSTAMP:20231114T221320Z" in first["calendar/meetings.ics"]


def test_another_epoch_changes_only_the_dated_files(first: dict[str, bytes],
                                                    tmp_path_factory: pytest.TempPathFactory
                                                    ) -> None:
    later = build(project(tmp_path_factory.mktemp("three") / "c"), EPOCH + 86_400 * 30, "3")
    assert differing(first, later) == ["calendar/meetings.ics", "sitemap.xml",
                                       "sitemap.xml.gz"]
