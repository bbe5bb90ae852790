"""Where a person is named in a sentence: the finder of people makes these, the finder of
principals reads them."""

from __future__ import annotations

from dataclasses import dataclass

from generator.knowledge.people import (
    Person,
    RoleTitle,
)


@dataclass
class Mention:
    """One place a person is named in a sentence (internal)."""

    key: str
    index: int
    start: int
    end: int
    name: str
    person: Person | None = None
    role: RoleTitle | None = None
    country: str | None = None
