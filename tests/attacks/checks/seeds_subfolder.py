"""An article in a subfolder of seeds/ is ingested, or the subfolder is named."""

from pathlib import Path

from attackkit import run_briefing


def check(project: Path) -> None:
    done = run_briefing(project, "ingest", "--seeds", "seeds", "--content", "content")
    ingested = (project / "content" / "articles" / "sub.md").exists()
    named = "2023" in done.stderr
    assert ingested or named, f"seeds/2023/sub.txt silently ignored: {done.stderr[-200:]!r}"
    assert "Traceback" not in done.stderr
