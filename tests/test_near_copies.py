"""Many near copies of one story: records, meetings and pages grow with the number of
articles and with what they say, not with the square of the copies; ingest never writes a
record its loader refuses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator import pipeline
from generator.records import store

PROJECT = Path(__file__).resolve().parents[1]
STORY = PROJECT / "seeds" / "002_dbcf363fd8ba6696.txt"
TINY = ("Tokyo, May 8 (Wire) -- Foreign Minister Yoshimasa Hayashi met U.S. Secretary of "
        "State Antony Blinken in Tokyo on Monday, May 8, 2023.\n\n"
        "The two ministers agreed to strengthen the alliance and to work closely on "
        "regional security.\n\nWire bulletin number {number} of the day.\n")
NEAR_LISTED = 10  # the most near copies one article record may list


def write_near_identical(folder: Path, count: int) -> Path:
    """``count`` tiny files that differ in one number."""
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"n{number:04d}.txt").write_text(TINY.format(number=number), "utf-8")
    return folder


def write_syndicated(folder: Path, count: int) -> Path:
    """``count`` copies of one real story, each with a credit line of its own and a word
    changed in one of its lines."""
    folder.mkdir(parents=True)
    lines = STORY.read_text("utf-8").split("\n")
    rng = random.Random(7)
    for number in range(count):
        edited = list(lines)
        at = rng.randrange(len(edited))
        edited[at] = edited[at].replace(" said", " stated", 1)
        edited.insert(1, f"Distributed by Partner Wire {number} under a syndication licence.")
        (folder / f"c{number:04d}.txt").write_text("\n".join(edited), "utf-8")
    return folder


def record_bytes(content: Path) -> int:
    return sum(p.stat().st_size for kind in ("articles", "meetings")
               for p in (content / kind).glob("*.md"))


def test_near_identical_files_give_records_that_grow_linearly(tmp_path: Path) -> None:
    """150 and 300 near-identical files: the records of twice as many weigh about twice as
    much (listing every pair, they weighed four times as much), and no article lists more
    than ``NEAR_LISTED`` near copies; each names its cluster, all 300 of them."""
    sizes = {}
    for count in (150, 300):
        seeds = write_near_identical(tmp_path / f"seeds{count}", count)
        content = tmp_path / f"content{count}"
        report = pipeline.ingest(seeds, content, tmp_path, workers=1)
        assert report.skipped == ()
        sizes[count] = record_bytes(content)
    assert sizes[300] < 2.2 * sizes[150], sizes
    corpus, _ = pipeline.load(content)
    assert corpus.problems == ()
    assert max(len(a.near_duplicates) for a in corpus.articles) <= NEAR_LISTED
    clusters = {a.near_copy_cluster for a in corpus.articles}
    assert len(clusters) == 1 and next(iter(clusters)).size == 300  # type: ignore[union-attr]
    assert sum(a.copy_of is None for a in corpus.articles) == 1  # the original
    assert len(corpus.meetings) == 1 and len(corpus.meetings[0].sources) == 300


def test_750_syndicated_copies_make_a_meeting_the_loader_accepts(tmp_path: Path) -> None:
    """750 copies of one story: one meeting, a record of a size its loader accepts (it was
    2.26 MB, refused, and the meeting dropped out of the site), quotes that list a few
    sources and count the rest, and a page that lists the copies once."""
    seeds = write_syndicated(tmp_path / "seeds", 750)
    content = tmp_path / "content"
    report = pipeline.ingest(seeds, content, tmp_path, workers=2)
    assert report.skipped == ()
    corpus, _ = pipeline.load(content)
    assert corpus.problems == ()
    (meeting,) = [m for m in corpus.meetings if len(m.sources) == 750]
    path = content / "meetings" / f"{meeting.id}.md"
    assert path.stat().st_size < 100_000
    assert meeting.quotes and all(len(q.sources) <= 3 for q in meeting.quotes)
    assert max(q.copies for q in meeting.quotes) == 747
    result = pipeline.render(content, PROJECT / "templates")
    assert result.problems == ()
    (page,) = [p for p in result.pages if p.path == f"meetings/{meeting.id}.md"]
    assert len(page.markdown) < 100_000
    assert "and 747 more near copies of it, not listed" in page.markdown
    # what the copies say alike is shown once, from its first source
    discussed = page.markdown.split("## What was discussed")[1].split("## Quotes")[0]
    for topic in discussed.split("\n### ")[1:]:
        bullets = [line.rsplit(" (", 1)[0] for line in topic.splitlines()
                   if line.startswith("- “")]
        assert bullets and len(bullets) == len(set(bullets)), topic


def test_ingest_never_writes_a_record_its_loader_refuses(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A record over the loader's size limit is not written: the ingest names it and fails,
    and the other records are saved."""
    monkeypatch.setattr(store, "MAX_FILE_BYTES", 3_000)
    content = tmp_path / "content"
    report = pipeline.ingest(PROJECT / "seeds", content, PROJECT, workers=1)
    refused = [p for p in report.skipped if "not saved: the record would be" in p.message]
    assert refused and all(not Path(p.path).exists() for p in refused)
    assert all(str(p).endswith("more than the 3,000 a record may have; its meeting is left "
                               "out of this ingest") for p in refused
               if "/meetings/" in p.path)
    assert sorted((content / "articles").glob("*.md"))


def test_copies_drifting_from_the_original_lead_back_to_it() -> None:
    """A story edited step by step: each text passes only beside the next, so most copies
    do not pass beside the original. Following ``copy_of`` from any copy ends at the
    cluster's original, never in a loop of copies naming each other."""
    import datetime as dt

    import numpy as np

    from generator.group.near_copies import KindLinks, near_copies

    count = 30  # above the size whose every pair is listed
    ids = [f"a{number:03d}" for number in range(count)]
    chain = np.arange(count - 1, dtype=np.int64)
    scores = np.full(count - 1, 0.8)
    scores[[5, 17]] = 0.95  # two middle pairs closer to each other than to anything else
    links = KindLinks(of=np.arange(count, dtype=np.int64), label=np.zeros(count, np.int64),
                      first=chain, second=chain + 1, scores=scores,
                      empty=np.zeros(count, np.bool_))

    def similarity(one: np.ndarray, other: np.ndarray) -> np.ndarray:
        adjacent = scores[np.minimum(one, count - 2)]
        return np.where(one == other, 1.0, np.where(other - one == 1, adjacent, -1.0))

    published = [dt.date(2024, 1, 1) + dt.timedelta(days=number) for number in range(count)]
    found = near_copies(ids, published, links, similarity)
    for start in ids[1:]:
        seen, here = set(), start
        while found[here].copy_of is not None:
            assert here not in seen, f"{start}: copy_of loops at {here}"
            seen.add(here)
            here = found[here].copy_of.id
        assert here == "a000" == found[start].cluster.id
