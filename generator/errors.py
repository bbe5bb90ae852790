"""Errors that carry the problems they are about."""

from __future__ import annotations

from generator.models import Problem


class BriefingError(Exception):
    """One or more problems that stop an operation; each reads ``path:line: message``."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[BriefingError], tuple[tuple[Problem, ...]]]:
        # made again from its problems (a worker process raises it; the caller reports it)
        return type(self), (self.problems,)


class DataError(BriefingError):
    """A curated data file (taxonomy, people, places) that cannot be used."""
