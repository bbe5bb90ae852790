"""The extraction cache: used for unchanged articles, invalidated by content, data and code."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import intake, pipeline
from generator.cache import ExtractCache, cache_root, entry_key, version_key

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seeds, with the cache in the temporary folder."""
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the article files that go through extraction (not from the cache)."""
    seen: list[str] = []
    real = intake.process_one

    def spy(raw, path, shown, kb, agencies, seconds):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(raw, path, shown, kb, agencies, seconds)

    monkeypatch.setattr(intake, "process_one", spy)
    return seen


def records(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes()
            for p in sorted(content.rglob("*.md"))}


def test_unchanged_articles_come_from_the_cache(cached: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seen = extracted(monkeypatch)
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert len(seen) == 5
    first = records(cached / "content")
    seen.clear()
    pipeline.ingest(cached / "seeds", cached / "content", cached, force=True, workers=1)
    assert seen == []
    assert records(cached / "content") == first


def test_a_changed_article_is_extracted_again_alone(cached: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen = extracted(monkeypatch)
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    seen.clear()
    changed = sorted((cached / "seeds").glob("*.txt"))[2]
    changed.write_text(changed.read_text("utf-8") + "\nOfficials gave no more detail.\n",
                       "utf-8")
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert seen == [changed.name]


def test_a_changed_data_file_or_code_invalidates(cached: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    seen = extracted(monkeypatch)
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    seen.clear()
    places = Path(pipeline.__file__).parent / "data" / "places.yaml"
    (cached / "content" / "data").mkdir()
    (cached / "content" / "data" / "places.yaml").write_text(
        places.read_text("utf-8") + "\n# a local copy\n", "utf-8")
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert len(seen) == 5
    seen.clear()
    monkeypatch.setattr(pipeline, "code_version", lambda: "another version of the code")
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert len(seen) == 5


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    assert cache_root() is None
    cache = ExtractCache(cache_root(), version_key("code", b"data"))
    assert cache.get(entry_key("a.txt", b"text")) is None


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ExtractCache(tmp_path, version_key("code", b"data"))
    key = entry_key("a.txt", b"text")
    assert cache.folder is not None
    (cache.folder / key[:2]).mkdir(parents=True)
    (cache.folder / key[:2] / key).write_bytes(b"not a pickle")
    assert cache.get(key) is None
    assert cache.misses == 1


def test_keys_depend_on_path_bytes_code_and_data() -> None:
    assert entry_key("a.txt", b"x") != entry_key("b.txt", b"x")
    assert entry_key("a.txt", b"x") != entry_key("a.txt", b"y")
    assert version_key("one", b"d") != version_key("two", b"d")
    assert version_key("one", b"d") != version_key("one", b"e")


def test_records_ingest_wrote_are_loaded_from_their_memo_and_equal_parsed_ones(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import records

    content = cached / "content"
    pipeline.ingest(cached / "seeds", content, cached)
    edited = sorted((content / "meetings").glob("*.md"))[0]
    edited.write_text(edited.read_text("utf-8").replace("\ntitle: ", "\ntitle:  Edited ", 1)
                      + "A note.\n", "utf-8")
    parsed: list[str] = []
    real = records.read_record_file

    def spy(path: Path, kind: str) -> object:
        parsed.append(path.name)
        return real(path, kind)

    monkeypatch.setattr(records, "read_record_file", spy)
    records._LOADED.clear()
    memoised = pipeline.load(content)[0]
    assert parsed == [edited.name]  # only the file a person changed is parsed
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    records._LOADED.clear()
    parsed.clear()
    assert pipeline.load(content)[0] == memoised
    assert len(parsed) == len(memoised.meetings) + len(memoised.articles) > 5
    assert next(m for m in memoised.meetings if m.id == edited.stem).title.startswith("Edited")


def test_ingest_keeps_the_facts_out_of_the_collectors_scans_while_it_saves(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from generator import records

    frozen: list[int] = []
    real = records.save_ingest

    def spy(*args: Any, **options: Any) -> Any:
        frozen.append(gc.get_freeze_count())
        return real(*args, **options)

    monkeypatch.setattr(records, "save_ingest", spy)
    pipeline.ingest(cached / "seeds", cached / "content", cached)
    assert len(frozen) == 1 and frozen[0] > 0
    assert gc.get_freeze_count() == 0
