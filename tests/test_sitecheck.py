"""The scan of a built site (generator.site.check): it catches every executable construct in a
small hand-written page, passes the real seed site, and fails a strict build through the
plugin's post-build hook."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from generator.models import Problem
from generator.site import check as sitecheck
from generator.site.check import BackgroundChecks, check_html, check_search_index, check_site
from generator.site.htmlscan import theme_inline_scripts

if TYPE_CHECKING:
    from conftest import BuiltSite, SiteProject

BAD = [
    ("<script>alert(1)</script>", "<script> element not from the theme"),
    ("<script type=module>alert(1)</script>", "<script> element not from the theme"),
    ('<script src="https://evil.example/x.js"></script>', "src=https://evil.example/x.js"),
    ('<script src="../outside.js"></script>', "src=../outside.js"),
    ('<script src="assets/missing.js"></script>', "src=assets/missing.js"),
    ('<script src="assets/ok.js">alert(1)</script>', "src=assets/ok.js"),
    ('<script id="other" type="application/json">{}</script>', "<script> element"),
    ("<p>x<script>alert(1)", "<script> element not from the theme"),  # never closed
    ("<img src=x onerror=alert(1)>", "event handler onerror= on <img>"),
    ("<svg onload=alert(1)>", "event handler onload= on <svg>"),
    ("<div OnClick='alert(1)'>x</div>", "event handler onclick= on <div>"),
    ("<body onpageshow=alert(1)>", "event handler onpageshow="),
    ('<a href="javascript:alert(1)">a</a>', "javascript: URL in href= of <a>"),
    ('<a href="JaVaScRiPt:alert(1)">a</a>', "javascript: URL in href= of <a>"),
    ('<a href="&#106;avascript:alert(1)">a</a>', "javascript: URL in href= of <a>"),
    ('<a href="&#x6A;ava&#x09;script&colon;alert(1)">a</a>', "javascript: URL in href="),
    ('<a href=" \x01javascript:alert(1)">a</a>', "javascript: URL in href="),
    ('<a href="data:text/html,<script>alert(1)</script>">a</a>', "data: URL in href="),
    ('<a href="VBScript:msgbox(1)">a</a>', "vbscript: URL in href="),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "data: URL in src= of <img>"),
    ("<form action=javascript:alert(1)><button>go</button></form>", "URL in action= of <form>"),
    ("<button formaction=javascript:alert(1)>go</button>", "URL in formaction= of <button>"),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "URL in xlink:href= of <a>"),
    ('<img srcset="a.png 1x, javascript:alert(1) 2x">', "URL in srcset= of <img>"),
    ("<iframe src=https://example.org></iframe>", "<iframe> element"),
    ("<object data=x.swf></object>", "<object> element"),
    ("<embed src=x.swf>", "<embed> element"),
    ('<base href="https://evil.example/">', "<base> element"),
    ("<frameset><frame src=x></frameset>", "<frameset> element"),
    ('<meta http-equiv="Refresh" content="0;url=https://evil.example">', "http-equiv=refresh"),
    ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', "<set> animating"),
]

GOOD = [
    "<p>javascript:alert(1) as text, &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    '<a href="data.md">data</a> <a href="#javascript:x">x</a> <a href="https://e.x/data:">x</a>',
    '<script src="assets/ok.js"></script>',
    '<script id="__config" type="application/json">{"base": "."}</script>',
    "<!-- an unclosed comment hides text but runs nothing",
    '<p title="onload=alert(1)">the attribute name is what counts</p>',
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site" / "assets").mkdir(parents=True)
    (tmp_path / "site" / "assets" / "ok.js").write_text("", "utf-8")
    return tmp_path / "site"


@pytest.mark.parametrize(("html", "expected"), BAD)
def test_each_executable_construct_is_reported(site: Path, html: str, expected: str) -> None:
    (site / "page.html").write_text(f"<html><body>\n{html}\n</body></html>", "utf-8")
    problems = [str(p) for p in check_site(site)]
    assert len(problems) >= 1, html
    assert problems[0].startswith("site/page.html:2: "), problems
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("html", GOOD)
def test_inert_markup_and_own_assets_pass(site: Path, html: str) -> None:
    (site / "page.html").write_text(f"<html><body>\n{html}\n</body></html>", "utf-8")
    assert check_site(site) == ()


def test_theme_inline_scripts_are_recognised_exactly() -> None:
    patterns = theme_inline_scripts()
    assert len(patterns) >= 3  # base, palette and content scripts at least
    base = ('__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)'
            '-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse('
            '_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{'
            't.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}')
    page = "<script>{}</script>"
    assert check_html(page.format(base), "p.html", site=Path("."), page="p.html") == []
    tampered = base.replace('"../.."', '"",alert(1),"')
    assert check_html(page.format(tampered), "p.html", site=Path("."), page="p.html")
    assert check_html(page.format(base + ";alert(1)"), "p.html", site=Path("."), page="p.html")


def test_root_relative_scripts_follow_the_site_url(site: Path) -> None:
    (site / "404.html").write_text('<script src="/briefing/assets/ok.js"></script>', "utf-8")
    assert check_site(site, "https://example.org/briefing/") == ()
    assert check_site(site)  # under "/" the same path leaves the site


def test_search_index_allows_text_and_no_markup_that_runs(tmp_path: Path) -> None:
    index = tmp_path / "search_index.json"
    docs = [{"location": "a/", "title": "&lt;script&gt;", "text": "<p>a &lt;b&gt;</p><ul><li>x"},
            {"location": "b/", "title": "<script>alert(1)</script>", "text": ""},
            {"location": "c/", "title": "t", "text": "<img src=x onerror=alert(1)>"},
            {"location": "javascript:alert(1)", "title": "t", "text": ""}]
    index.write_text(json.dumps({"config": {}, "docs": docs}), "utf-8")
    problems = [str(p) for p in check_search_index(index, "site/search/search_index.json")]
    assert len(problems) == 3, problems
    assert "docs[1] (b/): title: <script> element" in problems[0]
    assert "docs[2] (c/): text: event handler onerror=" in problems[1]
    assert problems[2].endswith("docs[3] (javascript:alert(1)): location is a javascript: URL")


def test_the_seed_site_is_clean_and_a_planted_script_is_found(built_site: BuiltSite,
                                                              tmp_path: Path) -> None:
    assert check_site(built_site.root) == ()
    copy = tmp_path / "site"
    shutil.copytree(built_site.root, copy)
    page = sorted(copy.glob("meetings/*/index.html"))[0]
    text = page.read_text("utf-8")
    page.write_text(text.replace("</article>", "<img src=x onerror=alert(1)></article>", 1),
                    "utf-8")
    index = copy / "search" / "search_index.json"
    data = json.loads(index.read_text("utf-8"))
    data["docs"][0]["text"] += "<script>alert(1)</script>"
    index.write_text(json.dumps(data), "utf-8")
    problems = [str(p) for p in check_site(copy)]
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"site/{page.relative_to(copy).as_posix()}:")
    assert "event handler onerror= on <img>" in problems[0]
    assert problems[1].startswith("site/search/search_index.json: docs[0]")


def test_strict_build_fails_on_unsafe_output(site_project: SiteProject) -> None:
    (site_project.root / "docs" / "extra.md").write_text(
        "# Extra\n\n<script>alert(1)</script>\n\n<a href='JaVaScRiPt:alert(1)'>x</a>\n", "utf-8")
    result = subprocess.run(site_project.mkdocs("build", "--strict"), cwd=site_project.root,
                            env=site_project.env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    unsafe = [line for line in result.stderr.splitlines() if "unsafe output" in line]
    assert len(unsafe) == 2, result.stderr
    assert "site/extra/index.html:" in unsafe[0] and "<script> element" in unsafe[0]
    assert "javascript: URL in href= of <a>" in unsafe[1]


def test_background_checks_give_what_check_site_gives(site: Path) -> None:
    pages = {"a/index.html": '<p>fine</p><a href="javascript:alert(1)">x</a>',
             "b/index.html": "<script>alert(2)</script>",
             "c/index.html": '<img src="x.png" onerror="alert(3)">',
             "404.html": '<a href="vbscript:x">y</a>'}
    for name, html in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(html, "utf-8")
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text(json.dumps(
        {"docs": [{"location": "a/", "title": "A", "text": "<script>x()</script>"}]}), "utf-8")
    checks = BackgroundChecks(site, None)
    for name in ("a/index.html", "b/index.html", "c/index.html"):  # not 404.html: the rest
        checks.submit(pages[name], site / name)
    found = checks.finish(None)
    assert found == check_site(site)
    assert len({p.path for p in found}) == 5  # four pages and the index


def test_background_checks_report_an_unreadable_index_once(site: Path) -> None:
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text("{not json", "utf-8")
    found = BackgroundChecks(site, None).finish(None)
    assert [p.message.split(":")[0] for p in found] == ["cannot read the search index"]


def test_pages_found_clean_are_not_scanned_again_unless_something_changed(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(sitecheck, "cores", lambda: 1)  # no worker: scans happen here, counted
    scanned: list[str] = []
    real = sitecheck.check_html

    def counting(text: str, shown: str, **options: Any) -> list[Problem]:
        scanned.append(shown)
        return real(text, shown, **options)

    monkeypatch.setattr(sitecheck, "check_html", counting)
    pages = {"a/index.html": "<p>fine</p>", "b/index.html": "<script>alert(2)</script>"}

    def build() -> tuple[Problem, ...]:
        scanned.clear()
        checks = BackgroundChecks(site, None)
        for name, html in pages.items():
            checks.submit(html, site / name)
        return checks.finish(None)

    first = build()
    assert scanned == ["site/a/index.html", "site/b/index.html"] and len(first) == 1
    assert build() == first and scanned == ["site/b/index.html"]  # the bad page: every time
    pages["a/index.html"] = "<p>changed</p>"
    assert build() == first and scanned == ["site/a/index.html", "site/b/index.html"]
    (site / "assets" / "new.js").write_text("", "utf-8")  # what scripts may load changed
    assert build() == first and scanned == ["site/a/index.html", "site/b/index.html"]
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    assert build() == first and len(scanned) == 2
