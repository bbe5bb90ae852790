"""The `briefing` command end to end on the seed articles: exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT.parent / "shared"))
COMMANDS = ("ingest", "render", "build", "check", "export")


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help_with_an_example() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out
        code, out_command, _ = run(command, "--help")
        assert code == 0 and "Example:" in out_command and f"briefing {command}" in out_command


def test_python_m_generator_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_ingest_then_nothing_to_do(project: Path) -> None:
    code, out, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert code == 0, err
    assert out == "5 articles, 6 meetings (written) in content; 0 skipped\n"
    code, out, _ = run("ingest", "--seeds", "seeds", "--content", "content")
    assert (code, out) == (0, "5 articles, 6 meetings (up to date) in content; 0 skipped\n")
    assert len(list((project / "content" / "meetings").glob("*.md"))) == 6
    assert len(list((project / "content" / "articles").glob("*.md"))) == 5


def test_unreadable_article_is_named_and_the_rest_still_ingest(project: Path) -> None:
    (project / "seeds" / "zz_empty.txt").write_text("  \n", "utf-8")
    code, out, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert code == 1
    assert "seeds/zz_empty.txt: empty file" in err
    assert out.startswith("5 articles, 6 meetings (written)")


def test_missing_seeds_folder_is_a_usage_error(project: Path) -> None:
    code, _, err = run("ingest", "--seeds", "nowhere", "--content", "content")
    assert code == 2 and "nowhere: no such folder of articles" in err


def test_hand_edit_survives_reingest(project: Path) -> None:
    run("ingest", "--seeds", "seeds", "--content", "content")
    record = next((project / "content" / "meetings").glob("2023-04-17-*karuizawa*.md"))
    text = record.read_text("utf-8")
    head, body = text.split("\n---\n", 1)
    data = yaml.safe_load(head.removeprefix("---\n"))
    edited_title = "Karuizawa talks (checked by analyst)"
    text = text.replace(f"title: {data['title']}", f"title: {edited_title}", 1)
    record.write_text(text + "\nAnalyst note: confirmed with the MOFA readout.\n", "utf-8")
    (project / "seeds" / "004_48c89be6c7eab0a1.txt").write_text(
        (ROOT / "seeds" / "004_48c89be6c7eab0a1.txt").read_text("utf-8") + "\nMore text.\n",
        "utf-8")
    code, _, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert code == 0, err
    kept = record.read_text("utf-8")
    assert f"title: {edited_title}" in kept
    assert "Analyst note: confirmed with the MOFA readout." in kept


def test_check_passes_on_fresh_records_and_names_a_broken_one(project: Path) -> None:
    run("ingest", "--seeds", "seeds", "--content", "content")
    code, out, _ = run("check", "--content", "content")
    assert (code, out) == (0, "content: all records valid\n")
    record = sorted((project / "content" / "meetings").glob("*.md"))[0]
    lines = record.read_text("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("format:"))
    lines[number - 1] = "format: carrier pigeon"
    record.write_text("\n".join(lines) + "\n", "utf-8")
    code, _, err = run("check", "--content", "content")
    assert code == 1
    assert f"content/meetings/{record.name}:{number}:" in err and "format" in err


def test_export_json_and_csv(project: Path) -> None:
    run("ingest", "--seeds", "seeds", "--content", "content")
    code, out, _ = run("export", "--content", "content", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [a["id"] for a in data["articles"]] == sorted(p.stem for p in Path("seeds").iterdir())
    assert [m["id"] for m in data["meetings"]] == sorted(m["id"] for m in data["meetings"])
    code, out, _ = run("export", "--content", "content", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(data["meetings"])
    assert {"id", "date", "participants", "topics"} <= set(rows[0])


def test_committed_records_pass_check() -> None:
    code, out, err = run("check", "--content", str(ROOT / "content"))
    assert code == 0, err


def test_seed_score_is_at_least_095(project: Path) -> None:
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} not found (set BRIEFING_SHARED)")
    run("ingest", "--seeds", "seeds", "--content", "content")
    _, out, _ = run("export", "--content", "content", "--format", "json")
    (project / "export.json").write_text(out, "utf-8")
    result = subprocess.run([sys.executable, str(scorer), "--gold",
                             str(SHARED / "eval" / "seeds" / "gold.yaml"), "--export",
                             "export.json"], capture_output=True, text=True, check=True)
    score = float(result.stdout.strip().splitlines()[-1].split(":")[1])
    assert score >= 0.95, result.stdout


def test_edit_conflicting_with_a_changed_seed_is_kept_and_reported(project: Path) -> None:
    run("ingest", "--seeds", "seeds", "--content", "content")
    record = next((project / "content" / "meetings").glob("2022-02-26-*phone*.md"))
    text = record.read_text("utf-8")
    assert "\ndate: 2022-02-26\n" in text
    record.write_text(text.replace("\ndate: 2022-02-26\n", "\ndate: 2022-02-27\n"), "utf-8")
    seed = project / "seeds" / "003_64d75e3eda37c051.txt"
    seed.write_text(seed.read_text("utf-8").replace("date 2022-02-26", "date 2022-02-25", 1),
                    "utf-8")
    code, _, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert code == 0, err
    line = text.splitlines().index("date: 2022-02-26") + 1
    assert f"content/meetings/{record.name}:{line}: date: kept your edit" in err
    assert "\ndate: 2022-02-27\n" in record.read_text("utf-8")
    article = (project / "content" / "articles" / "003_64d75e3eda37c051.md").read_text("utf-8")
    assert "\npublished: 2022-02-25\n" in article  # a field nobody edited follows the seed
