"""Rights notices: the one pattern finds what each earlier pattern found where it was used."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.extract.masthead import find_rights, has_rights_notice

# The patterns the combined one replaces, as they were: the sentence kept in the record ...
RECORDED = re.compile(r"All rights reserved\.?(?:[^\n]*?may not be (?:published|reproduced)"
                      r"[^\n]*)?", re.IGNORECASE)
# ... and any notice that kept an article's whole text off the site.
ANY_NOTICE = re.compile(r"all rights reserved|may not be (?:re)?(?:published|reproduced|"
                        r"redistributed|broadcast)|\bcopyright\b|©", re.IGNORECASE)

SAMPLES = [
    "",
    "The ministers met in Tokyo.",
    "(c) 2024 Example News. All rights reserved.",
    "All Rights Reserved. This material may not be published, broadcast or rewritten.",
    "ALL RIGHTS RESERVED",
    "© 2023 Kyodo\nAll rights reserved. May not be reproduced without permission.",
    "Copyright 2022 Anadolu Agency.",
    "This article may not be redistributed.\nAll rights reserved.",
    "It may not be republished. Copyrighted material is not a notice.",
    "all rights reserved, the text may not be reproduced\nnext line",
    "© only",
    "may not be broadcast",
]

FRAGMENTS = ["All rights reserved", "all rights reserved.", " may not be published",
             " may not be reproduced", "may not be republished", "may not be broadcast",
             "Copyright", "copyrighted", "©", "(c)", " ", ".", "\n", "text", "may not be "]


def recorded_before(text: str) -> str | None:
    match = RECORDED.search(text)
    return match[0].strip() if match else None


def test_samples_keep_what_the_earlier_patterns_found() -> None:
    for text in SAMPLES:
        assert find_rights(text) == recorded_before(text), text
        assert has_rights_notice(text) == bool(recorded_before(text) or ANY_NOTICE.search(text))


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
def test_any_text_keeps_what_the_earlier_patterns_found(text: str) -> None:
    assert find_rights(text) == recorded_before(text)
    assert has_rights_notice(text) == bool(recorded_before(text) or ANY_NOTICE.search(text))
