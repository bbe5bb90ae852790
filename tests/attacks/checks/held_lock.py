"""An ingest while another process holds content/.lock gives up and names the holder."""

import fcntl
import os
from pathlib import Path

from attackkit import run_briefing


def check(project: Path) -> None:
    lock = project / "content" / ".lock"
    handle = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.write(handle, b"4242\n")
        done = run_briefing(project, "ingest", "--seeds", "seeds", "--content", "content",
                            "--wait", "0.5")
    finally:
        os.close(handle)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "4242" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not list((project / "content").glob("meetings/*.md")), "written without the lock"
