"""check_content: schema, taxonomy and cross-reference problems with exact positions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.records.store import check_content

DATA = Path(__file__).parent / "data"
TAXONOMY = frozenset({"sanctions", "ukraine-russia"})


def shown(content: Path) -> list[str]:
    return [str(p).removeprefix(str(content.parent) + os.sep)
            for p in check_content(content, TAXONOMY)]


def test_good_content_has_no_problems() -> None:
    assert check_content(DATA / "b_check_good" / "content", TAXONOMY) == ()


def test_broken_content_reports_every_problem_sorted() -> None:
    assert shown(DATA / "b_check_broken" / "content") == [
        'content/articles/005_call.md:9:3: meetings[0]: unknown meeting '
        '"2022-02-25-no-such-meeting" (no file meetings/2022-02-25-no-such-meeting.md)',
        'content/articles/005_call.md:11:3: near_duplicates[0].id: unknown article '
        '"007_nowhere" (no file articles/007_nowhere.md)',
        'content/articles/006_other.md:2:1: id: "006_others" does not match the file name '
        '"006_other.md"',
        'content/meetings/2022-02-26-hayashi-blinken-call.md:18:3: topics[0]: unknown topic '
        '"sanction" (not in the taxonomy)',
        'content/meetings/2022-02-26-hayashi-blinken-call.md:22:3: sources[1]: unknown article '
        '"004_missing" (no file articles/004_missing.md)',
        'content/meetings/2022-02-26-hayashi-blinken-call.md:27:5: quotes[0].sources[0]: '
        'unknown article "009_gone" (no file articles/009_gone.md)',
        'content/meetings/2022-03-01-bad-country.md:13:3: participants[0].country: expected a '
        'two-letter country code, got "Japan"',
    ]


def test_removing_an_article_breaks_references(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DATA / "b_check_good" / "content", content)
    (content / "articles" / "005_call.md").unlink()
    assert shown(content) == [
        'content/articles/003_call.md:11:3: near_duplicates[0].id: unknown article "005_call" '
        "(no file articles/005_call.md)",
        'content/meetings/2022-02-26-hayashi-blinken-call.md:22:3: sources[1]: unknown article '
        '"005_call" (no file articles/005_call.md)',
    ]


def test_missing_content_folder(tmp_path: Path) -> None:
    assert [str(p) for p in check_content(tmp_path / "none", TAXONOMY)] == [
        f"{tmp_path / 'none'}: content folder not found"]
