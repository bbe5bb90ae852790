"""Which of one story's near copies a meeting gives word for word: the original and the
first copies after it. The others are counted, not repeated: 750 syndicated copies of one
story, each giving its quotes, variants and evidence, made a 2.26 MB meeting record that
the loader refused (over 2,000,000 bytes), and a 7 MB meeting page for 300."""

from __future__ import annotations

from collections.abc import Callable, Iterable

DETAILED = 3  # near copies of one story a meeting gives word for word (the original first)


def shown_and_counted(articles: Iterable[str], cluster_of: Callable[[str], str | None],
                      ) -> tuple[list[str], dict[str, list[str]]]:
    """The articles whose words are given, sorted, and for each of them that leads a
    cluster, the copies only counted.

    Args:
        articles: the articles of one meeting (each once).
        cluster_of: the id of an article's near-copy cluster (its original), or None.

    Returns:
        Of each cluster, the original (when present) and then the first by id, ``DETAILED``
        at most, with every article in no cluster; and the rest, by the first shown of
        their cluster.
    """
    groups: dict[str, list[str]] = {}
    for article in sorted(set(articles)):
        groups.setdefault(cluster_of(article) or article, []).append(article)
    shown: list[str] = []
    counted: dict[str, list[str]] = {}
    for original, members in groups.items():
        members.sort(key=lambda a: (a != original, a))
        shown += members[:DETAILED]
        if len(members) > DETAILED:
            counted[members[0]] = members[DETAILED:]
    return sorted(shown), counted
