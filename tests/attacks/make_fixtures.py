"""Write every attack folder of ``tests/attacks/`` (``attack.yaml``, ``files/``, ``check.py``).

The attacks are defined here, in Python, because many inputs are bytes no editor keeps
(encodings, NUL bytes, BOMs, CR line endings, lone surrogates): run
``python tests/attacks/make_fixtures.py`` after changing this file and commit what it wrote.
Folders of attacks no longer defined here are removed.
"""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CHECKS = HERE / "checks"  # the checks attacks name (`check: <name>`), one module each

ATTACKS: list[dict[str, Any]] = []

# --- records ---------------------------------------------------------------------------

MEETING_ID = "2022-08-01-hostile-talks"


def meeting(notes: str = "", raw: dict[str, str] | None = None, **fields: Any) -> str:
    """A valid hand-written meeting record, with some fields replaced; ``raw`` gives YAML
    source for a field (for values YAML must spell with escapes)."""
    record: dict[str, Any] = {
        "id": MEETING_ID, "title": "Hostile talks in Osaka", "date": "2022-08-01",
        "date_basis": "stated", "location": {"city": "Osaka", "country": "JP"},
        "format": "in_person", "setting": "standalone", "occasion": None,
        "participants": [
            {"name": "Alice Example", "role": "Minister for Foreign Affairs", "country": "JP"},
            {"name": "Bob Sample", "role": "Foreign Minister", "country": "AU"}],
        "topics": ["china"], "sources": ["hostile_article"],
        "quotes": [{"text": "We agreed to talk again", "speaker": "Alice Example",
                    "sources": ["hostile_article"]}],
        "outcomes": [{"field": "outcomes", "article": "hostile_article", "line": 3,
                      "text": "The two ministers agreed to talk again."}],
        "evidence": [{"field": "date", "article": "hostile_article", "line": 2,
                      "text": "on 1 August"}],
    }
    record.update(fields)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
    for name, source in (raw or {}).items():
        lines = [line for line in text.splitlines() if not line.startswith(f"{name}:")]
        lines.insert(1, f"{name}: {source}")
        text = "\n".join(lines) + "\n"
    text = text.replace("date: '2022-08-01'", "date: 2022-08-01")
    return f"---\n{text}---\n{notes}"


def article(**fields: Any) -> str:
    record: dict[str, Any] = {
        "id": "hostile_article", "source_file": "seeds/hostile_article.txt",
        "sha256": "0" * 64, "headline": "Ministers meet in Osaka", "publisher": "Example News",
        "published": "2022-08-02", "meetings": [MEETING_ID], "near_duplicates": [],
        "encoding": "utf-8", "rights": "All rights reserved."}
    record.update(fields)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + text.replace("published: '2022-08-02'", "published: 2022-08-02") + "---\n"


def records(meeting_text: str | None = None, article_text: str | None = None,
            name: str = MEETING_ID) -> dict[str, str | bytes]:
    return {f"content/meetings/{name}.md": meeting_text or meeting(),
            "content/articles/hostile_article.md": article_text or article()}


SEED = ("Ministers meet in Osaka\n"
        "OSAKA, Aug 2 (Example News) - Japanese Foreign Minister Yoshimasa Hayashi met "
        "Australian Foreign Minister Penny Wong in Osaka on Monday, August 1, 2022.\n"
        "The two ministers agreed to strengthen cooperation on regional security.\n"
        "\"We will work together for a free and open Indo-Pacific,\" Hayashi told reporters.\n")

# --- steps -----------------------------------------------------------------------------

M = f"content/meetings/{MEETING_ID}.md"
CHECK_OK = {"run": ["check", "--content", "content"], "exit": 0}
RENDER_OK = {"run": ["render", "--content", "content", "--out", "build/pages"], "exit": 0}
BUILD_OK = {"run": ["build"], "exit": 0, "timeout": 120}
INGEST_OK = {"run": ["ingest", "--seeds", "seeds", "--content", "content"], "exit": 0,
             "timeout": 120}
INGEST = ["ingest", "--seeds", "seeds", "--content", "content"]


def names_file(kind: str, pattern: str, *more: Any) -> dict[str, Any]:
    """A command that must fail and name ``pattern`` (a file) on stderr."""
    args = {"check": ["check", "--content", "content"],
            "render": ["render", "--content", "content", "--out", "build/pages"],
            "export": ["export", "--content", "content", "--format", "json"],
            "csv": ["export", "--content", "content", "--format", "csv"],
            "ingest": INGEST, "build": ["build"]}[kind]
    return {"run": [*args, *more], "exit": "nonzero", "stderr": [pattern], "timeout": 120}


SAFE = ["no_traceback", "pages_safe"]
SITE_SAFE = ["no_traceback", "site_safe", {"exists": ["site/index.html"]}]


def attack(slug: str, what: str, defect: int | None, expected: str, steps: list[Any],
           checks: list[Any] | None = None, files: dict[str, str | bytes] | None = None,
           setup: list[Any] | None = None, hostile_site: bool = False,
           check: str | None = None) -> None:
    ATTACKS.append({"slug": slug, "spec": {
        "attack": what, "defect": defect, "expected": expected,
        **({"setup": setup} if setup else {}), "steps": steps,
        "checks": checks if checks is not None else ["no_traceback"],
        **({"hostile_site": True} if hostile_site else {}),
        **({"check": check} if check else {})},
        "files": files or {}})


