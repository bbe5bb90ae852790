"""The whole pipeline, stage by stage: read, extract, group, save, load, render.

The CLI and the MkDocs plugin call only these functions. Each stage's modules are imported
by the functions that use them, so that an ingest with nothing to do (the common case under
``make site`` and ``mkdocs serve``) starts without loading the extractor or the renderer.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BriefingError
from generator.ingest.run import IngestRun, ingest_run
from generator.knowledge import KnowledgeBase, load_knowledge
from generator.models import Corpus, Problem, RenderedPage
from generator.support.cache import ExtractCache, cache_root, collector_paused, version_key

if TYPE_CHECKING:
    from generator import evaluate as evaluate_mod
    from generator.records import store as records
    from generator.records.review import ReviewItem
    from generator.site.build import SiteBuild
    from generator.site.memo import PageMemo

EXPORT_FORMATS = ("json", "csv")


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    articles: int
    meetings: int
    skipped: tuple[Problem, ...]
    save: records.SaveReport | None  # None when nothing changed and no work was done
    notes: tuple[str, ...] = ()  # state files found damaged, and rebuilt

    def messages(self) -> tuple[str, ...]:
        """Lines to show a person: damaged state files, then what the save said."""
        return (*self.notes, *(self.save.messages() if self.save is not None else ()))

    @property
    def up_to_date(self) -> bool:
        return self.save is None


def ingest(seeds: Path, content: Path, root: Path | None = None, *,
           force: bool = False, lock_seconds: float | None = None,
           workers: int | None = None) -> IngestReport:
    """Turn every article in ``seeds`` into records under ``content``.

    Nothing is redone when no article, data file or code changed since the last run
    (unless ``force``). Analyst edits in ``content`` are kept (see ``records.store``).
    Only one ingest runs at a time per content folder (see ``ingest.run``). Files that
    cannot be read, and articles whose extraction fails or runs over the time budget, are
    skipped and reported (``IngestReport.skipped``); the rest are ingested.

    Args:
        seeds: folder of article files.
        content: folder of records (created if needed).
        root: paths in records and messages are shown relative to it (default: the
            project root, see :func:`project_root`).
        force: ingest even when nothing changed.
        lock_seconds: how long to wait for another ingest (default: the limits').
        workers: processes for extraction (1: this one only; default: one per core).

    Raises:
        BriefingError: another ingest still runs after the wait (``LockBusy``), or the
            settings or data files cannot be used.
    """
    root = project_root(content) if root is None else root
    with ingest_run(seeds, content, root, lock_seconds, force) as run:
        if run.unchanged and not force:
            run.remember_digests()
            return IngestReport(*run.last_counts(), None, run.notes)
        # the facts, records and texts live until the save is done, and make no reference
        # cycles: the collector would scan them again and again for nothing (a tenth of a
        # cold ingest of 10,000 articles). Forked extraction workers inherit the pause.
        # They are freed (by reference counting) before it ends: else the collector's
        # first run after it would scan every one of them, made while it was off.
        with collector_paused():
            articles, meetings, problems, saved = _extract_group_save(run, workers)
        run.finish(articles, meetings, problems)
    return IngestReport(articles, meetings, tuple(problems), saved, run.notes)


def project_root(content: Path) -> Path:
    """The folder every path in the records is relative to, whatever the working folder:
    the nearest folder holding ``mkdocs.yml``, from the content folder upward, else the
    folder holding the content folder."""
    content = Path(os.path.abspath(content))
    for folder in (content, *content.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return content.parent


def _extract_group_save(run: IngestRun, workers: int | None
                        ) -> tuple[int, int, list[Problem], records.SaveReport]:
    """The story of an ingest: read and extract every article (in a pool of processes,
    unchanged ones from the extraction cache), group the articles into meetings, and
    save the records (keeping hand edits). Returns the counts of article and meeting
    records, the problems of every file skipped, and what the save did."""
    from generator.extract import batch
    from generator.group.meetings import group_articles
    from generator.records import store as records

    kb = load_knowledge(run.content)
    cache = ExtractCache(cache_root(), version_key(run.code, batch.data_digest(run.content)))
    found = batch.process_files(run.files, run.root, run.limits, kb, cache, run.content,
                                workers)
    cache.prune()
    meetings, articles = group_articles(found.facts, kb, found.sketches)
    saved = records.save_ingest(run.content, meetings, articles)
    problems = sorted([*run.unreadable, *found.problems, *saved.refused],
                      key=lambda p: (p.path, p.message))
    return len(articles), len(meetings), problems, saved


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
           root: Path | None = None, seeds: Path | None = None, site_url: str | None = None,
           memo: PageMemo | None = None) -> RenderResult:
    """Render every page of the site, and its feeds, calendar, data files and briefing
    book, from the valid records in ``content``.

    ``full_text`` adds whole-text pages for articles without a rights notice; their
    ``source_file`` paths are relative to ``root`` (default: :func:`project_root`),
    and only files inside ``seeds`` (default: ``root/seeds``) are published: a record naming
    any other file is a problem.
    ``site_url`` makes feed and calendar links absolute. With ``memo`` (kept from one call
    to the next, as ``mkdocs serve`` does), pages whose templates and values did not change
    are reused instead of rendered again; the result is the same.
    """
    from generator.site.pages import article_texts, render_pages
    from generator.site.publish import publish_pages

    corpus, kb = load(content)
    root = root if root is not None else project_root(content)
    texts, refused = article_texts(corpus.articles, root, (seeds or root / "seeds",),
                                   content) if full_text else ({}, ())
    published = publish_pages(corpus, kb.taxonomy, templates, site_url, memo=memo)
    pages = render_pages(corpus, kb, templates, full_text=full_text, root=root, texts=texts,
                         published=tuple(p.path for p in published), memo=memo)
    if memo is not None:
        memo.end_round()
    return RenderResult(tuple(sorted((*pages, *published), key=lambda p: p.path)),
                        (*corpus.problems, *refused))


def render_to(content: Path, templates: Path, out: Path) -> tuple[RenderResult, int]:
    """Render every page (as :func:`render`) and write them under ``out``; the result and
    how many files were written (unchanged ones are left alone).

    Raises:
        BriefingError: ``out`` is, lies inside or holds the content, templates or seeds
            folder (``seeds`` in the project root); nothing is written then.
    """
    from generator.site.folders import check_output_folder
    from generator.site.pages import write_pages

    seeds = project_root(content) / "seeds"
    if seeds.is_relative_to(Path.cwd()):  # named as the other folders are: as given
        seeds = seeds.relative_to(Path.cwd())
    check_output_folder(out, {"content": content, "templates": templates, "seeds": seeds})
    result = render(content, templates)
    return result, write_pages(result.pages, out)


def build(config_file: Path, *, strict: bool = True) -> SiteBuild:
    """Ingest, render and build the site with MkDocs: the new site replaces the old one only
    when the build succeeds (see ``site.build``).

    Raises:
        BriefingError: the site folder overlaps the content, seeds or templates folder.
    """
    from generator.site.build import build_site

    return build_site(config_file, strict=strict)


def check_output(out: Path, inputs: dict[str, Path]) -> None:
    """Refuse an output folder that is, lies inside or holds one of the ``inputs`` folders.

    Raises:
        BriefingError: one problem per folder it overlaps.
    """
    from generator.site.folders import check_output_folder

    check_output_folder(out, inputs)


@dataclass(frozen=True)
class CheckResult:
    """Problems (the records are wrong) and the review queue (facts on weak evidence)."""

    problems: tuple[Problem, ...]
    review: tuple[ReviewItem, ...]


def check(content: Path) -> CheckResult:
    """Check the records in ``content`` (schema, taxonomy, cross-references) and list the
    facts an analyst should review.

    Each record is read with the schema :func:`load` uses, which refuses every value a
    writer cannot take (see ``records.schema``): a record that passes renders and exports."""
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
    from generator import evaluate as evaluate_mod

    try:
        text = gold.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BriefingError([Problem(str(gold), f"cannot read gold annotations: {err}")]) from err
    annotations, wrong = evaluate_mod.load_gold(gold, text)
    if wrong:
        raise BriefingError([Problem(str(gold), message, line) for line, message in wrong])
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
