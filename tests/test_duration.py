"""Meeting durations in the forms reports use."""

from __future__ import annotations

import pytest

from generator.extract.duration import find_duration
from generator.models import Sentence


@pytest.mark.parametrize(("text", "minutes"), [
    ("Hayashi and Blinken also agreed during their 20-minute talks to cooperate.", 20),
    ("On April 17, commencing at 2:30 p.m. for approximately 30 minutes, the minister met X.", 30),
    ("The two held an hour-long meeting in Oslo.", 60),
    ("They spoke for over 1.5 hours.", 90),
    ("The call lasted about forty-five minutes.", 45),
    ("The ministers held a 90-minute working lunch meeting.", 90),
    ("The ministers met on Tuesday.", None),
    ("A 20-minute drive from the capital, the venue hosted the talks.", None),
])
def test_duration_forms(text: str, minutes: int | None) -> None:
    found, evidence = find_duration([Sentence("a", 4, text)])
    assert found == minutes
    assert (evidence is not None) == (minutes is not None)
    if evidence is not None:
        assert (evidence.field, evidence.line) == ("duration", 4)
        assert evidence.text in text
