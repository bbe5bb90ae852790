"""A crash after the state was renamed into place but before the meeting record was: the
record still holds the older generated fields while the state holds the newer ones. An
analyst then adds notes only. The next ingest must bring the generated fields up to date
(the analyst edited no field) and keep the notes."""

import shutil
from pathlib import Path

from attackkit import PROJECT, run_briefing

NOTE = "Analyst: notes only, no field edited.\n"


def check(project: Path) -> None:
    seeds = project / "seeds"
    shutil.copy2(PROJECT / "seeds" / "000_c835384a2099d185.txt", seeds)
    ingest = ("ingest", "--seeds", "seeds", "--content", "content")
    assert run_briefing(project, *ingest).returncode == 0
    record = sorted((project / "content" / "meetings").glob("*.md"))[0]
    older = record.read_bytes()
    shutil.copy2(PROJECT / "seeds" / "001_b6b1faeb19725fb6.txt", seeds)
    assert run_briefing(project, *ingest).returncode == 0
    newer = record.read_text("utf-8")
    assert "001_b6b1faeb19725fb6" in newer, "the second article should join the meeting"
    record.write_bytes(older)  # the crash: state renamed, record not
    record.write_text(record.read_text("utf-8") + NOTE, "utf-8")
    done = run_briefing(project, *ingest, "--force")
    assert done.returncode == 0, done.stderr
    text = record.read_text("utf-8")
    assert NOTE.strip() in text, "the notes were lost"
    front = text.split("\n---\n")[0]
    assert "001_b6b1faeb19725fb6" in front, "generated fields frozen at the older values"
