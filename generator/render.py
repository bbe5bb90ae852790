"""Rendering records into the Markdown pages of the site, through Jinja templates.

:mod:`generator.views` turns records into the view objects the templates read; this module
renders the templates with them. Untrusted text never becomes template source: it is passed
as variables, escaped by the ``md`` (Markdown) or ``html`` (raw HTML) filter, and any
expression a template forgets to escape is escaped by the environment's ``finalize``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from generator.errors import BriefingError
from generator.mdescape import (
    MarkdownSafe,
    country_name,
    finalize,
    format_day,
    format_duration,
    format_month_day,
    front_matter_value,
    html_text,
    md_inline,
    md_notes,
    place,
    plural,
)
from generator.models import ArticleRecord, Corpus, Problem, RenderedPage
from generator.sources import SourceError, find_rights, read_article
from generator.views import (
    FACT_LABELS,
    Knowledge,
    Site,
    TopicTitles,
    article_slug,
    build_site,
    date_order,
    page_slug,
    topic_title,
)
from generator.yamlio import atomic_write

if TYPE_CHECKING:
    from generator.knowledge import KnowledgeBase

# Any of these in an article's text keeps its whole text off the site.
RIGHTS_NOTICE = re.compile(r"all rights reserved|may not be (?:re)?(?:published|reproduced|"
                           r"redistributed|broadcast)|\bcopyright\b|©", re.IGNORECASE)

# also the names other modules (generator.publish, feeds, pubtext) import from here
__all__ = ["TopicTitles", "build_site", "date_order", "make_environment", "page_slug",
           "render_pages", "render_template", "topic_title", "write_pages"]


def make_environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment: strict undefined, no HTML autoescape, Markdown filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown; the md filter and finalize escape instead
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = lambda v: MarkdownSafe(md_inline(v))
    env.filters["notes"] = lambda v: MarkdownSafe(md_notes(v))
    env.filters["fm"] = lambda v: MarkdownSafe(front_matter_value(v))
    env.filters["html"] = html_text
    env.filters["day"] = format_day
    env.filters["date"] = format_month_day
    env.filters["duration"] = format_duration
    env.filters["country"] = country_name
    env.filters["place"] = place
    env.filters["plural"] = plural
    env.globals["FACT_LABELS"] = FACT_LABELS
    return env


def render_template(env: jinja2.Environment, name: str, path: str, **context: object
                    ) -> RenderedPage:
    """Render one template into a page; template errors name the template and line."""
    try:
        text = env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as err:
        raise template_error(err.filename or name, err.lineno, err.message or str(err)) from err
    except jinja2.TemplateError as err:
        raise template_error(str(Path(env_root(env)) / name), None, str(err)) from err
    return RenderedPage(path, text.rstrip("\n") + "\n")


def env_root(env: jinja2.Environment) -> str:
    loader = env.loader
    return loader.searchpath[0] if isinstance(loader, jinja2.FileSystemLoader) else ""


def template_error(path: str, line: int | None, message: str) -> BriefingError:
    return BriefingError([Problem(path, f"template error: {message}", line)])


def article_texts(articles: Sequence[ArticleRecord], root: Path) -> dict[str, tuple[str, ...]]:
    """The paragraphs of every article that may be shown whole.

    An article qualifies when neither its record nor its current text carries a rights
    notice (any copyright line counts); an article whose file cannot be read, or lies outside
    ``root``, is left out (its facts are still shown).
    """
    texts: dict[str, tuple[str, ...]] = {}
    for article in sorted(articles, key=lambda a: a.id):
        if article.rights:
            continue
        path = (root / article.source_file).resolve()
        if not path.is_relative_to(root.resolve()):
            continue  # a record must not make the site publish a file outside the project
        try:
            source = read_article(path, root.resolve())
        except (SourceError, OSError):
            continue
        if source.rights or find_rights(source.text) or RIGHTS_NOTICE.search(source.text):
            continue
        paragraphs = [" ".join(p.split()) for p in source.text.split("\n\n")]
        texts[article.id] = tuple(p for p in paragraphs if p)
    return texts


def index_pages(env: jinja2.Environment, site: Site) -> list[RenderedPage]:
    return [
        render_template(env, "home.md.j2", "index.md", site=site),
        render_template(env, "timeline.md.j2", "timeline.md", site=site),
        render_template(env, "data.md.j2", "data.md", site=site),
        render_template(env, "meetings.md.j2", "meetings/index.md", site=site),
        render_template(env, "topics.md.j2", "topics/index.md", site=site),
        render_template(env, "people.md.j2", "people/index.md", site=site),
    ]


def render_pages(corpus: Corpus, knowledge: KnowledgeBase | Knowledge, templates: Path, *,
                 published: Collection[str] = (), full_text: bool = False,
                 root: Path | None = None) -> tuple[RenderedPage, ...]:
    """Render every page of the site.

    Args:
        corpus: the records to show.
        knowledge: the knowledge base: taxonomy (topic titles, order) and people (roles).
        templates: folder holding the ``*.md.j2`` templates.
        published: paths of the other files the build publishes (feeds, calendar, data
            files, ``book.md``); pages link to these only.
        full_text: add a page with the whole text of each article that carries no rights
            notice (by default only facts, quotes and short excerpts are shown).
        root: the project root that articles' ``source_file`` paths are relative to
            (needed with ``full_text``; default: the current folder).

    Returns:
        Pages sorted by path: ``index.md``, ``timeline.md``, ``data.md``, ``meetings/…``,
        ``topics/…``, ``people/…`` (each index plus one page per meeting, topic and person)
        and, with ``full_text``, ``articles/<id>.md``.

    Raises:
        BriefingError: a template is missing, invalid or uses an undefined value.
    """
    env = make_environment(templates)
    texts = article_texts(corpus.articles, root or Path(".")) if full_text else {}
    site = build_site(corpus, knowledge, published, texts)
    pages = index_pages(env, site)
    pages += [render_template(env, "meeting.md.j2", f"meetings/{m.slug}.md", site=site, m=m)
              for m in site.meetings]
    pages += [render_template(env, "topic.md.j2", f"topics/{t.slug}.md", site=site, t=t)
              for t in site.topics]
    pages += [render_template(env, "person.md.j2", f"people/{p.slug}.md", site=site, p=p)
              for p in site.people]
    articles = {a.id: a for a in corpus.articles}
    pages += [render_template(env, "article.md.j2", f"articles/{article_slug(aid)}.md", site=site,
                              a=articles[aid], paragraphs=paragraphs)
              for aid, paragraphs in sorted(texts.items())]
    return tuple(sorted(pages, key=lambda page: page.path))


def write_pages(pages: Sequence[RenderedPage], out: Path) -> int:
    """Write pages under ``out``, each atomically and only when its bytes changed.

    Args:
        pages: rendered pages; each ``path`` must stay inside ``out``.
        out: the output folder (created if needed).

    Returns:
        How many files were written (unchanged ones are left untouched).

    Raises:
        ValueError: a page path is absolute or leaves ``out``.
    """
    written = 0
    root = out.resolve()
    for page in sorted(pages, key=lambda p: p.path):
        target = (root / page.path).resolve()
        if Path(page.path).is_absolute() or not target.is_relative_to(root):
            raise ValueError(f"{page.path}: page path leaves the output folder")
        written += atomic_write(target, page.markdown)
    return written
