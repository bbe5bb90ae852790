"""Cleaning untrusted text: the fast paths give what a character-by-character pass gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator.ingest.textclean import SPACES, control_share, is_invisible, strip_invisible

EVERY = "".join(chr(c) for c in range(0x110000))


def _strip_slowly(text: str) -> str:
    return "".join(SPACES.get(c, c) for c in text if c in SPACES or not is_invisible(c))


def _share_slowly(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\x0c")
    return controls / len(text)


def test_strip_invisible_over_every_character() -> None:
    assert strip_invisible(EVERY) == _strip_slowly(EVERY)
    assert strip_invisible("a\u200bb\tc\u2028d\ne\x00") == "ab c d\ne"


def test_control_share_over_every_character() -> None:
    assert control_share(EVERY) == _share_slowly(EVERY)
    assert control_share("ab\x00\x01") == 0.5
    assert control_share("a\tb\r\n\x0c") == 0.0


@given(st.text(alphabet=st.characters(max_codepoint=0x3000) | st.sampled_from(
    list("\t\x0b\x0c\x85\u2028\u2029\u200b\u200d\ufeff\n\r\x7f\x9f")), max_size=60))
def test_cleaning_matches_the_slow_pass(text: str) -> None:
    assert strip_invisible(text) == _strip_slowly(text)
    assert control_share(text) == _share_slowly(text)