def escaping(slug: str, what: str, meeting_fields: dict[str, Any] | None = None,
             article_fields: dict[str, Any] | None = None, notes: str = "",
             build: bool = False, visible: str | None = None) -> None:
    """A hand-edited record carrying markup that must reach the reader as text."""
    files = records(meeting(notes, **(meeting_fields or {})), article(**(article_fields or {})))
    steps: list[Any] = [CHECK_OK, BUILD_OK if build else RENDER_OK]
    checks: list[Any] = list(SITE_SAFE if build else SAFE)
    if visible and build:
        checks.append({"grep_present": {"path": f"site/meetings/{MEETING_ID}/index.html",
                                        "pattern": visible}})
    attack(slug, what, None, "the record is valid; every page shows the markup as text: no "
           "new element, handler or unsafe URL", steps, checks, files, hostile_site=True)


# --- the attacks -----------------------------------------------------------------------

def held_escaping() -> None:
    escaping("script-in-title", "a <script> element in a meeting title",
             {"title": "Talks <script>alert('title')</script> in Osaka"}, build=True,
             visible="&lt;script&gt;alert")
    escaping("onerror-in-participant-name", "an <img onerror> in a participant's name",
             {"participants": [{"name": "Eve <img src=x onerror=alert(1)> Mallory",
                                "role": "<svg onload=alert(2)>", "country": "JP"}]})
    escaping("javascript-link-in-quote", "Markdown and HTML javascript: links in a quote",
             {"quotes": [{"text": "See [here](javascript:alert(1)) and "
                                  "<a href='javascript:alert(2)'>there</a>",
                          "speaker": "[s](JaVaScRiPt:alert(3))", "sources": ["hostile_article"]}]},
             build=True)
    escaping("data-url-in-occasion", "a data: URL link and an image in the occasion",
             {"occasion": "[o](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
                          "![i](data:image/svg+xml,<svg onload=alert(1)>)"})
    escaping("vbscript-in-city", "vbscript: URLs and an iframe in the city",
             {"location": {"city": "Osaka [c](vbscript:msgbox(1)) <iframe src=x>",
                           "country": "JP"}}, build=True)
    escaping("html-in-notes", "raw HTML, links, reference links and images in analyst notes",
             notes="<script>alert('notes')</script>\n<div onclick=alert(1)>x</div>\n"
                   "[x]: javascript:alert(1)\n[ref link][x] [i](javascript:alert(2)) "
                   "![img](javascript:alert(3)) <javascript:alert(4)>\n", build=True)
    escaping("html-comment-in-title", "an unclosed HTML comment in the title hides the page",
             {"title": "Talks <!-- unclosed", "occasion": "--> <script>alert(1)</script>"},
             build=True)
    escaping("jinja-in-values", "Jinja {{ }} and {% %} in every text field",
             {"title": "{{ 7*7 }} {% raw %}", "occasion": "{{ config }} {% include 'x' %}",
              "date_basis": "{# comment"}, notes="{{ 7*7 }}\n{% for x in y %}\n", build=True)
    escaping("markdown-image-in-outcome", "Markdown image with an onerror in an outcome",
             {"outcomes": [{"field": "outcomes", "article": "hostile_article", "line": 3,
                            "text": "![x](x\" onerror=\"alert(1)) <img src=x onerror=alert(1)>"}]})
    escaping("attr-list-in-notes", "attr_list {: onclick } and md_in_html in notes",
             notes="Paragraph\n{: onclick=\"alert(1)\" }\n\n<div markdown=\"1\" "
                   "onclick=\"alert(2)\">x</div>\n")
    escaping("hostile-article-fields", "script, handlers and javascript: links in the "
             "headline, publisher and rights of an article record", article_fields={
                 "headline": "<script>alert('h')</script> [h](javascript:alert(1))",
                 "publisher": "Evil <img src=x onerror=alert(1)> News",
                 "rights": "<svg onload=alert(1)> [r](vbscript:msgbox(1))"}, build=True)
    escaping("javascript-url-as-whole-value", "whole values that are javascript:/data: URLs "
             "(headline, publisher, rights, occasion)",
             {"occasion": "javascript:alert(document.cookie)"},
             article_fields={"headline": "javascript:alert(1)",
                             "publisher": "<javascript:alert(2)>",
                             "rights": "data:text/html,<script>alert(3)</script>"}, build=True)
    escaping("url-like-source-file", "the article's source_file is a javascript: or data: URL",
             article_fields={"source_file": "javascript:alert(document.cookie)",
                             "headline": "<a href=javascript:alert(1)>h</a>"}, build=True)
    escaping("evidence-and-speaker", "form/formaction, base, meta refresh, object in evidence",
             {"evidence": [{"field": "date", "article": "hostile_article", "line": 2,
                            "text": "<form action=javascript:alert(1)><button formaction="
                                    "javascript:alert(2)>go</button></form> <base href=//x>"
                                    " <meta http-equiv=refresh content='0;url=javascript:x'>"
                                    " <object data=javascript:alert(3)></object>"}]})
    escaping("entity-encoded-javascript", "entity-encoded and whitespace-split javascript:",
             {"title": "[a](&#106;avascript:alert(1)) [b](java&#x09;script:alert(2)) "
                       "[c]( javascript:alert(3))", "occasion": "<a href=\"jav\tascript:x\">c</a>"})
    escaping("markdown-structure-in-fields", "headings, tables, fences, admonitions in fields",
             {"title": "# Heading | a | b |", "occasion": "```\ncode\n```",
              "date_basis": "!!! danger \"x\""}, notes="# heading\n| a | b |\n|---|---|\n")
    escaping("svg-and-math-in-role", "SVG/MathML namespaces with handlers and xlink:href",
             {"participants": [{"name": "Alice Example",
                                "role": "<svg><animate onbegin=alert(1) attributeName=x>"
                                        "<math><a xlink:href=javascript:alert(2)>m</a></math>",
                                "country": "JP"}]}, build=True)
    attack("hostile-seed-article", "an article whose text carries tags, handlers and links "
           "becomes records by ingest", None, "ingest succeeds; the site shows the text, "
           "runs nothing", [INGEST_OK, BUILD_OK], SITE_SAFE, hostile_site=True, files={
               "seeds/hostile_seed.txt": SEED.replace(
                   "Hayashi told reporters",
                   "Hayashi <script>alert(1)</script> [x](javascript:alert(2)) told "
                   "reporters <img src=x onerror=alert(3)>")})


