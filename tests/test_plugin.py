"""The MkDocs plugin: pure event wiring around the pipeline (a fake pipeline here)."""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import generator
from generator.errors import BriefingError
from generator.models import Problem, RenderedPage
from generator.pipeline import RenderResult
from generator.plugin import BriefingPlugin

PAGES = (RenderedPage("index.md", "# Home\n"), RenderedPage("meetings/x.md", "# X\n"))


class FakePipeline(types.ModuleType):
    """Records every call; returns fixed pages and problems."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__("generator.pipeline")
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.fail = fail

    def ingest(self, seeds: Path, content: Path, root: Path | None = None, *,
               force: bool = False) -> Any:
        self.calls.append(("ingest", (seeds, content, root)))
        return types.SimpleNamespace(skipped=(Problem("seeds/bad.txt", "empty file"),))

    def render(self, content: Path, templates: Path) -> RenderResult:
        self.calls.append(("render", (content, templates)))
        if self.fail:
            raise BriefingError([Problem("templates/meeting.md.j2", "template error: x", 4)])
        return RenderResult(PAGES, (Problem("content/meetings/m.md", "bad date", 3, 7),))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakePipeline:
    module = FakePipeline()
    monkeypatch.setitem(sys.modules, "generator.pipeline", module)
    monkeypatch.setattr(generator, "pipeline", module, raising=False)
    return module


def make_config(tmp_path: Path) -> MkDocsConfig:
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs")})
    errors, _ = config.validate()
    assert errors == []
    return config


def make_plugin(**options: str) -> BriefingPlugin:
    plugin = BriefingPlugin()
    errors, _ = plugin.load_config(options)
    assert errors == []
    return plugin


def test_pre_build_calls_the_pipeline_with_folders_next_to_mkdocs_yml(
        tmp_path: Path, fake: FakePipeline) -> None:
    plugin = make_plugin(content="records")
    plugin.on_pre_build(config=make_config(tmp_path))
    root = tmp_path.resolve()
    assert fake.calls == [
        ("ingest", (root / "seeds", root / "records", root)),
        ("render", (root / "records", root / "templates")),
    ]
    assert plugin.pages == PAGES


def test_problems_are_logged_as_warnings_with_their_place(
        tmp_path: Path, fake: FakePipeline, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.briefing"):
        make_plugin().on_pre_build(config=make_config(tmp_path))
    assert [r.getMessage() for r in caplog.records] == [
        "seeds/bad.txt: empty file", "content/meetings/m.md:3:7: bad date"]


def test_pipeline_errors_stop_the_build_with_their_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = FakePipeline(fail=True)
    monkeypatch.setitem(sys.modules, "generator.pipeline", module)
    monkeypatch.setattr(generator, "pipeline", module, raising=False)
    with pytest.raises(PluginError, match="templates/meeting.md.j2:4: template error: x"):
        make_plugin().on_pre_build(config=make_config(tmp_path))


def test_on_files_adds_generated_pages_and_writes_nothing(
        tmp_path: Path, fake: FakePipeline) -> None:
    config = make_config(tmp_path)
    (tmp_path / "docs" / "index.md").write_text("# Old\n", "utf-8")
    config.plugins["briefing"] = make_plugin()  # events run as MkDocs runs them
    config.plugins.on_pre_build(config=config)
    files = Files([File("index.md", str(tmp_path / "docs"), str(tmp_path / "site"), False)])
    files = config.plugins.on_files(files, config=config)
    assert sorted(f.src_uri for f in files) == ["index.md", "meetings/x.md"]
    page = files.get_file_from_path("meetings/x.md")
    assert page is not None and page.generated_by == "briefing"
    assert page.content_string == "# X\n"
    home = files.get_file_from_path("index.md")
    assert home is not None and home.content_string == "# Home\n"
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["index.md"]


class FakeServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_seeds_records_and_templates(tmp_path: Path) -> None:
    for name in ("seeds", "content", "templates"):
        (tmp_path / name).mkdir()
    server = FakeServer()
    make_plugin().on_serve(server, config=make_config(tmp_path), builder=None)
    root = tmp_path.resolve()
    assert server.watched == [str(root / "seeds"), str(root / "content"),
                              str(root / "templates")]
