"""An article in a legacy CJK encoding is decoded right, or skipped: never stored as
Latin-1 (or cp1252) mojibake."""

from pathlib import Path

LATIN = ("latin-1", "latin_1", "iso-8859-1", "iso8859-1", "cp1252", "windows-1252")


def check(project: Path) -> None:
    for record in sorted((project / "content" / "articles").glob("*.md")):
        text = record.read_text("utf-8")
        encoding = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                         if line.startswith("encoding:")), "")
        assert encoding.lower() not in LATIN, f"{record.name}: read as {encoding}"
    for record in sorted((project / "content").rglob("*.md")):
        text = record.read_text("utf-8")
        assert not any(0x80 <= ord(c) < 0x100 for c in text if c not in "\u00a0\u00b7"), \
            f"{record.name}: Latin-1 characters from a CJK article"
