"""The ``briefing`` command: a thin layer over :mod:`generator.pipeline`.

A ``BriefingError`` the pipeline raises is a ``click.ClickException``: click prints its
problems on stderr, one per line, and exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import pipeline
from generator.errors import os_problem
from generator.models import Problem

PathArg = click.Path(path_type=Path)


def _fail_on(problems: tuple[Problem, ...]) -> None:
    """Print each problem on stderr and exit 1 if there is any."""
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.exceptions.Exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefing")
def cli() -> None:
    """Turn news articles about diplomatic meetings into a briefing site."""


@cli.command()
@click.option("--seeds", type=PathArg, default=Path("seeds"), show_default=True,
              help="Folder of article files.")
@click.option("--content", type=PathArg, default=Path("content"), show_default=True,
              help="Folder of records (created if needed).")
@click.option("--force", is_flag=True, help="Ingest even if no input changed.")
@click.option("--wait", type=click.FloatRange(min=0), default=None,
              help="Seconds to wait for another ingest into CONTENT to finish "
                   "[default: 60, or limits.lock_seconds in CONTENT/data/settings.yaml].")
def ingest(seeds: Path, content: Path, force: bool, wait: float | None) -> None:
    """Read every article in SEEDS and write records into CONTENT.

    Analyst edits to records are kept; a field a person edited whose source
    value changed since is reported. Paths in records are relative to the
    project root (the nearest folder holding mkdocs.yml, from CONTENT upward,
    else the folder holding CONTENT), whatever the working folder. A file that
    cannot be read (empty, binary, a link, too large) or whose extraction fails
    is skipped with `path: reason`; the rest are ingested. The last line on
    stdout sums the run up. Exits 1 when any article was skipped or another
    ingest holds CONTENT.

    \b
    Example:
        briefing ingest --seeds seeds --content content
    """
    if not seeds.is_dir():
        raise click.UsageError(f"{seeds}: no such folder of articles")
    report = pipeline.ingest(seeds, content, force=force, lock_seconds=wait)
    for line in report.messages():
        click.echo(line, err=True)
    state = "up to date" if report.up_to_date else "written"
    click.echo(f"{report.articles} articles, {report.meetings} meetings ({state}) in {content}; "
               f"{len(report.skipped)} skipped")
    _fail_on(report.skipped)


@cli.command()
@click.option("--content", type=PathArg, default=Path("content"), show_default=True)
@click.option("--templates", type=PathArg, default=Path("templates"), show_default=True)
@click.option("--out", type=PathArg, required=True, help="Folder for the Markdown pages.")
def render(content: Path, templates: Path, out: Path) -> None:
    """Render the records in CONTENT to Markdown pages in OUT.

    The pages are plain Markdown with front matter that any MkDocs-compatible
    engine can build. OUT may not be, lie inside or hold the content, templates
    or seeds folder.

    \b
    Example:
        briefing render --content content --out build/pages
    """
    result, written = pipeline.render_to(content, templates, out)
    click.echo(f"{len(result.pages)} pages in {out} ({written} written)")
    _fail_on(result.problems)


@cli.command()
@click.option("--config-file", "-f", type=PathArg, default=Path("mkdocs.yml"), show_default=True)
@click.option("--strict/--no-strict", default=True, show_default=True)
def build(config_file: Path, strict: bool) -> None:
    """Ingest, render and build the static site with MkDocs.

    The seeds, content and templates folders are those set for the briefing
    plugin in the MkDocs configuration. The site is built from everything that
    can be read; then each skipped article or invalid record is named on
    stderr (`path: reason`) and the command exits 1.

    The site is built in a scratch folder beside the site folder and replaces
    it only when the build succeeds. A build fails on unsafe output found by
    the site check (even with --no-strict), and with --strict on any MkDocs
    warning; every warning is shown on stderr and the old site is kept.

    \b
    Example:
        briefing build -f mkdocs.yml
    """
    result = pipeline.build(config_file, strict=strict)
    for warning in result.warnings:
        click.echo(warning, err=True)
    if result.failure is not None:
        click.echo(f"{config_file}: build failed: {result.failure}; "
                   f"{result.site_dir} was left as it was", err=True)
        _fail_on(result.problems)
        raise click.exceptions.Exit(1)
    site_dir = result.site_dir
    click.echo(f"Site built in {site_dir}/ - open {site_dir}/index.html "
               "or preview it live with `make serve` (mkdocs serve).")
    if result.problems:
        click.echo(f"{len(result.problems)} problems: these files were skipped or left out "
                   "of the site", err=True)
    _fail_on(result.problems)


@cli.command()
@click.option("--content", type=PathArg, default=Path("content"), show_default=True)
def check(content: Path) -> None:
    """Validate every record against the schema and the taxonomy, and list the
    facts that rest on weak evidence (a guessed date, an unknown person) for review.

    Prints each problem as path:line: message on stderr and exits 1 if there is
    any; the review queue goes to stdout and does not change the exit code.

    \b
    Example:
        briefing check --content content
    """
    result = pipeline.check(content)
    if result.review:
        click.echo(f"Review queue: {len(result.review)} facts rest on weak evidence")
        for item in result.review:
            click.echo(f"  {item}")
    _fail_on(result.problems)
    click.echo(f"{content}: all records valid")


@cli.command()
@click.option("--content", type=PathArg, default=Path("content"), show_default=True)
@click.option("--format", "fmt", type=click.Choice(pipeline.EXPORT_FORMATS), default="json",
              show_default=True)
def export(content: Path, fmt: str) -> None:
    """Print every record as JSON, or the meetings as a CSV table.

    \b
    Example:
        briefing export --content content --format json > records.json
    """
    result = pipeline.export(content, fmt)
    sys.stdout.write(result.text)
    _fail_on(result.problems)


@cli.command(name="eval")
@click.option("--gold", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              required=True, help="Gold annotations (YAML).")
@click.option("--articles", type=click.Path(path_type=Path, exists=True, file_okay=False),
              required=True, help="Folder of the annotated article files.")
def evaluate(gold: Path, articles: Path) -> None:
    """Measure extraction on annotated articles: per meeting, per field, and a score.

    Ingests ARTICLES into a scratch folder (your content is not touched), then
    compares the records with GOLD. The last line is `score: X` (0 to 1).

    \b
    Example:
        briefing eval --gold tests/data/eval/tune/gold.yaml --articles tests/data/eval/tune/articles
    """
    result = pipeline.evaluate(gold, articles)
    click.echo("\n".join(result.lines()))


def main() -> None:
    """Entry point of the ``briefing`` script.

    A file operation the system refuses where no stage expected it (a file where a folder
    should be, a folder where a file should be) is said in one line naming the path, not a
    traceback; the writes before it are whole (every write is atomic).
    """
    try:
        cli(prog_name="briefing")
    except OSError as error:
        click.echo(os_problem(error), err=True)
        sys.exit(1)
