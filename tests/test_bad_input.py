"""Bad input files: each one either ingests correctly (its encoding recorded) or is skipped
with ``path: reason``; the rest of the corpus still ingests and the run exits 1.

Fixtures: ``tests/data/bad_twins`` (one article in many encodings, line endings and with
invisible characters: all must give the records of the plain UTF-8 LF file),
``tests/data/bad_skips`` (files that must be skipped, next to one good article) and
``tests/data/bad_names`` (awkward file names). Links, oversized files and names that are
not valid UTF-8 cannot be committed; they are made in ``tmp_path``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SiteProject

from generator import pipeline
from generator.cli import cli
from generator.extract import article as extract
from generator.extract.article import extract_facts
from generator.extract.masthead import read_article
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.models import ArticleFacts, SourceArticle

DATA = Path(__file__).parent / "data"
TWINS = DATA / "bad_twins"
SKIPS = DATA / "bad_skips"
NAMES = DATA / "bad_names"
ENCODINGS = {
    "lf.txt": "utf-8", "crlf.txt": "utf-8", "cr.txt": "utf-8", "mixed.txt": "utf-8",
    "utf8_bom.txt": "utf-8-sig", "utf16le_bom.txt": "utf-16-le",
    "utf16be_bom.txt": "utf-16-be", "utf32le_bom.txt": "utf-32-le", "cp1252.txt": "cp1252",
    "mojibake.txt": "utf-8", "invisible.txt": "utf-8", "tabs_and_separators.txt": "utf-8",
}
SKIPPED = {
    "archive.txt": "binary file (ZIP archive), not an article",
    "blank.txt": "empty file (only whitespace or invisible characters)",
    "controls.txt": "binary file (control characters), not an article",
    "empty.txt": "empty file",
    "image.txt": "binary file (PNG image), not an article",
    "invisible_only.txt": "empty file (only whitespace or invisible characters)",
    "nul.txt": "binary file (NUL bytes), not an article",
    "photo.txt": "binary file (JPEG image), not an article",
    "report.txt": "binary file (PDF document), not an article",
    "utf16_odd.txt": "not valid UTF-16-LE text after its byte-order mark",
}
HASHED = re.compile(r"^(sha256|encoding): .*$", re.MULTILINE)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def ingest_alone(tmp_path: Path, source: Path, name: str = "article.txt") -> Path:
    """Ingest one file as ``seeds/<name>`` of its own project; return the content folder."""
    project = tmp_path / source.name
    (project / "seeds").mkdir(parents=True)
    shutil.copyfile(source, project / "seeds" / name)
    report = pipeline.ingest(project / "seeds", project / "content", project)
    assert report.skipped == ()
    return project / "content"


def record_texts(content: Path) -> dict[str, str]:
    """Every record file's text, sha256 and encoding blanked (they differ between twins)."""
    return {p.relative_to(content).as_posix(): HASHED.sub(r"\1: -", p.read_text("utf-8"))
            for p in sorted(content.glob("*/*.md"))}


@pytest.fixture(scope="module")
def lf_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return record_texts(ingest_alone(tmp_path_factory.mktemp("lf"), TWINS / "lf.txt"))


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_twin_gives_the_records_of_the_plain_file(name: str, tmp_path: Path,
                                                  lf_records: dict[str, str]) -> None:
    content = ingest_alone(tmp_path, TWINS / name)
    assert record_texts(content) == lf_records
    article = (content / "articles" / "article.md").read_text("utf-8")
    assert f"\nencoding: {ENCODINGS[name]}\n" in article


def test_every_twin_fixture_is_listed() -> None:
    assert sorted(p.name for p in TWINS.iterdir()) == sorted(ENCODINGS)


def test_invisible_characters_never_reach_titles_names_or_slugs(tmp_path: Path) -> None:
    content = ingest_alone(tmp_path, TWINS / "invisible.txt")
    (meeting,) = (content / "meetings").glob("*.md")
    assert meeting.name == "2024-03-04-wong-kamikawa-meeting-canberra.md"
    text = meeting.read_text("utf-8")
    assert "title: Wong–Kamikawa meeting in Canberra\n" in text
    assert "- name: Yoko Kamikawa\n" in text and "- name: Penny Wong\n" in text
    invisible = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\x00-\x09]")
    assert not invisible.search(text)


def test_latin1_is_decoded_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Talks at the Élysée café\nMinisters met in Paris.\n".encode("latin-1"))
    article = read_article(path)
    assert (article.encoding, article.text) == (
        "latin-1", "Talks at the Élysée café\nMinisters met in Paris.\n")


