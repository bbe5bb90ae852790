"""Article bytes in East Asian encodings, UTF-16 without a byte-order mark or with a few
stray NUL bytes are read as the text they are; seeds subfolders, deleted records and broken
gold files are each named in a line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_ingest

from generator.cli import cli
from generator.ingest.sources import SourceError, decode_article

DATA = Path(__file__).parent / "data"
LF = DATA / "bad_twins" / "lf.txt"
JAPANESE = "東京で日米外相会談が開かれた。林外務大臣はブリンケン国務長官と会談した。\n" * 3
CHINESE = "中国外交部长王毅在北京会见了日本外相。双方讨论了贸易问题。这个会议是重要的。\n" * 3
TAIWANESE = "中國外交部長在台北會見了日本外相。雙方討論了貿易問題。這個會議是重要的。\n" * 3
KOREAN = "한국 외교부 장관은 서울에서 일본 외무상과 회담했다. 양측은 무역 문제를 논의했다.\n" * 3


@pytest.mark.parametrize(("text", "encoding"), [
    (JAPANESE, "shift_jis"), (JAPANESE, "euc_jp"), (CHINESE, "gb18030"), (TAIWANESE, "big5"),
    (KOREAN, "euc_kr"), (CHINESE + "Wang Yi met Yoko Kamikawa in Beijing.\n", "gb18030")])
def test_east_asian_encodings_are_detected(text: str, encoding: str) -> None:
    decoded, found = decode_article(text.encode(encoding), "a.txt")
    assert decoded == text


ENGLISH_WITH_NAMES = (
    "Ministers meet in Tokyo\nTOKYO, Aug 2 - Foreign Minister Yoshimasa Hayashi (林芳正) met "
    "Chinese Foreign Minister Wang Yi (王毅外交部长) in Tokyo on Monday.\n"
    "The two ministers agreed to strengthen cooperation. 他说，中日关系很重要。\n")


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_english_quoting_a_few_east_asian_names_is_detected(encoding: str) -> None:
    """A few East Asian characters in an English article: far fewer high bytes than a text
    in the language, but in pairs (two bytes a character)."""
    text = ENGLISH_WITH_NAMES
    if encoding == "big5":
        for simplified, traditional in (("长", "長"), ("说", "說"), ("关系", "關係")):
            text = text.replace(simplified, traditional)
    assert decode_article(text.encode(encoding), "a.txt") == (text, encoding)


def test_a_name_alone_in_chinese_characters_is_read_and_the_guess_is_said() -> None:
    text = "Foreign Minister Wang Yi (\u738b\u6bc5) met Yoko Kamikawa in Tokyo on Monday.\n"
    assert decode_article(text.encode("gb18030"), "a.txt") == (
        text, "gb18030 (guessed: too little Chinese text to be sure)")


@pytest.mark.parametrize("text", [
    "Caf\u00e9 talks in Z\u00fcrich: \u201cwe agreed\u201d, said the minister.\n" * 3,
    "\u00c9douard and Fran\u00e7ois met in Gen\u00e8ve \u2013 na\u00efve hopes.\n" * 3])
def test_european_accents_stay_windows_1252(text: str) -> None:
    assert decode_article(text.encode("cp1252"), "a.txt") == (text, "cp1252")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding: str) -> None:
    text = LF.read_text("utf-8")
    assert decode_article(text.encode(encoding), "a.txt") == (text, encoding)


def test_a_few_stray_nul_bytes_are_dropped_with_a_note() -> None:
    raw = LF.read_bytes()
    text, encoding = decode_article(raw[:50] + b"\x00" + raw[50:] + b"\x00", "a.txt")
    assert (text, encoding) == (LF.read_text("utf-8"), "utf-8 (2 NUL bytes dropped)")


def test_binary_full_of_nul_bytes_is_still_refused() -> None:
    with pytest.raises(SourceError, match="binary file \\(NUL bytes\\)"):
        decode_article(LF.read_bytes() + b"\x00\x01\x02\x03" * 100, "a.txt")





def test_each_ignored_seeds_subfolder_is_named(article_project: Path) -> None:
    (article_project / "seeds" / "2024").mkdir()
    shutil.copyfile(LF, article_project / "seeds" / "2024" / "other.txt")
    code, out, err = run_ingest()
    assert (code, err) == (0, "seeds/2024: a folder inside the seeds folder; its files are "
                              "not ingested (move them into the seeds folder to ingest them)\n")
    assert out == "1 articles, 1 meetings (written) in content; 0 skipped\n"


def test_a_deleted_meeting_written_again_is_said(article_project: Path) -> None:
    assert run_ingest()[0] == 0
    (meeting,) = (article_project / "content" / "meetings").glob("*.md")
    meeting.unlink()
    code, _, err = run_ingest("--force")
    assert code == 0 and meeting.is_file()
    assert err == (f"content/meetings/{meeting.name}: was deleted; written again from its "
                   "sources (delete its articles (article) from the seeds to drop it)\n")


@pytest.mark.parametrize(("text", "said"), [
    ("articles: [\n", ":2: cannot read gold annotations: not valid YAML"),
    ("articles: []\nmeetings: 3\n", ":2: meetings: expected a list"),
    ("articles:\n- file: a.txt\n- 7\nmeetings: []\n", ":3: articles[1]: expected a mapping"),
    ("articles: []\nmeetings:\n- key: m1\n  articles: [a.txt]\n",
     ":3: meetings[0].participants: missing"),
    ("articles: []\nmeetings:\n- key: m1\n  articles: [a.txt]\n  participants: [Wong]\n",
     ":5: meetings[0].participants: expected a list of {name: ...} entries, got ['Wong']"),
    ("- a\n", ":1: expected a mapping with `articles` and `meetings` lists"),
])
def test_a_malformed_gold_file_is_named_with_its_line(tmp_path: Path, text: str,
                                                      said: str) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold), "--articles", str(tmp_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{gold}{said}"), result.stderr


def test_a_content_path_that_is_a_file_is_named_and_left_alone(article_project: Path) -> None:
    (article_project / "content").write_text("notes\n", "utf-8")
    code, out, err = run_ingest()
    assert (code, out) == (1, "")
    assert err == ("content: not a folder: the records go into a folder (remove the "
                   "file or choose another)\n")
    assert (article_project / "content").read_text("utf-8") == "notes\n"


@pytest.mark.parametrize("day", ["9999-12-31", "1850-01-01", "0001-01-01"])
def test_a_date_line_no_record_can_hold_gives_no_date(article_project: Path, day: str) -> None:
    """A leading date line out of the range a record may hold is not taken as the
    publication day (ingest wrote records its own loader refused)."""
    article = article_project / "seeds" / "article.txt"
    article.write_text(f" date {day} \n" + article.read_text("utf-8"), "utf-8")
    code, _, err = run_ingest()
    assert (code, err) == (0, "")
    assert f"published: {day}" not in (article_project / "content" / "articles" / "article.md"
                                         ).read_text("utf-8")
    result = CliRunner().invoke(cli, ["check", "--content", "content"])
    assert result.exit_code == 0, result.stderr


def test_ingest_never_writes_a_record_that_fails_its_check(
        article_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever extraction finds, a record its own loader would refuse is not written: it is
    named, and the run fails."""
    import datetime as dt

    from generator.extract import masthead

    monkeypatch.setattr(masthead, "calendar_date", lambda y, m, d: dt.date(y, m, d))
    article = article_project / "seeds" / "article.txt"
    article.write_text(" date 9999-12-31 \n" + article.read_text("utf-8"), "utf-8")
    code, _, err = run_ingest("--wait", "0")
    assert code == 1
    assert ("content/articles/article.md: not saved: line 7: published: 9999-12-31 is out of "
            "range") in err
    assert not (article_project / "content" / "articles" / "article.md").exists()


@pytest.mark.parametrize(("make", "said"), [
    ("content/.lock", "content/.lock: is a directory: cannot take the lock (nothing was "
                      "changed)\n"),
    ("content/.state", None)])
def test_a_folder_or_file_in_the_wrong_place_is_one_line(article_project: Path, make: str,
                                                         said: str | None) -> None:
    """A folder where ingest keeps a file (or a file where it keeps a folder): one line
    naming it, exit 1, no traceback."""
    import subprocess
    import sys

    if make.endswith(".lock"):
        (article_project / make).mkdir(parents=True)
    else:
        (article_project / "content").mkdir()
        (article_project / make).write_text("", "utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "ingest"], cwd=article_project,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr == said if said else run.stderr.startswith(f"{make}: ")
