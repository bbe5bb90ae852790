"""The real site: ``mkdocs build --strict`` on a copy of the project (the first test builds
its own; the others read the site built once for the session, ``built_site``)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from conftest import BuiltSite, SiteProject


def front_matter(path: Path) -> dict[str, object]:
    _, head, _ = path.read_text("utf-8").split("---\n", 2)
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def build(project: SiteProject) -> subprocess.CompletedProcess[str]:
    return subprocess.run(project.mkdocs("build", "--strict", "--site-dir", "site"),
                          cwd=project.root, env=project.env, capture_output=True, text=True,
                          timeout=600)


def test_build_is_strict_clean_with_a_page_per_meeting_and_topic(site_project: SiteProject
                                                                  ) -> None:
    docs_before = sorted(p.name for p in (site_project.root / "docs").rglob("*"))
    result = build(site_project)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert [line for line in output.splitlines() if "WARNING" in line] == []

    site = site_project.root / "site"
    records = sorted((site_project.root / "content" / "meetings").glob("*.md"))
    assert len(records) >= 2
    topics: set[str] = set()
    for record in records:
        meeting = front_matter(record)
        assert (site / "meetings" / str(meeting["id"]) / "index.html").is_file()
        topics.update(str(t) for t in meeting["topics"])  # type: ignore[attr-defined]
    assert topics
    for topic in topics:
        assert (site / "topics" / topic / "index.html").is_file()
    for index in ("index.html", "meetings/index.html", "topics/index.html",
                  "people/index.html", "timeline/index.html"):
        assert (site / index).is_file(), index
    assert sorted(p.name for p in (site_project.root / "docs").rglob("*")) == docs_before


def test_navigation_never_lists_meetings(built_site: BuiltSite) -> None:
    site = built_site.root
    ids = sorted(p.stem for p in (site.parent / "content" / "meetings").glob("*.md"))
    first, others = ids[0], ids[1:]
    page = (site / "meetings" / first / "index.html").read_text("utf-8")
    nav = page[page.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[:nav.index("</nav>")]
    for other in others:
        assert f"{other}/" not in nav
    # The index pages are in the nav: every page links them.
    assert "../../timeline/" in nav and "../../topics/" in nav


def test_built_pages_carry_the_records(built_site: BuiltSite) -> None:
    site = built_site.root
    records = sorted((site.parent / "content" / "meetings").glob("*.md"))
    assert len(records) >= 2
    for record in records:
        meeting = front_matter(record)
        page = (site / "meetings" / str(meeting["id"]) / "index.html").read_text("utf-8")
        for participant in meeting["participants"]:  # type: ignore[attr-defined]
            assert participant["name"] in page
        assert "<script>alert" not in page