def test_mojibake_is_repaired_in_the_text(tmp_path: Path) -> None:
    article = read_article(TWINS / "mojibake.txt")
    assert "Japan’s ties" in article.text and "“We share" in article.text
    assert "â€" not in article.text


@pytest.fixture(scope="module")
def skip_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, Path]:
    project = tmp_path_factory.mktemp("skips")
    shutil.copytree(SKIPS, project / "seeds")
    cwd = Path.cwd()
    os.chdir(project)
    try:
        code, out, err = run("ingest", "--seeds", "seeds", "--content", "content")
    finally:
        os.chdir(cwd)
    return code, out, err, project


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_bad_file_is_skipped_with_its_reason(name: str,
                                             skip_run: tuple[int, str, str, Path]) -> None:
    _, _, err, _ = skip_run
    assert f"seeds/{name}: {SKIPPED[name]}\n" in err


def test_skips_end_with_a_summary_and_exit_1(skip_run: tuple[int, str, str, Path]) -> None:
    code, out, err, project = skip_run
    assert code == 1
    assert out == f"1 articles, 1 meetings (written) in content; {len(SKIPPED)} skipped\n"
    assert err == "".join(f"seeds/{name}: {SKIPPED[name]}\n" for name in sorted(SKIPPED))
    assert [p.name for p in (project / "content" / "articles").glob("*.md")] == ["good.md"]


def test_every_skip_fixture_is_listed() -> None:
    assert sorted(p.name for p in SKIPS.iterdir()) == sorted([*SKIPPED, "good.txt"])


