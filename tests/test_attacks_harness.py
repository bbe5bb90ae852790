"""The attack harness itself: every expectation and check can pass and can fail, shown on small
attack folders written here (one of them deliberately broken: a page with a planted script),
on attacks of the corpus that held on main, and on the site-safety checker's own rules."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from attackkit import ATTACKS, AttackError, load_spec, restore_permissions, run_attack
from conftest import BuiltSite
from sitesafety import Baseline, baseline, check_html, unsafe_url

PLANTED = "<html><body><p>x</p><script>alert(1)</script></body></html>"


@pytest.fixture(scope="module")
def seed_baseline(built_site: BuiltSite) -> Baseline:
    return baseline(built_site.root)


def folder_with(tmp_path: Path, spec: dict[str, Any], files: dict[str, str] | None = None,
                check: str | None = None) -> Path:
    folder = tmp_path / "attack" / "01-case"
    folder.mkdir(parents=True)
    full = {"attack": "a test of the harness", "defect": None, "expected": "as written",
            **spec}
    (folder / "attack.yaml").write_text(yaml.safe_dump(full), "utf-8")
    for name, text in (files or {}).items():
        (folder / "files" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "files" / name).write_text(text, "utf-8")
    if check is not None:
        (folder / "check.py").write_text(check, "utf-8")
    return folder


def outcome(tmp_path: Path, allowed: Baseline | None, spec: dict[str, Any],
            files: dict[str, str] | None = None, check: str | None = None) -> list[str]:
    folder = folder_with(tmp_path, spec, files, check)
    try:
        return run_attack(folder, tmp_path / "run", allowed)
    finally:
        restore_permissions(tmp_path)


PY_FAIL = {"python": ["-c", "import sys; sys.stderr.write('content/x.md: bad\\n'); "
                            "sys.exit(1)"]}
PY_CRASH = {"python": ["-c", "1/0"]}


@pytest.mark.parametrize(("step", "passes"), [
    ({**PY_FAIL, "exit": 1, "stderr": [r"x\.md"]}, True),
    ({**PY_FAIL, "exit": "nonzero", "stderr": [r"x\.md"]}, True),
    ({**PY_FAIL, "exit": "any"}, True),
    ({**PY_FAIL, "exit": 0}, False),
    ({**PY_FAIL, "exit": 1, "stderr": [r"y\.md"]}, False),
    ({**PY_FAIL, "exit": 1, "stderr_absent": ["bad"]}, False),
    ({**PY_FAIL, "exit": 1, "stdout": ["bad"]}, False),
    ({**PY_FAIL, "exit": "any", "stderr_if_failed": ["nowhere"]}, False),
    ({"python": ["-c", "print('ok')"], "exit": 0, "stderr_if_failed": ["nowhere"],
      "stdout": ["^ok$"]}, True),
    ({"python": ["-c", "import time; time.sleep(5)"], "timeout": 0.5}, False),
])
def test_step_expectations_pass_and_fail(tmp_path: Path, step: dict[str, Any],
                                         passes: bool) -> None:
    assert (outcome(tmp_path, None, {"steps": [step]}) == []) is passes


@pytest.mark.parametrize(("spec", "passes"), [
    ({"steps": [{**PY_CRASH, "exit": 1}], "checks": ["no_traceback"]}, False),
    ({"steps": [{**PY_FAIL, "exit": 1}], "checks": ["no_traceback"]}, True),
    ({"steps": [{"write": {"path": "victim.txt", "text": "x"}}],
      "checks": [{"unchanged": ["victim.txt"]}]}, False),
    ({"steps": [{"write": {"path": "other.txt", "text": "x"}}],
      "checks": [{"unchanged": ["victim.txt", "content"]}]}, True),
    ({"steps": [{"write": {"path": "content/new.md", "text": "x"}}],
      "checks": [{"unchanged": ["content"]}]}, False),
    ({"steps": [{"remove": "content/keep.md"}], "checks": [{"unchanged": ["content"]}]}, False),
    ({"steps": [], "checks": [{"absent": ["victim.txt"]}]}, False),
    ({"steps": [], "checks": [{"absent": ["site/**/*.html"]}, {"exists": ["victim.txt"]}]},
     True),
    ({"steps": [], "checks": [{"exists": ["site/index.html"]}]}, False),
    ({"steps": [], "checks": [{"grep_absent": {"path": "*.txt", "pattern": "prec.ous"}}]},
     False),
    ({"steps": [], "checks": [{"grep_present": {"path": "*.txt", "pattern": "prec.ous"}},
                              {"grep_absent": {"path": "*.txt", "pattern": "secret"}}]}, True),
    ({"steps": [], "checks": [{"grep_present": {"path": "*.txt", "pattern": "secret"}}]}, False),
    ({"steps": [], "checks": [{"max_bytes": {"path": "*.txt", "each": 5}}]}, False),
    ({"steps": [], "checks": [{"max_bytes": {"path": "**/*.txt", "total": 10_000}}]}, True),
])
def test_checks_pass_and_fail(tmp_path: Path, spec: dict[str, Any], passes: bool) -> None:
    files = {"victim.txt": "precious\n", "content/keep.md": "kept\n"}
    assert (outcome(tmp_path, None, spec, files) == []) is passes


def test_site_safe_fails_on_a_planted_script_and_passes_on_a_clean_page(
        tmp_path: Path, seed_baseline: Baseline, built_site: BuiltSite) -> None:
    clean = (built_site.root / "index.html").read_text("utf-8")
    good = outcome(tmp_path / "good", seed_baseline, {"steps": [], "checks": ["site_safe"]},
                   {"site/index.html": clean})
    bad = outcome(tmp_path / "bad", seed_baseline, {"steps": [], "checks": ["site_safe"]},
                  {"site/index.html": clean, "site/x/index.html": PLANTED})
    assert good == []
    assert bad == ["site unsafe: x/index.html: inline script 'alert(1)'"]


def test_pages_safe_converts_markdown_like_mkdocs(tmp_path: Path,
                                                  seed_baseline: Baseline) -> None:
    spec = {"steps": [], "checks": ["pages_safe"]}
    good = outcome(tmp_path / "good", seed_baseline, spec, {
        "build/pages/a.md": '---\ntitle: "x &lt;img&gt;"\n---\n# Title\n\n&lt;img src=x '
                            'onerror=alert(1)&gt; \\[a\\]\\(javascript:x\\)\n'})
    bad = outcome(tmp_path / "bad", seed_baseline, spec, {
        "build/pages/a.md": "# Title\n\n[a](javascript:alert(1))\n"})
    broken = outcome(tmp_path / "broken", seed_baseline, spec, {
        "build/pages/a.md": '---\ntitle: "\ufffe\n---\n# Title\n'})
    assert good == []
    assert any("unsafe URL" in f for f in bad), bad
    assert any("front matter is not YAML" in f for f in broken), broken


def test_check_py_failures_are_reported(tmp_path: Path) -> None:
    check = ("from pathlib import Path\n\ndef check(project: Path) -> None:\n"
             "    assert (project / 'victim.txt').read_text() == 'other', 'victim changed'\n")
    assert outcome(tmp_path, None, {"steps": []}, {"victim.txt": "x"}, check) == \
        ["check.py: victim changed"]


def test_faults_make_a_folder_read_only_or_full(tmp_path: Path) -> None:
    write = {"python": ["-c", "open('content/x', 'w')"], "exit": "nonzero",
             "stderr": ["Read-only file system"], "faults": {"readonly": ["content"]}}
    full = {"python": ["-c", "import os; os.open('site/x', os.O_CREAT | os.O_WRONLY)"],
            "exit": "nonzero", "stderr": ["No space left"], "faults": {"enospc": ["site"]}}
    elsewhere = {"python": ["-c", "open('seeds/x', 'w')"], "exit": 0,
                 "faults": {"readonly": ["content"]}}
    assert outcome(tmp_path, None, {"steps": [write, full, elsewhere]}) == []


def test_a_malformed_attack_folder_is_an_error_of_the_harness(tmp_path: Path) -> None:
    with pytest.raises(AttackError):
        outcome(tmp_path / "a", None, {"steps": [{"shell": "rm -rf /"}]})
    with pytest.raises(AttackError):
        outcome(tmp_path / "b", None, {"steps": [], "checks": ["no_such_check"]})
    with pytest.raises(AttackError):
        load_spec(folder_with(tmp_path / "c", {"steps": [], "extra_key": 1}))


@pytest.mark.parametrize("name", ["script-in-title", "yaml-alias-bomb"])
def test_attacks_that_held_pass_and_their_broken_twin_fails(
        name: str, tmp_path: Path, seed_baseline: Baseline) -> None:
    """An attack that held on main passes; the same attack with the page made unsafe after
    the build (or the record made valid, so nothing names it) fails."""
    folder = next(ATTACKS.glob(f"[0-9][0-9][0-9]-{name}"))
    assert run_attack(folder, tmp_path / "held", seed_baseline) == []
    twin = tmp_path / "twin" / name
    shutil.copytree(folder, twin)
    spec = load_spec(twin)
    if name == "script-in-title":
        spec["steps"].append({"write": {"path": f"site/meetings/{spec_meeting(twin)}/"
                                                "index.html", "text": PLANTED}})
    else:
        record = next((twin / "files" / "content" / "meetings").glob("*.md"))
        text = record.read_text("utf-8")
        record.write_text("---\n" + text[text.index("\nid:") + 1:], "utf-8")  # the bomb taken out
    (twin / "attack.yaml").write_text(yaml.safe_dump(spec), "utf-8")
    assert run_attack(twin, tmp_path / "broken", seed_baseline) != []


def spec_meeting(folder: Path) -> str:
    return next((folder / "files" / "content" / "meetings").glob("*.md")).stem


@pytest.mark.parametrize(("html", "finding"), [
    ("<a href=' JaVa\tScRiPt:alert(1)'>x</a>", "unsafe URL"),
    ("<a href='&#106;avascript:alert(1)'>x</a>", "unsafe URL"),
    ("<img src='data:image/svg+xml,<svg onload=alert(1)>'>", "unsafe URL"),
    ("<form><button formaction='vbscript:msgbox(1)'>x</button></form>", "unsafe URL"),
    ("<svg><a xlink:href='javascript:alert(1)'>x</a></svg>", "unsafe URL"),
    ("<p onclick='x()'>x</p>", "event handler onclick"),
    ("<p ONMOUSEOVER='x()'>x</p>", "event handler onmouseover"),
    ("<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>", "meta refresh"),
    ("<script src='https://evil.example/x.js'></script>", "script from"),
    ("<script>alert(1)</script>", "inline script"),
    ("<iframe src='x'></iframe>", "new element <iframe>"),
    ("<p data-x='1'>x</p>", "new attribute data-x="),
])
def test_the_checker_finds_each_unsafe_construct(html: str, finding: str,
                                                 seed_baseline: Baseline) -> None:
    found = check_html(f"<html><body>{html}</body></html>", seed_baseline)
    assert any(finding in f for f in found), found


def test_the_checker_passes_the_clean_site_and_ordinary_markup(
        built_site: BuiltSite, seed_baseline: Baseline) -> None:
    from sitesafety import check_site

    assert check_site(built_site.root, seed_baseline) == []
    assert check_html("<html><body><p>&lt;script&gt; <a href='../x/'>x</a> "
                      "<a href='https://example.com/javascript:x'>y</a></p></body></html>",
                      seed_baseline) == []
    assert not unsafe_url("https://example.com/?q=javascript:x")
    assert unsafe_url("\x01javascript:x")
