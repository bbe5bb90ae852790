"""The view of the site every template reads: records resolved, numbered, grouped and sorted.

Records become small immutable view objects (a meeting with its sources numbered, its evidence
grouped by fact and its neighbours among meetings of the same counterparts; a topic with its
meetings in date order; a person with roles over time, meetings and counterparts).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import cast

from generator.group.copies import shown_and_counted
from generator.knowledge.countries import english_name
from generator.models import (
    ArticleRecord,
    Corpus,
    Evidence,
    MeetingRecord,
)
from generator.site.escape import MONTHS, MarkdownSafe
from generator.site.viewtypes import (  # noqa: F401  (the views are part of this module's interface)
    FACT_LABELS,
    BareKnowledge,
    Knowledge,
    MeetingLink,
    MeetingView,
    NoPeople,
    ParticipantView,
    PeopleLookup,
    PersonView,
    RoleSpan,
    Site,
    SourceView,
    TopicSection,
    TopicTitles,
    TopicView,
)
from generator.support.slugs import slugify, unique_slug

SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")
SAFE_ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,120}$")
YEAR_SLUG = re.compile(r"^[0-9]{1,4}$")  # meetings/<year>.md is a year's page
# The pages the site itself writes in each folder of per-record pages, besides one page per
# meeting, topic, person or article (``pages.index_pages``, ``paginate.year_listings``): no
# slug may be one of them, whatever its case (a person named "Index" would replace the
# People index). The meetings' year pages (``meetings/2023.md``) are those YEAR_SLUG matches.
RESERVED_SLUGS = {"meetings": frozenset({"index", "undated"}),
                  "topics": frozenset({"index"}),
                  "people": frozenset({"index"}),
                  "articles": frozenset({"index"})}
TOPIC_FIELD = "topics."


def month_groups(views: Iterable[MeetingView]) -> tuple[tuple[str, tuple[MeetingView, ...]], ...]:
    """Meetings by month (``April``, ``Undated``) in date order: one year of the timeline."""
    months: dict[int, list[MeetingView]] = defaultdict(list)
    for view in sorted(views, key=date_order):
        months[view.record.date.month if view.record.date else 0].append(view)
    return tuple((MONTHS[m - 1] if m else "Undated", tuple(months[m])) for m in sorted(months))


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


def reserved_slug(folder: str, slug: str) -> bool:
    """Whether ``slug`` names one of the site's own pages in ``folder`` (any case)."""
    folded = slug.casefold()
    return folded in RESERVED_SLUGS[folder] or \
        (folder == "meetings" and YEAR_SLUG.match(folded) is not None)


def unreserved(folder: str, slug: str, identifier: str) -> str:
    """``slug``, or ``slug-<digest of identifier>`` when it names one of the site's own pages
    in ``folder`` (the same identifier always gets the same slug)."""
    if reserved_slug(folder, slug):
        return f"{slug}-{hashlib.sha256(identifier.encode('utf-8')).hexdigest()[:8]}"
    return slug


def meeting_slug(identifier: str) -> str:
    """A meeting's file name; never one of the meetings section's own pages (years, index)."""
    return unreserved("meetings", page_slug(identifier), identifier)


def topic_slug(identifier: str) -> str:
    """A topic's file name (``topics/<slug>.md``, ``feeds/topics/<slug>.xml``); never the
    topics index."""
    return unreserved("topics", page_slug(identifier), identifier)


def article_slug(article_id: str) -> str:
    """The file name of an article's page: its id (``000_c835…``) when that is safe."""
    # a plain file name, printed as it is (no Markdown escape in the link target)
    slug = article_id if SAFE_ARTICLE_ID.match(article_id) else page_slug(article_id)
    return MarkdownSafe(unreserved("articles", slug, article_id))


def person_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def person_slugs(meetings: Iterable[MeetingRecord]) -> dict[str, str]:
    """A unique page slug per distinct participant (by name), stable across runs; never one
    of the people section's own pages (``index-2`` for a person named "Index")."""
    names = sorted({person_key(p.name): p.name for m in meetings for p in m.participants}.items())
    slugs: dict[str, str] = {}
    used: set[str] = set(RESERVED_SLUGS["people"])
    for key, name in names:
        slugs[key] = unique_slug(slugify(name, fallback="person"), used)
    return slugs


def topic_title(taxonomy: TopicTitles, topic_id: str) -> str:
    return taxonomy.title(topic_id) if topic_id in taxonomy.ids else topic_id


def evidence_order(ev: Evidence) -> tuple[str, int, str, str]:
    return (ev.article, ev.line, ev.text, ev.field)


