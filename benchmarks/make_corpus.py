"""Write a synthetic corpus of news articles about diplomatic meetings, for benchmarks.

Officials and their roles come from ``generator/knowledge/data/people.yaml`` (only roles held on the
meeting day), cities from ``places.yaml``, wording from ``benchmarks/corpus.yaml``: pools of
leads, headlines, topic sentences, quotes, outcomes, background and closing lines, drawn at
random and put in one of several orders, so that reports of different meetings share little
wording. Each meeting is reported by one to four articles: independent reports, exact copies
with a site's clutter around them, and paraphrases; some articles are distractors that report
no meeting. One seed gives the same files, byte for byte.

Usage: ``python benchmarks/make_corpus.py OUT --count N [--seed S] [--truth FILE]``
(``--truth`` writes which meeting each article reports, as JSON, outside the corpus).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "generator" / "knowledge" / "data"
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
    names: dict[str, str]
    cities: dict[str, tuple[str, ...]]
    events: tuple[str, ...]
    wording: dict[str, Any]


def load_world() -> World:
    """Officials with their terms, nationality adjectives, country names, cities, events."""
    people = yaml.safe_load((DATA / "people.yaml").read_text("utf-8"))
    places = yaml.safe_load((DATA / "places.yaml").read_text("utf-8"))
    wording = yaml.safe_load(WORDING.read_text("utf-8"))
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
    short = {c["code"]: c["short"] for c in places["countries"]}
    names = {code: _country_name(code, wording["country_names"], short) for code in adjective}
    return World(tuple(roles), adjective, names, {k: tuple(v) for k, v in cities.items()},
                 events, wording)


def _country_name(code: str, names: dict[str, str], short: dict[str, str]) -> str:
    """A country's name as a sentence uses it ("the Philippines", "Japan")."""
    if code in names or code in short:
        return names.get(code) or short[code]
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or getattr(country, "name", code))


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


def date_form(rng: random.Random, meeting: Meeting, agency: str) -> tuple[str, str, str]:
    """(first line, dateline prefix, day phrase) in one of several ways of dating a story."""
    day = meeting.day
    weekday, month = WEEKDAYS[day.weekday()], MONTHS[day.month - 1]
    form = rng.randrange(4)
    if form == 0:
        return f"date {day.isoformat()}", "", f"on {weekday}"
    if form == 1:
        return "", "", f"on {month} {day.day}, {day.year}"
    if form == 2:
        return "", "", f"on {day.day} {month} {day.year}"
    place = (meeting.city or "Washington").upper()
    return f"{month} {day.day}, {day.year}", f"{place}, {month[:3]} {day.day} ({agency}) - ", \
        f"on {weekday}"


def report(rng: random.Random, world: World, meeting: Meeting) -> list[str]:
    """The lines of one independent report of a meeting: a head (date, headline, byline,
    lead) and a body whose parts come in one of several orders, some lines two sentences."""
    words = world.wording
    agency = rng.choice(AGENCIES)
    first, dateline, day = date_form(rng, meeting, agency)
    fill = _fill(rng, world, meeting, day=day, publisher=agency)
    lead = dateline + rng.choice(words["leads"][meeting.fmt]).format(**fill)
    if meeting.event:
        lead += rng.choice(words["sidelines"]).format(**fill)
    head = [first, rng.choice(words["headlines"]).format(**fill),
            rng.choice(words["bylines"]).format(**fill), lead]
    parts = _body_parts(rng, words, meeting, fill)
    order = rng.choice(words["orders"])
    if order == "any":
        body = [line for part in parts.values() for line in part]
        rng.shuffle(body)
    else:
        body = [line for name in order for line in parts[name]]
    if rng.random() < 0.6:
        body.append(rng.choice(words["closings"]).format(**fill))
    return [_cap(line) for line in head if line] + _paragraphs(rng, body)


