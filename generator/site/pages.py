"""Rendering records into the Markdown pages of the site, through Jinja templates.

:mod:`generator.site.views` turns records into the view objects the templates read; this module
renders the templates with them. Untrusted text never becomes template source: it is passed
as variables, escaped by the ``md`` (Markdown) or ``html`` (raw HTML) filter, and any
expression a template forgets to escape is escaped by the environment's ``finalize``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from generator.errors import BriefingError
from generator.extract.masthead import has_rights_notice
from generator.ingest.sources import SourceError, read_article_text
from generator.models import ArticleRecord, Corpus, Problem, RenderedPage
from generator.site.escape import (
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
    place_text,
    plural,
)
from generator.site.memo import PageMemo, templates_digest
from generator.site.paginate import (
    RECENT_MEETINGS,
    RECENT_ON_PAGE,
    Entry,
    Listing,
    newest,
    year_listings,
)
from generator.site.views import (
    FACT_LABELS,
    Knowledge,
    MeetingView,
    Site,
    TopicTitles,
    article_slug,
    build_site,
    date_order,
    month_groups,
    page_slug,
    topic_title,
)
from generator.support.files import BatchWrite
from generator.support.pool import fork_map

if TYPE_CHECKING:
    from generator.knowledge import KnowledgeBase

Memo = tuple[PageMemo, str]  # a page memo and the digest of the templates in use
_LABELS: list[tuple[dict[str, str], str]] = []  # the last site's article labels, digested

# also the names other modules (generator.site.publish, feeds, pubtext) import from here
__all__ = ["TopicTitles", "build_site", "date_order", "make_environment", "page_slug",
           "render_pages", "render_template", "topic_title", "write_pages"]


def make_environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment: strict undefined, no HTML autoescape, Markdown filters.

    One environment is kept per templates folder, so templates are compiled once, not on
    every render (Jinja reloads a template whose file changed)."""
    key = str(templates.resolve())
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = _new_environment(templates)
    return env


_ENVIRONMENTS: dict[str, jinja2.Environment] = {}


def _new_environment(templates: Path) -> jinja2.Environment:
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
    env.filters["place_text"] = place_text  # plain text, for front matter
    env.filters["plural"] = plural
    env.globals["FACT_LABELS"] = FACT_LABELS
    env.filters["months"] = month_groups
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


ArticleTexts = dict[str, tuple[str, ...]]  # the paragraphs of each article shown whole


def article_texts(articles: Sequence[ArticleRecord], root: Path,
                  seeds: Sequence[Path] = (), content: Path | None = None
                  ) -> tuple[ArticleTexts, tuple[Problem, ...]]:
    """The paragraphs of every article that may be shown whole, and the records refused.

    An article qualifies when neither its record nor its current text carries a rights
    notice (any copyright line counts); an article whose file cannot be read is left out
    (its facts are still shown). Only article files may be published: a record whose
    ``source_file`` is not a file inside a seeds folder (``root/seeds`` by default), names
    a hidden file or folder, or leads out of the seeds through a link, is refused with a
    problem naming the record (under ``content``) and its line.
    """
    folders = [folder.resolve() for folder in (seeds or (root / "seeds",))]
    texts: ArticleTexts = {}
    problems: list[Problem] = []
    for article in sorted(articles, key=lambda a: a.id):
        if article.rights:
            continue
        path = seed_file(root / article.source_file, folders)
        if path is None:
            problems.append(refused_source(article, content, folders, root))
            continue
        try:
            source = read_article_text(path, root.resolve())
        except (SourceError, OSError):
            continue
        if has_rights_notice(source.text):
            continue
        paragraphs = [" ".join(p.split()) for p in source.text.split("\n\n")]
        texts[article.id] = tuple(p for p in paragraphs if p)
    return texts, tuple(problems)


def seed_file(path: Path, folders: Sequence[Path]) -> Path | None:
    """``path`` resolved, when it is a file inside one of the seeds ``folders`` (resolved),
    reached without a hidden file or folder and without leaving the folder through a link."""
    plain = Path(os.path.normpath(path.absolute()))
    resolved = path.resolve()
    for folder in folders:
        if not resolved.is_relative_to(folder):
            continue
        inside = resolved.relative_to(folder).parts
        given = plain.relative_to(folder).parts if plain.is_relative_to(folder) else inside
        if any(part.startswith(".") for part in (*inside, *given)):
            return None
        return resolved if resolved.is_file() else None
    return None


