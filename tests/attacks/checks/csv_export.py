"""No cell of `briefing export --format csv` starts a spreadsheet formula."""

import csv
import io
from pathlib import Path

from attackkit import run_briefing

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row
            if cell.startswith(FORMULA)]


def check(project: Path) -> None:
    done = run_briefing(project, "export", "--content", "content", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "Osaka" in done.stdout or "JP" in done.stdout, "the meeting is not exported"
    assert formula_cells(done.stdout) == [], formula_cells(done.stdout)
