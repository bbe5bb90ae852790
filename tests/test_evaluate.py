"""The evaluation measure: each metric on small hand-made cases, and `briefing eval`."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.evaluate import evaluate, same_city, same_person

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT.parent / "shared"))
SEEDS_GOLD = ROOT / "tests" / "data" / "eval" / "seeds" / "gold.yaml"

GOLD: dict[str, Any] = {
    "articles": [{"file": "a.txt", "meeting": "m1"}, {"file": "b.txt", "meeting": "m1"},
                 {"file": "c.txt", "meeting": "m2"}, {"file": "d.txt", "meeting": None}],
    "meetings": [
        {"key": "m1", "date": "2024-03-05", "city": "Washington", "country": "US",
         "format": "in_person", "setting": "standalone",
         "participants": [{"name": "Ana Rossi"}, {"name": "Paul Tremblay"}],
         "topics": ["energy", "china"], "topics_borderline": ["g7"],
         "articles": ["a.txt", "b.txt"]},
        {"key": "m2", "date": "2024-03-06", "city": None, "country": None, "format": "phone",
         "setting": "standalone", "participants": [{"name": "Ana Rossi"}, {"name": "Jan Nowak"}],
         "topics": ["grain"], "articles": ["c.txt"]}],
}
EXPORT: dict[str, Any] = {
    "articles": [{"id": "a", "meetings": ["x1"]}, {"id": "b", "meetings": ["x1"]},
                 {"id": "c", "meetings": ["x2"]}, {"id": "d", "meetings": []}],
    "meetings": [
        {"id": "x1", "date": "2024-03-05",
         "location": {"city": "Washington, D.C.", "country": "US"},
         "format": "in_person", "setting": "standalone",
         "participants": [{"name": "Ana J. Rossi"}, {"name": "Tremblay Paul"}],
         "topics": ["china", "energy", "g7"]},
        {"id": "x2", "date": "2024-03-06", "location": None, "format": "phone",
         "setting": "standalone", "participants": [{"name": "Ana Rossi"}, {"name": "Jan Nowak"}],
         "topics": ["grain"]}],
}


def test_a_perfect_export_scores_one() -> None:
    result = evaluate(GOLD, EXPORT)
    assert result.score == 1.0
    assert result.lines()[-1] == "score: 1.000"


def test_each_mistake_costs_its_own_metric() -> None:
    export = copy.deepcopy(EXPORT)
    export["meetings"][0]["date"] = "2024-03-04"
    export["meetings"][1]["participants"].append({"name": "Someone Else"})
    export["meetings"][1]["topics"].append("taiwan")
    export["articles"][3]["meetings"] = ["x3"]
    export["meetings"].append({"id": "x3"})
    result = evaluate(GOLD, export)
    assert result.metrics["date_accuracy"] == 0.5
    assert result.metrics["participants_f1"] == pytest.approx(2 * (4 / 5) * 1 / (4 / 5 + 1))
    assert result.metrics["topics_f1"] == pytest.approx(2 * 0.75 * 1 / 1.75)
    assert result.metrics["distractors"] == 0.0 and result.distractors == (0, 1)
    assert result.metrics["location_accuracy"] == 1.0


def test_split_meeting_lowers_grouping_and_precision() -> None:
    export = copy.deepcopy(EXPORT)
    export["articles"][1]["meetings"] = ["x9"]
    export["meetings"].append({"id": "x9"})
    result = evaluate(GOLD, export)
    assert result.metrics["grouping_f1"] == 0.0
    assert result.spurious_meetings == ("x9",)
    assert result.metrics["meeting_precision"] == pytest.approx(2 / 3)


def test_name_and_city_matching() -> None:
    assert same_person("Antony J. Blinken", "Blinken Antony")
    assert not same_person("Antony Blinken", "Donald Blinken")
    assert same_city("Washington, D.C.", ["Washington"])
    assert not same_city(None, ["Washington"])


def test_briefing_eval_on_the_seeds() -> None:
    result = CliRunner().invoke(cli, ["eval", "--gold", str(SEEDS_GOLD),
                                      "--articles", str(ROOT / "seeds")])
    assert result.exit_code == 0, result.output
    score = float(result.output.strip().splitlines()[-1].split(":")[1])
    assert score >= 0.97, result.output


def test_eval_names_a_broken_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text("articles: [\n", "utf-8")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold), "--articles", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{gold}:2: cannot read gold annotations")


def test_agrees_with_the_shared_scorer(tmp_path: Path) -> None:
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} not found (set BRIEFING_SHARED)")
    gold = yaml.safe_load(SEEDS_GOLD.read_text("utf-8"))
    exported = copy.deepcopy(EXPORT)
    for variant in (EXPORT, exported):
        path = tmp_path / "export.json"
        path.write_text(json.dumps(variant), "utf-8")
        for gold_data in (GOLD, gold):
            gold_path = tmp_path / "gold.yaml"
            gold_path.write_text(yaml.safe_dump(gold_data), "utf-8")
            out = subprocess.run([sys.executable, str(scorer), "--gold", str(gold_path),
                                  "--export", str(path)], capture_output=True, text=True,
                                 check=True).stdout
            theirs = float(out.strip().splitlines()[-1].split(":")[1])
            assert round(evaluate(gold_data, variant).score, 3) == theirs
        exported["meetings"][0]["date"] = None
        exported["articles"][3]["meetings"] = ["x1"]
