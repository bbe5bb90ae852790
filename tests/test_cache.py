"""The extraction cache: used for unchanged articles, invalidated by content, data and code."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.extract import batch as intake
from generator.extract.batch import Entry
from generator.support.cache import MAX_PACKS, ExtractCache, cache_root, entry_key, version_key

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

    def spy(raw, path, shown, kb, seconds):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(raw, path, shown, kb, seconds)

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
    places = Path(pipeline.__file__).parent / "knowledge" / "data" / "places.yaml"
    (cached / "content" / "data").mkdir()
    (cached / "content" / "data" / "places.yaml").write_text(
        places.read_text("utf-8") + "\n# a local copy\n", "utf-8")
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert len(seen) == 5
    seen.clear()
    from generator.ingest import run

    monkeypatch.setattr(run, "package_version", lambda: "another version of the code")
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert len(seen) == 5


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    assert cache_root() is None
    cache = ExtractCache(cache_root(), version_key("code", b"data"))
    assert cache.get(entry_key("a.txt", b"text")) is None


@pytest.fixture(scope="module")
def entries() -> dict[str, Entry]:
    """Real entries of the seed articles, by key."""
    kb = pipeline.load_knowledge(None)
    found: dict[str, Entry] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_bytes()
        entry = intake.process_one(raw, path, path.name, kb, 30.0)[1]
        assert isinstance(entry, Entry)
        found[entry_key(path.name, raw)] = entry
    return found


def test_a_pack_is_written_by_flush_and_read_back(tmp_path: Path,
                                                  entries: dict[str, Entry]) -> None:
    cache = ExtractCache(tmp_path, version_key("code", b"data"))
    for key, entry in entries.items():
        cache.put(key, entry)
    assert cache.packs() == []  # nothing written before the flush
    cache.flush()
    assert len(cache.packs()) == 1
    again = ExtractCache(tmp_path, version_key("code", b"data"))
    assert {key: again.get(key) for key in entries} == entries
    assert (again.hits, again.misses) == (len(entries), 0)
    assert again.get(entry_key("other.txt", b"x")) is None and again.misses == 1


def test_a_corrupt_pack_is_ignored(tmp_path: Path, entries: dict[str, Entry]) -> None:
    (first, one), (second, two) = list(entries.items())[:2]
    cache = ExtractCache(tmp_path, version_key("code", b"data"))
    cache.put(first, one)
    cache.flush()
    assert cache.folder is not None
    (cache.folder / "0-bad.pack").write_bytes(b"not a pickle")
    (cache.folder / "0-list.pack").write_bytes(pickle.dumps([second, two]))
    (cache.folder / "0-odd.pack").write_bytes(pickle.dumps({second: "not an entry"}))
    again = ExtractCache(tmp_path, version_key("code", b"data"))
    assert again.get(first) == one
    assert again.get(second) is None
    assert (again.hits, again.misses) == (1, 1)


@pytest.mark.parametrize("loaded", [False, True])
def test_many_packs_are_merged_into_one_keeping_every_entry(
        tmp_path: Path, entries: dict[str, Entry], loaded: bool) -> None:
    version = version_key("code", b"data")
    values = list(entries.values())
    wanted = {f"{n:064x}": values[n % len(values)] for n in range(MAX_PACKS + 1)}
    cache = ExtractCache(tmp_path, version)
    for n, (key, entry) in enumerate(list(wanted.items())[:MAX_PACKS]):
        if loaded and n == MAX_PACKS // 2:
            assert cache.get(key) is None  # packs read now; the others are written after
        writer = ExtractCache(tmp_path, version)  # e.g. one worker's group
        writer.put(key, entry)
        writer.flush(compact=False)
    assert len(cache.packs()) == MAX_PACKS
    cache.flush()  # nothing new, not too many packs yet: nothing to do
    assert len(cache.packs()) == MAX_PACKS
    last = list(wanted)[-1]
    cache.put(last, wanted[last])
    cache.flush()
    assert len(cache.packs()) == 1
    again = ExtractCache(tmp_path, version)
    assert {key: again.get(key) for key in wanted} == wanted


def test_no_cache_is_written_when_it_is_off(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    shutil.copytree(SEEDS, tmp_path / "seeds")
    report = pipeline.ingest(tmp_path / "seeds", tmp_path / "content", tmp_path, workers=1)
    assert report.articles == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "seeds"]
    assert not list(tmp_path.rglob("*.pack"))


def test_keys_depend_on_path_bytes_code_and_data() -> None:
    assert entry_key("a.txt", b"x") != entry_key("b.txt", b"x")
    assert entry_key("a.txt", b"x") != entry_key("a.txt", b"y")
    assert version_key("one", b"d") != version_key("two", b"d")
    assert version_key("one", b"d") != version_key("one", b"e")


def test_records_ingest_wrote_are_loaded_from_their_memo_and_equal_parsed_ones(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.records import load as records

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


def test_the_record_memo_is_read_only_when_a_good_share_of_files_is_new(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A live preview loads the records again after each edit: one edited file is parsed,
    the memo of everything ingest wrote is not read for it."""
    from generator.records import load as records

    content = cached / "content"
    pipeline.ingest(cached / "seeds", content, cached)
    reads: list[int] = []
    real = records.record_memos

    def spy() -> Any:
        reads.append(1)
        return real()

    monkeypatch.setattr(records, "record_memos", spy)
    records._LOADED.clear()
    first = pipeline.load(content)[0]
    assert reads == [1]  # every file is new to this process
    total = len(first.meetings) + len(first.articles)
    monkeypatch.setattr(records, "MEMO_SHARE", total - 1)  # one new file is too small a share
    edited = sorted((content / "meetings").glob("*.md"))[0]
    edited.write_text(edited.read_text("utf-8") + "A note.\n", "utf-8")
    second = pipeline.load(content)[0]
    assert reads == [1]
    assert second.meetings != first.meetings
    monkeypatch.setattr(records, "MEMO_SHARE", total)  # now it is a share worth the memo
    edited.write_text(edited.read_text("utf-8") + "Another note.\n", "utf-8")
    pipeline.load(content)
    assert reads == [1, 1]


