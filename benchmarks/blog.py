"""The nearest peer: the same meetings as Material for MkDocs blog posts.

Reads the meeting records of a content folder with plain ``yaml.safe_load`` of their front
matter (not with the briefing package, so the peer stays independent of it) and writes a
site that Material's built-in ``blog`` plugin builds, with the ``tags`` and ``search``
plugins: one post per meeting in ``docs/blog/posts/<id>.md``, dated on the meeting day, its
topics as categories and its participants' names as tags. A post's body is the meeting page
the ``render`` stage wrote (``docs/meetings/<id>.md``) without its front matter and with its
links to other pages of our site reduced to their text; a meeting with no rendered page gets
a body written from its record. The theme settings are the ``mkdocs`` stage's.

Usage: ``python benchmarks/blog.py WORK`` (WORK holds ``content/`` and ``docs/``), then
``mkdocs build -f WORK/blog/mkdocs.yml``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEPARATOR = "<!-- more -->"  # the blog plugin's excerpt separator
LINK = re.compile(r"\[([^\]\n]*)\]\((?![a-z][a-z0-9+.-]*:)[^)\n]*\)")  # relative links only


def site_settings() -> dict[str, Any]:
    """The theme settings every benchmark site shares: Material with ``navigation.prune``
    and the Markdown extensions of the project's ``mkdocs.yml``."""
    project = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    return {"theme": {"name": "material", "features": ["navigation.prune"]},
            "markdown_extensions": project.get("markdown_extensions", [])}


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of a Markdown file (empty when there is none) and its body."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return {}, text
    data = yaml.safe_load(text[4:end]) or {}
    return (data if isinstance(data, dict) else {}), text[end + 5:]


def topic_titles(content: Path) -> dict[str, str]:
    """Topic id -> title, from the content folder's taxonomy or else the shipped one."""
    own = content / "taxonomy.yaml"
    path = own if own.is_file() else ROOT / "generator" / "knowledge" / "data" / "taxonomy.yaml"
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return {str(t["id"]): str(t.get("title") or t["id"]) for t in data.get("topics", [])}


def as_date(value: object) -> dt.date | None:
    """A YAML date, or a ``YYYY-MM-DD`` string; anything else is None."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def published_dates(content: Path) -> dict[str, dt.date]:
    """Article id -> publication day, for meetings without a date of their own."""
    found: dict[str, dt.date] = {}
    for path in sorted((content / "articles").glob("*.md")):
        record, _ = front_matter(path.read_text("utf-8"))
        day = as_date(record.get("published"))
        if day is not None:
            found[str(record.get("id", path.stem))] = day
    return found


def post_date(record: dict[str, Any], published: dict[str, dt.date]) -> dt.date | None:
    """The meeting day, else the earliest publication day of its sources, else None."""
    day = as_date(record.get("date"))
    if day is not None:
        return day
    days = sorted(published[s] for s in record.get("sources") or [] if s in published)
    return days[0] if days else None


def body_from_page(markdown: str) -> str:
    """A rendered meeting page as a post body: no front matter, links to our other pages
    reduced to their text, the excerpt ending before the first section or evidence block."""
    _, body = front_matter(markdown)
    body = LINK.sub(r"\1", body)
    lines = body.splitlines()
    for number, line in enumerate(lines):
        if number > 0 and (line.startswith("## ") or line.startswith("??? ")):
            lines[number:number] = [SEPARATOR, ""]
            break
    return "\n".join(lines).strip() + "\n"


def body_from_record(record: dict[str, Any], body: str) -> str:
    """A post body for a meeting without a rendered page: title, facts and summary."""
    place = record.get("location") or {}
    facts = [f"| Date | {record.get('date') or 'unknown'} |",
             f"| Place | {place.get('city') or record.get('format') or ''} |"]
    summary = [f"- {s.get('text', '')}" for s in record.get("summary") or []
               if isinstance(s, dict)]
    return "\n".join([f"# {record.get('title') or record.get('id')}", "",
                      "| Fact | Value |", "| --- | --- |", *facts, "", SEPARATOR, "",
                      "## Summary", "", *summary, "", body.strip()]).strip() + "\n"


def post(record: dict[str, Any], day: dt.date, topics: dict[str, str], body: str) -> str:
    """One blog post: front matter (date, categories, tags, slug) and body."""
    meta = {"date": day, "slug": str(record["id"]),
            "categories": sorted({topics.get(str(t), str(t))
                                  for t in record.get("topics") or []}),
            "tags": sorted({str(p["name"]) for p in record.get("participants") or []
                            if isinstance(p, dict) and p.get("name")})}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n" + body


def write_blog(work: Path) -> tuple[Path, int, int]:
    """Write the blog site of ``work/content`` into ``work/blog``.

    Returns:
        The site's ``mkdocs.yml``, the number of posts written, and the number of meetings
        left out (no date, and no dated source article).
    """
    content, site = work / "content", work / "blog"
    shutil.rmtree(site, ignore_errors=True)
    posts = site / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    topics, published = topic_titles(content), published_dates(content)
    written = skipped = 0
    for path in sorted((content / "meetings").glob("*.md")):
        record, record_body = front_matter(path.read_text("utf-8"))
        day = post_date(record, published) if record.get("id") else None
        if day is None:
            skipped += 1
            continue
        page = work / "docs" / "meetings" / f"{record['id']}.md"
        body = (body_from_page(page.read_text("utf-8")) if page.is_file()
                else body_from_record(record, record_body))
        (posts / f"{record['id']}.md").write_text(post(record, day, topics, body), "utf-8")
        written += 1
    write_pages(site / "docs")
    config = {"site_name": "Benchmark blog", "docs_dir": str(site / "docs"),
              "site_dir": str(site / "site"), **site_settings(),
              "plugins": ["search", "blog", "tags"]}
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return site / "mkdocs.yml", written, skipped


def write_pages(docs: Path) -> None:
    """The pages around the posts: home, the blog's index, and the tags index."""
    (docs / "index.md").write_text("# Meetings\n\nThe meetings as blog posts: see the "
                                   "[blog](blog/index.md) and the [tags](tags.md).\n", "utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", "utf-8")
    (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("work", type=Path, help="folder holding content/ and docs/")
    args = parser.parse_args(argv)
    config, written, skipped = write_blog(args.work)
    print(f"{config}: {written} posts, {skipped} meetings without a date left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