@pytest.fixture()
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copyfile(SKIPS / "good.txt", tmp_path / "seeds" / "good.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "seeds"


def expect_one_skip(line: str) -> None:
    code, out, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert (code, err) == (1, line + "\n")
    assert out == "1 articles, 1 meetings (written) in content; 1 skipped\n"


def test_symlink_is_not_followed(seeds: Path) -> None:
    secret = seeds.parent / "secret.txt"
    secret.write_text((SKIPS / "good.txt").read_text("utf-8"), "utf-8")
    (seeds / "link.txt").symlink_to(secret)
    expect_one_skip("seeds/link.txt: symbolic link, not followed")


def test_dangling_symlink_is_skipped(seeds: Path) -> None:
    (seeds / "gone.txt").symlink_to(seeds.parent / "nowhere.txt")
    expect_one_skip("seeds/gone.txt: symbolic link, not followed")


def test_file_over_the_size_limit_is_skipped_unread(seeds: Path) -> None:
    (seeds / "huge.txt").write_bytes(b"word " * 400_001)  # 2,000,005 bytes
    expect_one_skip("seeds/huge.txt: file is larger than 2000000 bytes")


def test_size_limit_is_configurable(seeds: Path) -> None:
    (seeds.parent / "content" / "data").mkdir(parents=True)
    (seeds.parent / "content" / "data" / "settings.yaml").write_text(
        "limits:\n  max_article_bytes: 100\n", "utf-8")
    (seeds / "long.txt").write_text("Ministers met. " * 10, "utf-8")
    code, _, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert code == 1
    assert err == ("seeds/good.txt: file is larger than 100 bytes\n"
                   "seeds/long.txt: file is larger than 100 bytes\n")


def test_bad_settings_are_named(seeds: Path) -> None:
    (seeds.parent / "content" / "data").mkdir(parents=True)
    (seeds.parent / "content" / "data" / "settings.yaml").write_text(
        "limits:\n  max_article_bytes: -1\n", "utf-8")
    code, _, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert (code, err) == (1, "content/data/settings.yaml:2: limits.max_article_bytes: "
                              "expected a positive number, got -1\n")


def test_fifo_is_skipped_without_blocking(seeds: Path) -> None:
    os.mkfifo(seeds / "pipe.txt")
    expect_one_skip("seeds/pipe.txt: not a regular file")


def test_folder_named_like_an_article_is_skipped(seeds: Path) -> None:
    (seeds / "folder.txt").mkdir()
    expect_one_skip("seeds/folder.txt: not a regular file")


def test_two_files_with_one_id_keep_the_first(seeds: Path) -> None:
    shutil.copyfile(SKIPS / "good.txt", seeds / "good.md")
    expect_one_skip('seeds/good.txt: article id "good" is already taken by seeds/good.md')


def test_one_megabyte_line_without_newline_is_skipped_at_once(seeds: Path) -> None:
    (seeds / "long_line.txt").write_text("Ministers talked about trade " * 36_000, "utf-8")
    expect_one_skip("seeds/long_line.txt:1: line is longer than 50000 characters, "
                    "not article text")


def test_long_line_under_the_limit_ingests(seeds: Path) -> None:
    text = "Talks\nKamikawa met Wong in Tokyo. " + "Ministers talked about trade " * 1_700
    (seeds / "long_line.txt").write_text(text, "utf-8")
    code, out, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert (code, err) == (0, "")
    assert out.startswith("2 articles, ") and out.endswith(" 0 skipped\n")


NAMED_IDS = {"--.txt": "article-", "-leading-dash.txt": "leading-dash-",
             "with space.txt": "with-space-", "über café.txt": "uber-cafe-"}


def test_awkward_file_names_ingest_with_safe_ids(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(NAMES, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert (code, err) == (0, ""), err
    assert out.startswith("4 articles") and out.endswith("; 0 skipped\n")
    articles = sorted((tmp_path / "content" / "articles").glob("*.md"))
    ids = sorted(p.stem for p in articles)
    assert [i[:-8] for i in ids] == sorted(NAMED_IDS.values())
    assert all(re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}", i) for i in ids)
    sources = sorted(line for p in articles for line in p.read_text("utf-8").splitlines()
                     if line.startswith("source_file:"))
    assert sources == sorted(f"source_file: seeds/{n}" for n in NAMED_IDS)


def test_name_that_is_not_utf8_or_has_controls_is_shown_escaped(seeds: Path) -> None:
    os.close(os.open(os.fsencode(seeds) + b"/caf\xe9.txt", os.O_CREAT | os.O_WRONLY))
    (seeds / "bell\x07\u202e.txt").write_bytes(b"")
    code, _, err = run("ingest", "--seeds", "seeds", "--content", "content")
    assert code == 1
    assert err == ("seeds/bell\\x07\\u202e.txt: empty file\n"
                   "seeds/caf\ufffd.txt: empty file\n")


HOSTILE = DATA / "bad_hostile"
HOSTILE_SECONDS = 8.0  # far above what each takes (under 3 s); the ingest budget is 20 s


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.iterdir()))
def test_hostile_text_is_extracted_quickly_and_sanely(name: str) -> None:
    kb = load_knowledge()
    start = time.monotonic()
    facts = extract_facts(read_article(HOSTILE / name), kb)
    assert time.monotonic() - start < HOSTILE_SECONDS
    assert [sorted(p.name for p in m.participants) for m in facts.meetings] == [
        ["Penny Wong", "Yoko Kamikawa"]]
    assert all(s.text and len(s.text) <= 2_000 for s in facts.article.sentences)


def test_extraction_over_budget_is_reported_and_the_rest_go_on(
        seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = extract.extract_facts

    def catastrophic(article: SourceArticle, kb: KnowledgeBase) -> ArticleFacts:
        if article.id == "slow":
            re.match(r"(a+)+b", "a" * 64)  # exponential backtracking: minutes, unless stopped
        return real(article, kb)

    monkeypatch.setattr(extract, "extract_facts", catastrophic)
    (seeds.parent / "content" / "data").mkdir(parents=True)
    (seeds.parent / "content" / "data" / "settings.yaml").write_text(
        "limits:\n  extraction_seconds: 0.5\n", "utf-8")
    shutil.copyfile(SKIPS / "good.txt", seeds / "slow.txt")
    start = time.monotonic()
    expect_one_skip("seeds/slow.txt: extraction took longer than 0.5 s")
    assert time.monotonic() - start < 10


def test_extraction_error_is_reported_and_the_rest_go_on(
        seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = extract.extract_facts

    def broken(article: SourceArticle, kb: KnowledgeBase) -> ArticleFacts:
        if article.id == "broken":
            raise ValueError("no meeting here")
        return real(article, kb)

    monkeypatch.setattr(extract, "extract_facts", broken)
    shutil.copyfile(SKIPS / "good.txt", seeds / "broken.txt")
    expect_one_skip("seeds/broken.txt: extraction failed: ValueError: no meeting here")


def test_build_builds_what_it_can_then_names_each_skipped_file(
        site_project: SiteProject, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("empty.txt", "image.txt"):
        shutil.copyfile(SKIPS / name, site_project.root / "seeds" / name)
    monkeypatch.chdir(site_project.root)
    code, out, err = run("build", "-f", "mkdocs.yml")
    assert code == 1
    assert (site_project.root / "site" / "index.html").is_file()
    assert out.startswith("Site built in ")
    assert err.endswith("2 problems: these files were skipped or left out of the site\n"
                        "seeds/empty.txt: empty file\n"
                        "seeds/image.txt: binary file (PNG image), not an article\n")
