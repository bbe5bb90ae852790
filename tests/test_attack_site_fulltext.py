"""With ``full_text``, only article files of the seeds folder are ever published whole: a
record naming a project file (``.env.txt``, ``.git/config``, ``mkdocs.yml``), a hidden file
of the seeds or a link out of them is refused, with the record's file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import generator
from generator import pipeline

# the project of the code under test (its templates go with it)
PROJECT = Path(generator.__file__).resolve().parents[1]
SECRET = "SECRET_TOKEN=do-not-publish"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the seeds ingested, and files beside them that are no articles."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    shutil.copytree(PROJECT / "templates", root / "templates")
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    (root / ".env.txt").write_text(f"{SECRET}\n", "utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"[core]\n\t{SECRET}\n", "utf-8")
    pipeline.ingest(root / "seeds", root / "content", root)
    # made after the ingest: only a hand-edited record names them
    (root / "seeds" / ".hidden.txt").write_text(f"A hidden note. {SECRET}\n", "utf-8")
    (root / "seeds" / "link.txt").symlink_to(root / ".env.txt")
    return root


def point_records_at(root: Path, targets: list[str]) -> list[Path]:
    """Make the first records without a rights notice name ``targets``; their files."""
    records = [p for p in sorted((root / "content" / "articles").glob("*.md"))
               if "\nrights: null\n" in p.read_text("utf-8")][:len(targets)]
    assert len(records) == len(targets)
    for record, target in zip(records, targets, strict=True):
        text = record.read_text("utf-8")
        record.write_text(re.sub(r"(?m)^source_file: .*$", f"source_file: {target}", text),
                          "utf-8")
    return records


TARGETS = [".env.txt", ".git/config", "mkdocs.yml", "seeds/.hidden.txt"]


def test_a_record_cannot_publish_a_file_that_is_not_an_article_of_the_seeds(
        project: Path) -> None:
    records = point_records_at(project, TARGETS)
    result = pipeline.render(project / "content", project / "templates", full_text=True,
                             root=project)
    shown = "".join(page.markdown for page in result.pages)
    assert SECRET not in shown
    assert "[core]" not in shown and "site_name: Briefing" not in shown
    published = {page.path for page in result.pages if page.path.startswith("articles/")}
    assert not published & {f"articles/{r.stem}.md" for r in records}


def test_a_link_out_of_the_seeds_is_not_followed(project: Path) -> None:
    point_records_at(project, ["seeds/link.txt"])
    result = pipeline.render(project / "content", project / "templates", full_text=True,
                             root=project)
    assert SECRET not in "".join(page.markdown for page in result.pages)


def test_each_refused_record_is_named_with_its_line(project: Path) -> None:
    targets = [".env.txt", "mkdocs.yml", "seeds/.hidden.txt", "seeds/link.txt"]
    records = point_records_at(project, targets)
    result = pipeline.render(project / "content", project / "templates", full_text=True,
                             root=project)
    seeds = project / "seeds"
    expected = [f"{record}:3: source_file: {target!r} is not an article file in the seeds "
                f"folder ({seeds}); its text is not published"
                for record, target in zip(records, targets, strict=True)]
    assert sorted(str(p) for p in result.problems) == sorted(expected)


def test_a_seeds_folder_set_elsewhere_is_the_only_one_published_from(project: Path) -> None:
    other = project / "articles-in"
    other.mkdir()
    (other / "a.txt").write_text((project / "seeds" / "002_dbcf363fd8ba6696.txt")
                                 .read_text("utf-8"), "utf-8")
    point_records_at(project, ["articles-in/a.txt"])
    kept = pipeline.render(project / "content", project / "templates", full_text=True,
                           root=project, seeds=other)
    assert not [p for p in kept.problems if "articles-in/a.txt" in p.message]
    refused = pipeline.render(project / "content", project / "templates", full_text=True,
                              root=project)
    assert [p for p in refused.problems if "articles-in/a.txt" in p.message]