def _body_parts(rng: random.Random, words: dict[str, Any], meeting: Meeting,
                fill: dict[str, str]) -> dict[str, list[str]]:
    """The sentences of a report's body, by part."""
    topics = [_topic_sentence(rng, words, s, fill) for t in meeting.topics
              for s in rng.sample(words["topics"][t]["sentences"], rng.choice((1, 1, 1, 2)))]
    rng.shuffle(topics)
    context = words["context"] + (words["in_person_context"] if meeting.city else [])
    background = [s.format(**fill) for s in rng.sample(words["background"], rng.randint(0, 2))]
    background += [s.format(**fill) for s in rng.sample(context, rng.randint(0, 2))]
    speakers = rng.sample(words["speakers"], rng.randint(1, 2))
    return {"topics": topics,
            "quotes": [_quote(rng, words, speaker, fill) for speaker in speakers],
            "outcomes": [_topic_sentence(rng, words, s, fill)
                         for s in rng.sample(words["outcomes"], rng.randint(1, 2))],
            "background": background,
            "fillers": [_filler(rng, words, fill) for _ in range(rng.randint(1, 3))]}


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    """Lines of one sentence, some of two (a paragraph), each sentence capitalised."""
    lines: list[str] = []
    for sentence in map(_cap, sentences):
        if lines and rng.random() < 0.2 and lines[-1].count(". ") == 0:
            lines[-1] += " " + sentence
        else:
            lines.append(sentence)
    return lines


def _cap(text: str) -> str:
    """``text`` with a capital first letter ("the Philippines and ..." opening a line)."""
    return text[:1].upper() + text[1:]


def _topic_sentence(rng: random.Random, words: dict[str, Any], sentence: str,
                    fill: dict[str, str]) -> str:
    """A topic sentence with one of several subjects and endings."""
    text = sentence.format(subject=rng.choice(words["subjects"]).format(**fill), **fill)
    ending = rng.choice(words["endings"]).format(**fill)
    return text[:-1] + ending + text[-1] if ending else text


def _quote(rng: random.Random, words: dict[str, Any], speaker: str,
           fill: dict[str, str]) -> str:
    """A quoted remark: one of many texts, attributed in one of several ways."""
    text = _cap(rng.choice(words["quote_texts"]).format(**fill))
    return rng.choice(words["quote_forms"]).format(q=text, speaker=speaker.format(**fill),
                                                   **fill)


def _filler(rng: random.Random, words: dict[str, Any], fill: dict[str, str]) -> str:
    """A background sentence put together from three parts."""
    parts = [rng.choice(options).format(**fill) for options in words["filler_parts"]]
    return f"{parts[0]} {parts[1]}{parts[2]}"


def _fill(rng: random.Random, world: World, meeting: Meeting, **extra: str) -> dict[str, str]:
    """The values of the placeholders for a story about ``meeting``."""
    a, b = meeting.a, meeting.b
    host, guest = (b, a) if meeting.city in world.cities.get(b.country, ()) else (a, b)
    words = world.wording
    phrases = [words["topics"][t]["phrase"] for t in meeting.topics]
    fill = {"a": a.name, "b": b.name, "fa": a.family, "fb": b.family, "ra": a.title,
            "rb": b.title, "na": world.adjective[a.country], "nb": world.adjective[b.country],
            "ca": world.names[a.country], "cb": world.names[b.country],
            "city": meeting.city or "", "event": meeting.event or "",
            "city_or_call": f"talks in {meeting.city}" if meeting.city else "call",
            "event_or_year": meeting.event or str(meeting.day.year),
            "year": str(meeting.day.year - 1), "publisher": "reporters",
            "topic": rng.choice(phrases[0]), "topic2": rng.choice(phrases[1]),
            "how": words["how"][meeting.fmt].format(city=meeting.city),
            "talk": words["talk"][meeting.fmt],
            **_pair_facts(a.country, b.country), **extra}
    for key, person in (("h", host), ("g", guest)):
        fill.update({key: person.name, f"f{key}": person.family, f"r{key}": person.title,
                     f"n{key}": world.adjective[person.country],
                     f"c{key}": world.names[person.country]})
    return fill


def _pair_facts(first: str, second: str) -> dict[str, str]:
    """Figures about two countries, the same in every story about them."""
    rng = random.Random("-".join(sorted((first, second))))
    return {"est": str(rng.randint(1949, 1995)), "upgraded": str(rng.randint(2005, 2018)),
            "trade": f"{rng.randint(5, 400) / 10:.1f}",
            "students": f"{rng.randrange(300, 30000, 100):,}"}


