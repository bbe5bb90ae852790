"""The curated data ingest relies on: taxonomy, people, places.

The project ships defaults in ``generator/knowledge/data/``; a content folder may override any
of them with a file of the same name in ``<content>/data/`` (for example its own
``taxonomy.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.support.files import file_identity

if TYPE_CHECKING:  # the extractor is imported only when data is loaded
    from generator.knowledge.people import PeopleDirectory
    from generator.knowledge.places import Gazetteer
    from generator.knowledge.taxonomy import Taxonomy

PACKAGE_DATA = Path(__file__).parent / "data"
DATA_FILES = ("taxonomy.yaml", "people.yaml", "places.yaml")


@dataclass(frozen=True)
class KnowledgeBase:
    taxonomy: Taxonomy
    people: PeopleDirectory
    places: Gazetteer


def data_path(name: str, content: Path | None) -> Path:
    """Return the data file ``name``: the content folder's own copy if it has one."""
    if content is not None:
        own = content / "data" / name
        if own.is_file():
            return own
    return PACKAGE_DATA / name


# The last knowledge base loaded, by the identity of its files (a live preview reloads it
# after every edit; the files rarely change).
_LAST: list[tuple[tuple[object, ...], KnowledgeBase]] = []


def load_knowledge(content: Path | None = None) -> KnowledgeBase:
    """Load taxonomy, people and places, preferring the content folder's own files.

    Raises:
        BriefingError: a data file cannot be read or is invalid.
    """
    from generator.knowledge.people import load_people
    from generator.knowledge.places import load_places
    from generator.knowledge.taxonomy import load_taxonomy

    paths = [data_path(name, content) for name in DATA_FILES]
    key = tuple(_identity(path) for path in paths)
    if _LAST and _LAST[0][0] == key and None not in key:
        return _LAST[0][1]
    kb = KnowledgeBase(taxonomy=load_taxonomy(paths[0]), people=load_people(paths[1]),
                       places=load_places(paths[2]))
    _LAST[:] = [(key, kb)]
    return kb


def _identity(path: Path) -> tuple[object, ...] | None:
    found = file_identity(path)
    return None if found is None else (str(path.resolve()), *found)
