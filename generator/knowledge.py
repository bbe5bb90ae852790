"""The curated data ingest relies on: taxonomy, people, places.

The project ships defaults in ``generator/data/``; a content folder may override any of them
with a file of the same name in ``<content>/data/`` (for example its own ``taxonomy.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.extract.directory import PeopleDirectory, load_people
from generator.extract.places import Gazetteer, load_places
from generator.extract.topics import Taxonomy, load_taxonomy

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


def load_knowledge(content: Path | None = None) -> KnowledgeBase:
    """Load taxonomy, people and places, preferring the content folder's own files."""
    return KnowledgeBase(
        taxonomy=load_taxonomy(data_path("taxonomy.yaml", content)),
        people=load_people(data_path("people.yaml", content)),
        places=load_places(data_path("places.yaml", content)),
    )