def source_views(record: MeetingRecord, articles: dict[str, ArticleRecord],
                 text_pages: Collection[str]) -> tuple[SourceView, ...]:
    """A meeting's sources numbered by id, with their paraphrases and full-text pages.

    Of one story's near copies, the first few are listed (``generator.group.copies``) and
    the rest counted once, under the first ("and 297 near copies"), not listed each."""
    def label(key: str) -> str:
        found = articles.get(key)
        return (found.headline or found.id) if found is not None else key

    def cluster_of(key: str) -> str | None:
        found = articles.get(key)
        return found.near_copy_cluster.id if found and found.near_copy_cluster else None

    shown, counted = shown_and_counted(record.sources, cluster_of)
    return tuple(
        SourceView(n, sid, articles.get(sid), tuple(
            (d.id, label(d.id), d.similarity)
            for d in sorted(articles[sid].near_duplicates, key=lambda d: d.id)
        ) if sid in articles else (), article_slug(sid) if sid in text_pages else None,
            tuple(counted.get(sid, ())))
        for n, sid in enumerate(shown, start=1))


def distinct_words(evidence: Collection[Evidence]) -> tuple[Evidence, ...]:
    """Evidence in page order, each wording once: near copies of one story give the same
    sentence, which a brief shows from its first source only."""
    seen: set[str] = set()
    kept = []
    for ev in sorted(set(evidence), key=evidence_order):
        words = " ".join(ev.text.split()).casefold()
        if words not in seen:
            seen.add(words)
            kept.append(ev)
    return tuple(kept)


def meeting_view(record: MeetingRecord, articles: dict[str, ArticleRecord],
                 taxonomy: TopicTitles, people: dict[str, str],
                 text_pages: Collection[str] = ()) -> MeetingView:
    """Resolve a meeting's sources, topics, participants and evidence for its page."""
    by_field: dict[str, list[Evidence]] = defaultdict(list)
    for ev in record.evidence:
        by_field[ev.field].append(ev)
    topics = tuple(
        TopicSection(t, topic_title(taxonomy, t), topic_slug(t),
                     distinct_words(by_field.get(TOPIC_FIELD + t, ())))
        for t in sorted(set(record.topics), key=lambda t: (topic_title(taxonomy, t), t)))
    facts = tuple((f, distinct_words(evs))
                  for f, evs in sorted(by_field.items()) if not f.startswith(TOPIC_FIELD))
    participants = tuple(ParticipantView(p, people[person_key(p.name)])
                         for p in record.participants)
    return MeetingView(record, meeting_slug(record.id), participants, topics,
                       source_views(record, articles, text_pages), facts,
                       counterparts=counterparts_label(record))


def counterparts_key(record: MeetingRecord) -> tuple[str, ...]:
    """Who meets: the participants' countries when all are known and differ, else names."""
    countries = {p.country for p in record.participants}
    if record.participants and None not in countries and len(countries) > 1:
        return tuple(sorted(c or "" for c in countries))
    return tuple(sorted({person_key(p.name) for p in record.participants}))


def counterparts_label(record: MeetingRecord) -> str:
    """``Japan–United States`` (plain text, escaped where it lands)."""
    countries = {p.country for p in record.participants}
    if record.participants and None not in countries and len(countries) > 1:
        return "–".join(sorted(english_name(c) for c in countries if c))
    return "–".join(sorted({p.name for p in record.participants}, key=str.casefold))


def neighbour_links(views: Sequence[MeetingView]
                    ) -> dict[str, tuple[MeetingLink | None, MeetingLink | None]]:
    """The previous and next dated meeting of the same counterparts, by meeting id (only
    for dated meetings with participants)."""
    series: dict[tuple[str, ...], list[MeetingView]] = defaultdict(list)
    for view in sorted(views, key=date_order):
        if view.record.date is not None and view.record.participants:
            series[counterparts_key(view.record)].append(view)
    links: dict[str, tuple[MeetingLink | None, MeetingLink | None]] = {}
    for members in series.values():
        for i, view in enumerate(members):
            before = members[i - 1] if i else None
            after = members[i + 1] if i + 1 < len(members) else None
            links[view.record.id] = (meeting_link(before), meeting_link(after))
    return links


def meeting_link(view: MeetingView | None) -> MeetingLink | None:
    if view is None:
        return None
    return MeetingLink(view.slug, view.record.title, view.record.date)


def topic_views(meetings: Sequence[MeetingView], taxonomy: TopicTitles) -> tuple[TopicView, ...]:
    """Each topic carried by at least one meeting, with its meetings in date order."""
    found: dict[str, list[tuple[MeetingView, tuple[Evidence, ...]]]] = defaultdict(list)
    for view in sorted(meetings, key=date_order):
        for section in view.topics:
            found[section.id].append((view, section.evidence))
    order = [t for t in taxonomy_order(taxonomy) if t in found]
    order += sorted(t for t in found if t not in taxonomy.ids)
    return tuple(TopicView(t, topic_title(taxonomy, t), topic_slug(t), tuple(found[t]))
                 for t in order)


def taxonomy_order(taxonomy: TopicTitles) -> list[str]:
    """Topic ids in the taxonomy's own order when it exposes one, else by id."""
    topics = getattr(taxonomy, "topics", None)
    if topics is not None:
        return [t.id for t in topics]
    return sorted(taxonomy.ids)


