"""Extraction accuracy on annotated articles, measured as `briefing eval` measures it.

The seeds and the tune set are in the repository; the dev set lives in ../shared/eval/dev
(read from there, never copied). The holdout set is measured only: its floor guards against
regressions, it is never a target to tune to.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.evaluate import Evaluation

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "eval"
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT.parent / "shared"))


def measure(gold: Path, articles: Path) -> Evaluation:
    result = pipeline.evaluate(gold, articles)
    print("\n".join(result.lines()))
    return result


def test_seeds_score_and_side_meetings(tmp_path: Path) -> None:
    result = measure(EVAL / "seeds" / "gold.yaml", ROOT / "seeds")
    assert result.score >= 0.97
    pipeline.ingest(ROOT / "seeds", tmp_path)
    corpus, _ = pipeline.load(tmp_path)
    (karuizawa,) = [a for a in corpus.articles if a.id == "004_48c89be6c7eab0a1"]
    meetings = {m.id: m for m in corpus.meetings}
    sides = [{p.name for p in meetings[i].participants} for i in karuizawa.meetings[1:]]
    assert sorted(sorted(s) for s in sides) == [["Annalena Baerbock", "Yoshimasa Hayashi"],
                                                ["James Cleverly", "Yoshimasa Hayashi"]]


def test_dev_set_meets_the_issue_thresholds() -> None:
    dev = SHARED / "eval" / "dev"
    if not dev.is_dir():
        pytest.skip(f"{dev} not found (set BRIEFING_SHARED)")
    result = measure(dev / "gold.yaml", dev / "articles")
    m = result.metrics
    assert result.score >= 0.93
    assert m["grouping_f1"] >= 0.95 and m["date_accuracy"] >= 0.9
    assert m["location_accuracy"] >= 0.9 and m["format_accuracy"] >= 0.95
    assert m["participants_f1"] >= 0.95 and m["topics_f1"] >= 0.8
    assert result.distractors == (2, 2)


@pytest.mark.parametrize("name", ["tune", "tune2"])
def test_tuning_sets(name: str) -> None:
    result = measure(EVAL / name / "gold.yaml", EVAL / name / "articles")
    assert result.score >= 0.97


def test_holdout_set_does_not_regress() -> None:
    """Measured blind at 0.807 when first run; a floor a little below guards regressions."""
    result = measure(EVAL / "holdout" / "gold.yaml", EVAL / "holdout" / "articles")
    assert result.score >= 0.78


def test_seeds_and_dev_together_group_by_meeting(tmp_path: Path) -> None:
    """Seed 002 joins the dev reports of the same 2+2, seed 004 those of Karuizawa (and its
    Cleverly side meeting the dev reports of that one)."""
    dev = SHARED / "eval" / "dev"
    if not dev.is_dir():
        pytest.skip(f"{dev} not found (set BRIEFING_SHARED)")
    articles = tmp_path / "articles"
    articles.mkdir()
    for folder in (ROOT / "seeds", dev / "articles"):
        for path in folder.iterdir():
            (articles / path.name).write_bytes(path.read_bytes())
    pipeline.ingest(articles, tmp_path / "content")
    corpus, _ = pipeline.load(tmp_path / "content")
    listed = {a.id: a.meetings for a in corpus.articles}
    gold = yaml.safe_load((dev / "gold.yaml").read_text("utf-8"))
    reports = {m["key"]: [Path(f).stem for f in m["articles"]] for m in gold["meetings"]}

    def meeting_of(key_part: str) -> set[str]:
        (key,) = [k for k in reports if key_part in k]
        return {listed[a][0] for a in reports[key] if gold_meeting(gold, a) == key}

    assert meeting_of("2plus2_washington") == {listed["002_dbcf363fd8ba6696"][0]}
    assert meeting_of("hayashi-blinken_karuizawa") == {listed["004_48c89be6c7eab0a1"][0]}
    assert meeting_of("hayashi-cleverly_karuizawa") <= set(listed["004_48c89be6c7eab0a1"][1:])


def gold_meeting(gold: dict, article: str) -> str | None:  # type: ignore[type-arg]
    return next(a["meeting"] for a in gold["articles"] if Path(a["file"]).stem == article)
