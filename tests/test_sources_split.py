"""Splitting sentences: protecting only the abbreviations a line holds is protecting them all."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.ingest.sources import ABBREVIATIONS, _abbreviations_in, split_sentences

PIECES = [*ABBREVIATIONS, "U", "S", "Mr", "Jan", "e", "g", "a", "m", ".", " ", "\u2024", "x"]


def _protect_all(text: str) -> str:
    for abbr in ABBREVIATIONS:
        text = text.replace(abbr, abbr.replace(".", "\u2024"))
    return text


def _protect_found(text: str) -> str:
    for abbr in _abbreviations_in(text):
        text = text.replace(abbr, abbr.replace(".", "\u2024"))
    return text


@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_protecting_found_abbreviations_is_protecting_all(text: str) -> None:
    assert _protect_found(text) == _protect_all(text)


def test_abbreviations_found_in_list_order() -> None:
    assert _abbreviations_in("Mr. Lee met U.S. envoys on Jan. 5 at 3 p.m.") == [
        "U.S.", "Mr.", "Jan.", "p.m."]
    assert _abbreviations_in(".Mr.") == ["Mr."]
    assert _abbreviations_in("No abbreviation here.") == []


def test_sentences_keep_abbreviations_whole() -> None:
    text = "Mr. Lee met U.S. envoys in Washington, D.C. on Monday. They talked."
    assert [s.text for s in split_sentences("a", text)] == [
        "Mr. Lee met U.S. envoys in Washington, D.C. on Monday.", "They talked."]
