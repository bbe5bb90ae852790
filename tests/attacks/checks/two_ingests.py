"""Two ingests started at once on one content folder: both finish, the records are valid."""

from pathlib import Path

from attackkit import TRACEBACK, start_briefing

INGEST = ("ingest", "--seeds", "seeds", "--content", "content", "--wait", "120")


def check(project: Path) -> None:
    runs = [start_briefing(project, *INGEST) for _ in range(2)]
    outputs = [run.communicate(timeout=180) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert TRACEBACK not in err
    done = start_briefing(project, "check", "--content", "content")
    _, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert len(list((project / "content" / "meetings").glob("*.md"))) >= 5
