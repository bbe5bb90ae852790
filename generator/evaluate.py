"""Measuring extraction against hand-made gold annotations.

The gold format and the nine headline metrics are those of the project's evaluation sets:
grouping F1 over article pairs, meeting precision, date / location / format / setting
accuracy per gold meeting, participants F1, topics F1 (borderline topics ignored) and the
share of no-meeting articles that list no meeting. ``score`` is their mean.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

FIELDS = ("date", "location", "format", "setting")
CITY_NOISE = re.compile(r"\b(?:d\.?\s?c\.?|city|the)\b")


@dataclass(frozen=True)
class MeetingResult:
    """How one gold meeting came out."""

    gold: str
    predicted: str | None
    correct: Mapping[str, bool]  # date, location, format, setting
    people_found: int
    people_gold: int
    people_extra: int
    topics_missed: tuple[str, ...]
    topics_extra: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    """Every metric, the per-meeting details and the headline score."""

    metrics: Mapping[str, float]
    meetings: tuple[MeetingResult, ...]
    missing_articles: tuple[str, ...]
    spurious_meetings: tuple[str, ...]
    distractors: tuple[int, int]  # (without a meeting, all)

    @property
    def score(self) -> float:
        return sum(self.metrics.values()) / len(self.metrics)

    def lines(self) -> list[str]:
        """The report a person reads: one line per gold meeting, then each metric."""
        out = []
        for m in self.meetings:
            wrong = " ".join(k for k in FIELDS if not m.correct[k]) or "-"
            out.append(f"{m.gold:<45} -> {m.predicted or '(none)':<45} wrong: {wrong}; "
                       f"people {m.people_found}/{m.people_gold} (+{m.people_extra} extra); "
                       f"topics missed {list(m.topics_missed)} extra {list(m.topics_extra)}")
        out.append(f"articles_missing: {list(self.missing_articles)}")
        out.append(f"spurious_meetings: {list(self.spurious_meetings)}")
        out.append(f"distractors_ok: {self.distractors[0]}/{self.distractors[1]}")
        out += [f"{name}: {value:.3f}" for name, value in self.metrics.items()]
        out.append(f"score: {self.score:.3f}")
        return out


def fold(text: str | None) -> str:
    """Lower-case ASCII words of ``text``, for comparing names and cities."""
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def same_city(predicted: str | None, accepted: Iterable[str | None]) -> bool:
    def key(city: str | None) -> str:
        return " ".join(CITY_NOISE.sub(" ", fold(city)).split())

    return bool(predicted) and key(predicted) in {key(c) for c in accepted if c}


def same_person(a: str, b: str) -> bool:
    """Names agree when their tokens agree in any order (initials ignored)."""
    ta = {t for t in fold(a).split() if len(t) > 1}
    tb = {t for t in fold(b).split() if len(t) > 1}
    if not ta or not tb:
        return False
    small, big = sorted((ta, tb), key=len)
    return small <= big and len(small) >= 2 if len(big) >= 2 else small == big


def f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def stem(name: str) -> str:
    return PurePath(name).stem


def evaluate(gold: Mapping[str, Any], export: Mapping[str, Any]) -> Evaluation:
    """Compare an export (``{"meetings": [...], "articles": [...]}``) with gold annotations."""
    predicted = {a["id"]: a for a in export.get("articles", [])}
    meetings = {m["id"]: m for m in export.get("meetings", [])}
    gold_articles = {stem(a["file"]): a for a in gold["articles"]}
    primary = [m for m in gold["meetings"] if not m.get("secondary")]

    def first_meeting(article: str) -> str | None:
        listed = (predicted.get(article) or {}).get("meetings") or []
        return listed[0] if listed else None

    alignment = align(primary, gold_articles, first_meeting)
    used = {m for m in alignment.values() if m}
    touched = {first_meeting(a) for a in gold_articles} - {None}
    spurious = tuple(sorted(m for m in touched - used if m))
    results = tuple(meeting_result(g, alignment[g["key"]], meetings) for g in primary)
    distractors = [a for a, g in gold_articles.items() if not g.get("meeting")]
    clean = sum(1 for a in distractors if not (predicted.get(a) or {}).get("meetings"))
    metrics = {
        "grouping_f1": grouping_f1(gold_articles, first_meeting),
        "meeting_precision": len(used) / (len(used) + len(spurious)) if used or spurious
        else 0.0,
        **{f"{k}_accuracy": sum(r.correct[k] for r in results) / (len(results) or 1)
           for k in FIELDS},
        "participants_f1": f1(sum(r.people_found for r in results),
                              sum(r.people_extra for r in results),
                              sum(r.people_gold - r.people_found for r in results)),
        "topics_f1": topics_f1(primary, alignment, meetings),
        "distractors": clean / len(distractors) if distractors else 1.0,
    }
    return Evaluation(metrics, results, tuple(sorted(set(gold_articles) - set(predicted))),
                      spurious, (clean, len(distractors)))


def align(primary: Sequence[Mapping[str, Any]], gold_articles: Mapping[str, Mapping[str, Any]],
          first_meeting: Any) -> dict[str, str | None]:
    """Each gold meeting -> the predicted meeting most of its articles list first."""
    alignment: dict[str, str | None] = {}
    taken: set[str] = set()
    for meeting in primary:
        votes: Counter[str] = Counter()
        for name in meeting["articles"]:
            if gold_articles.get(stem(name), {}).get("meeting") == meeting["key"]:
                chosen = first_meeting(stem(name))
                if chosen and chosen not in taken:
                    votes[chosen] += 1
        best = max(sorted(votes), key=lambda k: votes[k]) if votes else None
        alignment[meeting["key"]] = best
        if best:
            taken.add(best)
    return alignment


def grouping_f1(gold_articles: Mapping[str, Mapping[str, Any]], first_meeting: Any) -> float:
    """Pairwise F1 of "same meeting" over the articles that report one."""
    reporting = sorted(a for a, g in gold_articles.items() if g.get("meeting"))
    tp = fp = fn = 0
    for a, b in itertools.combinations(reporting, 2):
        same_gold = gold_articles[a]["meeting"] == gold_articles[b]["meeting"]
        pa = first_meeting(a)
        same = pa is not None and pa == first_meeting(b)
        tp += same_gold and same
        fp += same and not same_gold
        fn += same_gold and not same
    return f1(tp, fp, fn)


def meeting_result(gold: Mapping[str, Any], predicted_id: str | None,
                   meetings: Mapping[str, Mapping[str, Any]]) -> MeetingResult:
    pred = meetings.get(predicted_id or "") or {}
    found = bool(pred)
    location = pred.get("location") or {}
    if gold.get("city") is None:
        place_ok = found and not location.get("city")
    else:
        place_ok = found and same_city(location.get("city"),
                                       [gold.get("city"), *(gold.get("city_alt") or [])]) \
            and str(location.get("country") or "").upper() == str(gold.get("country")).upper()
    correct = {"date": found and str(pred.get("date") or "") == str(gold.get("date") or ""),
               "location": place_ok,
               "format": found and pred.get("format") == gold.get("format"),
               "setting": found and pred.get("setting") == gold.get("setting")}
    gold_people = [p["name"] for p in gold["participants"]]
    pred_people = [p.get("name", "") for p in pred.get("participants") or []]
    matched = sum(1 for g in gold_people if any(same_person(g, p) for p in pred_people))
    extra = sum(1 for p in pred_people if not any(same_person(g, p) for g in gold_people))
    wanted, loose = set(gold.get("topics") or []), set(gold.get("topics_borderline") or [])
    got = set(pred.get("topics") or [])
    return MeetingResult(gold["key"], predicted_id, correct, matched, len(gold_people), extra,
                         tuple(sorted(wanted - got)), tuple(sorted(got - wanted - loose)))


def topics_f1(primary: Sequence[Mapping[str, Any]], alignment: Mapping[str, str | None],
              meetings: Mapping[str, Mapping[str, Any]]) -> float:
    tp = fp = fn = 0
    for gold in primary:
        got = set((meetings.get(alignment[gold["key"]] or "") or {}).get("topics") or [])
        wanted, loose = set(gold.get("topics") or []), set(gold.get("topics_borderline") or [])
        tp += len(wanted & got)
        fn += len(wanted - got)
        fp += len(got - wanted - loose)
    return f1(tp, fp, fn)


# -- reading gold annotations -------------------------------------------------------------

# what each gold entry must hold: field -> (a check, what it should be)
_TEXT = (lambda v: isinstance(v, str) and v != "", "a non-empty string")
_TEXTS = (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
          "a list of strings")
_OPTIONAL_TEXTS = (lambda v: v is None or _TEXTS[0](v), "a list of strings")
_OPTIONAL_TEXT = (lambda v: v is None or isinstance(v, str), "a string or null")
_PEOPLE = (lambda v: isinstance(v, list) and all(
    isinstance(p, dict) and isinstance(p.get("name"), str) for p in v),
    "a list of {name: ...} entries")
_ARTICLE = {"file": _TEXT, "meeting": _OPTIONAL_TEXT}
_MEETING = {"key": _TEXT, "articles": _TEXTS, "participants": _PEOPLE,
            "topics": _OPTIONAL_TEXTS, "topics_borderline": _OPTIONAL_TEXTS,
            "city_alt": _OPTIONAL_TEXTS}
_REQUIRED = {"file", "key", "articles", "participants"}


def load_gold(path: PurePath, text: str) -> tuple[dict[str, Any], list[tuple[int | None, str]]]:
    """Gold annotations from the text of a YAML file, and what is wrong with them: each
    problem as (line, message), all of them in one pass (none: the annotations can be
    evaluated)."""
    import yaml

    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return {}, [(None if mark is None else mark.line + 1, "cannot read gold annotations: "
                     f"not valid YAML: {getattr(err, 'problem', None) or err}")]
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        return {}, [(1, "expected a mapping with `articles` and `meetings` lists")]
    nodes = {key.value: value for key, value in root.value}
    problems: list[tuple[int | None, str]] = []
    for name, fields in (("articles", _ARTICLE), ("meetings", _MEETING)):
        items, node = data.get(name), nodes.get(name)
        if not isinstance(items, list) or not isinstance(node, yaml.SequenceNode):
            problems.append((None if node is None else node.start_mark.line + 1,
                             f"{name}: expected a list"))
            continue
        for index, (item, item_node) in enumerate(zip(items, node.value, strict=True)):
            problems += _entry_problems(f"{name}[{index}]", item, item_node, fields)
    return data, problems


def _entry_problems(where: str, item: Any, node: Any,
                    fields: Mapping[str, tuple[Any, str]]) -> list[tuple[int | None, str]]:
    line = node.start_mark.line + 1
    if not isinstance(item, dict):
        return [(line, f"{where}: expected a mapping")]
    lines = {key.value: value.start_mark.line + 1 for key, value in node.value
             if hasattr(key, "value") and isinstance(key.value, str)}
    problems = []
    for name, (check, wanted) in fields.items():
        if name not in item:
            if name in _REQUIRED:
                problems.append((line, f"{where}.{name}: missing"))
        elif not check(item[name]):
            problems.append((lines.get(name, line), f"{where}.{name}: expected {wanted}, "
                                                    f"got {item[name]!r}"))
    return problems
