"""SIGKILL an ingest at several moments while it saves: every record stays readable, the
hand edit survives, and the next ingest completes."""

import signal
import time
from pathlib import Path

from attackkit import run_briefing, start_briefing

INGEST = ("ingest", "--seeds", "seeds", "--content", "content", "--force")
NOTE = "\nAnalyst note that must survive.\n"


def check(project: Path) -> None:
    done = run_briefing(project, *INGEST)
    assert done.returncode == 0, done.stderr
    record = sorted((project / "content" / "meetings").glob("*.md"))[0]
    record.write_text(record.read_text("utf-8") + NOTE, "utf-8")
    for delay in (0.3, 0.5, 0.7, 0.9):
        for seed in (project / "seeds").glob("*.txt"):
            seed.write_text(seed.read_text("utf-8") + f"\nEdition {delay}.\n", "utf-8")
        run = start_briefing(project, *INGEST)
        time.sleep(delay)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        checked = run_briefing(project, "check", "--content", "content")
        assert checked.returncode == 0, f"after a kill at {delay} s: {checked.stderr[-300:]}"
        assert NOTE.strip() in record.read_text("utf-8"), f"hand edit lost at {delay} s"
    done = run_briefing(project, *INGEST)
    assert done.returncode == 0, done.stderr
    assert NOTE.strip() in record.read_text("utf-8")
