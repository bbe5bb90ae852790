"""No cell of the site's CSV files starts a spreadsheet formula."""

import csv
import io
from pathlib import Path

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def check(project: Path) -> None:
    files = sorted((project / "site").glob("data/*.csv"))
    assert files, "site/data/*.csv is missing"
    for path in files:
        text = path.read_text("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row
                 if cell.startswith(FORMULA)]
        assert cells == [], f"{path.name}: {cells}"
