"""Rendering records into the Markdown pages of the site, through Jinja templates.

Records become small view objects (a meeting with its sources numbered and its evidence
grouped, a topic with its meetings, a person with their meetings and counterparts); the
templates in the ``templates/`` folder turn those into Markdown with front matter. Untrusted
text never becomes template source: it is passed as variables, escaped by the ``md`` filter,
and any expression a template forgets to escape is escaped by the environment's ``finalize``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import jinja2

from generator.errors import BriefingError
from generator.mdescape import (
    MONTHS,
    MarkdownSafe,
    country_name,
    finalize,
    format_day,
    front_matter_value,
    md_inline,
    md_notes,
    place,
    plural,
)
from generator.models import (
    ArticleRecord,
    Corpus,
    Evidence,
    MeetingRecord,
    Participant,
    Problem,
    RenderedPage,
)
from generator.slugs import slugify, unique_slug
from generator.yamlio import atomic_write

if TYPE_CHECKING:
    from generator.extract.topics import Taxonomy

SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")
TOPIC_FIELD = "topics."


class TopicTitles(Protocol):
    """What rendering needs from a taxonomy: its ids and their titles."""

    @property
    def ids(self) -> frozenset[str]: ...

    def title(self, topic_id: str) -> str: ...


@dataclass(frozen=True)
class SourceView:
    """One source article of a meeting, numbered as it is cited on the meeting page."""

    number: int
    id: str
    article: ArticleRecord | None
    paraphrases: tuple[tuple[str, str, float], ...]  # (id, label, similarity)


@dataclass(frozen=True)
class TopicSection:
    """One topic of one meeting with the sentences that discuss it."""

    id: str
    title: str
    slug: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ParticipantView:
    participant: Participant
    slug: str


@dataclass(frozen=True)
class MeetingView:
    """A meeting record with everything its page shows, resolved and sorted."""

    record: MeetingRecord
    slug: str
    participants: tuple[ParticipantView, ...]
    topics: tuple[TopicSection, ...]
    sources: tuple[SourceView, ...]
    facts_evidence: tuple[tuple[str, tuple[Evidence, ...]], ...]

    def cite(self, article_id: str) -> str:
        """How evidence from ``article_id`` is cited on this page: ``source 2`` or the id."""
        for source in self.sources:
            if source.id == article_id:
                return f"source {source.number}"
        return article_id


@dataclass(frozen=True)
class TopicView:
    id: str
    title: str
    slug: str
    meetings: tuple[tuple[MeetingView, tuple[Evidence, ...]], ...]  # date order


@dataclass(frozen=True)
class PersonView:
    slug: str
    name: str
    roles: tuple[tuple[str, str], ...]  # (role, country code), sorted
    meetings: tuple[MeetingView, ...]  # date order
    counterparts: tuple[tuple[str, str, int], ...]  # (name, slug, meetings together)


@dataclass(frozen=True)
class Site:
    """The whole site's view, handed to every template as ``site``."""

    meetings: tuple[MeetingView, ...]  # newest first, undated last
    topics: tuple[TopicView, ...]  # taxonomy order, only topics with meetings
    people: tuple[PersonView, ...]  # by name
    articles: tuple[ArticleRecord, ...]
    labels: dict[str, str]  # article id -> headline or id

    def topics_by_count(self) -> tuple[TopicView, ...]:
        """Topics with the most meetings first, then by title."""
        return tuple(sorted(self.topics, key=lambda t: (-len(t.meetings), t.title, t.id)))

    def people_by_count(self) -> tuple[PersonView, ...]:
        """People with the most meetings first, then by name."""
        return tuple(sorted(self.people, key=lambda p: (-len(p.meetings), p.name, p.slug)))

    def by_year(self) -> tuple[tuple[str, tuple[MeetingView, ...]], ...]:
        """Meetings grouped by year, newest year first, ``Undated`` last."""
        groups: dict[str, list[MeetingView]] = defaultdict(list)
        for view in self.meetings:
            date = view.record.date
            groups[str(date.year) if date else "Undated"].append(view)
        return tuple((year, tuple(groups[year])) for year in sorted(groups, key=year_order))

    def by_month(self) -> tuple[tuple[str, tuple[tuple[str, tuple[MeetingView, ...]], ...]],
                                ...]:
        """Meetings by year (oldest first) and month, in date order: the timeline."""
        years: dict[str, dict[int, list[MeetingView]]] = defaultdict(lambda: defaultdict(list))
        for view in sorted(self.meetings, key=date_order):
            date = view.record.date
            years[str(date.year) if date else "Undated"][date.month if date else 0].append(view)
        return tuple(
            (year, tuple((MONTHS[m - 1] if m else "Undated", tuple(years[year][m]))
                         for m in sorted(years[year])))
            for year in sorted(years, key=lambda y: (y == "Undated", y)))