def held_parsing() -> None:
    bad = "the record is refused: check/render exit non-zero naming the file, no traceback"

    def refused(slug: str, what: str, text: str | bytes, extra: list[Any] | None = None,
                pattern: str = MEETING_ID, fill: tuple[str, int] | None = None) -> None:
        setup = [{"expand": {"path": M, "marker": "@@FILL@@", "text": fill[0],
                             "times": fill[1]}}] if fill else None
        attack(slug, what, None, bad, [names_file("check", pattern),
                                       names_file("render", pattern), *(extra or [])],
               ["no_traceback"], records(text), setup=setup)  # type: ignore[arg-type]

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(8))
    refused("yaml-alias-bomb", "a billion-laughs YAML alias bomb in the front matter",
            meeting().replace("---\n", "---\n" + bomb, 1))
    refused("yaml-deep-nesting", "100,000 nested lists in a field",
            meeting(raw={"occasion": "@@FILL@@"}), fill=("[", 100_000))
    attack("yaml-deep-nesting-closed", "10,000 nested, closed lists in a field", None,
           "the record is refused or loads; check names it; no traceback",
           [{"run": ["check", "--content", "content"], "exit": "any",
             "stderr_if_failed": [MEETING_ID]}], ["no_traceback"],
           records(meeting(raw={"occasion": "[" * 10_000 + "]" * 10_000})))
    refused("yaml-huge-key", "a 1,000,000-character key",
            meeting().replace("---\n", "---\n@@FILL@@: 1\n", 1), fill=("k", 1_000_000))
    refused("yaml-duplicate-key", "the title key twice",
            meeting().replace("title:", "title: First\ntitle:", 1))
    attack("yaml-typo-key", "a key misspelt (particpants)", None,
           "check names the file and suggests the right key",
           [{**names_file("check", MEETING_ID), "stderr": [MEETING_ID, "(?i)participants"]}],
           ["no_traceback"], records(meeting().replace("participants:", "particpants:")))
    refused("yaml-python-tag", "a !!python/object/apply tag that would run code",
            meeting(raw={"occasion": "!!python/object/apply:os.system ['touch pwned']"}),
            [{"run": ["build"], "exit": "nonzero", "timeout": 120}])
    attack("record-with-bom", "a record saved with a UTF-8 byte-order mark", None,
           "the record loads (or is named); nothing crashes",
           [{"run": ["check", "--content", "content"], "exit": "any",
             "stderr_if_failed": [MEETING_ID]}, {**RENDER_OK, "exit": "any"}], SAFE,
           records(codecs.BOM_UTF8 + meeting().encode()))  # type: ignore[arg-type]
    attack("record-with-crlf", "a record with CRLF line endings", None,
           "the record loads like its LF twin", [CHECK_OK, RENDER_OK], SAFE,
           records(meeting(notes="Notes line one\r\nline two\r\n").replace("\n", "\r\n")))
    refused("record-latin1", "a record in Latin-1, not UTF-8",
            meeting(title="Caf\u00e9 talks").encode("latin-1"))
    refused("record-too-large", "a 3 MB record", meeting(notes="@@FILL@@"),
            fill=("notes ", 500_000))
    refused("record-unclosed-front-matter", "front matter never closed",
            meeting().replace("\n---\n", "\n", 1).rstrip("-\n") + "\n")
    refused("record-wrong-types", "a list where text belongs and a bad country code",
            meeting(title=["a", "b"], location={"city": "Osaka", "country": "Japan"}))
    refused("record-unknown-topic", "a topic the taxonomy does not know",
            meeting(topics=["china", "<script>"]))
    refused("record-id-traversal", "an id that climbs out of the folder",
            meeting(id="../../../../tmp/evil"))


