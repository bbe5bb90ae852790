"""What extracting one meeting from an article needs besides its sentences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.models import (
    PersonMention,
    Sentence,
    SourceArticle,
)

if TYPE_CHECKING:
    from generator.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Context:
    """What building one meeting needs besides its sentences."""

    article: SourceArticle
    kb: KnowledgeBase
    body: tuple[Sentence, ...]
    everyone: tuple[PersonMention, ...] = ()
    on: dt.date | None = None  # the day roles are looked up on: the meeting's, once known
