"""The MkDocs plugin: event wiring around the pipeline, nothing more.

``mkdocs build`` and ``mkdocs serve`` ingest the seed articles (the pipeline skips the work
when no input changed), render every page from the records and hand the pages to MkDocs as
generated files; nothing is written into ``docs/``. Every page MkDocs writes goes to the
built-site check (``site.check``): each finding is logged, the unsafe files are removed and
the build fails, with or without ``--strict`` (under ``mkdocs serve`` the error is shown and
the unsafe page is not served). The site folder may not overlap the content, seeds or
templates folder.
Under ``mkdocs serve`` the plugin keeps a preview session between builds
(``preview.session``) and watches the inputs (``preview.watch``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.errors import BriefingError, os_problem
from generator.models import Problem, RenderedPage
from generator.preview import watch
from generator.preview.session import PreviewSession
from generator.site.check import BuildCheck
from generator.support.cache import freeze_survivors, thaw

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingConfig(base.Config):
    """Plugin options; folders are relative to the folder holding ``mkdocs.yml``."""

    seeds = opt.Type(str, default="seeds")
    content = opt.Type(str, default="content")
    templates = opt.Type(str, default="templates")
    # whole article text, only for articles that carry no rights notice
    full_text = opt.Type(bool, default=False)


class BriefingPlugin(BasePlugin[BriefingConfig]):
    """Ingest, render and add the briefing pages to an MkDocs build."""

    def __init__(self) -> None:
        self.pages: tuple[RenderedPage, ...] = ()
        self.problems: tuple[Problem, ...] = ()  # skipped articles and invalid records
        self.preview: PreviewSession | None = None  # mkdocs serve: kept between builds
        self.check: BuildCheck | None = None  # the site check of the build under way
        self.observer: watch.Watcher | None = None  # mkdocs serve: watches the inputs

    def on_startup(self, *, command: str, dirty: bool) -> None:
        if command == "serve":
            self.preview = PreviewSession()

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
               ) -> jinja2.Environment:
        if self.preview is not None:
            self.preview.use_compiled_theme(env)
        return env

    def on_shutdown(self) -> None:
        watch.stop(self.observer)
        self.observer = None
        if self.preview is not None:
            self.preview.close()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from generator import pipeline

        inputs = {name: self.folder(config, name) for name in ("content", "seeds", "templates")}
        try:
            pipeline.check_output(Path(config.site_dir), inputs)
        except BriefingError as err:
            raise PluginError("briefing: " + "\n".join(str(p) for p in err.problems)) from err
        return config

    def folder(self, config: MkDocsConfig, name: str) -> Path:
        """An option's folder, resolved against the folder of ``mkdocs.yml``."""
        root = Path(config.config_file_path or ".").resolve().parent
        return root / str(self.config[name])

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Bring the records up to date and render every page."""
        from generator import pipeline  # imported late: a broken extractor must not stop MkDocs

        root = Path(config.config_file_path or ".").resolve().parent
        content = self.folder(config, "content")
        # whole article texts are read relative to the project root, and only on request
        options: dict[str, Any] = {"full_text": True, "root": root,
                                    "seeds": self.folder(config, "seeds")} \
            if self.config["full_text"] else {}
        if config.site_url:
            options["site_url"] = config.site_url
        if self.preview is not None:
            options["memo"] = self.preview.memo
        try:
            # record paths are relative to the project root, as for `briefing ingest`
            report = pipeline.ingest(self.folder(config, "seeds"), content)
            result = pipeline.render(content, self.folder(config, "templates"), **options)
        except BriefingError as err:
            raise PluginError("briefing: " + "\n".join(str(p) for p in err.problems)) from err
        except OSError as err:  # the system refused a file operation no stage expected
            raise PluginError(f"briefing: {os_problem(err)}") from err
        self.pages = result.pages
        for line in report.messages():  # damaged state rebuilt, ignored folders, kept edits
            log.info(line)
        self.problems = (*report.skipped, *result.problems)
        for problem in self.problems:
            log.warning(str(problem))
        if self.preview is not None:
            self.preview.store_pages(self.pages)
        else:
            freeze_survivors()
        self.check = BuildCheck(Path(config.site_dir), config.site_url,
                                whole=self.preview is None)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the rendered pages as generated files (they override same-named docs files)."""
        for page in self.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            if self.preview is not None:
                files.append(File.generated(
                    config, page.path, abs_src_path=str(self.preview.page_file(page.path))))
            else:
                files.append(File.generated(config, page.path, content=page.markdown))
        return files

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        if page.file.abs_dest_path and self.check is not None:
            self.check.page(output, Path(page.file.abs_dest_path))
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        check = self.check or BuildCheck(Path(config.site_dir), config.site_url,
                                         whole=self.preview is None)
        self.check = None
        thaw()
        problems = check.finish()
        for problem in problems:
            log.warning(f"unsafe output: {problem}")
        if problems:
            removed = check.withdraw(problems)
            raise PluginError(f"briefing: the build fails: the site check found {len(problems)} "
                              "executable constructs (listed above), with or without --strict; "
                              f"the {len(removed)} files holding them were removed from the site")

    def on_build_error(self, *, error: Exception) -> None:
        if self.check is not None:
            self.check.cancel()
        self.check = None
        thaw()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a seed article, a record, a data file or a template changes.

        The content folder's ``.state`` (what ingest last wrote) is not watched: ingest
        writes it on every run, and watching it would rebuild the site a second time.
        """
        watch.stop(self.observer)
        self.observer = watch.watch_folders(server, self.watched(config))
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