def year_order(year: str) -> tuple[bool, int]:
    return (year == "Undated", -int(year) if year.isdigit() else 0)


def date_order(view: MeetingView) -> tuple[bool, dt.date, str]:
    """Oldest first, undated meetings last, ties broken by id."""
    date = view.record.date
    return (date is None, date or dt.date.min, view.record.id)


def newest_first(view: MeetingView) -> tuple[bool, int, str]:
    date = view.record.date
    return (date is None, -(date.toordinal() if date else 0), view.record.id)


def page_slug(identifier: str) -> str:
    """A file name for a page: the id itself when it is a plain slug, else a safe derivative."""
    if SAFE_SLUG.match(identifier):
        return identifier
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:8]
    return f"{slugify(identifier)}-{digest}"


def person_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def person_slugs(meetings: Iterable[MeetingRecord]) -> dict[str, str]:
    """A unique page slug per distinct participant (by name), stable across runs."""
    names = sorted({person_key(p.name): p.name for m in meetings for p in m.participants}.items())
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for key, name in names:
        slugs[key] = unique_slug(slugify(name, fallback="person"), used)
    return slugs


def topic_title(taxonomy: TopicTitles, topic_id: str) -> str:
    return taxonomy.title(topic_id) if topic_id in taxonomy.ids else topic_id


def meeting_view(record: MeetingRecord, articles: dict[str, ArticleRecord],
                 taxonomy: TopicTitles, people: dict[str, str]) -> MeetingView:
    """Resolve a meeting's sources, topics, participants and evidence for its page."""
    labels = {a.id: a.headline or a.id for a in articles.values()}
    sources = tuple(
        SourceView(n, sid, articles.get(sid), tuple(
            (d.id, labels.get(d.id, d.id), d.similarity)
            for d in sorted(articles[sid].near_duplicates, key=lambda d: d.id)
        ) if sid in articles else ())
        for n, sid in enumerate(sorted(set(record.sources)), start=1))
    by_field: dict[str, list[Evidence]] = defaultdict(list)
    for ev in record.evidence:
        by_field[ev.field].append(ev)
    topics = tuple(
        TopicSection(t, topic_title(taxonomy, t), page_slug(t),
                     tuple(sorted(set(by_field.get(TOPIC_FIELD + t, ())), key=evidence_order)))
        for t in sorted(set(record.topics), key=lambda t: (topic_title(taxonomy, t), t)))
    facts = tuple((f, tuple(sorted(set(evs), key=evidence_order)))
                  for f, evs in sorted(by_field.items()) if not f.startswith(TOPIC_FIELD))
    participants = tuple(ParticipantView(p, people[person_key(p.name)])
                         for p in record.participants)
    return MeetingView(record, page_slug(record.id), participants, topics, sources, facts)


def evidence_order(ev: Evidence) -> tuple[str, int, str, str]:
    return (ev.article, ev.line, ev.text, ev.field)


def topic_views(meetings: Sequence[MeetingView], taxonomy: TopicTitles) -> tuple[TopicView, ...]:
    """Each topic carried by at least one meeting, with its meetings in date order."""
    found: dict[str, list[tuple[MeetingView, tuple[Evidence, ...]]]] = defaultdict(list)
    for view in sorted(meetings, key=date_order):
        for section in view.topics:
            found[section.id].append((view, section.evidence))
    order = [t for t in taxonomy_order(taxonomy) if t in found]
    order += sorted(t for t in found if t not in taxonomy.ids)
    return tuple(TopicView(t, topic_title(taxonomy, t), page_slug(t), tuple(found[t]))
                 for t in order)


