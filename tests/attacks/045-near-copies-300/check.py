"""300 near-identical copies of one article (made before the steps run): the records must
grow linearly with the number of copies, not with its square. A second ingest of the first
100 copies is the yardstick: three times the copies may give at most 4.5 times the bytes
(linear growth gives 3, quadratic 9), for the largest record and for all records."""

import shutil
from pathlib import Path

from attackkit import PROJECT, run_briefing

COPIES = 300
FEWER = 100
MOST = 4.5


def prepare(project: Path) -> None:
    text = (PROJECT / "seeds" / "004_48c89be6c7eab0a1.txt").read_text("utf-8")
    for index in range(COPIES):
        (project / "seeds" / f"copy_{index:03d}.txt").write_text(
            text + f"\nReported by desk {index}.\n", "utf-8")


def sizes(content: Path) -> tuple[int, int]:
    found = [p.stat().st_size for p in content.rglob("*.md")]
    return max(found), sum(found)


def check(project: Path) -> None:
    small = project / "small"
    (small / "seeds").mkdir(parents=True)
    for index in range(FEWER):
        name = f"copy_{index:03d}.txt"
        shutil.copy2(project / "seeds" / name, small / "seeds" / name)
    done = run_briefing(small, "ingest", "--seeds", "seeds", "--content", "content",
                        timeout=240)
    assert done.returncode == 0, done.stderr[-300:]
    many, few = sizes(project / "content"), sizes(small / "content")
    assert many[0] <= MOST * few[0], f"largest record: {few[0]} bytes for {FEWER} copies, " \
        f"{many[0]} for {COPIES}"
    assert many[1] <= MOST * few[1], f"all records: {few[1]} bytes for {FEWER} copies, " \
        f"{many[1]} for {COPIES}"