def held_operations() -> None:
    attack("two-ingests-same-bytes", "ingest the same articles twice from scratch", None,
           "the two content folders are byte-identical (and so are two renders)",
           [], ["no_traceback"],
           setup=[{"repo_seeds": "all"}], check="determinism")
    attack("two-ingests-at-once", "two ingests started together on one content folder",
           None, "both finish, one after the other; the records are valid", [],
           ["no_traceback"], setup=[{"repo_seeds": "all"}], check="two_ingests")
    attack("ingest-while-locked", "an ingest while another process holds content/.lock",
           None, "the second gives up after --wait, exits 1 naming the holder; nothing written",
           [], [], setup=[{"repo_seeds": "all"}], check="held_lock")
    attack("sigkill-mid-save", "SIGKILL an ingest while it saves records", None,
           "each record is old or new, hand edits kept, the next ingest completes",
           [], ["no_traceback"], setup=[{"repo_seeds": "all"}], check="sigkill_save")
    attack("symlinked-seed", "an article that is a symbolic link to a file outside seeds/",
           None, "skipped with `path: reason`; exit 1; the target's text appears nowhere",
           [{**names_file("ingest", "linked.txt")}],
           ["no_traceback", {"grep_absent": {"path": "content/**/*.md",
                                              "pattern": "TOP-SECRET-VALUE"}}],
           {"secret.txt": "TOP-SECRET-VALUE " * 20 + "\n"},
           setup=[{"symlink": {"path": "seeds/linked.txt", "target": "../secret.txt"}}])
    attack("binary-and-empty-seeds", "PNG bytes, an empty file and a 60,000-char line as articles",
           None, "each skipped with `path: reason`, exit 1, the good article ingested",
           [{**names_file("ingest", "image.txt"), "stderr": ["image.txt", "empty.txt",
                                                           "oneline.txt"]}],
           ["no_traceback", {"exists": ["content/articles/good.md"]}],
           {"seeds/image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
            "seeds/empty.txt": b"", "seeds/oneline.txt": "word " * 12_000 + "\n",
            "seeds/good.txt": SEED})


def defect_1() -> None:
    link = "[click](javascript:alert(document.domain))"
    for slug, char, field in (("ufffe-in-title", "\ufffe", "title"),
                              ("uffff-in-occasion", "\uffff", "occasion"),
                              ("c1-control-in-name", "\x85\x9b", "participants")):
        value: Any = f"Talks {char} {link}"
        if field == "participants":
            value = [{"name": f"Eve{char}{link}", "role": "Minister", "country": "JP"}]
        attack(f"front-matter-{slug}", f"{char!a} in the {field} with a Markdown javascript: "
               "link: YAML refuses the block and MkDocs renders it as Markdown", 1,
               "no live javascript: link in site/; a failed build names the file",
               [{"run": ["build"], "exit": "any", "timeout": 120,
                 "stderr_if_failed": [MEETING_ID]}],
               [*SITE_SAFE, {"grep_absent": {"path": "site/**/*.html",
                                             "pattern": "href=\"javascript:"}}],
               records(meeting(**{field: value})), hostile_site=True)
    attack("front-matter-ufffe-mkdocs-no-strict", "U+FFFE in the title, built with "
           "`mkdocs build --no-strict`", 1, "the page in site/ carries no live javascript: link",
           [{"mkdocs": ["build", "--no-strict"], "exit": "any", "timeout": 120}],
           [*SITE_SAFE, {"grep_absent": {"path": "site/**/*.html",
                                         "pattern": "href=\"javascript:"}}],
           records(meeting(title=f"Talks \ufffe {link}")))


def defect_2() -> None:
    attack("kill-parent-ingest", "kill -9 the parent ingest while its workers extract", 2,
           "the workers end too and the next ingest gets content/.lock at once", [],
           ["no_traceback"], setup=[{"repo_seeds": "all"}], check="kill_parent")


def defect_3() -> None:
    attack("near-copies-300", "300 near-identical copies of one article", 3,
           "records grow linearly with the copies (largest and total: at most 4.5 times the "
           "bytes of 100 copies); every one loads",
           [INGEST_OK, {**CHECK_OK, "timeout": 120}],
           ["no_traceback", {"max_bytes": {"path": "content/**/*.md", "each": 1_000_000}}],
           check="near_copies")


def defect_4() -> None:
    victim = {"victim.txt": "precious data that must survive\n"}
    lock = [{"symlink": {"path": "content/.lock", "target": "../victim.txt"}}]
    attack("symlinked-lock-ingest", "content/.lock is a symbolic link to a victim file", 4,
           "ingest refuses it naming .lock; the victim is unchanged",
           [{**names_file("ingest", r"\.lock")}], ["no_traceback", {"unchanged": ["victim.txt"]}],
           victim, setup=[{"repo_seeds": ["000_c835384a2099d185.txt"]}, *lock])
    attack("symlinked-lock-build", "content/.lock is a link and `briefing build` runs", 4,
           "the build refuses it naming .lock; the victim is unchanged",
           [{**names_file("build", r"\.lock")}], ["no_traceback", {"unchanged": ["victim.txt"]}],
           victim, setup=[{"repo_seeds": ["000_c835384a2099d185.txt"]}, *lock])
    attack("symlinked-lock-mkdocs", "content/.lock is a link and `mkdocs build` runs", 4,
           "mkdocs fails naming .lock; the victim is unchanged",
           [{"mkdocs": ["build"], "exit": "nonzero", "stderr": [r"\.lock"], "timeout": 120}],
           [{"unchanged": ["victim.txt"]}], victim,
           setup=[{"repo_seeds": ["000_c835384a2099d185.txt"]}, *lock])


