"""What ingest keeps beside the records: damaged state files are rebuilt with one line
saying so, an up-to-date content folder is found so without the lock (it may be read-only),
and the paths in records are relative to the project root whatever the working folder."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path

import pytest
from conftest import run_ingest

from generator.ingest import run as run_mod

DAMAGES = {"empty": "", "garbage": "garbage{", "a list": "[]", "deep": "[" * 100_000}





def records(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes()
            for p in sorted(content.glob("*/*.md"))}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
@pytest.mark.parametrize(("name", "force", "rebuilt"), [
    ("records.json", True, "the records"), ("inputs.json", False, "the sources"),
    ("article-digests.json", False, "the sources")])
def test_damaged_state_file_is_rebuilt_with_one_line(article_project: Path, damage: str,
                                                     name: str, force: bool,
                                                     rebuilt: str) -> None:
    assert run_ingest()[0] == 0
    before = records(article_project / "content")
    state = article_project / "content" / ".state" / name
    good = state.read_bytes()
    state.write_text(DAMAGES[damage], "utf-8")
    code, out, err = run_ingest(*(["--force"] if force else []))
    assert code == 0, err
    assert re.fullmatch(rf"content/\.state/{re.escape(name)}: damaged \([^\n]+\); rebuilt from "
                        rf"{rebuilt}\n", err), err
    assert out.startswith("1 articles, 1 meetings")
    assert records(article_project / "content") == before
    if name == "article-digests.json":  # they hold the time they were taken
        assert json.loads(state.read_text())["files"] == json.loads(good)["files"]
    else:
        assert state.read_bytes() == good
    assert run_ingest("--force") == (0, out.replace("up to date", "written"), "")


def test_up_to_date_content_is_found_so_without_taking_the_lock(
        article_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_ingest()[0] == 0

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(run_mod, "content_lock", read_only)
    assert run_ingest() == (0, "1 articles, 1 meetings (up to date) in content; 0 skipped\n", "")


def test_paths_in_records_do_not_depend_on_the_working_folder(
        article_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_ingest()[0] == 0
    here = records(article_project / "content")
    assert b"source_file: seeds/article.txt\n" in here["articles/article.md"]
    (article_project / "elsewhere").mkdir()
    monkeypatch.chdir(article_project / "elsewhere")
    assert run_ingest("--seeds", "../seeds", "--content", "../content", "--force")[0] == 0
    assert records(article_project / "content") == here
    monkeypatch.chdir("/")
    assert run_ingest("--seeds", str(article_project / "seeds"),
                      "--content", str(article_project / "content"), "--force")[0] == 0
    assert records(article_project / "content") == here


def test_project_root_is_the_folder_of_mkdocs_yml_above_the_content(
        article_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (article_project / "mkdocs.yml").write_text("site_name: x\n")
    monkeypatch.chdir(article_project / "seeds")
    assert run_ingest("--seeds", ".", "--content", "../site/content")[0] == 0
    article = (article_project / "site" / "content" / "articles" / "article.md").read_bytes()
    assert b"source_file: seeds/article.txt\n" in article