def refused_source(article: ArticleRecord, content: Path | None, folders: Sequence[Path],
                   root: Path) -> Problem:
    """The problem of a record whose ``source_file`` is no article of the seeds."""
    record = (content or root / "content") / "articles" / f"{article.id}.md"
    line = None
    try:
        for number, text in enumerate(record.read_text("utf-8").splitlines(), 1):
            if text.startswith("source_file:"):
                line = number
                break
    except (OSError, UnicodeDecodeError):
        pass
    shown = ", ".join(str(folder) for folder in folders)
    return Problem(str(record), f"source_file: {article.source_file!r} is not an article "
                                f"file in the seeds folder ({shown}); its text is not "
                                "published", line)


def listing_pages(env: jinja2.Environment, site: Site, memo: Memo | None = None
                  ) -> list[RenderedPage]:
    """The bounded list pages: meetings, timeline, topics and people, by year."""
    pages: list[RenderedPage] = []
    every: list[Entry] = [(m, ()) for m in site.meetings]
    years, listings = year_listings("meetings", "meetings", "Meetings", "meetings/index.md",
                                    every)
    recent = Listing("meetings/index.md", "meetings", "Meetings", "",
                     tuple(every[:RECENT_MEETINGS]), years, "meetings/index.md")
    # these pages show their own meetings, the number of meetings and the timeline's
    # filter choices (topics, people, formats): that is what the memo keys them by
    count = len(site.meetings)
    pages += [remembered(memo, env, "meetings.md.j2", page.path, (page, count), site=site,
                         page=page)
              for page in (recent, *listings)]
    years, listings = year_listings("timeline", "timeline", "Timeline", "timeline.md", every)
    latest = next((page for page in listings if page.year != "Undated"),
                  listings[0] if listings else None)
    front = Listing("timeline.md", "timeline", "Timeline", latest.year if latest else "",
                    latest.entries if latest else (), years, "timeline.md",
                    latest.pages if latest else ())
    choices = (tuple((t.slug, t.title) for t in site.topics),
               tuple((p.slug, p.name) for p in site.people), tuple(site.formats())) \
        if memo else ()
    pages += [remembered(memo, env, "timeline.md.j2", page.path, (page, choices), site=site,
                         page=page)
              for page in (front, *listings)]
    for t in site.topics:
        entries = newest(t.meetings)
        pages += section_pages(env, site, "topic.md.j2", f"topics/{t.slug}", "topic", t.title,
                               entries, memo, t=t)
    for p in site.people:
        entries = newest([(m, ()) for m in p.meetings])
        pages += section_pages(env, site, "person.md.j2", f"people/{p.slug}", "person", p.name,
                               entries, memo, p=p)
    return pages


def section_pages(env: jinja2.Environment, site: Site, template: str, prefix: str, kind: str,
                  title: str, entries: Sequence[Entry], memo: Memo | None = None,
                  **context: Hashable) -> list[RenderedPage]:
    """A topic's or a person's page (its most recent meetings) and its pages per year.

    These pages show their own meetings, the published files (``site.has``) and article
    labels only, so that is what ``memo`` keys them by."""
    own = f"{prefix}.md"
    years, listings = year_listings(prefix, kind, title, own, entries)
    if len(entries) <= RECENT_ON_PAGE:
        listings = []  # everything is on the section's own page
    page = Listing(own, kind, title, "", tuple(entries[:RECENT_ON_PAGE]),
                   years if listings else (), own)
    shared = (site.published, labels_digest(site)) if memo else ()
    pages = [remembered(memo, env, template, own, (page, tuple(sorted(context.items())), shared),
                        site=site, page=page, **context)]
    pages += [remembered(memo, env, "archive.md.j2", year.path, (year, shared), site=site,
                         page=year)
              for year in listings]
    return pages


def labels_digest(site: Site) -> str:
    """A digest of the site's article labels (computed once per site)."""
    if not _LABELS or _LABELS[0][0] is not site.labels:
        text = json.dumps(sorted(site.labels.items()), ensure_ascii=False)
        _LABELS[:] = [(site.labels, hashlib.sha256(text.encode()).hexdigest())]
    return _LABELS[0][1]


