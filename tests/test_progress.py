"""Progress bars: drawn on a terminal for long runs, quiet in CI, when piped and for short runs."""

from __future__ import annotations

import io

import pytest

from generator.support import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("ci", "tty", "total", "drawn"), [
    ("", True, progress.MIN_ITEMS, True),
    ("true", True, progress.MIN_ITEMS, False),  # CI
    ("", False, progress.MIN_ITEMS, False),  # piped
    ("", True, progress.MIN_ITEMS - 1, False),  # too short to be worth a bar
    ("0", True, progress.MIN_ITEMS, True),
])
def test_a_bar_only_on_a_terminal_for_long_runs_outside_ci(
        monkeypatch: pytest.MonkeyPatch, ci: str, tty: bool, total: int, drawn: bool) -> None:
    stream = Terminal() if tty else io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.setenv("CI", ci)
    assert progress.wanted(total) is drawn
    items = list(range(total))
    assert list(progress.progress(iter(items), total, "Extracting")) == items  # all, in order
    assert ("Extracting" in stream.getvalue()) is drawn
