"""libyaml (C) reads and writes records exactly as the guarded pure-Python path does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.support import yamlio

ROOT = Path(__file__).resolve().parent.parent
RECORDS = sorted((ROOT / "content").glob("*/*.md")) + \
    sorted((ROOT / "tests" / "data" / "bad_records").rglob("*.md"))


def _shape(node: Any) -> Any:
    """A node tree as plain tuples: kind, tag, value and both marks (style left out)."""
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        value: Any = [(_shape(k), _shape(v)) for k, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        value = [_shape(item) for item in node.value]
    else:
        value = node.value
    return (type(node).__name__, node.tag, value, node.start_mark.line,
            node.start_mark.column, node.end_mark.line, node.end_mark.column)


def _front(path: Path) -> str:
    return yamlio.split_front_matter(path.read_text(encoding="utf-8"))[0]


def test_libyaml_is_used() -> None:
    assert yamlio._FAST, "PyYAML without libyaml: records are read and written 10x slower"


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_fast_composition_matches_the_guarded_loader(path: Path) -> None:
    try:
        text = _front(path)
    except (yamlio.YamlProblem, UnicodeDecodeError):
        return  # no front matter, or not UTF-8: neither path reads it
    fast = yamlio._compose_fast(text)
    loader = yamlio.GuardedLoader(text)
    try:
        slow = loader.get_single_node()
    except Exception:  # refused or invalid: the fast path must leave it to the guarded one
        assert fast is None
        return
    finally:
        loader.dispose()
    assert _shape(fast) == _shape(slow)


@pytest.mark.parametrize("text", [
    "a: &x [1]\nb: *x\n",
    "a: " + "[" * (yamlio.MAX_DEPTH + 1) + "]" * (yamlio.MAX_DEPTH + 1) + "\n",
    "a: 1\n---\nb: 2\n",
    "a: [1\n",
])
def test_fast_path_leaves_refusals_and_errors_to_the_guarded_loader(text: str) -> None:
    assert yamlio._compose_fast(text) is None
    with pytest.raises(yamlio.YamlProblem):
        yamlio.compose_yaml(text)


def test_fast_dump_writes_the_same_bytes() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").glob("*/*.md"))]
    assert texts
    samples = [yaml.safe_load(yamlio.split_front_matter(t)[0]) for t in texts]
    samples.append({"odd": "line\u2028sep\x85nel\x07bell", "yes": "yes", "num": "012",
                    "list": ["", "null", "~", "- x", "a: b", "#c"]})
    for data in samples:
        slow = yaml.dump(data, Dumper=yamlio.RecordDumper, default_flow_style=False,
                         allow_unicode=True, sort_keys=False, width=1_000_000, indent=2)
        assert yamlio.dump_yaml(data) == slow