def defect_5() -> None:
    for slug, out in (("content", "content"), ("meetings", "content/meetings"),
                      ("project-root", ".")):
        attack(f"render-out-{slug}", f"`briefing render --out {out}` over the records", 5,
               "render refuses the folder, exit non-zero; no record changed",
               [{"run": ["render", "--content", "content", "--out", out], "exit": "nonzero",
                 "stderr": ["(?i)content|out"]}],
               ["no_traceback", {"unchanged": ["content", "mkdocs.yml"]}], records())


CSV_HOSTILE = {"title": "=HYPERLINK(\"http://evil/\",\"x\")", "occasion": "+cmd|' /C calc'!A0",
               "date_basis": "-2+3", "location": {"city": "@SUM(1+1)", "country": "JP"},
               "participants": [{"name": "\tEve", "role": "\rMinister", "country": "JP"}]}


def defect_6() -> None:
    attack("csv-formula-export", "formula-leading cells (=,+,-,@,tab,CR) in `export --format "
           "csv`", 6, "no CSV cell starts with = + - @ tab or CR",
           [{"run": ["export", "--content", "content", "--format", "csv"], "exit": 0}],
           ["no_traceback"], records(meeting(**CSV_HOSTILE)), check="csv_export")
    attack("csv-formula-site", "formula-leading cells in the site's data/meetings.csv", 6,
           "no cell of site/data/*.csv starts with = + - @ tab or CR", [BUILD_OK],
           ["no_traceback"], records(meeting(**CSV_HOSTILE)), check="csv_site")


def defect_7() -> None:
    surrogate = meeting(raw={"title": '"Talks \\ud800 in Osaka"'})
    far_date = meeting().replace("date: 2022-08-01", "date: 9999-12-31")
    early = meeting().replace("date: 2022-08-01", "date: 0001-01-01")
    pair = meeting(raw={"title": '"Talks \\ud83d\\ude00 in Osaka"'})
    control = meeting(raw={"title": '"Talks \x1f in Osaka"'})
    for slug, text in (("lone-surrogate", surrogate), ("surrogate-pair-escape", pair),
                       ("raw-control-char", control), ("date-9999", far_date),
                       ("date-0001", early)):
        if slug == "surrogate-pair-escape":  # two escapes that spell one character: valid
            attack(f"{slug}-check-render", f"{slug} in a record: check, render, export", 7,
                   "read as the one character it spells: every command exits 0",
                   [{"run": args, "exit": 0, "timeout": 120} for args in (
                       ["check", "--content", "content"],
                       ["render", "--content", "content", "--out", "build/pages"],
                       ["export", "--content", "content", "--format", "json"])],
                   ["no_traceback", {"grep_present": {"path": "build/pages/meetings/*.md",
                                                      "pattern": "Talks \U0001F600 in Osaka"}}],
                   records(text))
            attack(f"{slug}-build", f"{slug} in a record: briefing build", 7,
                   "the page shows the one character it spells", [BUILD_OK],
                   ["no_traceback", {"grep_present": {"path": "site/meetings/*/index.html",
                                                      "pattern": "Talks \U0001F600 in Osaka"}}],
                   records(text))
            continue
        attack(f"{slug}-check-render", f"{slug} in a record: check, render, export", 7,
               "every command names the record and exits non-zero, no traceback",
               [names_file("check", MEETING_ID), names_file("render", MEETING_ID),
                names_file("export", MEETING_ID)], ["no_traceback"], records(text))
        attack(f"{slug}-build", f"{slug} in a record: briefing build", 7,
               "build names the record, exits non-zero, no traceback",
               [names_file("build", MEETING_ID)], ["no_traceback"], records(text))


def defect_8() -> None:
    attack("crash-between-renames", "crash after the state rename, before the record rename; "
           "then a notes-only edit", 8, "the next ingest brings the generated fields up to "
           "date and keeps the notes", [], ["no_traceback"], check="crash_between_renames")


def defect_9() -> None:
    full = [{"replace": {"path": "mkdocs.yml", "old": "full_text: false",
                         "new": "full_text: true"}}]
    for slug, source, secret_files in (
            ("env", ".env.txt", {".env.txt": "API_TOKEN=SECRET-TOKEN-1234\n"}),
            ("git-config", ".git/config", {".git/config": "[remote \"origin\"]\n\turl = "
                                           "https://user:SECRET-TOKEN-1234@example.com/r\n"}),
            ("mkdocs-yml", "mkdocs.yml", {}),
            ("outside", "../outside.txt", {})):
        pattern = "site_name: Briefing" if slug == "mkdocs-yml" else "SECRET-TOKEN-1234"
        setup = [*full]
        if slug == "outside":
            setup.append({"write": {"path": "../outside.txt", "text": "SECRET-TOKEN-1234\n"}})
        attack(f"full-text-{slug}", f"full_text: true and an article record whose source_file "
               f"is {source}", 9, "the file's text is not published",
               [{"run": ["build"], "exit": "any", "timeout": 120}],
               ["no_traceback", {"grep_absent": {"path": "site/**/*.html", "pattern": pattern}},
                {"grep_absent": {"path": "site/search/*.json", "pattern": pattern}}],
               {**records(article_text=article(source_file=source, rights=None)),
                **secret_files}, setup=setup)