def test_ingest_pauses_the_collector_while_it_extracts_groups_and_saves(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from generator.records import store as records

    collecting: list[bool] = []
    real_save, real_one = records.save_ingest, intake.process_one

    def save(*args: Any, **options: Any) -> Any:
        collecting.append(gc.isenabled())
        return real_save(*args, **options)

    def one(*args: Any, **options: Any) -> Any:
        collecting.append(gc.isenabled())
        return real_one(*args, **options)

    monkeypatch.setattr(records, "save_ingest", save)
    monkeypatch.setattr(intake, "process_one", one)
    assert gc.isenabled()
    pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert collecting == [False] * 6  # five articles extracted, then the save
    assert gc.isenabled()


@pytest.mark.parametrize("runs", [1, 2])
def test_ingest_frees_its_facts_and_records_before_the_collector_is_back_on(
        cached: Path, monkeypatch: pytest.MonkeyPatch, runs: int) -> None:
    """Made while the collector was off, they would all be scanned by its first run after
    (seconds at 10,000 articles): they must be gone by then. The second run takes its facts
    from the cache."""
    import contextlib
    import weakref
    from collections.abc import Iterator

    from generator.group import meetings as grouping

    kept: list[weakref.ref[Any]] = []
    alive: list[int] = []
    real_group, real_pause = grouping.group_articles, pipeline.collector_paused

    def group(facts: Any, *args: Any, **options: Any) -> Any:
        meetings, articles = real_group(facts, *args, **options)
        kept.extend(weakref.ref(x) for x in (*facts, *meetings, *articles))
        return meetings, articles

    @contextlib.contextmanager
    def pause() -> Iterator[None]:
        with real_pause():
            yield
            alive.append(sum(ref() is not None for ref in kept))

    monkeypatch.setattr(grouping, "group_articles", group)
    monkeypatch.setattr(pipeline, "collector_paused", pause)
    for _ in range(runs):
        pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1, force=True)
    assert len(kept) > 10 * runs
    assert alive == [0] * runs


def test_a_failing_ingest_turns_the_collector_back_on(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from generator.records import store as records

    def broken(*args: Any, **options: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(records, "save_ingest", broken)
    with pytest.raises(OSError):
        pipeline.ingest(cached / "seeds", cached / "content", cached, workers=1)
    assert gc.isenabled()


@pytest.mark.parametrize("remember", [True, False])
def test_a_live_preview_reads_only_the_packs_written_since_its_last_ingest(
        cached: Path, monkeypatch: pytest.MonkeyPatch, remember: bool) -> None:
    from conftest import names_read

    from generator.support import cache as cache_mod

    read = names_read(monkeypatch, cache_mod, "read_pickle")
    cache_mod.remember_packs(remember)
    try:
        content = cached / "content"
        pipeline.ingest(cached / "seeds", content, cached, workers=1)
        root = cache_root()
        assert root is not None
        article = sorted((cached / "seeds").glob("*.txt"))[0]
        for number in (1, 2):  # the first ingest wrote a pack: the next one reads it
            before = set(root.rglob("*.pack"))
            article.write_text(article.read_text("utf-8") + f"\nSentence {number}.\n", "utf-8")
            read.clear()
            pipeline.ingest(cached / "seeds", content, cached, workers=1)
        packs = sorted(name for name in read if name.endswith(".pack"))
        assert packs  # at least the pack the previous ingest wrote
        if remember:  # only the pack written since the previous ingest read the others
            assert len(packs) == 1 and len(before) >= 2
        else:
            assert len(packs) == len(before) >= 2
    finally:
        cache_mod.remember_packs(False)
