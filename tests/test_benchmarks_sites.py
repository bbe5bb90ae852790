"""The benchmark's two sites beside ours: the peer blog (``benchmarks/blog.py``) and the live
preview's settings and edits (``benchmarks/preview.py``). No server is started here; the
end-to-end benchmark test runs both stages."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import blog  # noqa: E402
import preview  # noqa: E402

PAGE = """---
title: "A–B meeting"
tags:
  - "China"
---

# A–B meeting

| Fact | Value |
| --- | --- |
| Participants | [Ann Able](../people/ann-able.md), minister; [site](https://example.org/x) |

??? evidence "Evidence for the date"
    - "May 2" (source 1, line 3)

## Summary

- text, see [source 1](../articles/a1.md#line-3)
"""


def record(identifier: str, day: str, sources: list[str]) -> str:
    return ("---\n" + yaml.safe_dump({
        "id": identifier, "title": f"Meeting {identifier}",
        "date": dt.date.fromisoformat(day) if day else None,
        "topics": ["china", "not-a-topic"], "sources": sources,
        "participants": [{"name": "Zed Zulu", "role": "minister", "country": "NZ"},
                         {"name": "Ann Able", "role": "minister", "country": "AU"}],
        "summary": [{"text": "They met."}]}, allow_unicode=True) + "---\n")


def test_post_body_drops_our_front_matter_and_links(tmp_path: Path) -> None:
    body = blog.body_from_page(PAGE)
    assert body.startswith("# A–B meeting\n")
    assert "Ann Able, minister" in body and "../people" not in body
    assert "[site](https://example.org/x)" in body  # links out of the site stay
    assert "see source 1\n" in body
    lines = body.splitlines()
    assert lines[lines.index(blog.SEPARATOR) + 2].startswith("??? evidence")
    assert body.count(blog.SEPARATOR) == 1


def test_posts_carry_date_categories_and_tags(tmp_path: Path) -> None:
    work = tmp_path / "work"
    meetings, articles = work / "content" / "meetings", work / "content" / "articles"
    meetings.mkdir(parents=True)
    articles.mkdir()
    (meetings / "2024-05-02-a-b.md").write_text(record("2024-05-02-a-b", "2024-05-02", []))
    (meetings / "undated-c-d.md").write_text(record("undated-c-d", "", ["a2", "a1"]))
    (meetings / "undated-e-f.md").write_text(record("undated-e-f", "", ["a3"]))
    for name, day in (("a1", "2023-01-05"), ("a2", "2023-01-04"), ("a3", None)):
        (articles / f"{name}.md").write_text(
            "---\n" + yaml.safe_dump({"id": name, "published": day}) + "---\n")
    (work / "docs" / "meetings").mkdir(parents=True)
    (work / "docs" / "meetings" / "2024-05-02-a-b.md").write_text(PAGE)
    config, written, skipped = blog.write_blog(work)
    assert (written, skipped) == (2, 1)  # no date and no dated source: left out
    docs = work / "blog" / "docs"
    meta, body = blog.front_matter((docs / "blog" / "posts" / "2024-05-02-a-b.md").read_text())
    assert meta == {"date": dt.date(2024, 5, 2), "slug": "2024-05-02-a-b",
                    "categories": ["China", "not-a-topic"], "tags": ["Ann Able", "Zed Zulu"]}
    assert body.lstrip().startswith("# A–B meeting")
    meta, body = blog.front_matter((docs / "blog" / "posts" / "undated-c-d.md").read_text())
    assert meta["date"] == dt.date(2023, 1, 4)  # the earliest source's day
    assert "They met." in body and blog.SEPARATOR in body  # written from the record
    settings = yaml.safe_load(config.read_text("utf-8"))
    project = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert settings["plugins"] == ["search", "blog", "tags"]
    assert settings["markdown_extensions"] == project["markdown_extensions"]
    assert settings["theme"] == {"name": "material", "features": ["navigation.prune"]}
    assert (docs / "blog" / "index.md").is_file()
    assert "<!-- material/tags -->" in (docs / "tags.md").read_text()


def test_retitle_changes_only_the_title() -> None:
    text = ("---\nid: x\ntitle: A long title\n  that wraps\ndate: 2024-01-01\n---\n"
            "title: not front matter\n")
    assert preview.retitle(text, "New one") == (
        "---\nid: x\ntitle: New one\ndate: 2024-01-01\n---\ntitle: not front matter\n")
    with pytest.raises(preview.PreviewError):
        preview.retitle("---\nid: x\n---\ntitle: body\n", "New")
    with pytest.raises(preview.PreviewError):
        preview.retitle("title: no front matter\n", "New")


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")
    preview.write_atomic(target, "new")
    assert target.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_preview_settings_point_at_the_work_folder(tmp_path: Path) -> None:
    config = preview.write_config(tmp_path)
    settings = yaml.safe_load(config.read_text("utf-8"))
    project = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    folder = tmp_path / "preview"
    assert settings["docs_dir"] == str(folder / "docs")
    assert (folder / "docs" / "assets").is_dir() and (folder / "templates").is_dir()
    options = next(p["briefing"] for p in settings["plugins"] if isinstance(p, dict))
    assert options["seeds"] == str(tmp_path / "corpus")
    assert options["content"] == str(tmp_path / "content")
    assert options["templates"] == str(folder / "templates")
    for key in ("theme", "markdown_extensions", "nav", "not_in_nav"):
        assert settings.get(key) == project.get(key)


def test_the_edited_record_has_a_plain_page_url(tmp_path: Path) -> None:
    meetings = tmp_path / "meetings"
    meetings.mkdir()
    for name in ("2020-01-01-a", "2021-02-03-b-c", "undated-x", "2022-05-06-Odd_Name"):
        (meetings / f"{name}.md").write_text("---\n---\n")
    assert preview.chosen_record(tmp_path).stem == "2021-02-03-b-c"
    with pytest.raises(preview.PreviewError):
        preview.chosen_record(tmp_path / "nowhere")


def test_phases_time_each_part_of_an_ingest(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import phases
    from make_corpus import write_corpus

    write_corpus(tmp_path / "work" / "n24" / "corpus", 24, 1)
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    assert phases.main(["--work", str(tmp_path / "work"), "--out", str(tmp_path / "out")]) == 0
    table = (tmp_path / "out" / "phases.md").read_text("utf-8")
    row = next(line for line in table.splitlines() if line.startswith("| 24 |"))
    assert len(row.split("|")) == len(phases.PHASES) + 3
    assert all(float(cell) >= 0 for cell in row.split("|")[2:-1])
    assert (tmp_path / "out" / "phases.png").read_bytes().startswith(b"\x89PNG")
