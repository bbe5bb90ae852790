"""Slugs: ASCII, never empty, never colliding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.support.slugs import slugify, unique_slug


def test_dashes_separate_words_and_accents_fold() -> None:
    assert slugify("Hayashi–Blinken meeting in Melbourne") == "hayashi-blinken-meeting-in-melbourne"
    assert slugify("Japan–U.S. 2+2 in Washington", skip=frozenset({"in"})) == \
        "japan-us-2plus2-washington"
    assert slugify("Jean-Noël Barrot") == "jean-noel-barrot"


def test_nothing_left_gives_the_fallback() -> None:
    assert slugify("<<>>", fallback="person") == "person"
    assert slugify("") == "page"


def test_unique_slug_adds_a_stable_suffix() -> None:
    used: set[str] = set()
    assert [unique_slug("a", used) for _ in range(3)] == ["a", "a-2", "a-3"]


@given(st.text())
def test_any_text_gives_a_safe_slug(text: str) -> None:
    slug = slugify(text)
    assert slug and len(slug) <= 60
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith("-") and not slug.endswith("-")