def with_clutter(rng: random.Random, world: World, lines: list[str]) -> list[str]:
    """An exact copy of a story as another site shows it: navigation, share, related links."""
    site = rng.choice(world.wording["clutter"])
    publisher = rng.choice(AGENCIES)
    return [*site["top"], *lines, *(line.format(publisher=publisher) for line in site["bottom"])]


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
    """An article that reports no meeting: an opinion piece, remarks to the press or a
    profile of one official, with some background on the country's ties."""
    kind = world.wording["distractors"][rng.choice(sorted(world.wording["distractors"]))]
    city = rng.choice(sorted(c for v in world.cities.values() for c in v))
    fill = _fill(rng, world, meeting, day=f"on {WEEKDAYS[meeting.day.weekday()]}", city=city)
    pool = kind["sentences"]
    chosen = [pool[i] for i in sorted(rng.sample(range(len(pool)), rng.randint(4, 6)))]
    if "openers" in kind:
        chosen.insert(0, rng.choice(kind["openers"]))
    body = [s.format(**fill) for s in chosen]
    extra = [s.format(**fill) for s in rng.sample(world.wording["background"], rng.randint(1, 2))]
    extra += [_filler(rng, world.wording, fill) for _ in range(rng.randint(1, 2))]
    for line in extra:
        body.insert(rng.randint(1, len(body)), line)
    head = [rng.choice(kind.get("first", [""])), rng.choice(kind["headlines"]).format(**fill)]
    return [_cap(line) for line in head if line] + _paragraphs(rng, body)


@dataclass(frozen=True)
class Story:
    """An article's lines and what it is: which meeting it reports (a number, or None for a
    distractor), how it was made, and the story it copies or paraphrases."""

    lines: list[str]
    meeting: int | None
    kind: str
    of: int | None = None
    about: Meeting | None = None


def stories(rng: random.Random, world: World, count: int) -> list[Story]:
    """``count`` articles: meetings reported one to four times, and distractors."""
    out: list[Story] = []
    meetings = 0
    while len(out) < count:
        meeting = pick_meeting(rng, world)
        if rng.random() < 0.125:  # a meeting has 13/6 articles: 1 in 16 is a distractor
            out.append(Story(distractor(rng, world, meeting), None, "distractor"))
            continue
        meetings += 1
        first = len(out)
        out.append(Story(report(rng, world, meeting), meetings, "report", None, meeting))
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            kind = rng.random()
            lines = out[first].lines
            if kind < 0.3:
                out.append(Story(with_clutter(rng, world, lines), meetings, "copy", first,
                                 meeting))
            elif kind < 0.7:
                out.append(Story(paraphrase(rng, world, lines), meetings, "paraphrase", first,
                                 meeting))
            else:
                out.append(Story(report(rng, world, meeting), meetings, "report", None,
                                 meeting))
    return out[:count]


def write_corpus(out: Path, count: int, seed: int = 1,
                 truth: Path | None = None) -> list[Path]:
    """Write ``count`` article files into ``out`` (created); the same seed, the same bytes.

    Args:
        out: the folder for the articles.
        count: how many articles.
        seed: the random seed.
        truth: where to write, as JSON, what each article is (by file name without ``.txt``):
            ``meeting`` (a number; null for a distractor), ``kind`` (report, copy,
            paraphrase, distractor), ``of`` (the article a copy or paraphrase is made
            from) and the meeting's ``date``, ``format``, ``city``, ``event`` and
            ``participants``. Keep it out of ``out``: it is not an article.

    Returns:
        The files written, sorted by name.
    """
    rng = random.Random(seed)
    texts = stories(rng, load_world(), count)
    order = list(range(len(texts)))
    rng.shuffle(order)  # copies of one story are not neighbours in the folder
    name = {index: f"a{number:06d}" for number, index in enumerate(order)}
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in order:
        path = out / f"{name[index]}.txt"
        path.write_text("\n\n".join(texts[index].lines) + "\n", encoding="utf-8")
        paths.append(path)
    if truth is not None:
        found = {name[i]: _truth(story, name) for i, story in enumerate(texts)}
        truth.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", "utf-8")
    return sorted(paths)


def _truth(story: Story, name: dict[int, str]) -> dict[str, Any]:
    """What an article is, for ``--truth``."""
    found: dict[str, Any] = {"meeting": story.meeting, "kind": story.kind,
                             "of": None if story.of is None else name[story.of]}
    if story.about is not None:
        meeting = story.about
        found.update(date=meeting.day.isoformat(), format=meeting.fmt, city=meeting.city,
                     event=meeting.event, participants=[meeting.a.name, meeting.b.name])
    return found


def main(argv: list[str] | None = None) -> None:
    """Command line: ``make_corpus.py OUT --count N [--seed S] [--truth FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path, help="folder for the article files")
    parser.add_argument("--count", type=int, default=100, help="number of articles")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--truth", type=Path, default=None,
                        help="also write which meeting each article reports (JSON)")
    args = parser.parse_args(argv)
    written = write_corpus(args.out, args.count, args.seed, args.truth)
    print(f"{len(written)} articles in {args.out}")


if __name__ == "__main__":
    main()
