"""The MkDocs plugin: event wiring around the pipeline, nothing more.

``mkdocs build`` and ``mkdocs serve`` ingest the seed articles (the pipeline skips the work
when no input changed), render every page from the records and hand the pages to MkDocs as
generated files; nothing is written into ``docs/``. ``mkdocs serve`` also watches the seeds,
the records and the templates, so editing any of them rebuilds the site.

Under ``mkdocs serve`` the plugin object lives as long as the server (it has
``on_startup``), and keeps what makes an edit quick to show: a page memo (only pages whose
values changed are rendered again, see ``generator.site.memo``), a folder of the rendered
pages in which only changed pages are rewritten, and the extraction cache's packs already
read (see ``generator.support.cache.remember_packs``). With ``mkdocs serve --dirty`` (``make
serve``), MkDocs then rebuilds only the pages whose file changed.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.errors import BriefingError
from generator.models import Problem, RenderedPage
from generator.site.memo import PageMemo

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingConfig(base.Config):
    """Plugin options; folders are relative to the folder holding ``mkdocs.yml``."""

    seeds = opt.Type(str, default="seeds")
    content = opt.Type(str, default="content")
    templates = opt.Type(str, default="templates")
    # whole article text, only for articles that carry no rights notice
    full_text = opt.Type(bool, default=False)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory by name and source checksum (Jinja checks the
    checksum), so that the theme is compiled once per ``mkdocs serve``, not once per build."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class BriefingPlugin(BasePlugin[BriefingConfig]):
    """Ingest, render and add the briefing pages to an MkDocs build."""

    def __init__(self) -> None:
        self.pages: tuple[RenderedPage, ...] = ()
        self.problems: tuple[Problem, ...] = ()  # skipped articles and invalid records
        self.memo: PageMemo | None = None  # kept across the rebuilds of mkdocs serve
        self.store: Path | None = None  # mkdocs serve: the rendered pages, as files
        self.stored: dict[str, str] = {}  # what each file in the store holds
        self.built: list[Path] = []  # the HTML files this build wrote
        self.checks: Any = None  # sitecheck.BackgroundChecks of a whole build
        self.bytecode: MemoryBytecodeCache | None = None  # mkdocs serve: compiled theme
        self.observer: Any = None  # mkdocs serve: what watches the input folders

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Under ``mkdocs serve``, keep a page memo and a folder of pages between builds."""
        if command == "serve":
            from generator.support import cache

            cache.remember_packs()  # an edited article: only its new pack is read
            self.memo = PageMemo()
            self.store = Path(tempfile.mkdtemp(prefix="briefing-pages-"))
            self.bytecode = MemoryBytecodeCache()

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
               ) -> jinja2.Environment:
        """Under ``mkdocs serve``, compile the theme's templates only once: each build
        makes a new template environment, which would compile them all again."""
        if self.bytecode is not None and env.bytecode_cache is None:
            env.bytecode_cache = self.bytecode
        return env

    def on_shutdown(self) -> None:
        """Stop watching, and remove the folder of pages ``mkdocs serve`` used."""
        from generator.preview import watch as servewatch
        from generator.support import cache

        servewatch.stop(self.observer)
        self.observer = None
        cache.remember_packs(False)
        if self.store is not None:
            shutil.rmtree(self.store, ignore_errors=True)

    def folder(self, config: MkDocsConfig, name: str) -> Path:
        """An option's folder, resolved against the folder of ``mkdocs.yml``."""
        root = Path(config.config_file_path or ".").resolve().parent
        return root / str(self.config[name])

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Bring the records up to date and render every page."""
        from generator import pipeline  # imported late: a broken extractor must not stop MkDocs

        root = Path(config.config_file_path or ".").resolve().parent
        content = self.folder(config, "content")
        try:
            report = pipeline.ingest(self.folder(config, "seeds"), content, root)
            # whole article texts are read relative to the project root, and only on request
            options: dict[str, Any] = (
                {"full_text": True, "root": root} if self.config["full_text"] else {})
            if config.site_url:
                options["site_url"] = config.site_url
            if self.memo is not None:
                options["memo"] = self.memo
            result = pipeline.render(content, self.folder(config, "templates"), **options)
        except BriefingError as err:
            raise PluginError("briefing: " + "\n".join(str(p) for p in err.problems)) from err
        self.pages = result.pages
        self.problems = (*report.skipped, *result.problems)
        for problem in self.problems:
            log.warning(str(problem))
        if self.store is not None:
            self.store_pages(self.store)
        else:
            # a whole build: what exists now (records, views, pages) lives until the end, so
            # the garbage collector need not scan it again and again while MkDocs builds
            gc.freeze()
        self.built = []

    def store_pages(self, store: Path) -> None:
        """Write the pages that changed since the last build into the store (their files'
        times tell a dirty build what to rebuild) and remove pages no longer rendered."""
        current = {page.path: page.markdown for page in self.pages}
        for path in sorted(set(self.stored) - set(current)):
            (store / path).unlink(missing_ok=True)
        for path, markdown in current.items():
            if self.stored.get(path) != markdown:
                target = store / path
                target.parent.mkdir(parents=True, exist_ok=True)
                temp = target.with_name(f".{target.name}.tmp")
                temp.write_text(markdown, encoding="utf-8")
                os.replace(temp, target)
        self.stored = current

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the rendered pages as generated files (they override same-named docs files)."""
        for page in self.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            if self.store is not None:
                files.append(File.generated(config, page.path,
                                            abs_src_path=str(self.store / page.path)))
            else:
                files.append(File.generated(config, page.path, content=page.markdown))
        return files

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        """Hand each page built to the site check (a dirty build builds only some)."""
        from generator.site import check as sitecheck

        if page.file.abs_dest_path:
            dest = Path(page.file.abs_dest_path)
            self.built.append(dest)
            if self.store is None:  # a whole build: checked beside MkDocs, in a worker
                if self.checks is None:
                    self.checks = sitecheck.BackgroundChecks(Path(config.site_dir),
                                                             config.site_url)
                self.checks.submit(output, dest)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Scan the built site for executable content; each finding is a warning, so
        ``mkdocs build --strict`` fails on it (see ``generator.site.check``)."""
        from generator.site import check as sitecheck

        site = Path(config.site_dir)
        if self.store is not None:  # serve: this build's pages (a whole build checks all)
            problems = sitecheck.check_site(site, config.site_url, self.built, index=False)
        elif self.checks is not None:
            problems = self.checks.finish(config.site_url)
        else:
            problems = sitecheck.check_site(site, config.site_url)
        self.checks = None
        gc.unfreeze()
        for problem in problems:
            log.warning(f"unsafe output: {problem}")

    def on_build_error(self, *, error: Exception) -> None:
        """Stop the site check's worker when the build fails (and let the collector see
        everything again)."""
        if self.checks is not None and self.checks.pool is not None:
            self.checks.pool.shutdown(cancel_futures=True)
        self.checks = None
        gc.unfreeze()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a seed article, a record, a data file or a template changes (watched
        with the system's file events where it has them, see ``generator.preview.watch``).

        The content folder's ``.state`` (what ingest last wrote) is not watched: ingest
        writes it on every run, and watching it would rebuild the site a second time.
        """
        from generator.preview import watch as servewatch

        servewatch.stop(self.observer)
        self.observer = servewatch.watch_folders(server, self.watched(config))
        return server

    def watched(self, config: MkDocsConfig) -> list[Path]:
        """The folders ``mkdocs serve`` watches (the record folders are created when
        missing, so that the records the first ingest writes are watched too)."""
        content = self.folder(config, "content")
        folders = [self.folder(config, "seeds")]
        if content.is_dir():
            for name in ("meetings", "articles"):
                (content / name).mkdir(exist_ok=True)
            folders += [content / name for name in ("meetings", "articles", "data")]
        folders.append(self.folder(config, "templates"))
        return [folder for folder in folders if folder.is_dir()]