def taxonomy_order(taxonomy: TopicTitles) -> list[str]:
    """Topic ids in the taxonomy's own order when it exposes one, else by id."""
    topics = getattr(taxonomy, "topics", None)
    if topics is not None:
        return [t.id for t in topics]
    return sorted(taxonomy.ids)


def person_views(meetings: Sequence[MeetingView]) -> tuple[PersonView, ...]:
    """Every principal: roles held, meetings in date order, counterparts met."""
    names: dict[str, str] = {}
    roles: dict[str, set[tuple[str, str]]] = defaultdict(set)
    met: dict[str, list[MeetingView]] = defaultdict(list)
    counterparts: dict[str, Counter[str]] = defaultdict(Counter)
    slugs: dict[str, str] = {}
    for view in sorted(meetings, key=date_order):
        keys = sorted({person_key(p.participant.name) for p in view.participants})
        for p in view.participants:
            key = person_key(p.participant.name)
            names.setdefault(key, p.participant.name)
            slugs[key] = p.slug
            roles[key].add((p.participant.role or "", p.participant.country or ""))
            if not met[key] or met[key][-1] is not view:
                met[key].append(view)
        for key in keys:
            counterparts[key].update(k for k in keys if k != key)
    return tuple(
        PersonView(slugs[key], names[key], tuple(sorted(roles[key])), tuple(met[key]),
                   tuple((names[k], slugs[k], n)
                         for k, n in sorted(counterparts[key].items(), key=lambda kv: kv[0])))
        for key in sorted(names, key=lambda k: (names[k].casefold(), k)))


def build_site(corpus: Corpus, taxonomy: TopicTitles) -> Site:
    """Turn a corpus into the view every template reads."""
    articles = {a.id: a for a in corpus.articles}
    people = person_slugs(corpus.meetings)
    views = sorted((meeting_view(m, articles, taxonomy, people) for m in corpus.meetings),
                   key=newest_first)
    return Site(
        meetings=tuple(views),
        topics=topic_views(views, taxonomy),
        people=person_views(views),
        articles=tuple(sorted(corpus.articles, key=lambda a: a.id)),
        labels={a.id: a.headline or a.id for a in corpus.articles},
    )


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
    env.filters["day"] = format_day
    env.filters["country"] = country_name
    env.filters["place"] = place
    env.filters["plural"] = plural
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


def render_pages(corpus: Corpus, taxonomy: Taxonomy | TopicTitles, templates: Path
                 ) -> tuple[RenderedPage, ...]:
    """Render every page of the site.

    Args:
        corpus: the records to show.
        taxonomy: topic ids and titles (``Taxonomy`` from ``generator.extract.topics``).
        templates: folder holding the ``*.md.j2`` templates.

    Returns:
        Pages sorted by path: ``index.md``, ``timeline.md``, ``meetings/…``, ``topics/…``,
        ``people/…`` (each index plus one page per meeting, topic and person).

    Raises:
        BriefingError: a template is missing, invalid or uses an undefined value.
    """
    env = make_environment(templates)
    site = build_site(corpus, taxonomy)
    pages = [
        render_template(env, "home.md.j2", "index.md", site=site),
        render_template(env, "timeline.md.j2", "timeline.md", site=site),
        render_template(env, "meetings.md.j2", "meetings/index.md", site=site),
        render_template(env, "topics.md.j2", "topics/index.md", site=site),
        render_template(env, "people.md.j2", "people/index.md", site=site),
    ]
    pages += [render_template(env, "meeting.md.j2", f"meetings/{m.slug}.md", site=site, m=m)
              for m in site.meetings]
    pages += [render_template(env, "topic.md.j2", f"topics/{t.slug}.md", site=site, t=t)
              for t in site.topics]
    pages += [render_template(env, "person.md.j2", f"people/{p.slug}.md", site=site, p=p)
              for p in site.people]
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
