"""Side meetings an article reports inside another one: each as the run of sentences from
the one that starts it (a cue and a new counterpart, or fewer of the same principals)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.extract import people as people_mod
from generator.extract.principals import MIN_PRINCIPALS
from generator.extract.segments import (
    SEPARATE,
    SIDE_SPAN,
    mentions,
    reports_meeting,
    side_starts,
)
from generator.models import (
    PersonMention,
    Sentence,
)

if TYPE_CHECKING:
    from generator.extract.context import Context


def find_side_spans(body: Sequence[Sentence], lead_people: Sequence[PersonMention],
                    ctx: Context) -> list[list[Sentence]]:
    """Side meetings reported inside the article, each as its run of sentences."""
    spans: list[list[Sentence]] = []
    current: list[Sentence] | None = None
    lead_names = {p.name for p in lead_people}
    for sentence in body:
        cued = side_starts(sentence, ["?"])
        # who is new is needed only where a side meeting may start or a span goes on
        new = _new_counterparts(sentence, lead_names, ctx) if cued or current is not None \
            else []
        if cued and (new or _fewer_principals(sentence, lead_people)):
            current = [sentence]
            spans.append(current)
            continue
        if current is None:
            continue
        others = [p for p in lead_people if mentions(sentence, p)
                  and not mentions(current[0], p)]
        if others or new or len(current) > SIDE_SPAN or reports_meeting(sentence, lead_people):
            current = None
        else:
            current.append(sentence)
    return spans


def _fewer_principals(sentence: Sentence, lead_people: Sequence[PersonMention]) -> bool:
    """A separate meeting of some of the main meeting's principals ("Earlier in the day,
    the two defence ministers' Singh and Marles held separate talks") in a larger one."""
    named = [p for p in lead_people if mentions(sentence, p)]
    return MIN_PRINCIPALS <= len(named) < len(lead_people) and side_starts(sentence, ["?"]) and \
        bool(SEPARATE.search(sentence.text))


def _new_counterparts(sentence: Sentence, lead_names: set[str], ctx: Context) -> list[str]:
    found = people_mod.find_people([sentence], ctx.kb.people, ctx.on)
    found += tuple(p for p in ctx.everyone if mentions(sentence, p))
    # people outside the people data count when a role phrase names them ("Norwegian
    # Foreign Minister Erik Berg")
    return sorted({p.name for p in found if p.name not in lead_names and (p.known or p.role)})


def side_named(first: Sentence, everyone: Sequence[PersonMention],
                lead_people: Sequence[PersonMention]) -> list[PersonMention]:
    """People a side meeting's first sentence names; when it names only the new
    counterpart ("the minister met Defence Minister X"), the one principal of the main
    meeting from another country is the other side."""
    named = [p for p in everyone if mentions(first, p)]
    if len(named) == 1:
        visitors = [p for p in lead_people if p.country and p.country != named[0].country]
        if len(visitors) == 1:
            named.append(visitors[0])
    return named
