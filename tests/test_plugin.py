"""The MkDocs plugin: pure event wiring around the pipeline (a fake pipeline here)."""

from __future__ import annotations

import gc
import logging
import socket
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
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
        self.pages = PAGES

    def ingest(self, seeds: Path, content: Path, root: Path | None = None, *,
               force: bool = False) -> Any:
        self.calls.append(("ingest", (seeds, content, root)))
        return types.SimpleNamespace(
            skipped=(Problem("seeds/bad.txt", "empty file"),),
            messages=lambda: ("content/.state/records.json: damaged (empty); rebuilt",))

    def render(self, content: Path, templates: Path, **options: Any) -> RenderResult:
        self.calls.append(("render", (content, templates, *sorted(options))))
        if self.fail:
            raise BriefingError([Problem("templates/meeting.md.j2", "template error: x", 4)])
        return RenderResult(self.pages, (Problem("content/meetings/m.md", "bad date", 3, 7),))


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
        ("ingest", (root / "seeds", root / "records", None)),  # the pipeline finds the root
        ("render", (root / "records", root / "templates")),
    ]
    assert plugin.pages == PAGES


def test_problems_are_logged_as_warnings_with_their_place(
        tmp_path: Path, fake: FakePipeline, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.briefing"):
        make_plugin().on_pre_build(config=make_config(tmp_path))
    assert [r.getMessage() for r in caplog.records] == [
        "seeds/bad.txt: empty file", "content/meetings/m.md:3:7: bad date"]


def test_what_ingest_says_is_shown_as_information(
        tmp_path: Path, fake: FakePipeline, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefing"):
        make_plugin().on_pre_build(config=make_config(tmp_path))
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.INFO] == [
        "content/.state/records.json: damaged (empty); rebuilt"]


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
    assert server.watched == [str(root / "seeds"), str(root / "content" / "meetings"),
                              str(root / "content" / "articles"), str(root / "templates")]
    (root / "content" / "data").mkdir()
    server = FakeServer()
    make_plugin().on_serve(server, config=make_config(tmp_path), builder=None)
    assert str(root / "content" / "data") in server.watched
    assert not any(".state" in folder for folder in server.watched)


def test_serve_keeps_a_memo_and_rewrites_only_changed_pages(
        tmp_path: Path, fake: FakePipeline) -> None:
    config = make_config(tmp_path)
    plugin = make_plugin()
    config.plugins["briefing"] = plugin
    plugin.on_startup(command="serve", dirty=True)
    assert plugin.preview is not None
    store = plugin.preview.store
    fake.pages = (RenderedPage("a.md", "# A\n"), RenderedPage("b/c.md", "# C\n"),
                  RenderedPage("gone.md", "# Gone\n"))
    config.plugins.on_pre_build(config=config)
    assert fake.calls[-1] == ("render", (tmp_path.resolve() / "content",
                                         tmp_path.resolve() / "templates", "memo"))
    files = config.plugins.on_files(Files([]), config=config)
    page = files.get_file_from_path("b/c.md")
    assert page is not None and page.abs_src_path == str(store / "b" / "c.md")
    assert page.content_string == "# C\n"
    before = {p: (store / p).stat().st_mtime_ns for p in ("a.md", "b/c.md")}
    time.sleep(0.02)
    fake.pages = (RenderedPage("a.md", "# A\n"), RenderedPage("b/c.md", "# C, edited\n"))
    config.plugins.on_pre_build(config=config)
    assert (store / "a.md").stat().st_mtime_ns == before["a.md"]  # untouched: not rebuilt
    assert (store / "b" / "c.md").stat().st_mtime_ns > before["b/c.md"]
    assert (store / "b" / "c.md").read_text("utf-8") == "# C, edited\n"
    assert not (store / "gone.md").exists()
    plugin.on_shutdown()
    assert not store.exists()


def test_build_renders_without_a_memo_and_keeps_pages_in_memory(
        tmp_path: Path, fake: FakePipeline) -> None:
    plugin = make_plugin()
    plugin.on_startup(command="build", dirty=False)
    plugin.on_pre_build(config=make_config(tmp_path))
    assert plugin.preview is None and fake.calls[-1][1][2:] == ()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_hears_a_saved_record_at_once(tmp_path: Path) -> None:
    """MkDocs' own server, serving: a saved record makes it build again (heard through file
    events, not its half-second polling); reading a file, or ingest's state, does not."""
    for name in ("seeds", "content", "templates", "site"):
        (tmp_path / name).mkdir()
    builds: list[float] = []
    server = LiveReloadServer(builder=lambda: builds.append(time.monotonic()),
                              host="127.0.0.1", port=free_port(), root=str(tmp_path / "site"))
    plugin = make_plugin()
    plugin.on_serve(server, config=make_config(tmp_path), builder=None)
    serving = threading.Thread(target=server.serve, daemon=True)
    serving.start()
    try:
        assert plugin.observer is not None
        folders = {Path(e.watch.path) for e in server.observer.emitters}
        assert folders == {plugin.observer.trigger}  # the inputs are not polled by MkDocs
        (tmp_path / "seeds" / "a.txt").write_text("An article.")
        (tmp_path / "content" / ".state").mkdir()
        (tmp_path / "content" / ".state" / "records.json").write_text("{}")
        time.sleep(1.0)
        builds.clear()
        assert (tmp_path / "seeds" / "a.txt").read_text() == "An article."
        time.sleep(1.0)
        assert builds == []  # reading is not a change; the state is not watched
        saved = time.monotonic()
        (tmp_path / "content" / "meetings" / "x.md").write_text("---\n")
        deadline = saved + 5
        while not builds and time.monotonic() < deadline:
            time.sleep(0.01)
        assert builds, "no rebuild after a record was saved"
    finally:
        server.shutdown()
        plugin.on_shutdown()
    assert plugin.observer is None


def test_a_whole_build_keeps_its_records_out_of_the_collectors_scans_until_it_ends(
        tmp_path: Path, fake: FakePipeline) -> None:
    (tmp_path / "site").mkdir()
    config = make_config(tmp_path)
    config.site_dir = str(tmp_path / "site")
    for end in ("post_build", "build_error"):
        plugin = make_plugin()
        plugin.on_pre_build(config=config)
        assert gc.get_freeze_count() > 0
        if end == "post_build":
            plugin.on_post_build(config=config)
        else:
            plugin.on_build_error(error=RuntimeError("x"))
        assert gc.get_freeze_count() == 0
    served = make_plugin()
    served.on_startup(command="serve", dirty=True)
    try:
        served.on_pre_build(config=config)
        assert gc.get_freeze_count() == 0  # a preview's builds leave nothing frozen
    finally:
        served.on_shutdown()
