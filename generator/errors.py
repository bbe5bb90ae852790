"""Errors that carry the problems they are about."""

from __future__ import annotations

import os
from typing import IO, Any

import click

from generator.models import Problem


class BriefingError(click.ClickException):
    """One or more problems that stop an operation; each reads ``path:line: message``.

    A command that lets it through prints every problem on stderr, one per line, and exits
    1 (it is a ``click.ClickException``)."""

    exit_code = 1

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, file=file, err=file is None)

    def __reduce__(self) -> tuple[type[BriefingError], tuple[tuple[Problem, ...]]]:
        # made again from its problems (a worker process raises it; the caller reports it)
        return type(self), (self.problems,)


class DataError(BriefingError):
    """A curated data file (taxonomy, people, places) that cannot be used."""


def os_problem(error: OSError) -> Problem:
    """What the system refused, in one line: ``path: is a directory``."""
    path = os.fsdecode(error.filename) if error.filename is not None else "briefing"
    reason = (error.strerror or str(error)).lower()
    if error.filename2 is not None:
        reason += f" (to {os.fsdecode(error.filename2)})"
    return Problem(path, reason)