def defect_10() -> None:
    for slug, data in (("empty", b""), ("garbage", b"\x00\xff garbage {{{"),
                       ("list", b"[]"), ("deep", b"[" * 20_000 + b"]" * 20_000),
                       ("wrong-types", b'{"records": 5, "meetings": [1], "articles": "x"}')):
        damage = [{"write": {"path": f"content/.state/{name}", "hex": data.hex()}}
                  for name in ("records.json", "inputs.json", "article-digests.json")]
        again = {"run": [*INGEST, "--force"], "exit": "any", "timeout": 120,
                 "stderr_if_failed": [r"\.state|\.json"]}
        attack(f"damaged-state-{slug}", f"every content/.state/*.json is {slug}; ingest after "
               "an article changed, then again", 10,
               "ingest recovers or names the state file; never a traceback",
               [{"run": INGEST, "exit": "any", "timeout": 120,
                 "stderr_if_failed": [r"\.state|\.json"]}, again, again],
               ["no_traceback"],
               setup=[{"repo_seeds": "all"}, {"run": INGEST}, *damage,
                      {"write": {"path": "seeds/000_c835384a2099d185.txt",
                                 "text": "\nA new closing line.\n", "append": True}}])


def defect_11() -> None:
    ready = [{"repo_seeds": "all"}, {"run": INGEST}]
    attack("readonly-content-build", "build with a read-only content folder, nothing changed",
           11, "the site is built, exit 0",
           [{"run": ["build"], "exit": 0, "timeout": 120, "faults": {"readonly": ["content"]}}],
           ["no_traceback", {"exists": ["site/index.html"]}], setup=ready)
    attack("readonly-content-ingest", "ingest into a read-only content folder, nothing "
           "changed", 11, "ingest says it is up to date, exit 0",
           [{"run": INGEST, "exit": 0, "faults": {"readonly": ["content"]}}],
           ["no_traceback"], setup=ready)


def defect_12() -> None:
    for slug, name in (("index", "Index"), ("index-lower", "index")):
        parts = [{"name": name, "role": "Minister", "country": "JP"},
                 {"name": "Bob Sample", "role": "Foreign Minister", "country": "AU"}]
        attack(f"participant-named-{slug}", f"a participant named {name!r}", 12,
               "people/index.html is still the people index, listing Bob Sample",
               [{"run": ["build"], "exit": "any", "timeout": 120}],
               [*SITE_SAFE, {"grep_present": {"path": "site/people/index.html",
                                              "pattern": "<h1[^>]*>People"}},
                {"grep_present": {"path": "site/people/index.html", "pattern": "bob-sample"}}],
               records(meeting(participants=parts)))


def defect_13() -> None:
    ready = [{"repo_seeds": "all"}, {"run": INGEST}]
    attack("ingest-from-subfolder", "ingest run from a subfolder (../seeds, ../content)", 13,
           "no record changes: source_file stays relative to the project",
           [{"run": ["ingest", "--seeds", "../seeds", "--content", "../content"], "exit": 0,
             "cwd": "elsewhere", "timeout": 120}],
           ["no_traceback", {"unchanged": ["content/articles", "content/meetings"]}],
           setup=ready)
    attack("ingest-from-parent", "ingest run from the project's parent folder", 13,
           "no record changes: source_file stays relative to the project",
           [{"run": ["ingest", "--seeds", "project/seeds", "--content", "project/content"],
             "exit": 0, "cwd": "..", "timeout": 120}],
           ["no_traceback", {"unchanged": ["content/articles", "content/meetings"]}],
           setup=ready)


def defect_14() -> None:
    for slug, text in (("inf", "limits:\n  max_article_bytes: .inf\n"),
                       ("nan", "limits:\n  extraction_seconds: .nan\n"),
                       ("negative-inf", "limits:\n  lock_seconds: -.inf\n")):
        attack(f"settings-{slug}", f"settings.yaml sets a limit to {slug}", 14,
               "ingest refuses the settings naming settings.yaml, exit non-zero",
               [names_file("ingest", "settings.yaml")], ["no_traceback"],
               {"content/data/settings.yaml": text, "seeds/good.txt": SEED})


def defect_15() -> None:
    attack("full-disk-ingest", "the disk is full while ingest writes records", 15,
           "a one-line message naming the file and the full disk, exit non-zero",
           [{"run": INGEST, "exit": "nonzero", "timeout": 120,
             "stderr": ["(?i)space|full"], "faults": {"enospc": ["content"]}}],
           ["no_traceback"], {"seeds/good.txt": SEED})
    attack("full-disk-build", "the disk is full while the site is written", 15,
           "build fails with a message about the full disk, no traceback",
           [{"run": ["build"], "exit": "nonzero", "timeout": 120, "stderr": ["(?i)space|full"],
             "faults": {"enospc": ["site"]}}], ["no_traceback"], records())


BIDI = "\u202e\u2066\u200b\u200f\ufeff"


