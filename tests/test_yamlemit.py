"""The fast front-matter emitter writes exactly what PyYAML's dump writes.

``yamlio.dump_yaml`` uses ``yamlemit.BlockEmitter`` and falls back to ``reference_dump``
(PyYAML) for what the emitter does not handle; these tests compare the two byte for byte on
random adversarial data and on every record of the repository's corpora.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.support.yamlemit import _MEMO_SIZE, BlockEmitter, Unsupported, plain_shape
from generator.support.yamlio import (
    _EMITTER,
    _FastRecordDumper,
    dump_yaml,
    reference_dump,
    split_front_matter,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT.parent / "shared"))

# pieces that change a scalar's style: indicators, words YAML reads as other types,
# spaces, line breaks, control and non-BMP characters
PIECES = ["yes", "No", "NULL", "null", "~", "true", "False", "on", "OFF", "y", "n", "=", "<<",
          "1", "-1", "+1", "012", "0x1F", "0o17", "0b101", "1_000", "1:30", "1.5", "1e3",
          "1.0e+3", ".inf", "-.Inf", ".nan", "2024-01-02", "2024-01-02T10:00:00Z", "-", "?",
          ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", '"', "%", "@",
          "`", "\\", "---", "...", ": ", " #", " ", "  ", "\t", "\n", "\r", "\r\n", "\x85",
          "\u2028", "\u2029", "\ufeff", "\x00", "\x07", "\x1b", "\x7f", "\xa0", "é", "’",
          "\ufffe", "\U0001f600", "a", "Z", "word", "Minister Smith", "ok"]
pieced = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
strings = st.one_of(pieced, st.text(max_size=12), st.text(st.characters(codec="utf-8"),
                                                          max_size=12))
names = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True)
keys = st.one_of(names, names, strings)
scalars = st.one_of(strings, st.integers(), st.booleans(), st.none(),
                    st.floats(allow_nan=True, allow_infinity=True), st.dates())
values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.dictionaries(keys, inner, max_size=4)),
    max_leaves=24)
documents = st.dictionaries(keys, values, max_size=6)

SIMPLE_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=10)
simple_values = st.recursive(
    st.one_of(st.lists(st.sampled_from(PIECES[:56]), max_size=4).map("".join), SIMPLE_TEXT,
              st.integers(), st.booleans(), st.none(), st.floats(), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(names, inner, max_size=4)),
    max_leaves=24)


def _nested(depth: int) -> Any:
    value: Any = [1]
    for _ in range(depth):
        value = [value]
    return value


def _fresh() -> BlockEmitter:
    return BlockEmitter(_FastRecordDumper, reference_dump)


@settings(max_examples=examples(1500), suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_dump_is_pyyaml_byte_for_byte(data: dict[Any, Any]) -> None:
    expected = reference_dump(data)
    assert dump_yaml(data) == expected
    try:
        fast = _fresh().dump(data)
    except Unsupported:
        return
    assert fast == expected


@settings(max_examples=examples(800), suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(names, simple_values, max_size=6))
def test_record_shapes_take_the_fast_path(data: dict[str, Any]) -> None:
    """Printable single-line strings, numbers, dates and nesting never fall back."""
    emitter = _fresh()
    assert emitter.dump(data) == reference_dump(data)
    assert emitter.dump(data) == reference_dump(data)  # the memo tables change nothing


@given(strings)
def test_single_strings_as_values_keys_and_items(text: str) -> None:
    for data in ({"k": text}, {text: 1}, {"k": [text, [text]]}, {"k": [{text: text}]}):
        assert dump_yaml(data) == reference_dump(data)


def test_layout_of_nested_collections() -> None:
    data = {"a": [{"b": 1, "c": [1, [2, 3], []]}, {}], "d": {"e": {"f": None}}, "g": [],
            "h": {}, "i": [[{"j": True}]], "k": "", "l": "x: y", "m": dt.date(2024, 1, 2)}
    expected = ("a:\n- b: 1\n  c:\n  - 1\n  - - 2\n    - 3\n  - []\n- {}\nd:\n  e:\n    f: null\n"
                "g: []\nh: {}\ni:\n- - j: true\nk: ''\nl: 'x: y'\nm: 2024-01-02\n")
    assert reference_dump(data) == expected
    assert _fresh().dump(data) == expected


@pytest.mark.parametrize(("text", "written"), [
    ("plain words", "plain words"), ("yes", "'yes'"), ("12", "'12'"), ("1.5", "'1.5'"),
    ("2024-01-02", "'2024-01-02'"), ("null", "'null'"), ("~", "'~'"), ("=", "'='"),
    ("a: b", "'a: b'"), ("a:b", "a:b"), ("a #b", "'a #b'"), ("a#b", "a#b"), ("- a", "'- a'"),
    ("-a", "-a"), ("?", "'?'"), ("?a", "?a"), (":a", ":a"), ("a:", "'a:'"), ("---a", "'---a'"),
    ("--a", "--a"), ("...", "'...'"), (" a", "' a'"), ("a ", "'a '"), ("it's", "it's"),
    ("'q'", "'''q'''"), ('"q"', "'\"q\"'"), ("@x", "'@x'"), ("a\tb", '"a\\tb"'),
    ("a\nb", '"a\\nb"'), ("\U0001f600", '"\\U0001F600"'), ("é’", "é’"),
])
def test_scalar_styles(text: str, written: str) -> None:
    assert reference_dump({"k": text}) == f"k: {written}\n"
    assert dump_yaml({"k": text}) == f"k: {written}\n"


def test_plain_shape_follows_libyaml() -> None:
    assert plain_shape("a b") and plain_shape("a:b") and plain_shape("-1")
    assert not any(plain_shape(text) for text in ("", "- ", "-", "? x", "a: b", "a:", " a",
                                                  "a ", "a #b", "#a", "---", "...x", "|"))


def test_other_types_are_pyyaml_s_business() -> None:
    with pytest.raises(yaml.representer.RepresenterError):
        dump_yaml({"k": object()})
    for value in ((1, 2), {1, 2}, b"x"):
        assert dump_yaml({"k": value}) == reference_dump({"k": value})


@pytest.mark.parametrize("data", [
    {"k": dt.datetime(2024, 1, 2, 3, 4, 5)}, {1: "int key"}, {"k": "x" * 60_000},
    {"k": "a\u2028b"}, {"k" * 200: 1}, {"k": _nested(60)}, {"k": 1e300 * 10, "n": float("nan")},
])
def test_unusual_data_falls_back_or_matches(data: dict[Any, Any]) -> None:
    assert dump_yaml(data) == reference_dump(data)


def test_unknown_types_are_left_to_pyyaml() -> None:
    emitter = _fresh()
    cases: list[dict[Any, Any]] = [{"k": dt.datetime(2024, 1, 2)}, {1: "x"}, {"k": (1,)},
                                   {"k": "a\u2028b"}, {"k": "x" * 60_000}, {"k": _nested(60)}]
    for data in cases:
        with pytest.raises(Unsupported):
            emitter.dump(data)


def test_memo_tables_stay_bounded() -> None:
    emitter = _fresh()
    for number in range(_MEMO_SIZE * 2 + 5):
        emitter.dump({f"key{number}": f"value {number}", "n": number, "t": f"\t{number}"})
    assert len(emitter._keys) <= _MEMO_SIZE and len(emitter._strings) <= _MEMO_SIZE
    assert len(emitter._typed) <= _MEMO_SIZE and len(emitter._borrowed) <= _MEMO_SIZE


def _corpora() -> list[Path]:
    found = [ROOT / "seeds"] + sorted((ROOT / "tests" / "data" / "eval").glob("*/articles"))
    dev = SHARED / "eval" / "dev" / "articles"
    return found + ([dev] if dev.is_dir() else [])


@pytest.mark.parametrize("articles", _corpora(), ids=lambda path: path.parent.name)
def test_every_record_of_the_corpora(articles: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each record file ingest writes holds the reference dump of its own front matter,
    and the fast path wrote it (no fallback)."""
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    content = tmp_path / "content"
    pipeline.ingest(articles, content, tmp_path, workers=1)
    files = sorted(content.rglob("*.md"))
    assert len(files) > len(list(articles.iterdir()))  # meetings and articles
    for path in files:
        front, _ = split_front_matter(path.read_text(encoding="utf-8"))
        data = yaml.load(front, Loader=yaml.CSafeLoader)  # noqa: S506 - a safe loader
        assert reference_dump(data) == front, path
        assert _EMITTER.dump(data) == front, path