def role_history(name: str, people: PeopleLookup | None) -> tuple[RoleSpan, ...]:
    """The roles the people data lists for ``name``, oldest first (undated ones first)."""
    person = people.lookup(name) if people is not None else None
    if person is None:
        return ()
    spans = {RoleSpan(r.title, r.country or person.country, r.start, r.end)
             for r in person.roles}
    return tuple(sorted(spans, key=lambda s: (s.start or dt.date.min, s.end or dt.date.max,
                                              s.title, s.country or "")))


def person_views(meetings: Sequence[MeetingView], people: PeopleLookup | None = None
                 ) -> tuple[PersonView, ...]:
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
                         for k, n in sorted(counterparts[key].items(), key=lambda kv: kv[0])),
                   role_history(names[key], people))
        for key in sorted(names, key=lambda k: (names[k].casefold(), k)))


class _ViewMemo:
    """Meeting views kept from one render to the next (a live preview renders the whole site
    after each edit). A view is reused when its record and everything else it was made
    from are the same objects, or equal values, as last time; the records of unchanged
    files are the same objects from one load to the next (see ``generator.records.store``).
    Each call keeps only the views it used."""

    def __init__(self) -> None:
        self.views: dict[int, tuple[tuple[object, ...], MeetingView]] = {}
        self.linked: dict[int, tuple[tuple[object, ...], MeetingView]] = {}

    @staticmethod
    def same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
        return len(old) == len(new) and all(a is b or a == b for a, b in zip(old, new, strict=True))

    def view(self, record: MeetingRecord, articles: dict[str, ArticleRecord],
             taxonomy: TopicTitles, people: dict[str, str], text_pages: Collection[str],
             used: dict[int, tuple[tuple[object, ...], MeetingView]]) -> MeetingView:
        sources = sorted(set(record.sources))
        found = [articles.get(key) for key in sources]
        near = [articles.get(d.id) for a in found if a is not None for d in a.near_duplicates]
        deps = (record, taxonomy, *found, None, *near, None,
                *(people[person_key(p.name)] for p in record.participants),
                *(key in text_pages for key in sources))
        kept = self.views.get(id(record))
        view = kept[1] if kept is not None and self.same(kept[0], deps) else \
            meeting_view(record, articles, taxonomy, people, text_pages)
        used[id(record)] = (deps, view)
        return view

    def link(self, views: Sequence[MeetingView]) -> list[MeetingView]:
        """Each dated meeting with the previous and next dated meeting of the same counterparts
        (see ``neighbour_links``), reusing each linked view whose links are unchanged."""
        links = neighbour_links(views)
        used: dict[int, tuple[tuple[object, ...], MeetingView]] = {}
        result = []
        for view in views:
            if view.record.id not in links:
                result.append(view)
                continue
            before, after = links[view.record.id]
            deps = (view, before, after)
            kept = self.linked.get(id(view))
            linked = kept[1] if kept is not None and self.same(kept[0], deps) else \
                dataclasses.replace(view, previous=before, next=after)
            used[id(view)] = (deps, linked)
            result.append(linked)
        self.linked = used
        return result


_MEMOS: dict[frozenset[str], _ViewMemo] = {}  # by the articles that get a text page
MEMOS_KEPT = 2


def meeting_views(corpus: Corpus, taxonomy: TopicTitles, text_pages: Collection[str] = (),
                  *, linked: bool = True) -> list[MeetingView]:
    """Every meeting's view, newest first, linked to the previous and next of its series
    (unless ``linked`` is False)."""
    pages = frozenset(text_pages)
    memo = _MEMOS.pop(pages, None) or _ViewMemo()
    _MEMOS[pages] = memo  # the most recently used last
    while len(_MEMOS) > MEMOS_KEPT:
        del _MEMOS[next(iter(_MEMOS))]
    articles = {a.id: a for a in corpus.articles}
    people = person_slugs(corpus.meetings)
    used: dict[int, tuple[tuple[object, ...], MeetingView]] = {}
    views = sorted((memo.view(m, articles, taxonomy, people, pages, used)
                    for m in corpus.meetings), key=newest_first)
    memo.views = used
    return memo.link(views) if linked else views


def build_site(corpus: Corpus, knowledge: Knowledge | TopicTitles,
               published: Collection[str] = (), text_pages: Collection[str] = ()) -> Site:
    """Turn a corpus into the view every template reads.

    Args:
        corpus: the records.
        knowledge: the knowledge base: the taxonomy (topic titles and order) and the people
            data (roles over time); a bare taxonomy works too (no roles over time then).
        published: paths of the non-Markdown files the build publishes (feeds, data).
        text_pages: ids of the articles whose whole text gets a page.
    """
    if not hasattr(knowledge, "taxonomy"):
        knowledge = BareKnowledge(cast(TopicTitles, knowledge))
    knowledge = cast(Knowledge, knowledge)
    views = meeting_views(corpus, knowledge.taxonomy, text_pages)
    return Site(
        meetings=tuple(views),
        topics=topic_views(views, knowledge.taxonomy),
        people=person_views(views, knowledge.people),
        articles=tuple(sorted(corpus.articles, key=lambda a: a.id)),
        labels={a.id: a.headline or a.id for a in corpus.articles},
        published=frozenset(published),
    )
