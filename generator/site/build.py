"""Building the site with MkDocs, all or nothing.

The site is built into a scratch folder next to ``site_dir`` and put in its place only when
the build succeeds, so a build that fails leaves the previous site as it was and no half
built one. Every warning MkDocs and the plugin log is kept, so that a build that fails can
say why. Skipped articles and invalid records do not fail the build (the site is built from
everything that can be read); they are returned apart.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.models import Problem
from generator.site.folders import check_output_folder
from generator.support.files import REFUSED

INPUT_FOLDERS = ("content", "seeds", "templates")  # the briefing plugin's folder options


@dataclass(frozen=True)
class SiteBuild:
    """What one build did."""

    site_dir: Path
    failure: str | None  # why the build failed (the site was then left as it was)
    warnings: tuple[str, ...]  # every warning and error logged, but the problems below
    problems: tuple[Problem, ...]  # skipped articles and invalid records, left out


class WarningLog(logging.Handler):
    """The messages of every warning and error logged while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def logged_warnings() -> Iterator[list[str]]:
    """Collect what MkDocs and its plugins log at WARNING and above."""
    handler = WarningLog()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def build_site(config_file: Path, *, strict: bool = True) -> SiteBuild:
    """Build the site of ``config_file`` into its ``site_dir``, or leave that as it was.

    Args:
        config_file: the MkDocs configuration.
        strict: fail on any MkDocs warning (skipped articles and invalid records aside).
            The site check's findings (unsafe output) fail the build either way.

    Raises:
        BriefingError: ``site_dir`` overlaps the content, seeds or templates folder.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with logged_warnings() as messages:
        try:
            config = load_config(str(config_file), strict=strict)
        except MkDocsException as err:
            return SiteBuild(Path("site"), err.format_message(), tuple(messages), ())
        target = Path(config.site_dir)
        plugin = config.plugins.get("briefing")
        folder = getattr(plugin, "folder", None)
        if folder is not None:
            check_output_folder(target, {name: folder(config, name) for name in INPUT_FOLDERS})
        try:
            return _build_in_scratch(config, target, plugin, messages, mkdocs_build)
        except OSError as err:
            if err.errno not in REFUSED:
                raise
            where = err.filename if err.filename is not None else target
            return SiteBuild(target, f"{where}: {REFUSED[err.errno]} ({target} was left as "
                             "it was)", tuple(messages), ())


def _build_in_scratch(config: Any, target: Path, plugin: Any, messages: list[str],
                      mkdocs_build: Any) -> SiteBuild:
    """Build into a scratch folder beside ``target``; put it in place on success."""
    from mkdocs.exceptions import Abort, MkDocsException

    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
    try:
        config["site_dir"] = str(scratch / target.name)
        failure: MkDocsException | None = None
        try:
            mkdocs_build(config)
        except MkDocsException as err:
            failure = err
        problems = tuple(getattr(plugin, "problems", ()))
        skipped = {str(p) for p in problems}
        warnings = tuple(m for m in messages if m not in skipped)
        # strict mode aborts on the problems' warnings too: they alone do not fail it
        if failure is not None and (warnings or not isinstance(failure, Abort)):
            return SiteBuild(target, failure.format_message(), warnings, problems)
        put_in_place(scratch / target.name, target, scratch / "previous")
        return SiteBuild(target, None, warnings, problems)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def put_in_place(built: Path, target: Path, previous: Path) -> None:
    """Move the ``built`` site to ``target``; the site there before goes to ``previous``."""
    if target.exists() or target.is_symlink():
        target.rename(previous)
    try:
        built.rename(target)
    except OSError:
        if previous.exists() or previous.is_symlink():
            previous.rename(target)  # the site there before stays
        raise
