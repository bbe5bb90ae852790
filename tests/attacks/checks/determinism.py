"""Two ingests of the same articles from scratch give the same records, byte for byte; so do
two renders. (``content/.state/`` is bookkeeping, not output: it notes when files were seen.)"""

import shutil
from pathlib import Path

from attackkit import run_briefing

INGEST = ("ingest", "--seeds", "seeds", "--content", "content")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock" and ".state" not in p.parts}


def check(project: Path) -> None:
    content = project / "content"
    runs = []
    for _ in range(2):
        shutil.rmtree(content, ignore_errors=True)
        shutil.rmtree(project / ".scratch" / "cache", ignore_errors=True)
        done = run_briefing(project, *INGEST)
        assert done.returncode == 0, done.stderr
        render = run_briefing(project, "render", "--content", "content", "--out", "pages")
        assert render.returncode == 0, render.stderr
        runs.append((tree(content), tree(project / "pages")))
    (first, pages1), (second, pages2) = runs
    assert first and first == second, sorted(
        name for name in set(first) | set(second) if first.get(name) != second.get(name))
    assert pages1 == pages2, "two renders differ"
