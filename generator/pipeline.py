"""The whole pipeline, stage by stage: read, extract, group, save, load, render.

The CLI and the MkDocs plugin call only these functions. Each stage's modules are imported
by the functions that use them, so that an ingest with nothing to do (the common case under
``make site`` and ``mkdocs serve``) starts without loading the extractor or the renderer.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BriefingError
from generator.ingest import inputs as seedscan
from generator.ingest.inputs import shown_path
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.knowledge.settings import Limits, load_limits
from generator.models import Corpus, Problem, RenderedPage
from generator.support.cache import ExtractCache, cache_root, collector_paused, version_key
from generator.support.cache import package_version as code_version
from generator.support.lock import content_lock

if TYPE_CHECKING:
    from generator import evaluate as evaluate_mod
    from generator.records import store as records
    from generator.records.review import ReviewItem
    from generator.site.memo import PageMemo

STATE_FILE = Path(".state") / "inputs.json"
# each article file's digest, by its inode, size and times: unchanged files are not read
DIGESTS_FILE = Path(".state") / "article-digests.json"
EXPORT_FORMATS = ("json", "csv")


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    articles: int
    meetings: int
    skipped: tuple[Problem, ...]
    save: records.SaveReport | None  # None when nothing changed and no work was done

    @property
    def up_to_date(self) -> bool:
        return self.save is None


def ingest(seeds: Path, content: Path, root: Path | None = None, *,
           force: bool = False, lock_seconds: float | None = None,
           workers: int | None = None) -> IngestReport:
    """Turn every article in ``seeds`` into records under ``content``.

    Nothing is redone when no article, data file or code changed since the last run
    (unless ``force``). Analyst edits in ``content`` are kept (see ``records.save_ingest``).
    Only one ingest runs at a time per content folder (see ``generator.support.lock``). Files that
    cannot be read, and articles whose extraction fails or runs over the time budget, are
    skipped and reported (``IngestReport.skipped``); the rest are ingested. Articles are
    read and extracted in a pool of processes (one per core) when there are many, and an
    article whose bytes, data files and code are unchanged is taken from the extraction
    cache (see ``generator.support.cache``) instead of being extracted again.

    Args:
        seeds: folder of article files.
        content: folder of records (created if needed).
        root: paths in records and messages are shown relative to it.
        force: ingest even when nothing changed.
        lock_seconds: how long to wait for another ingest (default: the limits').
        workers: processes for extraction (1: this one only; default: one per core).

    Raises:
        BriefingError: another ingest still runs after the wait (``LockBusy``), or the
            settings or data files cannot be used.
    """
    content.mkdir(parents=True, exist_ok=True)
    limits = load_limits(content)
    wait = limits.lock_seconds if lock_seconds is None else lock_seconds
    with content_lock(content, wait, shown=shown_path(content, root)):
        seedscan.remove_stale_temps(content)
        files, unreadable = seedscan.scan_seeds(seeds, root, limits.max_article_bytes)
        code = code_version()
        inputs = seedscan.take_inputs(code, files, unreadable, content,
                                      *_known_digests(content), root=root)
        fingerprint = inputs.fingerprint
        state = content / STATE_FILE
        previous = json.loads(state.read_text("utf-8")) if state.is_file() else {}
        if not force and previous.get("fingerprint") == fingerprint:
            if inputs.hashed:  # files looked changed but were not: remember them as read
                _save_digests(content, inputs)
            skipped = tuple(Problem(**p) for p in previous.get("skipped", []))
            return IngestReport(previous.get("articles", 0), previous.get("meetings", 0),
                                skipped, None)
        # the facts, records and texts live until the save is done, and make no reference
        # cycles: the collector would scan them again and again for nothing (a tenth of a
        # cold ingest of 10,000 articles). Forked extraction workers inherit the pause.
        # They are freed (by reference counting) before it ends: else the collector's
        # first run after it would scan every one of them, made while it was off.
        with collector_paused():
            counts, problems, report = _extract_group_save(files, unreadable, root, limits,
                                                           content, code, workers)
        summary = {"fingerprint": fingerprint, "articles": counts[0], "meetings": counts[1],
                   "skipped": [{"path": p.path, "message": p.message, "line": p.line,
                                "column": p.column} for p in problems]}
        from generator.records import store as records

        records.atomic_write(state, json.dumps(summary, indent=1, sort_keys=True) + "\n")
        _save_digests(content, inputs)
    return IngestReport(counts[0], counts[1], tuple(problems), report)


def _extract_group_save(files: list[Path], unreadable: list[Problem], root: Path | None,
                        limits: Limits, content: Path, code: str, workers: int | None,
                        ) -> tuple[tuple[int, int], list[Problem], records.SaveReport]:
    """Extract (or take from the cache), group and save: the records' counts (articles,
    meetings), the problems of every file skipped, and what the save did."""
    from generator.extract import batch as intake
    from generator.group.meetings import group_articles
    from generator.records import store as records

    kb = load_knowledge(content)
    cache = ExtractCache(cache_root(), version_key(code, intake.data_digest(content)))
    found = intake.process_files(files, root, limits, kb, cache, content, workers)
    cache.prune()
    problems = sorted(unreadable + found.problems, key=lambda p: (p.path, p.message))
    meetings, article_records = group_articles(found.facts, kb, found.sketches)
    report = records.save_ingest(content, meetings, article_records)
    return (len(article_records), len(meetings)), problems, report


def _known_digests(content: Path) -> tuple[seedscan.FileDigests, int]:
    """The article digests the last ingest took, and when (none when unreadable)."""
    try:
        kept = json.loads((content / DIGESTS_FILE).read_text("utf-8"))
        files, taken = kept["files"], kept["taken_ns"]
    except (OSError, ValueError, TypeError, KeyError):
        return {}, 0
    if not isinstance(files, dict) or not isinstance(taken, int):
        return {}, 0
    return {name: entry for name, entry in files.items()
            if isinstance(entry, list) and len(entry) == 5}, taken


def _save_digests(content: Path, inputs: seedscan.Inputs) -> None:
    from generator.support.yamlio import atomic_write

    atomic_write(content / DIGESTS_FILE,
                 json.dumps({"taken_ns": inputs.taken_ns, "files": inputs.digests},
                            sort_keys=True, separators=(",", ":")) + "\n")


def load(content: Path) -> tuple[Corpus, KnowledgeBase]:
    """Load every record (schema-checked) and the knowledge base of a content folder."""
    from generator.records import store as records

    kb = load_knowledge(content)
    return records.load_corpus(content, kb.taxonomy.ids), kb


@dataclass(frozen=True)
class RenderResult:
    """The pages of the site, and the problems with records that were left out of it."""

    pages: tuple[RenderedPage, ...]
    problems: tuple[Problem, ...]


def render(content: Path, templates: Path, *, full_text: bool = False,
           root: Path | None = None, site_url: str | None = None,
           memo: PageMemo | None = None) -> RenderResult:
    """Render every page of the site, and its feeds, calendar, data files and briefing
    book, from the valid records in ``content``.

    ``full_text`` adds whole-text pages for articles without a rights notice; their
    ``source_file`` paths are relative to ``root`` (default: the folder holding ``content``).
    ``site_url`` makes feed and calendar links absolute. With ``memo`` (kept from one call
    to the next, as ``mkdocs serve`` does), pages whose templates and values did not change
    are reused instead of rendered again; the result is the same.
    """
    from generator.site.pages import render_pages
    from generator.site.publish import publish_pages

    corpus, kb = load(content)
    published = publish_pages(corpus, kb.taxonomy, templates, site_url, memo=memo)
    pages = render_pages(corpus, kb, templates, full_text=full_text,
                         root=root if root is not None else content.parent,
                         published=tuple(p.path for p in published), memo=memo)
    if memo is not None:
        memo.end_round()
    return RenderResult(tuple(sorted((*pages, *published), key=lambda p: p.path)),
                        corpus.problems)


@dataclass(frozen=True)
class CheckResult:
    """Problems (the records are wrong) and the review queue (facts on weak evidence)."""

    problems: tuple[Problem, ...]
    review: tuple[ReviewItem, ...]


def check(content: Path) -> CheckResult:
    """Check the records in ``content`` (schema, taxonomy, cross-references) and list the
    facts an analyst should review."""
    from generator.records import store as records
    from generator.records.review import review_content

    kb = load_knowledge(content)
    return CheckResult(records.check_content(content, kb.taxonomy.ids),
                       review_content(content, kb.people))


def evaluate(gold: Path, articles: Path) -> evaluate_mod.Evaluation:
    """Ingest ``articles`` into a scratch folder and measure the records against ``gold``.

    Raises:
        BriefingError: the gold file cannot be read.
    """
    import yaml

    from generator import evaluate as evaluate_mod

    try:
        annotations = yaml.safe_load(gold.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise BriefingError([Problem(str(gold), f"cannot read gold annotations: {err}")]) from err
    if not isinstance(annotations, dict) or not {"articles", "meetings"} <= set(annotations):
        raise BriefingError([Problem(str(gold), "gold annotations need `articles` and "
                                                "`meetings` lists")])
    with tempfile.TemporaryDirectory(prefix="briefing-eval-") as scratch:
        content = Path(scratch) / "content"
        ingest(articles, content, force=True)
        exported = json.loads(export(content, "json").text)
    return evaluate_mod.evaluate(annotations, exported)


@dataclass(frozen=True)
class ExportResult:
    """The exported text, and the problems with records that were left out of it."""

    text: str
    problems: tuple[Problem, ...]


def export(content: Path, fmt: str) -> ExportResult:
    """The valid records of ``content`` as one JSON document or a CSV table of meetings."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {EXPORT_FORMATS}")
    from generator.site import export as export_mod

    corpus, _ = load(content)
    text = export_mod.export_json(corpus) if fmt == "json" else export_mod.export_csv(corpus)
    return ExportResult(text, corpus.problems)
