"""Output folders never overlap the inputs.

A folder the site's pages are written to (``briefing render --out``, MkDocs' ``site_dir``)
is emptied or overwritten: it may not be the content, seeds or templates folder, lie inside
one of them, or hold one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.errors import BriefingError
from generator.models import Problem


def overlap_problems(out: Path, inputs: Mapping[str, Path]) -> tuple[Problem, ...]:
    """One problem for each input folder ``out`` is, lies inside, or holds.

    Args:
        out: the output folder (need not exist).
        inputs: the input folders by what they are (``content``, ``seeds``…).
    """
    target = out.resolve()
    problems: list[Problem] = []
    for name, folder in sorted(inputs.items()):
        source = folder.resolve()
        if target == source:
            relation = "is"
        elif target.is_relative_to(source):
            relation = "is inside"
        elif source.is_relative_to(target):
            relation = "holds"
        else:
            continue
        problems.append(Problem(str(out), f"the output folder {relation} the {name} folder "
                                          f"{folder}, whose files it would overwrite; "
                                          "choose a folder outside it"))
    return tuple(problems)


def check_output_folder(out: Path, inputs: Mapping[str, Path]) -> None:
    """Refuse an output folder that overlaps an input folder (see :func:`overlap_problems`).

    Raises:
        BriefingError: with one problem per input folder it overlaps.
    """
    problems = overlap_problems(out, inputs)
    if problems:
        raise BriefingError(problems)