def defect_16() -> None:
    page = f"site/meetings/{MEETING_ID}/index.html"
    attack("details-marker-in-notes", "`??? danger` and `~~~` at line start in notes", 16,
           "the lines are shown as text: no details block, no code block",
           [BUILD_OK], [*SITE_SAFE, {"grep_absent": {"path": page,
                                                     "pattern": "<summary>Boom|<code>fenced"}}],
           records(meeting(notes='??? danger "Boom"\n    hidden\n\n~~~\nfenced\n~~~\n')))
    attack("details-marker-in-full-text", "`???` and `~~~` lines in an article shown whole",
           16, "the whole-text page shows the lines as text",
           [INGEST_OK, {**BUILD_OK, "exit": "any"}],
           [*SITE_SAFE, {"grep_absent": {"path": "site/articles/**/*.html",
                                         "pattern": "<summary>Boom|<code>fenced"}},
            {"exists": ["site/articles/**/*.html"]}],
           {"seeds/plain.txt": SEED.replace("Ministers meet in Osaka\n", "") +
            '??? danger "Boom"\n    hidden\n~~~\nfenced\n~~~\n'},
           setup=[{"replace": {"path": "mkdocs.yml", "old": "full_text: false",
                               "new": "full_text: true"}}])
    amp = "Talks & \"trade\" <in> O'saka"
    attack("description-double-escape", "&, quotes, < and entities in every text field", 16,
           "every description meta and title holds them escaped once", [BUILD_OK],
           [*SITE_SAFE, {"grep_absent": {
               "path": "site/**/*.html",
               "pattern": "<(?:meta|title)[^>]*&amp;(?:amp|lt|gt|quot|#)[^>]*>"}}],
           records(meeting(title=amp, occasion=amp, location={"city": amp, "country": "JP"},
                           participants=[{"name": amp, "role": amp, "country": "JP"}]),
                   article(headline=amp, publisher=amp)), hostile_site=True)
    attack("bidi-in-records-site", "bidi overrides and zero-width characters in a hand-edited "
           "record", 16, "none reaches HTML, Atom, iCalendar or CSV",
           [BUILD_OK], [*SITE_SAFE, *(
               {"grep_absent": {"path": glob, "pattern": f"[{BIDI}]"}}
               for glob in ("site/**/*.html", "site/feeds/**/*.xml", "site/calendar/*.ics",
                            "site/data/*.csv"))],
           records(meeting(title=f"Talks{BIDI} in Osaka",
                           participants=[{"name": f"Eve{BIDI}Mallory", "role": "Minister",
                                          "country": "JP"}])))
    attack("bidi-in-records-export", "bidi overrides in a record, exported as CSV", 16,
           "the CSV holds none of them",
           [{"run": ["export", "--content", "content", "--format", "csv"], "exit": 0,
             "stdout_absent": [f"[{BIDI}]"]}], ["no_traceback"],
           records(meeting(title=f"Talks{BIDI} in Osaka")))


ARTICLE_JA = ("Ministers meet in Tokyo\nTOKYO, Aug 2 - Japanese Foreign Minister Yoshimasa "
              "Hayashi (林芳正外務大臣) met Australian Foreign Minister Penny Wong in Tokyo on "
              "Monday, August 1, 2022.\nThe two ministers agreed to strengthen cooperation. "
              "「日豪関係は重要だ」と述べた。\n")
ARTICLE_ZH = ARTICLE_JA.replace("林芳正外務大臣", "王毅外交部长").replace(
    "「日豪関係は重要だ」と述べた。", "他说，中日关系很重要。")


