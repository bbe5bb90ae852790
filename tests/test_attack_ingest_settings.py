"""Limits in ``content/data/settings.yaml`` are finite numbers in range, and a write that
fails (disk full, read-only, no permission) is named in one line, not a traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import run_ingest

from generator.errors import BriefingError
from generator.support import files

ARTICLE = Path(__file__).parent / "data" / "bad_twins" / "lf.txt"
SETTINGS = "content/data/settings.yaml"


@pytest.fixture()
def project(article_project: Path) -> Path:
    """The one-article project, with a folder for settings."""
    (article_project / "content" / "data").mkdir(parents=True)
    return article_project



@pytest.mark.parametrize(("value", "wrong"), [
    (".inf", "expected a finite number, got inf"),
    ("-.inf", "expected a positive number, got -inf"),
    (".nan", "expected a finite number, got nan"),
    ("1.0e+400", "expected a finite number, got inf"),
    ("1.0e+12", "expected at most 86400, got 1000000000000.0"),
])
def test_non_finite_and_out_of_range_limits_are_refused(project: Path, value: str,
                                                        wrong: str) -> None:
    (project / SETTINGS).write_text(
        f"# limits\nlimits:\n  lock_seconds: 5\n  extraction_seconds: {value}\n", "utf-8")
    assert run_ingest() == (1, "", f"{SETTINGS}:4: limits.extraction_seconds: {wrong}\n")


def test_settings_that_are_not_yaml_are_named_at_their_line(project: Path) -> None:
    (project / SETTINGS).write_text("limits:\n  lock_seconds: [1\n", "utf-8")
    code, _, err = run_ingest()
    assert (code, err) == (1, f"{SETTINGS}:3:1: cannot read settings: invalid YAML: expected "
                              "',' or ']', but got '<stream end>'\n")


def test_every_wrong_limit_is_named_in_one_pass(project: Path) -> None:
    (project / SETTINGS).write_text(
        "limits:\n  max_article_bytes: 1.5\n  lock_seconds: .nan\n", "utf-8")
    assert run_ingest() == (1, "", f"{SETTINGS}:2: limits.max_article_bytes: expected a whole "
                               f"number of bytes, got 1.5\n"
                               f"{SETTINGS}:3: limits.lock_seconds: expected a finite number, "
                               f"got nan\n")


@pytest.mark.parametrize(("code", "said"), [
    (errno.ENOSPC, "no space left on device"), (errno.EDQUOT, "disk quota exceeded"),
    (errno.EROFS, "read-only file system"), (errno.EACCES, "permission denied")])
def test_a_failed_write_is_one_line_and_changes_nothing(
        project: Path, monkeypatch: pytest.MonkeyPatch, code: int, said: str) -> None:
    assert run_ingest()[0] == 0
    (project / "seeds" / "article.txt").write_text(ARTICLE.read_text() + "\nMore.\n")
    before = {p: p.read_bytes() for p in sorted((project / "content").rglob("*")) if p.is_file()}

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files, "_rename", full)
    status, out, err = run_ingest()
    assert (status, out) == (1, "")
    assert err.endswith(f": {said} (nothing was changed)\n") and err.count("\n") == 1, err
    after = {p: p.read_bytes() for p in sorted((project / "content").rglob("*")) if p.is_file()}
    assert after == before


def test_atomic_write_names_the_file_when_the_disk_is_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    target = tmp_path / "x.json"
    with pytest.raises(BriefingError) as caught:
        files.atomic_write(target, "{}\n" * 10_000)
    assert [str(p) for p in caught.value.problems] == [
        f"{target}: no space left on device (nothing was changed)"]
    assert list(tmp_path.iterdir()) == []


def test_saving_flushes_only_what_it_wrote_never_every_disk(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def every_disk() -> None:
        raise AssertionError("os.sync() flushes every disk of the machine")

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "sync", every_disk)
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    assert run_ingest()[0] == 0
    assert synced
