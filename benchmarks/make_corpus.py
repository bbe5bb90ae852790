"""Write a synthetic corpus of news articles about diplomatic meetings, for benchmarks.

Officials and their roles come from ``generator/data/people.yaml`` (only roles held on the
meeting day), cities from ``places.yaml``, wording from ``benchmarks/corpus.yaml``. Each
meeting is reported by one to four articles: independent reports, exact copies with a
site's clutter around them, and paraphrases; some articles are distractors that report no
meeting. One seed gives the same files, byte for byte.

Usage: ``python benchmarks/make_corpus.py OUT --count N [--seed S]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "generator" / "data"
WORDING = Path(__file__).resolve().parent / "corpus.yaml"
START, END = dt.date(2019, 1, 1), dt.date(2025, 6, 30)
KINDS = ("foreign-minister", "foreign-minister", "foreign-minister", "defence-minister")
HUB = "US"  # one country's officials take part in a third of the meetings (a hub person)
AGENCIES = ("Reuters", "Kyodo", "AFP", "PTI", "Yonhap", "Bernama", "AP", "dpa")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Official:
    name: str
    family: str
    country: str
    title: str
    kind: str


@dataclass(frozen=True)
class World:
    """The data the generator draws from."""

    roles: tuple[tuple[Official, dt.date, dt.date], ...]
    adjective: dict[str, str]
    cities: dict[str, tuple[str, ...]]
    events: tuple[str, ...]
    wording: dict[str, Any]


def load_world() -> World:
    """Officials with their terms, nationality adjectives, cities and events."""
    people = yaml.safe_load((DATA / "people.yaml").read_text("utf-8"))
    places = yaml.safe_load((DATA / "places.yaml").read_text("utf-8"))
    adjective: dict[str, str] = {}
    for word, code in people["nationalities"].items():
        adjective.setdefault(str(code), str(word))
    roles = []
    for person in people["people"]:
        family = person.get("family") or person["name"].split()[-1]
        for role in person.get("roles") or []:
            country = role.get("country", person["country"])
            if role["kind"] in KINDS and country in adjective:
                official = Official(person["name"], family, country, role["title"], role["kind"])
                roles.append((official, _day(role.get("from"), START),
                              _day(role.get("to"), END)))
    cities: dict[str, list[str]] = {}
    for city in places["cities"]:
        cities.setdefault(city["country"], []).append(city["name"])
    events = tuple(e["name"] for e in places["events"] if e["kind"] == "multilateral")
    return World(tuple(roles), adjective, {k: tuple(v) for k, v in cities.items()}, events,
                 yaml.safe_load(WORDING.read_text("utf-8")))


def _day(value: object, default: dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)) if value else default


@dataclass(frozen=True)
class Meeting:
    a: Official
    b: Official
    day: dt.date
    fmt: str
    city: str | None
    event: str | None
    topics: tuple[str, ...]


def pick_meeting(rng: random.Random, world: World) -> Meeting:
    """A meeting of two officials of one kind from two countries, both in office that day."""
    while True:
        day = START + dt.timedelta(days=rng.randrange((END - START).days))
        kind = rng.choice(KINDS)
        serving = [o for o, start, end in world.roles if o.kind == kind and start <= day < end]
        hubs = [o for o in serving if o.country == HUB]
        a = rng.choice(hubs) if hubs and rng.random() < 0.35 else rng.choice(serving or [None])
        others = [o for o in serving if a is not None and o.country != a.country]
        if a is None or not others:
            continue
        b = rng.choice(others)
        hosts = [c for o in (a, b) for c in world.cities.get(o.country, ())]
        fmt = rng.choice(("in_person", "in_person", "phone", "video")) if hosts else "phone"
        city = rng.choice(hosts) if fmt == "in_person" else None
        event = rng.choice(world.events) if city and rng.random() < 0.2 else None
        topics = tuple(sorted(rng.sample(sorted(world.wording["topics"]), rng.randint(2, 4))))
        return Meeting(a, b, day, fmt, city, event, topics)


def date_form(rng: random.Random, day: dt.date, agency: str) -> tuple[str, str, str]:
    """(first line, dateline prefix, day phrase) in one of several ways of dating a story."""
    weekday, month = WEEKDAYS[day.weekday()], MONTHS[day.month - 1]
    form = rng.randrange(4)
    if form == 0:
        return f"date {day.isoformat()}", "", f"on {weekday}"
    if form == 1:
        return "", "", f"on {month} {day.day}, {day.year}"
    if form == 2:
        return "", "", f"on {day.day} {month} {day.year}"
    published = f"{month} {day.day}, {day.year}"
    return published, f"WASHINGTON, {month[:3]} {day.day} ({agency}) - ", f"on {weekday}"


def report(rng: random.Random, world: World, meeting: Meeting) -> list[str]:
    """The lines of one independent report of a meeting."""
    words = world.wording
    agency = rng.choice(AGENCIES)
    first, dateline, day = date_form(rng, meeting.day, agency)
    topic = words["topics"][meeting.topics[0]]["phrase"]
    fill = _fill(world, meeting, day=day, topic=topic)
    fill["publisher"] = agency
    lead = dateline + rng.choice(words["leads"][meeting.fmt]).format(**fill)
    if meeting.event:
        lead += words["sidelines"].format(**fill)
    body = [_topic_sentence(rng, words, s, fill) for t in meeting.topics
            for s in rng.sample(words["topics"][t]["sentences"], 1)]
    body += [rng.choice(words["quotes"]).format(**fill),
             _topic_sentence(rng, words, rng.choice(words["outcomes"]), fill)]
    body += [_filler(rng, words, fill) for _ in range(rng.randint(4, 7))]
    rng.shuffle(body)
    lines = [first, rng.choice(words["headlines"]).format(**fill), f"By {agency} staff", lead]
    return [line for line in lines if line] + body


def _topic_sentence(rng: random.Random, words: dict[str, Any], sentence: str,
                    fill: dict[str, str]) -> str:
    """A topic sentence with one of several subjects and endings."""
    text = sentence.format(subject=rng.choice(words["subjects"]).format(**fill), **fill)
    ending = rng.choice(words["endings"]).format(**fill)
    return text[:-1] + ending + text[-1] if ending else text


def _filler(rng: random.Random, words: dict[str, Any], fill: dict[str, str]) -> str:
    """A background sentence put together from three parts."""
    parts = [rng.choice(options).format(**fill) for options in words["filler_parts"]]
    return f"{parts[0]} {parts[1]}{parts[2]}"


def _fill(world: World, meeting: Meeting, **extra: str) -> dict[str, str]:
    a, b = meeting.a, meeting.b
    return {"a": a.name, "b": b.name, "fa": a.family, "fb": b.family, "ra": a.title,
            "rb": b.title, "na": world.adjective[a.country], "nb": world.adjective[b.country],
            "city": meeting.city or "", "event": meeting.event or "",
            "city_or_call": f"talks in {meeting.city}" if meeting.city else "call",
            "event_or_year": meeting.event or str(meeting.day.year),
            "year": str(meeting.day.year - 1), "publisher": "reporters", **extra}


def with_clutter(world: World, lines: list[str], publisher: str) -> list[str]:
    """An exact copy of a story as another site shows it: navigation, share, related links."""
    words = world.wording
    return [*words["clutter_top"], *lines,
            *(line.format(publisher=publisher) for line in words["clutter_bottom"])]


def paraphrase(rng: random.Random, world: World, lines: list[str]) -> list[str]:
    """The same story in slightly other words, with its background lines moved around."""
    swaps = world.wording["paraphrase"]
    out = []
    for line in lines:
        for old, new in sorted(swaps.items()):
            if rng.random() < 0.7:
                line = re.sub(rf"\b{re.escape(old)}\b", new, line)
        out.append(line)
    head, tail = out[:4], out[4:]
    rng.shuffle(tail)
    return head + tail


def distractor(rng: random.Random, world: World, meeting: Meeting) -> list[str]:
    """An article that reports no meeting: an opinion piece or remarks to the press."""
    fill = _fill(world, meeting, day=f"on {WEEKDAYS[meeting.day.weekday()]}",
                 city=rng.choice(sorted(c for v in world.cities.values() for c in v)),
                 headline=f"{meeting.a.family} sets out priorities for the year ahead")
    return rng.choice(world.wording["distractors"]).format(**fill).split("\n")


def stories(rng: random.Random, world: World, count: int) -> list[list[str]]:
    """``count`` articles: meetings reported one to four times, and distractors."""
    out: list[list[str]] = []
    while len(out) < count:
        meeting = pick_meeting(rng, world)
        if rng.random() < 0.06:
            out.append(distractor(rng, world, meeting))
            continue
        first = report(rng, world, meeting)
        out.append(first)
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            kind = rng.random()
            if kind < 0.3:
                out.append(with_clutter(world, first, rng.choice(AGENCIES)))
            elif kind < 0.7:
                out.append(paraphrase(rng, world, first))
            else:
                out.append(report(rng, world, meeting))
    return out[:count]


def write_corpus(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` article files into ``out`` (created); the same seed, the same bytes.

    Returns:
        The files written, sorted by name.
    """
    rng = random.Random(seed)
    texts = stories(rng, load_world(), count)
    order = list(range(len(texts)))
    rng.shuffle(order)  # copies of one story are not neighbours in the folder
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, index in enumerate(order):
        path = out / f"a{number:06d}.txt"
        path.write_text("\n\n".join(texts[index]) + "\n", encoding="utf-8")
        paths.append(path)
    return sorted(paths)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``make_corpus.py OUT --count N [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path, help="folder for the article files")
    parser.add_argument("--count", type=int, default=100, help="number of articles")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    written = write_corpus(args.out, args.count, args.seed)
    print(f"{len(written)} articles in {args.out}")


if __name__ == "__main__":
    main()