def defect_17() -> None:
    for slug, data in (("shift-jis", ARTICLE_JA.encode("shift_jis")),
                       ("gb18030", ARTICLE_ZH.encode("gb18030"))):
        attack(f"encoding-{slug}", f"an article in {slug} without a BOM", 17,
               "decoded right, or skipped naming the file; never Latin-1 garbage",
               [{"run": INGEST, "exit": "any", "stderr_if_failed": [f"{slug}.txt"]}],
               ["no_traceback"], {f"seeds/{slug}.txt": data}, check="no_mojibake")
    attack("encoding-utf16-no-bom", "an article in UTF-16-LE without a BOM", 17,
           "read as text, not called binary", [{**INGEST_OK, "stderr_absent": ["(?i)binary"]}],
           ["no_traceback", {"exists": ["content/articles/utf16.md"]}],
           {"seeds/utf16.txt": SEED.encode("utf-16-le")})
    attack("article-one-nul", "one NUL byte in an otherwise good article", 17,
           "the article is read (the NUL dropped)", [INGEST_OK],
           ["no_traceback", {"exists": ["content/articles/nul.md"]}],
           {"seeds/nul.txt": SEED.encode().replace(b"Osaka on", b"Osaka\x00 on")})
    attack("deleted-record-returns", "an analyst deletes a meeting record, then ingest runs",
           17, "ingest says so, naming the record (not silently back)",
           [{"run": INGEST, "exit": "any", "timeout": 120,
             "stderr": ["hayashi-blinken-meeting-melbourne"]}], ["no_traceback"],
           setup=[{"repo_seeds": "all"}, {"run": INGEST},
                  {"remove": "content/meetings/2022-02-11-hayashi-blinken-meeting-melbourne.md"}])
    long_cr = (SEED.replace("\n", "\r") + ("Filler sentence about the talks. " * 30 + "\r")
               * 60).encode()
    attack("cr-only-line-endings", "an article with old-Mac CR-only line endings", 17,
           "read as lines, or skipped with a message about its line endings",
           [{"run": INGEST, "exit": "any", "stderr_if_failed":
             ["mac.txt", "(?i)CR|carriage|line ending"]}], ["no_traceback"],
           {"seeds/mac.txt": long_cr})
    for slug, gold in (("list", "[]\n"), ("wrong-types", "articles: 5\nmeetings: x\n"),
                       ("bad-entries", "articles: [5, {file: [1]}]\nmeetings: [[1], {id: {}}]\n"),
                       ("garbage", "meetings: [1, {\n")):
        attack(f"eval-gold-{slug}", f"`briefing eval` with a malformed gold file ({slug})", 17,
               "eval names gold.yaml and exits non-zero, no traceback",
               [{"run": ["eval", "--gold", "gold.yaml", "--articles", "seeds"],
                 "exit": "nonzero", "stderr": ["gold.yaml"], "timeout": 120}],
               ["no_traceback"], {"gold.yaml": gold, "seeds/good.txt": SEED})
    attack("ingest-without-os-sync", "ingest on a busy machine: os.sync() would flush every "
           "disk", 17, "ingest flushes only its own files (os.sync never called)",
           [{**INGEST_OK, "faults": {"forbid_sync": True}}], ["no_traceback"],
           {"seeds/good.txt": SEED})
    attack("serve-sigterm-temp-folder", "SIGTERM `mkdocs serve`", 17,
           "no briefing-pages-* temporary folder is left behind", [], ["no_traceback"],
           records(), check="serve_sigterm")
    attack("seeds-subfolder", "articles in a subfolder of seeds/", 17,
           "ingested, or named as left out", [{"run": INGEST, "exit": "any"}],
           ["no_traceback"], {"seeds/2023/sub.txt": SEED}, check="seeds_subfolder")


def found_later() -> None:
    """Attacks found while fixing the review's: not in it, so no defect number."""
    english_with_names = ("Ministers meet in Tokyo\nTOKYO, Aug 2 - Foreign Minister Yoshimasa "
                          "Hayashi met Chinese Foreign Minister Wang Yi (\u738b\u6bc5) in "
                          "Tokyo on Monday, August 1, 2022.\nThe two ministers agreed to "
                          "strengthen cooperation.\n")
    attack("encoding-gb18030-english-with-names", "an English article in GB18030 quoting a "
           "name in Chinese characters (few high bytes)", None,
           "decoded right, never Latin-1 garbage", [INGEST_OK], ["no_traceback"],
           {"seeds/names.txt": english_with_names.encode("gb18030")}, check="no_mojibake")
    attack("record-cr-line-endings", "a meeting record saved with CR-only line endings", None,
           "read as written: check passes", [CHECK_OK], ["no_traceback"],
           records(meeting().replace("\n", "\r")))
    attack("record-symlink", "a meeting record that is a symbolic link to a file outside the "
           "content folder", None, "named as a link, never read or published",
           [names_file("check", MEETING_ID), {"run": ["build"], "exit": "any"}],
           ["no_traceback", {"grep_absent": {"path": "site/**/*.html",
                                             "pattern": "SECRET-TOKEN"}}],
           {"content/articles/hostile_article.md": article(),
            "outside.md": meeting().replace("Hostile talks", "SECRET-TOKEN talks")},
           setup=[{"symlink": {"path": f"content/meetings/{MEETING_ID}.md",
                               "target": "../../outside.md"}}])
    attack("content-is-a-file", "`briefing ingest --content` naming a file", None,
           "refused naming the file, which is left alone",
           [{"run": ["ingest", "--seeds", "seeds", "--content", "notes.txt"], "exit": 1,
             "stderr": ["notes.txt: not a folder"]}],
           ["no_traceback", {"grep_present": {"path": "notes.txt", "pattern": "^notes$"}}],
           {"seeds/good.txt": SEED, "notes.txt": "notes\n"})


def define() -> None:
    held_escaping()
    held_parsing()
    held_operations()
    for make in (defect_1, defect_2, defect_3, defect_4, defect_5, defect_6, defect_7,
                 defect_8, defect_9, defect_10, defect_11, defect_12, defect_13, defect_14,
                 defect_15, defect_16, defect_17, found_later):
        make()


def write() -> None:
    define()
    for old in HERE.iterdir():
        if old.is_dir() and old.name[:2].isdigit():
            shutil.rmtree(old)
    for number, item in enumerate(ATTACKS, 1):
        folder = HERE / f"{number:03d}-{item['slug']}"
        folder.mkdir()
        spec = yaml.safe_dump(item["spec"], allow_unicode=False, sort_keys=False, width=100)
        (folder / "attack.yaml").write_text(spec, "utf-8")
        for name, data in item["files"].items():
            path = folder / "files" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        if "check" in item["spec"]:
            assert (CHECKS / f"{item['spec']['check']}.py").is_file(), item["slug"]
    print(f"{len(ATTACKS)} attacks written")


if __name__ == "__main__":
    write()