def remembered(memo: Memo | None, env: jinja2.Environment, name: str, path: str,
               depends: Hashable, **context: object) -> RenderedPage:
    """``render_template``, or the page rendered before from equal ``depends`` (the values
    the page shows) and the same templates."""
    if memo is None:
        return render_template(env, name, path, **context)
    pages, digest = memo
    return pages.page((digest, name, path, depends),
                      lambda: render_template(env, name, path, **context))


def index_pages(env: jinja2.Environment, site: Site, memo: Memo | None = None
                ) -> list[RenderedPage]:
    return [
        render_template(env, "home.md.j2", "index.md", site=site),
        render_template(env, "data.md.j2", "data.md", site=site),
        render_template(env, "topics.md.j2", "topics/index.md", site=site),
        render_template(env, "people.md.j2", "people/index.md", site=site),
        *listing_pages(env, site, memo),
    ]


PARALLEL_MIN = 300  # meetings from which a whole build renders their pages in a pool


def render_pages(corpus: Corpus, knowledge: KnowledgeBase | Knowledge, templates: Path, *,
                 published: Collection[str] = (), full_text: bool = False,
                 root: Path | None = None, memo: PageMemo | None = None,
                 texts: ArticleTexts | None = None) -> tuple[RenderedPage, ...]:
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
            (needed with ``full_text``; default: the current folder); only files in its
            ``seeds`` folder are published (see :func:`article_texts`).
        memo: pages rendered before (``mkdocs serve`` keeps one): a page whose templates
            and values are unchanged is taken from it instead of rendered again.
        texts: with ``full_text``, the articles' texts as :func:`article_texts` gives them
            (read here when not given).

    Returns:
        Pages sorted by path: ``index.md``, ``timeline.md``, ``data.md``, ``meetings/…``,
        ``topics/…``, ``people/…`` (each index plus one page per meeting, topic and person)
        and, with ``full_text``, ``articles/<id>.md``. No list page is unbounded: the
        meetings index shows the latest :data:`RECENT_MEETINGS`, topic and person pages the
        latest :data:`RECENT_ON_PAGE`, and each year has its pages (``meetings/<year>.md``,
        ``timeline/<year>.md``, ``topics/<id>/<year>.md``, ``people/<slug>/<year>.md``,
        ``undated`` for no date) of at most :data:`PAGE_SIZE` meetings, the rest of a year
        on ``<year>/2.md``, ``<year>/3.md``…

    Raises:
        BriefingError: a template is missing, invalid or uses an undefined value.
    """
    env = make_environment(templates)
    if not full_text:
        texts = {}
    elif texts is None:
        texts = article_texts(corpus.articles, root or Path("."))[0]
    site = build_site(corpus, knowledge, published, texts)
    keyed = (memo, templates_digest(templates)) if memo is not None else None

    def meeting_page(m: MeetingView) -> RenderedPage:
        # a meeting page shows its own view only (sources, neighbours and all)
        return remembered(keyed, env, "meeting.md.j2", f"meetings/{m.slug}.md", m, site=site,
                          m=m)

    # a whole build renders the meeting pages in forked processes meanwhile (a live
    # preview, with its memo, renders few pages and runs beside threads: here)
    least = PARALLEL_MIN if memo is None else len(site.meetings) + 1
    with fork_map(meeting_page, site.meetings, least=least) as meeting_pages:
        pages = index_pages(env, site, keyed)
        pages += meeting_pages.get()
    articles = {a.id: a for a in corpus.articles}
    pages += [remembered(keyed, env, "article.md.j2", f"articles/{article_slug(aid)}.md",
                         (articles[aid], paragraphs), site=site, a=articles[aid],
                         paragraphs=paragraphs)
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
    with BatchWrite() as batch:
        for page in sorted(pages, key=lambda p: p.path):
            target = (root / page.path).resolve()
            if Path(page.path).is_absolute() or not target.is_relative_to(root):
                raise ValueError(f"{page.path}: page path leaves the output folder")
            written += batch.write(target, page.markdown)
    return written
