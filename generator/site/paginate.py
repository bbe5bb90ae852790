"""The one paginator: meetings by year, pages of at most PAGE_SIZE, the newest first, with
links between the years (the timeline, topic and person pages, the book and feeds use it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.models import Evidence
from generator.site.views import (
    MeetingView,
    date_order,
    newest_first,
    year_order,
)

if TYPE_CHECKING:
    pass


# Every list page is bounded: an index shows the most recent meetings and links to pages
# per year, and a year with more meetings than PAGE_SIZE is split into numbered pages.
RECENT_MEETINGS = 20  # on meetings/index.md


RECENT_ON_PAGE = 30  # on a topic's or a person's page


PAGE_SIZE = 50  # on any page of one year


Entry = tuple[MeetingView, tuple[Evidence, ...]]  # a meeting and the lines shown with it


@dataclass(frozen=True)
class YearLink:
    """One year of a section: its label (``2023``, ``Undated``), meetings and first page."""

    label: str
    count: int
    path: str


@dataclass(frozen=True)
class Listing:
    """One bounded list page: some meetings of one year, or the most recent ones."""

    path: str
    kind: str  # "meetings", "timeline", "topic" or "person"
    title: str  # the page's subject: "Meetings", a topic title, a person's name
    year: str  # "2023", "Undated" or "" (the section's own page)
    entries: tuple[Entry, ...]  # newest first
    years: tuple[YearLink, ...]  # every year of the section, newest first
    parent: str  # the section's own page
    pages: tuple[str, ...] = ()  # every page of this year, in order (when more than one)

    @property
    def base(self) -> str:
        """The relative path from this page to the site root."""
        return "../" * self.path.count("/")

    def oldest_first(self) -> tuple[Entry, ...]:
        """The entries in date order, undated last."""
        return tuple(sorted(self.entries, key=lambda e: date_order(e[0])))

    def meetings(self) -> tuple[MeetingView, ...]:
        return tuple(m for m, _ in self.entries)

    def topic_slugs(self) -> frozenset[str]:
        """The topics of the meetings on this page (what the timeline filter offers)."""
        return frozenset(t.slug for m, _ in self.entries for t in m.topics)

    def person_slugs(self) -> frozenset[str]:
        """The people of the meetings on this page."""
        return frozenset(p.slug for m, _ in self.entries for p in m.participants)


def year_label(view: MeetingView) -> str:
    return str(view.record.date.year) if view.record.date else "Undated"


def by_year(entries: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries grouped by year, newest year first, ``Undated`` last; order kept in a year."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[year_label(entry[0])].append(entry)
    return sorted(groups.items(), key=lambda kv: year_order(kv[0]))


def year_path(prefix: str, label: str, number: int = 1) -> str:
    key = label.lower()
    return f"{prefix}/{key}.md" if number == 1 else f"{prefix}/{key}/{number}.md"


def year_listings(prefix: str, kind: str, title: str, parent: str,
                  entries: Sequence[Entry]) -> tuple[tuple[YearLink, ...], list[Listing]]:
    """The year links of a section and its pages per year, at most PAGE_SIZE meetings each.

    Args:
        prefix: the folder of the year pages (``meetings``, ``topics/g7``).
        kind: the kind of page (selects what the template shows).
        title: the section's subject.
        parent: the section's own page.
        entries: every meeting of the section, newest first.
    """
    groups = by_year(entries)
    years = tuple(YearLink(label, len(items), year_path(prefix, label)) for label, items in groups)
    listings: list[Listing] = []
    for label, items in groups:
        chunks = [tuple(items[i:i + PAGE_SIZE]) for i in range(0, len(items), PAGE_SIZE)]
        paths = tuple(year_path(prefix, label, n) for n in range(1, len(chunks) + 1))
        listings += [Listing(path, kind, title, label, chunk, years, parent,
                             paths if len(paths) > 1 else ())
                     for path, chunk in zip(paths, chunks, strict=True)]
    return years, listings


def newest(entries: Sequence[Entry]) -> list[Entry]:
    """Entries newest first, undated last."""
    return sorted(entries, key=lambda e: newest_first(e[0]))
