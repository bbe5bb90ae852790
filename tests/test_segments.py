"""Which sentences report a meeting, and which belong to a side meeting."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.extract.article import extract_facts
from generator.extract.masthead import read_article
from generator.extract.segments import reports_meeting
from generator.knowledge import load_knowledge
from generator.models import Evidence, PersonMention, Sentence

ROSSI = PersonMention("Ana Rossi", "Foreign Minister", "IT", True, False,
                      Evidence("participants", "a", 1, "Ana Rossi"))


@pytest.mark.parametrize(("text", "expected"), [
    ("Rossi called on Prime Minister Tremblay at his office.", True),
    ("Rossi called on Canada to lift its import restrictions, the ministry said.", False),
    ("Rossi will meet Tremblay next week in Oslo.", False),
    ("Rossi met Tremblay in Oslo on Tuesday.", True),
])
def test_reports_meeting(text: str, expected: bool) -> None:
    assert reports_meeting(Sentence("a", 1, text), (ROSSI,)) is expected


def test_side_meeting_sentences_stay_out_of_the_main_meeting(tmp_path: Path) -> None:
    article = tmp_path / "x.txt"
    article.write_text(
        "Foreign Minister Ana Rossi of Italy and Canadian Foreign Minister Paul Tremblay "
        "vowed on Monday to deepen cooperation on Arctic research.\n\n"
        "Meeting in Oslo, the two agreed to hold regular consultations on energy security.\n\n"
        "Rossi also held separate talks with Norwegian Foreign Minister Erik Berg.\n\n"
        "Rossi called on Norway to ease its restrictions on Italian fish imports, the ministry "
        "said.\n", "utf-8")
    facts = extract_facts(read_article(article), load_knowledge())
    main, side = facts.meetings
    assert max(e.line for t in main.topics for e in t.evidence) < 5
    assert {p.name for p in side.participants} >= {"Erik Berg"}
