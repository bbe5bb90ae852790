"""The gazetteer: cities, country names, events and news-agency credits from ``places.yaml``."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml

from generator.errors import DataError
from generator.knowledge.countries import is_country_code
from generator.models import Problem
from generator.support.prefilter import alternation
from generator.support.yamlio import compose_data, load_data


@dataclass(frozen=True)
class City:
    name: str
    country: str
    part_of: str | None = None


@dataclass(frozen=True)
class Event:
    """A multilateral gathering (kind ``multilateral``) or a 2+2 mechanism (kind ``2+2``)."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    label: str | None = None


@dataclass(frozen=True)
class Gazetteer:
    """Cities, country names, events and news-agency credits, loaded from ``places.yaml``."""

    cities: dict[str, City]
    countries: dict[str, str]
    short_names: dict[str, str]
    events: tuple[Event, ...] = ()
    agencies: dict[str, str] = field(default_factory=dict)
    city_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    country_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "city_re", _names_pattern(self.cities))
        object.__setattr__(self, "country_re", _names_pattern(self.countries))

    def country_code(self, name: str) -> str | None:
        """ISO alpha-2 code for a country name as the press writes it."""
        return self.countries.get(name.strip().removeprefix("the ").strip())

    def short_name(self, code: str) -> str:
        """Short English name of a country for titles ("U.S.", "Japan")."""
        return self.short_names.get(code, code)


def _names_pattern(names: Mapping[str, object]) -> re.Pattern[str]:
    """One regex matching any of ``names`` (longest first) as a whole word."""
    ordered = sorted(names, key=len, reverse=True) or ["(?!x)x"]
    return re.compile(r"(?<![\w-])(?:" + alternation(ordered) + r")(?![\w-])")


def _problem(path: Path, node: yaml.Node | None, message: str) -> Problem:
    line = node.start_mark.line + 1 if node is not None else None
    return Problem(str(path), message, line)


def load_places(path: Path) -> Gazetteer:
    """Load the gazetteer from a YAML data file.

    Raises:
        DataError: the file cannot be read or an entry is malformed (with its line).
    """
    try:
        text = path.read_text(encoding="utf-8")
        root = compose_data(text)
        data = load_data(text) or {}
    except (OSError, yaml.YAMLError) as err:
        raise DataError([Problem(str(path), f"cannot load places: {err}")]) from err
    nodes = _section_nodes(root)
    problems: list[Problem] = []
    cities: dict[str, City] = {}
    for index, entry in enumerate(data.get("cities") or []):
        node = nodes.get("cities", [None] * (index + 1))[index]
        if not isinstance(entry, dict) or not entry.get("name") or not _is_code(entry):
            problems.append(_problem(path, node, "city needs a name and a 2-letter country"))
            continue
        city = City(str(entry["name"]), str(entry["country"]).upper(),
                    entry.get("part_of"))
        for alias in [city.name, *[str(a) for a in entry.get("aliases") or []]]:
            cities[alias] = city
    countries, short = _countries(data.get("countries") or [])
    events = tuple(Event(str(e["name"]), str(e.get("kind", "multilateral")),
                         tuple(str(a) for a in e.get("aliases") or [e["name"]]), e.get("label"))
                   for e in data.get("events") or [] if isinstance(e, dict) and e.get("name"))
    agencies = {str(a): str(e["name"]) for e in data.get("agencies") or []
                if isinstance(e, dict) and e.get("name") for a in e.get("aliases") or []}
    if problems:
        raise DataError(problems)
    return Gazetteer(cities, countries, short, events, agencies)


def _is_code(entry: dict[str, object]) -> bool:
    code = entry.get("country")
    return isinstance(code, str) and is_country_code(code.upper())


def _section_nodes(root: yaml.Node | None) -> dict[str, list[yaml.Node | None]]:
    result: dict[str, list[yaml.Node | None]] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(value, yaml.SequenceNode):
                result[str(key.value)] = list(value.value)
    return result


def _countries(entries: Sequence[object]) -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    short: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[value] = country.alpha_2
                short.setdefault(country.alpha_2, value)
    for entry in entries:
        if isinstance(entry, dict) and entry.get("code"):
            code = str(entry["code"]).upper()
            for alias in entry.get("aliases") or []:
                names[str(alias)] = code
            if entry.get("short"):
                short[code] = str(entry["short"])
    return names, short
