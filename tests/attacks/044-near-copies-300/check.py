"""300 near-identical copies of one article (made before the steps run): the records must
not grow with the square of their number (the sizes are checked in attack.yaml)."""

from pathlib import Path

from attackkit import PROJECT

COPIES = 300


def prepare(project: Path) -> None:
    text = (PROJECT / "seeds" / "004_48c89be6c7eab0a1.txt").read_text("utf-8")
    for index in range(COPIES):
        (project / "seeds" / f"copy_{index:03d}.txt").write_text(
            text + f"\nReported by desk {index}.\n", "utf-8")


def check(project: Path) -> None:
    assert len(list((project / "content" / "articles").glob("*.md"))) == COPIES
