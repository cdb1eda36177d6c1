"""The fault suite of issue 14: hostile inputs and faults replayed against the real `zhnews`
command, loopback only (HTTP servers on 127.0.0.1, temporary directories, a local Prefect
server), each checked for what must hold: nothing stored is lost, no `duplicate_of` names a
missing article, every story stays in `unique_articles`, errors are one line.

    python bench/faults.py [--only NAME ...] [--list]

prints one line per case and `N inputs tried, N held; N faults tried, N held, nothing lost`.
A case is an entry of CASES (name, kind, setup, run, check): setup builds its inputs in a
workspace (a temporary directory with its own warehouse), run drives `zhnews`, check returns
what did not hold (empty: held). Add a case by appending one. The `core` cases also run in
CI (tests/test_never_lose.py), in process and fast.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.interrupt import interrupt_cli  # noqa: E402
from tests.webserver import Site, serve  # noqa: E402

ZHNEWS = Path(sys.executable).parent / "zhnews"
# Quick fetching (loopback servers answer at once) and one extraction worker.
FAST_ENV = {"ZHNEWS_FETCH_DELAY": "0", "ZHNEWS_FETCH_TIMEOUT": "1", "ZHNEWS_FETCH_BACKOFF": "0.05",
            "ZHNEWS_FETCH_RETRIES": "1", "ZHNEWS_FETCH_RETRY_AFTER_MAX": "2", "ZHNEWS_WORKERS": "1",
            "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL"}
LOST = "LOST: "  # starts a problem that lost stored data (the suite's last word counts them)
# A duplicate_of naming an article that is not there: the story has left unique_articles.
DANGLING_SQL = """SELECT count(*) FROM articles a WHERE duplicate_of IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM articles k WHERE k.article_id = a.duplicate_of)"""


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


@dataclass
class Workspace:
    """One case's temporary directory, warehouse and servers; zhnews runs as a subprocess
    (the suite) or in this process (the tests: no interpreter start-up per run)."""

    root: Path
    in_process: bool = False
    sites: list[Site] = field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.root / "zhnews.duckdb"

    def serve(self, routes: dict) -> Site:
        site = serve(routes)
        self.sites.append(site)
        return site

    def zhnews(self, *args: str, env: dict[str, str] | None = None) -> Outcome:
        env = {**FAST_ENV, **(env or {})}
        if self.in_process:
            return _in_process(list(args), env)
        result = subprocess.run([str(ZHNEWS), *args], capture_output=True, text=True, timeout=600,
                                env={**os.environ, **env}, cwd=ROOT)
        return Outcome(result.returncode, result.stdout, result.stderr)

    def ingest(self, *args: str, env: dict[str, str] | None = None) -> Outcome:
        return self.zhnews("ingest", *args, "--db", str(self.db), "--allow-private-hosts", env=env)

    def rows(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def close(self) -> None:
        for site in self.sites:
            site.close()


def _in_process(argv: list[str], env: dict[str, str]) -> Outcome:
    from flows.cli import main

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse refuses a flag by exiting, as from the shell
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return Outcome(code, out.getvalue(), err.getvalue())


@dataclass(frozen=True)
class Case:
    name: str
    kind: Literal["input", "fault"]  # counted among the inputs or the faults tried
    setup: Callable[[Workspace], Any]
    run: Callable[[Workspace, Any], Any]
    check: Callable[[Workspace, Any], list[str]]  # what did not hold; empty: held
    core: bool = False  # also a CI test (tests/test_never_lose.py)


# -- pages ----------------------------------------------------------------------------------

def sentences() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "texts").glob("*.txt")))
    return [s + "。" for s in re.split(r"[。\n]", text) if 12 <= len(s) <= 80]


def story(n: int) -> list[str]:
    """Three paragraphs of real news sentences, different for each n."""
    rng = random.Random(n)
    pool = sentences()
    return [f"第{n}号稿件。" + "".join(rng.sample(pool, 3)) for _ in range(3)]


def page(n: int, published: str = "2024-05-01") -> str:
    body = "".join(f"<p>{p}</p>" for p in story(n))
    return (f'<html><head><meta charset="utf-8"><meta property="article:published_time" content="{published}">'
            f"<title>新闻第{n}号</title></head><body><article><h1>新闻第{n}号</h1>{body}</article></body></html>")


INDEX_PAGE = ('<html><head><meta charset="utf-8"><title>栏目</title></head><body><ul>'
              + "".join(f'<li><a href="/n/{i}.html">栏目新闻标题第{i}条</a></li>' for i in range(40))
              + "</ul></body></html>")


class Switch:
    """A route whose answer the case changes between runs."""

    def __init__(self, body: str, status: int = 200):
        self.body, self.status = body, status

    def __call__(self, handler) -> None:
        handler.send(self.body if self.status == 200 else f"status {self.status}", status=self.status)


def url_list(ws: Workspace, urls: list[str]) -> Path:
    listing = ws.root / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return listing


# -- checks ---------------------------------------------------------------------------------

def integrity(ws: Workspace) -> list[str]:
    """What must hold after every case: no duplicate_of names a missing article."""
    if not ws.db.exists():
        return []
    [(dangling,)] = ws.rows(DANGLING_SQL)
    return [f"{LOST}{dangling} duplicate_of point at missing articles"] if dangling else []


def ran(outcome: Outcome, what: str) -> list[str]:
    return [] if outcome.code == 0 else [f"{what} exited {outcome.code}: {outcome.error_lines[-1:]}"]


def one_line_refusal(outcome: Outcome, stage: str, what: str) -> list[str]:
    lines = outcome.error_lines
    if outcome.code == 2 and len(lines) == 1 and lines[0].startswith(f"error [{stage}]"):
        return []
    return [f"{what}: exit {outcome.code}, stderr {lines[:3]}"]


def articles_by_url(ws: Workspace) -> dict[str, tuple]:
    """url -> (article_id, content_hash, duplicate_of, last_error); last_error NULL on a
    warehouse from before migration 005 (the suite also runs against older code)."""
    if not ws.db.exists():
        return {}
    columns = {name for (name,) in ws.rows(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'")}
    last_error = "last_error" if "last_error" in columns else "NULL"
    return {url: tuple(rest) for url, *rest in ws.rows(
        f"SELECT url, article_id, content_hash, duplicate_of, {last_error} FROM articles")}


# -- cases: re-fetch failures keep stored articles (issue 14 item 3) --------------------------

def two_served_articles(ws: Workspace) -> dict:
    routes = {"/a.html": Switch(page(1)), "/b.html": Switch(page(2)), "/robots.txt": Switch("")}
    site = ws.serve(routes)
    urls = [site.url("/a.html"), site.url("/b.html")]
    first = ws.ingest("--urls", str(url_list(ws, urls)))
    return {"site": site, "routes": routes, "urls": urls, "first": first, "before": articles_by_url(ws)}


def kept_through(state: dict, ws: Workspace, error: str) -> list[str]:
    problems = ran(state["first"], "first ingest")
    after = articles_by_url(ws)
    if len(state["before"]) != 2:
        problems.append(f"first ingest stored {len(state['before'])} articles, not 2")
    for url, (article_id, digest, duplicate_of, last_error) in state["before"].items():
        if url not in after:
            problems.append(f"{LOST}{url} was deleted by a failure")
        elif after[url][:3] != (article_id, digest, duplicate_of):
            problems.append(f"{url} changed")
        elif not (after[url][3] or "").startswith(error):
            problems.append(f"{url}: last_error {after[url][3]!r}, expected {error}…")
    rejected = ws.rows("SELECT url FROM rejections")
    if rejected:
        problems.append(f"rejection rows beside kept articles: {rejected}")
    return problems


def serve_status(status: int):
    def run(ws: Workspace, state: dict) -> Outcome:
        for path in ("/a.html", "/b.html"):
            state["routes"][path].status = status
        return ws.ingest("--urls", str(url_list(ws, state["urls"])), "--force")
    return run


def robots_unavailable(ws: Workspace, state: dict) -> Outcome:
    state["routes"]["/robots.txt"].status = 503
    return ws.ingest("--urls", str(url_list(ws, state["urls"])), "--force")


def refetch_closed_port(ws: Workspace, state: dict) -> Outcome:
    state["site"].close()
    ws.sites.remove(state["site"])
    return ws.ingest("--urls", str(url_list(ws, state["urls"])), "--force")


# A sidebar of this many links makes a page's extraction take several milliseconds: far
# longer than the 1 ms time limit of the timeout cases, whose pages must not finish in it.
SIDEBAR_LINKS = 2000


def slow_page(n: int) -> str:
    """page(n) with a long sidebar beside the article (extraction several ms, not <1 ms)."""
    sidebar = "".join(f'<li><a href="/s/{n}/{i}.html">侧栏新闻标题第{i}条</a></li>' for i in range(SIDEBAR_LINKS))
    return page(n).replace("</article>", f"</article><ul class='sidebar'>{sidebar}</ul>")


def local_pages(count: int):
    def setup(ws: Workspace) -> dict:
        pages = ws.root / "pages"
        pages.mkdir()
        for n in range(count):
            (pages / f"p{n:02d}.html").write_text(slow_page(n), encoding="utf-8")
        first = ws.ingest(str(pages))
        return {"pages": pages, "first": first, "before": articles_by_url(ws)}
    return setup


def force_with_extract_timeout(ws: Workspace, state: dict) -> Outcome:
    return ws.ingest(str(state["pages"]), "--force", "--extract-timeout", "0.001")


def all_kept(state: dict, ws: Workspace, error: str, count: int) -> list[str]:
    problems = ran(state["first"], "first ingest")
    after = articles_by_url(ws)
    if len(state["before"]) != count:
        problems.append(f"first ingest stored {len(state['before'])} articles, not {count}")
    lost = [url for url in state["before"] if url not in after]
    if lost:
        problems.append(f"{LOST}{len(lost)} of {len(state['before'])} articles")
    # Every failed re-check is noted beside its article; a page the busy worker pool
    # finished before its result was awaited is a success, not a failure to note.
    noted = [url for url, row in after.items() if (row[3] or "").startswith(error)]
    if not noted:
        problems.append(f"no kept article has last_error {error}…")
    return problems


def garbage_line_setup(ws: Workspace) -> dict:
    pages = ws.root / "pages"
    pages.mkdir()
    local = pages / "local.html"
    local.write_text(page(3), encoding="utf-8")
    first = ws.ingest(str(pages))
    return {"local": local, "first": first, "before": articles_by_url(ws)}


def garbage_line_run(ws: Workspace, state: dict) -> Outcome:
    uri = state["local"].resolve().as_uri()
    return ws.ingest("--urls", str(url_list(ws, [uri, uri.upper(), "file://" + str(state["local"]) + "#x"])))


def garbage_line_check(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["first"], "local ingest")
    after = articles_by_url(ws)
    if not state["before"] or after != state["before"]:
        problems.append(f"{LOST}the local article changed: {state['before']} -> {after}")
    [(rejected,)] = ws.rows("SELECT count(*) FROM rejections")
    if rejected != 3:
        problems.append(f"{rejected} rejection rows for 3 bad lines")
    return problems


# -- cases: take-downs hand the cluster on (issue 14 item 2) -----------------------------------

def cluster_setup(ws: Workspace) -> dict:
    """One story at three URLs (published on the 1st, 2nd and 3rd) and another story."""
    routes = {"/orig.html": Switch(page(5, "2024-05-01")), "/copy2.html": Switch(page(5, "2024-05-02")),
              "/copy3.html": Switch(page(5, "2024-05-03")), "/other.html": Switch(page(6)),
              "/robots.txt": Switch("")}
    site = ws.serve(routes)
    urls = [site.url(p) for p in ("/orig.html", "/copy3.html", "/copy2.html", "/other.html")]
    first = ws.ingest("--urls", str(url_list(ws, urls)))
    return {"site": site, "routes": routes, "urls": urls, "first": first, "before": articles_by_url(ws)}


def take_down(status: int | None, body: str | None = None):
    def run(ws: Workspace, state: dict) -> Outcome:
        route = state["routes"]["/orig.html"]
        if status is not None:
            route.status = status
        if body is not None:
            route.body = body
        return ws.ingest("--urls", str(url_list(ws, state["urls"])), "--force")
    return run


def original_redirects_to_404(ws: Workspace, state: dict) -> Outcome:
    """The original now redirects to a page that answers 404 (a moved site's error page):
    not a definite answer about the original's own URL."""
    state["routes"]["/orig.html"] = lambda h: h.send(b"", status=301, headers={"Location": "/nowhere.html"})
    return ws.ingest("--urls", str(url_list(ws, state["urls"])), "--force")


def cluster_unchanged(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["first"], "first ingest")
    after = {url: row[:3] for url, row in articles_by_url(ws).items()}
    if len(state["before"]) != 4 or after != {url: row[:3] for url, row in state["before"].items()}:
        problems.append(f"{LOST}the articles changed: {state['before']} -> {after}")
    return problems


def handed_on(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["first"], "first ingest")
    site = state["site"]
    before, after = state["before"], articles_by_url(ws)
    orig, copy2, copy3 = (site.url(p) for p in ("/orig.html", "/copy2.html", "/copy3.html"))
    if not before or before[copy2][2] != before[orig][0] or before[copy3][2] != before[orig][0]:
        return problems + [f"the first ingest did not cluster the copies under the original: {before}"]
    if orig in after:
        problems.append("the taken-down original is still stored")
    if copy2 not in after or after[copy2][2] is not None:
        problems.append(f"the earliest remaining copy is not kept: {after.get(copy2)}")
    if copy3 not in after or after[copy3][2] != before[copy2][0]:
        problems.append(f"the later copy does not point at the new kept article: {after.get(copy3)}")
    unique = {digest for (digest,) in ws.rows("SELECT content_hash FROM unique_articles")}
    if before[orig][1] not in unique:
        problems.append(f"{LOST}the story left unique_articles")
    return problems


def local_cluster_setup(ws: Workspace) -> dict:
    pages = ws.root / "pages"
    pages.mkdir()
    files = {name: pages / f"{name}.html" for name in ("orig", "copy2", "copy3")}
    for day, (name, path) in enumerate(files.items(), start=1):
        path.write_text(page(7, f"2024-05-0{day}"), encoding="utf-8")
    first = ws.ingest(*map(str, files.values()))
    return {"files": files, "first": first, "before": articles_by_url(ws)}


def local_file_gone(ws: Workspace, state: dict) -> Outcome:
    state["files"]["orig"].unlink()
    return ws.ingest(*map(str, state["files"].values()))


def local_handed_on(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["first"], "first ingest")
    before, after = state["before"], articles_by_url(ws)
    orig, copy2, copy3 = (state["files"][n].resolve().as_uri() for n in ("orig", "copy2", "copy3"))
    if len(before) != 3 or before[copy3][2] != before[orig][0]:
        return problems + [f"the first ingest did not cluster the copies: {before}"]
    if orig in after:
        problems.append("the deleted file's article is still stored")
    unique = {digest for (digest,) in ws.rows("SELECT content_hash FROM unique_articles")}
    if before[orig][1] not in unique:
        problems.append(f"{LOST}the story left unique_articles")
    if after.get(copy2, (None, None, "missing"))[2] is not None or after.get(copy3, (0, 0, 0))[2] != before[copy2][0]:
        problems.append(f"the cluster was not handed on: {after}")
    return problems


# -- cases: tracking-parameter twins (issue 14 item 8) -----------------------------------------

TWIN_PARAMS = ["", "?utm_source=wechat&utm_medium=share", "?spm=a2c4e.11153940", "?from=timeline",
               "?share_token=9f8e", "?utm_campaign=x&from=singlemessage"]


def twins_setup(ws: Workspace) -> dict:
    routes = {"/x.html": Switch(page(8)), "/y.html": Switch(page(9)), "/robots.txt": Switch("")}
    site = ws.serve(routes)
    urls = [site.url("/x.html" if i % 2 == 0 else "/y.html") + TWIN_PARAMS[i] for i in range(6)]
    return {"urls": urls, "listing": url_list(ws, urls)}


def twins_run(ws: Workspace, state: dict) -> list[Outcome]:
    outcomes = [ws.ingest("--urls", str(state["listing"]))]
    state["tables"] = tables(ws)
    outcomes.append(ws.ingest("--urls", str(state["listing"])))
    return outcomes


def tables(ws: Workspace) -> tuple[list[tuple], list[tuple]]:
    return (ws.rows("SELECT url, article_id, content_hash, duplicate_of, ingested_at, updated_at FROM articles "
                    "ORDER BY url"),
            ws.rows("SELECT url, stage, reason FROM rejections ORDER BY url"))


def twins_check(ws: Workspace, state: dict) -> list[str]:
    problems = [p for outcome in state["run"] for p in ran(outcome, "ingest")]
    articles, rejections = state["tables"]
    if len(articles) != 2 or len(rejections) != 4:
        problems.append(f"6 inputs became {len(articles)} articles and {len(rejections)} rejections, not 2 and 4")
    kept = {url for url, *_ in articles}
    for url, _, reason in rejections:
        if not reason.startswith("same page as ") or reason.removeprefix("same page as ") not in kept:
            problems.append(f"{url}: {reason!r}")
    if tables(ws) != state["tables"]:
        problems.append("the re-run changed the tables")
    return problems


# -- cases: export writes only where it should (issue 14 item 1) -------------------------------

def small_warehouse(ws: Workspace) -> dict:
    pages = ws.root / "pages"
    pages.mkdir()
    for n in range(3):
        (pages / f"p{n}.html").write_text(page(20 + n), encoding="utf-8")
    first = ws.ingest(str(pages))
    return {"first": first, "bytes": ws.db.read_bytes()}


def export_onto(target: Callable[[Workspace], Path], *flags: str):
    def run(ws: Workspace, state: dict) -> Outcome:
        state["target"] = target(ws)
        return ws.zhnews("export", str(state["target"]), *flags, "--db", str(ws.db))
    return run


def export_refused(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["first"], "ingest")
    problems += one_line_refusal(state["run"], "export", f"export onto {state['target']}")
    if ws.db.read_bytes() != state["bytes"]:
        problems.append(f"{LOST}the warehouse file changed")
    [(articles,)] = ws.rows("SELECT count(*) FROM unique_articles")
    if articles != 3:
        problems.append(f"{LOST}{articles} unique articles left of 3")
    return problems


def fifo(ws: Workspace) -> Path:
    path = ws.root / "out.fifo"
    os.mkfifo(path)
    return path


def directory(ws: Workspace) -> Path:
    path = ws.root / "out.dir"
    path.mkdir()
    return path


def existing(ws: Workspace) -> Path:
    path = ws.root / "old.parquet"
    path.write_bytes(b"an earlier export")
    return path


# -- cases that held before issue 14 (kept so they keep holding) ------------------------------

def query_writes_run(ws: Workspace, state: dict) -> list[Outcome]:
    return [ws.zhnews("query", sql, "--db", str(ws.db)) for sql in (
        "DROP TABLE articles", "DELETE FROM articles", "UPDATE articles SET text = ''",
        f"COPY articles TO '{ws.root / 'leak.csv'}'", "ATTACH 'other.duckdb' AS o", "INSTALL httpfs",
        "SELECT 1; DROP TABLE articles")]


def query_writes_check(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["first"], "ingest")
    for outcome in state["run"]:
        problems += one_line_refusal(outcome, "query", "a write through query")
    if ws.db.read_bytes() != state["bytes"] or (ws.root / "leak.csv").exists():
        problems.append(f"{LOST}query wrote")
    return problems


def killed_ingest_run(ws: Workspace, state: dict) -> Outcome:
    """kill -9 after the first batches landed, then the same ingest again."""
    env = {**os.environ, **FAST_ENV}
    proc = subprocess.Popen([str(ZHNEWS), "ingest", str(state["pages"]), "--db", str(ws.db), "--batch-size", "5"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
                            start_new_session=True)
    # The writer holds the file only while it commits a batch: read between two, until the
    # first batches landed.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and loaded_articles(ws.db) < 10:
        time.sleep(0.05)
    state["killed_mid_run"] = proc.poll() is None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return ws.ingest(str(state["pages"]))


def loaded_articles(db: Path) -> int:
    """Articles in the warehouse now; 0 while it is missing or a batch is being committed."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return 0
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.Error:
        return 0
    finally:
        con.close()


KILLED_PAGES = 300


def killed_pages(ws: Workspace) -> dict:
    pages = ws.root / "pages"
    pages.mkdir()
    for n in range(KILLED_PAGES):
        (pages / f"p{n:03d}.html").write_text(page(100 + n), encoding="utf-8")
    return {"pages": pages}


def killed_check(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["run"], "resumed ingest")
    if not state["killed_mid_run"]:
        problems.append("the first ingest finished before the kill: nothing was tested")
    urls = [url for (url,) in ws.rows("SELECT url FROM articles UNION ALL SELECT url FROM rejections")]
    if len(urls) != KILLED_PAGES or len(set(urls)) != KILLED_PAGES:
        problems.append(f"{LOST}{len(set(urls))} inputs with rows ({len(urls)} rows) after the resume, "
                        f"not {KILLED_PAGES}")
    return problems


# -- hostile inputs (issue 14 items 4, 5, 7, 8): each one rejection, the rest goes on ----------
# Every case first stores one article, then ingests its hostile inputs beside good ones into
# the same warehouse: the stored article must come through unchanged.

def stored_article(ws: Workspace) -> dict:
    kept = ws.root / "stored"
    kept.mkdir()
    (kept / "kept.html").write_text(page(60), encoding="utf-8")
    first = ws.ingest(str(kept))
    return {"first": first, "before": articles_by_url(ws), "bytes": ws.db.read_bytes()}


def nothing_lost(ws: Workspace, state: dict) -> list[str]:
    problems = ran(state["first"], "the first ingest")
    if len(state["before"]) != 1:
        problems.append(f"the first ingest stored {len(state['before'])} articles, not 1")
    after = articles_by_url(ws)
    for url, row in state["before"].items():
        if url not in after:
            problems.append(f"{LOST}{url} was deleted")
        elif after[url][:3] != row[:3]:
            problems.append(f"{LOST}{url} changed: {row[:3]} -> {after[url][:3]}")
    return problems


def rejection_reasons(ws: Workspace) -> dict[str, str]:
    return dict(ws.rows("SELECT url, reason FROM rejections")) if ws.db.exists() else {}


def matches(reason: str, expected: str) -> bool:
    """expected is the reason, or its start and end around one `…`."""
    start, dots, end = expected.partition("…")
    return reason.startswith(start) and reason.endswith(end) if dots else reason == expected


def hostile(build: Callable[[Workspace, dict], None], *flags: str, env: dict[str, str] | None = None):
    """A case's setup: the stored article, then build(ws, state), which sets state["inputs"]
    (ingest arguments), state["expect"] (url -> reason, `…` for the part that varies) and
    state["articles"] (urls that must load)."""
    def setup(ws: Workspace) -> dict:
        state = stored_article(ws)
        state.update(inputs=[], expect={}, articles=[], flags=list(flags), env=env)
        build(ws, state)
        return state
    return setup


def ingest_inputs(ws: Workspace, state: dict) -> Outcome:
    return ws.ingest(*state["inputs"], *state["flags"], env=state["env"])


def as_expected(ws: Workspace, state: dict) -> list[str]:
    problems = nothing_lost(ws, state) + ran(state["run"], "the hostile ingest")
    reasons = rejection_reasons(ws)
    for url, expected in state["expect"].items():
        if url not in reasons:
            problems.append(f"no rejection row for {url!r}")
        elif not matches(reasons[url], expected):
            problems.append(f"{url!r}: {reasons[url]!r}, expected {expected!r}")
    stored = articles_by_url(ws)
    problems += [f"{url} did not load beside the hostile inputs" for url in state["articles"] if url not in stored]
    [(runs,)] = ws.rows("SELECT count(*) FROM runs WHERE status = 'completed'") if ws.db.exists() else [(0,)]
    if runs != 2:
        problems.append(f"{runs} completed runs, not 2")
    return problems


def redirect(location: str):
    return lambda handler: handler.send(b"", status=302, headers={"Location": location})


NON_WEB = {"/to-javascript": "javascript:alert(1)", "/to-mailto": "mailto:editor@example.cn",
           "/to-data": "data:text/html,<p>x</p>", "/to-about": "about:blank"}


def good_site(ws: Workspace, state: dict, routes: dict) -> Any:
    site = ws.serve({"/good.html": Switch(page(61)), "/robots.txt": Switch(""), **routes})
    state["articles"].append(site.url("/good.html"))
    return site


def listed(ws: Workspace, state: dict, urls: list[str]) -> None:
    state["inputs"] += ["--urls", str(url_list(ws, urls))]


def non_web_redirects(ws: Workspace, state: dict) -> None:
    site = good_site(ws, state, {path: redirect(target) for path, target in NON_WEB.items()})
    listed(ws, state, [site.url("/good.html"), *(site.url(path) for path in NON_WEB)])
    state["expect"] = {site.url(path): f"bad redirect: HTTP 302 redirect to {target!r}: not an http(s) URL "
                                       f"(scheme {target.split(':')[0]!r})" for path, target in NON_WEB.items()}


def bad_ports_listed(ws: Workspace, state: dict) -> None:
    site = good_site(ws, state, {})
    # The URL list's reader refuses them before any fetch, naming the line.
    bad = {"http://127.0.0.1:99999/x": "not an http(s) URL (line 2 of urls.txt): bad URL: port 99999 is outside "
                                       "1-65535",
           "http://127.0.0.1:-1/x": "not an http(s) URL (line 3 of urls.txt): bad URL: port -1 is outside 1-65535"}
    listed(ws, state, [site.url("/good.html"), *bad])
    state["expect"] = bad


def bad_port_redirect(ws: Workspace, state: dict) -> None:
    site = good_site(ws, state, {"/to-port": redirect("http://127.0.0.1:99999/a.html")})
    listed(ws, state, [site.url("/good.html"), site.url("/to-port")])
    state["expect"] = {site.url("/to-port"): "bad redirect: HTTP 302 redirect to 'http://127.0.0.1:99999/a.html'"
                                             "…bad URL: port 99999 is outside 1-65535"}


CRAWLED_BAD_LINK = "http://127.0.0.1:99999/2024/0315/c1001-123456.html"


def crawl_bad_port_setup(ws: Workspace) -> dict:
    state = stored_article(ws)
    site = ws.serve({"/robots.txt": Switch("")})
    good = site.url("/2024/0315/c1001-654321.html")
    links = "".join(f'<li><a href="{u}">全国春季农业生产工作会议在京召开部署春耕</a></li>' for u in (CRAWLED_BAD_LINK, good))
    site.routes.update({"/index.html": Switch(f'<html><head><meta charset="utf-8"></head><body><ul>{links}</ul>'
                                              "</body></html>"),
                        "/2024/0315/c1001-654321.html": Switch(page(62))})
    state.update(seed=site.url("/index.html"), articles=[good], expect={CRAWLED_BAD_LINK: "bad URL: port 99999 "
                                                                         "is outside 1-65535"})
    return state


def crawl_run(ws: Workspace, state: dict) -> Outcome:
    return ws.zhnews("crawl", state["seed"], "--db", str(ws.db), "--allow-private-hosts")


def silent_host_setup(ws: Workspace) -> dict:
    """robots.txt answers (404: no rules); the pages never do."""
    state = stored_article(ws)
    paths = [f"/{n}.html" for n in range(16)]
    site = ws.serve({path: (lambda handler: time.sleep(3)) for path in paths})
    state["urls"] = [site.url(p) for p in paths]
    return state


def silent_host_run(ws: Workspace, state: dict) -> Outcome:
    started = time.monotonic()
    outcome = ws.ingest("--urls", str(url_list(ws, state["urls"])), env={
        "ZHNEWS_FETCH_TIMEOUT": "0.4", "ZHNEWS_FETCH_PER_HOST": "2", "ZHNEWS_FETCH_HOST_BUDGET": "1",
        "ZHNEWS_FETCH_RETRIES": "0"})
    state["fetch_seconds"] = time.monotonic() - started
    return outcome


def silent_host_check(ws: Workspace, state: dict) -> list[str]:
    problems = nothing_lost(ws, state) + ran(state["run"], "the ingest")
    reasons = rejection_reasons(ws)
    got = [reasons.get(url, "no row") for url in state["urls"]]
    timed_out = [r for r in got if r.startswith("timeout: ")]
    over_budget = [r for r in got if r.startswith("host budget spent: ")]
    if len(timed_out) + len(over_budget) != len(got) or not over_budget or not 1 <= len(timed_out) <= 6:
        problems.append(f"{len(timed_out)} timeouts, {len(over_budget)} over budget of {len(got)}: {sorted(set(got))[:3]}")
    return problems


def line_separator(ws: Workspace, state: dict) -> None:
    site = good_site(ws, state, {})
    joined = "http://a.example/1.html\u2028http://a.example/2.html"
    listed(ws, state, [site.url("/good.html"), joined])
    state["expect"] = {joined: "not an http(s) URL (line 2 of urls.txt): the URL contains U+2028 (LINE SEPARATOR)"}


def line_separator_check(ws: Workspace, state: dict) -> list[str]:
    problems = as_expected(ws, state)
    rows = ws.rows("SELECT url FROM rejections WHERE url LIKE '%a.example%' "
                   "UNION ALL SELECT url FROM articles WHERE url LIKE '%a.example%'")
    return problems + ([f"the line became {len(rows)} rows: {rows}"] if len(rows) != 1 else [])


def local_dir(ws: Workspace, state: dict) -> Path:
    """A directory of inputs with one good page in it."""
    inputs = ws.root / "in"
    inputs.mkdir()
    (inputs / "good.html").write_text(page(63), encoding="utf-8")
    state["articles"].append((inputs / "good.html").as_uri())
    return inputs


def fifos(ws: Workspace, state: dict) -> None:
    inputs = local_dir(ws, state)
    os.mkfifo(inputs / "inside.htm")
    os.mkfifo(ws.root / "x.html")
    state["inputs"] = [str(ws.root / "x.html"), str(inputs)]
    state["expect"] = {path.as_uri(): "not a regular file: a FIFO (named pipe)"
                       for path in (ws.root / "x.html", inputs / "inside.htm")}


def device_link(ws: Workspace, state: dict) -> None:
    inputs = local_dir(ws, state)
    os.symlink("/dev/zero", ws.root / "zero.html")
    state["inputs"] = [str(ws.root / "zero.html"), str(inputs)]
    state["expect"] = {(ws.root / "zero.html").as_uri(): "not a regular file: a character device"}


def symlink_loop(ws: Workspace, state: dict) -> None:
    inputs = local_dir(ws, state)
    os.symlink("loop-b.html", ws.root / "loop-a.html")
    os.symlink("loop-a.html", ws.root / "loop-b.html")
    state["inputs"] = [str(ws.root / "loop-a.html"), str(inputs)]
    state["expect"] = {(ws.root / "loop-a.html").as_uri(): "symlink loop: …"}


def broken_link(ws: Workspace, state: dict) -> None:
    inputs = local_dir(ws, state)
    os.symlink("gone.html", inputs / "broken.html")
    os.symlink("gone.html", ws.root / "broken.html")
    state["inputs"] = [str(ws.root / "broken.html"), str(inputs)]
    state["expect"] = {path.as_uri(): "broken symlink: it points at gone.html, which does not exist"
                       for path in (ws.root / "broken.html", inputs / "broken.html")}


def oversized_file(ws: Workspace, state: dict) -> None:
    inputs = local_dir(ws, state)
    big = inputs / "big.html"
    big.write_text(page(64).replace("</article>", "<p>" + "大" * 20000 + "</p></article>"), encoding="utf-8")
    state["inputs"] = [str(inputs)]
    state["expect"] = {big.as_uri(): f"too large: {big.stat().st_size} bytes is over the 32768 byte limit "
                                     "(ZHNEWS_MAX_FILE_BYTES)"}


# WARC files, written with warcio as crawlers write them.

WARC_URL = "http://warc.example.cn/{}.html"


def warc_bytes(records: list[tuple[str | None, str]], gzip: bool) -> bytes:
    """Response records (target URI, HTTP status line), an article each; URI None leaves
    WARC-Target-URI out."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for n, (url, status) in enumerate(records):
        http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(url or "", "response", payload=io.BytesIO(page(70 + n).encode()),
                                           http_headers=http)
        if url is None:
            record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    return out.getvalue()


def warc_status_abc(ws: Workspace, state: dict) -> None:
    path = ws.root / "a.warc.gz"
    path.write_bytes(warc_bytes([(WARC_URL.format(0), "200 OK"), (WARC_URL.format(1), "abc"),
                                 (WARC_URL.format(2), "200 OK")], gzip=True))
    state["inputs"] = [str(path)]
    state["articles"] = [WARC_URL.format(0), WARC_URL.format(2)]
    state["expect"] = {WARC_URL.format(1): "damaged WARC record (a.warc.gz at byte …): HTTP status line 'abc' "
                                           "has no status code"}


def warc_no_target(ws: Workspace, state: dict) -> None:
    path = ws.root / "a.warc"
    path.write_bytes(warc_bytes([(WARC_URL.format(0), "200 OK"), (None, "200 OK"), (WARC_URL.format(2), "200 OK")],
                                gzip=False))
    state.update(inputs=[str(path)], articles=[WARC_URL.format(0), WARC_URL.format(2)], warc=path)


def warc_no_target_check(ws: Workspace, state: dict) -> list[str]:
    problems = as_expected(ws, state)
    prefix = state["warc"].as_uri() + "#offset="
    bad = [(url, reason) for url, reason in rejection_reasons(ws).items() if url.startswith(prefix)]
    if len(bad) != 1:
        return problems + [f"{len(bad)} rejections for the record without a target URI: {bad}"]
    [(url, reason)] = bad
    offset = url.rpartition("=")[2]
    if not (reason.startswith(f"damaged WARC record (a.warc at byte {offset})") and "no WARC-Target-URI" in reason):
        problems.append(f"{url}: {reason!r}")
    return problems


def no_warc(ws: Workspace, state: dict) -> None:
    files = {"random.warc": (bytes(range(256)) * 20, "no WARC record in the file: …"),
             "text.warc.gz": (b"this is plain text, not gzip\n" * 10, "no WARC record in the file: …"),
             "empty.warc.gz": (b"", "empty WARC file")}
    for name, (data, _) in files.items():
        (ws.root / name).write_bytes(data)
    good = ws.root / "good.warc.gz"
    good.write_bytes(warc_bytes([(WARC_URL.format(0), "200 OK")], gzip=True))
    state["inputs"] = [str(ws.root / name) for name in files] + [str(good)]
    state["articles"] = [WARC_URL.format(0)]
    state["expect"] = {(ws.root / name).as_uri(): reason for name, (_, reason) in files.items()}


def warc_cut_header(ws: Workspace, state: dict) -> None:
    import gzip

    whole = warc_bytes([(WARC_URL.format(0), "200 OK")], gzip=True)
    path = ws.root / "cut.warc.gz"
    path.write_bytes(whole + gzip.compress(b"WARC/1.0\r\nWARC-Type: respo"))
    state["inputs"] = [str(path)]
    state["articles"] = [WARC_URL.format(0)]
    state["expect"] = {f"{path.as_uri()}#offset={len(whole)}":
                       f"damaged WARC record (cut.warc.gz at byte {len(whole)}): its header block is cut short"}


# Item 7: a UTF-8 page with a pasted GBK paragraph stays UTF-8, both texts intact.
UTF8_PARAGRAPHS = ["国务院常务会议今天召开，会议部署了进一步做好春季农业生产的各项工作，要求各地稳定粮食播种面积。",
                   "会议指出，各地要抓好农资供应和价格监管，确保化肥、种子、农药等农资质量可靠、供应充足、价格稳定。",
                   "会议强调，要加强农业防灾减灾工作，做好气象监测预警，及时发布灾害信息，指导农民科学应对各类灾害。"]
GBK_PARAGRAPH = "记者从市教育局获悉，今年全市将新建改扩建中小学和幼儿园三十所，新增学位两万个，缓解入学难问题。"


def gbk_paragraph(ws: Workspace, state: dict) -> None:
    path = ws.root / "pasted.html"
    head = ('<html><head><meta charset="utf-8"><title>春季农业生产</title></head><body><article>'
            "<h1>春季农业生产</h1>" + "".join(f"<p>{p}</p>" for p in UTF8_PARAGRAPHS[:2]) + "<p>")
    path.write_bytes(head.encode() + GBK_PARAGRAPH.encode("gbk")
                     + f"</p><p>{UTF8_PARAGRAPHS[2]}</p></article></body></html>".encode())
    state.update(inputs=[str(path)], articles=[path.as_uri()], page=path.as_uri())


def gbk_paragraph_check(ws: Workspace, state: dict) -> list[str]:
    problems = as_expected(ws, state)
    rows = ws.rows(f"SELECT encoding, text FROM articles WHERE url = '{state['page']}'")
    if len(rows) != 1:
        return problems + [f"{len(rows)} articles from the page"]
    [(encoding, text)] = rows
    missing = [p[:12] for p in [*UTF8_PARAGRAPHS, GBK_PARAGRAPH] if p not in text]
    if encoding != "utf-8" or missing or "\ufffd" in text:
        problems.append(f"encoding {encoding}, paragraphs missing {missing}: {text[:60]!r}")
    return problems


# -- CLI (issue 14 items 6, 8, 9): data prints as written, bad settings are one line ----------

MARKUP = "[/x] 测试 [link=http://evil.example]点我[/link] [bold]粗[/bold]"
WIDE = {"COLUMNS": "250"}  # tables wide enough that no cell wraps


def markup_page(ws: Workspace, state: dict) -> None:
    site = good_site(ws, state, {"/markup.html": Switch(page(65).replace("新闻第65号", MARKUP))})
    listed(ws, state, [site.url("/good.html"), site.url("/markup.html")])
    state["articles"].append(site.url("/markup.html"))
    state["env"] = WIDE


def markup_run(ws: Workspace, state: dict) -> list[Outcome]:
    return [ingest_inputs(ws, state), ws.zhnews("query", "SELECT title FROM articles", "--db", str(ws.db), env=WIDE),
            ws.zhnews("stats", "--db", str(ws.db), env=WIDE)]


def markup_check(ws: Workspace, state: dict) -> list[str]:
    ingest, query, stats = state["run"]
    state["run"] = ingest
    problems = as_expected(ws, state) + ran(query, "query") + ran(stats, "stats")
    shown = "".join(line.strip("│┃ ") for line in query.stdout.splitlines())
    if MARKUP not in shown:
        problems.append(f"query did not print the title as written: {query.stdout[-300:]!r}")
    return problems


def reason_phrase(ws: Workspace, state: dict) -> None:
    def answer(handler) -> None:
        handler.send_response(404, "Not [/x] Found")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site = good_site(ws, state, {"/reason.html": answer})
    listed(ws, state, [site.url("/good.html"), site.url("/reason.html")])
    state["expect"] = {site.url("/reason.html"): "HTTP 404 Not [/x] Found"}
    state["env"] = WIDE


def reason_phrase_run(ws: Workspace, state: dict) -> list[Outcome]:
    return [ingest_inputs(ws, state), ws.zhnews("stats", "--db", str(ws.db), env=WIDE)]


def reason_phrase_check(ws: Workspace, state: dict) -> list[str]:
    ingest, stats = state["run"]
    state["run"] = ingest
    problems = as_expected(ws, state) + ran(stats, "stats")
    for outcome, what in ((ingest, "the ingest summary"), (stats, "stats")):
        if "Not [/x] Found" not in outcome.stdout:
            problems.append(f"{what} does not show the reason phrase as written")
    return problems


BAD_FLAGS = [(["--batch-size", "-5"], {}, "--batch-size"), (["--batch-size", "0"], {}, "--batch-size"),
             (["--extract-timeout", "-1"], {}, "--extract-timeout"),
             (["--extract-timeout", "nan"], {}, "--extract-timeout"),
             (["--extract-timeout", "inf"], {}, "--extract-timeout"),
             (["--dedup-threshold", "1.5"], {}, "--dedup-threshold")]
BAD_VALUES = [([], {"ZHNEWS_BATCH_SIZE": "abc"}, "ZHNEWS_BATCH_SIZE"),
              ([], {"ZHNEWS_EXTRACT_TIMEOUT": "nan"}, "ZHNEWS_EXTRACT_TIMEOUT"),
              ([], {"ZHNEWS_FETCH_PER_HOST": "0"}, "ZHNEWS_FETCH_PER_HOST")]


def refusals(cases: list[tuple[list[str], dict[str, str], str]]):
    """Each bad setting, against a new warehouse (which must not be created) and against the
    stored one (which must not change)."""
    def run(ws: Workspace, state: dict) -> list[tuple[str, Outcome, Outcome]]:
        page_file = ws.root / "stored" / "kept.html"
        return [(named, ws.zhnews("ingest", str(page_file), "--db", str(ws.root / "new.duckdb"), *flags, env=env),
                 ws.zhnews("ingest", str(page_file), "--db", str(ws.db), *flags, env=env))
                for flags, env, named in cases]
    return run


def refused_check(ws: Workspace, state: dict) -> list[str]:
    problems = nothing_lost(ws, state)
    for named, fresh, stored in state["run"]:
        for outcome in (fresh, stored):
            lines = outcome.error_lines
            if outcome.code != 2 or len(lines) != 1 or named not in lines[0] or "Traceback" in outcome.stderr:
                problems.append(f"{named}: exit {outcome.code}, stderr {lines[:3]}")
    if (ws.root / "new.duckdb").exists():
        problems.append("a refused ingest created a warehouse")
    if ws.db.read_bytes() != state["bytes"]:
        problems.append("a refused ingest changed the warehouse")
    return problems


def empty_path_run(ws: Workspace, state: dict) -> list[Outcome]:
    return [ws.zhnews("ingest", "", "--db", str(ws.root / "new.duckdb")), ws.zhnews("ingest", "", "--db", str(ws.db))]


def empty_path_check(ws: Workspace, state: dict) -> list[str]:
    state["run"] = [("empty path", *state["run"])]
    return refused_check(ws, state)


def query_refusals_run(ws: Workspace, state: dict) -> list[Outcome]:
    return [ws.zhnews("query", "", "--db", str(ws.db)),
            ws.zhnews("query", "SELECT count(*) FROM range(1000000000000) a", "--timeout", "1", "--db", str(ws.db))]


def query_refusals_check(ws: Workspace, state: dict) -> list[str]:
    empty, endless = state["run"]
    problems = nothing_lost(ws, state) + one_line_refusal(empty, "query", "query ''")
    problems += one_line_refusal(endless, "query", "an endless query with --timeout 1")
    if endless.error_lines and "took longer than 1 s" not in endless.error_lines[0]:
        problems.append(f"the endless query: {endless.error_lines[0]!r}")
    return problems


def interrupted_query_run(ws: Workspace, state: dict) -> Outcome:
    """Ctrl-C to the process group, as a terminal sends it, 4 s into an endless query
    (always a subprocess: a signal to this process group would stop the suite)."""
    env = {k: v for k, v in {**os.environ, **FAST_ENV}.items() if k != "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"}
    started = time.monotonic()
    done, state["running"] = interrupt_cli(
        ["query", "SELECT count(*) FROM range(1000000000000) a", "--db", str(ws.db)],
        ready=lambda: time.monotonic() - started > 4, env=env)
    return Outcome(done.returncode, done.stdout, done.stderr)


def interrupted_query_check(ws: Workspace, state: dict) -> list[str]:
    problems = nothing_lost(ws, state)
    outcome = state["run"]
    if not state["running"]:
        problems.append(f"the query ended before Ctrl-C: exit {outcome.code}")
    if outcome.code != 130 or outcome.error_lines != ["interrupted"]:
        problems.append(f"exit {outcome.code}, stderr {outcome.error_lines[:3]}")
    if ws.db.read_bytes() != state["bytes"]:
        problems.append("the interrupted query changed the warehouse")
    return problems


def credentials_setup(ws: Workspace) -> dict:
    state = stored_article(ws)
    site = ws.serve({"/a.html": Switch(page(66)), "/gone.html": Switch("gone", status=404), "/robots.txt": Switch("")})
    base = site.base.replace("http://", "http://reader:s3cret@")
    state.update(site=site, listing=url_list(ws, [f"{base}/a.html", f"{base}/gone.html"]))
    return state


def credentials_run(ws: Workspace, state: dict) -> list[Outcome]:
    state["out"] = ws.root / "articles.jsonl"
    return [ws.ingest("--urls", str(state["listing"])),
            ws.zhnews("export", str(state["out"]), "--format", "jsonl", "--db", str(ws.db))]


def credentials_check(ws: Workspace, state: dict) -> list[str]:
    ingest, export = state["run"]
    problems = nothing_lost(ws, state) + ran(ingest, "the ingest") + ran(export, "export")
    site = state["site"]
    if not site.requests_to("/a.html") or not site.requests_to("/a.html")[0].headers.get("authorization"):
        problems.append("the fetch did not use the URL's credentials")
    stored = [text for (text,) in ws.rows(
        """SELECT url FROM articles UNION ALL SELECT canonical_url FROM articles
           UNION ALL SELECT url || ' ' || reason FROM rejections
           UNION ALL SELECT url || ' ' || coalesce(final_url, '') FROM raw_pages""") if text]
    leaked = [text for text in stored if "s3cret" in text or "reader@" in text]
    exported = state["out"].read_text(encoding="utf-8") if state["out"].exists() else ""
    if leaked or "s3cret" in exported:
        problems.append(f"the password is stored or exported: {leaked[:2]}")
    if site.url("/a.html") not in articles_by_url(ws) or site.url("/gone.html") not in rejection_reasons(ws):
        problems.append("the page and the 404 are not stored under their URLs without the password")
    if f'"{site.url("/a.html")}"' not in exported:
        problems.append("the article was not exported")
    return problems


def export_directory_run(ws: Workspace, state: dict) -> Outcome:
    state["target"] = directory(ws)
    return ws.zhnews("export", str(state["target"]), "--db", str(ws.db))


def export_directory_check(ws: Workspace, state: dict) -> list[str]:
    problems = nothing_lost(ws, state) + one_line_refusal(state["run"], "export", "export onto a directory")
    if not state["target"].is_dir() or ws.db.read_bytes() != state["bytes"]:
        problems.append("the directory or the warehouse changed")
    return problems


CASES: list[Case] = [
    # item 3: failures never delete
    Case("refetch answers 503: stored articles kept", "fault", two_served_articles, serve_status(503),
         lambda ws, s: kept_through(s, ws, "fetch: HTTP 503"), core=True),
    Case("refetch answers 429: stored articles kept", "fault", two_served_articles, serve_status(429),
         lambda ws, s: kept_through(s, ws, "fetch: HTTP 429")),
    Case("robots.txt answers 503 on refetch: stored articles kept", "fault", two_served_articles,
         robots_unavailable, lambda ws, s: kept_through(s, ws, "fetch: robots: robots.txt unavailable")),
    Case("refetch connection refused: stored articles kept", "fault", two_served_articles, refetch_closed_port,
         lambda ws, s: kept_through(s, ws, "fetch: ")),
    Case("--force re-run, extraction times out: 20 articles kept", "fault", local_pages(20),
         force_with_extract_timeout, lambda ws, s: all_kept(s, ws, "extract: timeout", 20)),
    # The same in CI, smaller: each timeout replaces a worker process (~0.5 s).
    Case("--force re-run, extraction times out: 4 articles kept", "fault", local_pages(4),
         force_with_extract_timeout, lambda ws, s: all_kept(s, ws, "extract: timeout", 4), core=True),
    Case("file:// lines in a URL list leave the local article alone", "input", garbage_line_setup,
         garbage_line_run, garbage_line_check, core=True),
    # item 2: take-downs hand the cluster on
    Case("kept original answers 404: cluster handed on", "fault", cluster_setup, take_down(404), handed_on,
         core=True),
    Case("kept original answers 410: cluster handed on", "fault", cluster_setup, take_down(410), handed_on),
    Case("kept original is now an index page: cluster handed on", "fault", cluster_setup,
         take_down(None, INDEX_PAGE), handed_on),
    Case("kept original redirects to a 404: nothing retired", "fault", cluster_setup, original_redirects_to_404,
         cluster_unchanged),
    Case("kept original's file deleted: cluster handed on", "fault", local_cluster_setup, local_file_gone,
         local_handed_on, core=True),
    # item 8: tracking-parameter twins
    Case("6 tracking-parameter twins: 2 articles, 4 rejections, re-run idempotent", "input", twins_setup,
         twins_run, twins_check, core=True),
    # item 1: export writes only where it should
    Case("export onto the warehouse", "input", small_warehouse, export_onto(lambda ws: ws.db),
         export_refused, core=True),
    Case("export onto the warehouse's .wal", "input", small_warehouse,
         export_onto(lambda ws: ws.db.with_name(ws.db.name + ".wal")), export_refused, core=True),
    Case("export --force onto the warehouse", "input", small_warehouse,
         export_onto(lambda ws: ws.db, "--force"), export_refused),
    # With --force: code from before the flag stops at the unknown flag instead of replacing
    # a device (as root it would replace /dev/null).
    Case("export onto a FIFO", "input", small_warehouse, export_onto(fifo, "--force"), export_refused),
    Case("export onto a directory", "input", small_warehouse, export_onto(directory, "--force"), export_refused),
    Case("export onto /dev/null", "input", small_warehouse, export_onto(lambda ws: Path(os.devnull), "--force"),
         export_refused),
    Case("export onto an existing file without --force", "input", small_warehouse, export_onto(existing),
         export_refused),
    # held before issue 14
    Case("query refuses writes, file access and multi-statement tricks", "input", small_warehouse,
         query_writes_run, query_writes_check),
    Case("kill -9 mid-ingest, then resume", "fault", killed_pages, killed_ingest_run, killed_check),
    # items 4, 5, 7, 8: hostile inputs, each one rejection naming it; the rest goes on
    Case("redirects to javascript:, mailto:, data:, about:", "input", hostile(non_web_redirects), ingest_inputs,
         as_expected, core=True),
    Case("URL list with ports 99999 and -1", "input", hostile(bad_ports_listed), ingest_inputs, as_expected),
    Case("redirect to port 99999", "input", hostile(bad_port_redirect), ingest_inputs, as_expected),
    Case("crawled link to port 99999: the crawl completes", "input", crawl_bad_port_setup, crawl_run, as_expected),
    Case("host answers robots.txt, never a page: timeouts, then its budget", "fault", silent_host_setup,
         silent_host_run, silent_host_check),
    Case("U+2028 inside a URL-list line: one row", "input", hostile(line_separator), ingest_inputs,
         line_separator_check),
    Case("FIFO named directly and inside a directory", "input", hostile(fifos), ingest_inputs, as_expected,
         core=True),
    Case("symlink to /dev/zero named .html", "input", hostile(device_link), ingest_inputs, as_expected),
    Case("symlink loop named directly", "input", hostile(symlink_loop), ingest_inputs, as_expected),
    Case("broken symlinks, named and inside a directory", "input", hostile(broken_link), ingest_inputs,
         as_expected),
    Case("local file over ZHNEWS_MAX_FILE_BYTES", "input",
         hostile(oversized_file, env={"ZHNEWS_MAX_FILE_BYTES": "32768"}), ingest_inputs, as_expected),
    Case("WARC record with status line abc", "input", hostile(warc_status_abc), ingest_inputs, as_expected,
         core=True),
    Case("WARC record without WARC-Target-URI", "input", hostile(warc_no_target), ingest_inputs,
         warc_no_target_check),
    Case("random-bytes .warc, plain-text .warc.gz, empty .warc.gz", "input", hostile(no_warc), ingest_inputs,
         as_expected),
    Case(".warc.gz cut inside a record header", "input", hostile(warc_cut_header), ingest_inputs, as_expected),
    Case("UTF-8 page with a GBK paragraph: stays UTF-8, no mojibake", "input", hostile(gbk_paragraph, "--script",
         "keep"), ingest_inputs, gbk_paragraph_check, core=True),
    # items 6, 8, 9: the CLI prints data as written; bad settings and commands are one line
    Case("[/x] and [link=] in a title: query and stats print it", "input", hostile(markup_page), markup_run,
         markup_check),
    Case("HTTP reason phrase 'Not [/x] Found': ingest summary and stats", "input", hostile(reason_phrase),
         reason_phrase_run, reason_phrase_check),
    Case("bad flags: --batch-size -5/0, --extract-timeout -1/nan/inf, --dedup-threshold 1.5", "input",
         stored_article, refusals(BAD_FLAGS), refused_check, core=True),
    Case("bad ZHNEWS_BATCH_SIZE, ZHNEWS_EXTRACT_TIMEOUT, ZHNEWS_FETCH_PER_HOST", "input", stored_article,
         refusals(BAD_VALUES), refused_check),
    Case("ingest '': empty path, nothing ingested", "input", stored_article, empty_path_run, empty_path_check),
    Case("query '' and an endless query with --timeout 1", "input", stored_article, query_refusals_run,
         query_refusals_check),
    Case("Ctrl-C during query: interrupted, exit 130", "fault", stored_article, interrupted_query_run,
         interrupted_query_check),
    Case("export onto a directory without --force", "input", stored_article, export_directory_run,
         export_directory_check),
    Case("user:password@ in listed URLs: neither stored nor exported", "input", credentials_setup,
         credentials_run, credentials_check),
]


def run_case(case: Case, root: Path, in_process: bool = False) -> list[str]:
    """Run one case in its own workspace under root; what did not hold (empty: held)."""
    ws = Workspace(root, in_process)
    try:
        state = case.setup(ws)
        outcome = case.run(ws, state)
        if isinstance(state, dict):
            state["run"] = outcome
        return case.check(ws, state) + integrity(ws)
    finally:
        ws.close()


def start_server() -> tuple[subprocess.Popen, str]:
    from tests.conftest import free_port, start_prefect_server, wait_healthy  # sets PREFECT_HOME to a temp dir

    home = Path(tempfile.mkdtemp(prefix="zhnews-faults-prefect-"))
    port = free_port()
    server = start_prefect_server(home, port)
    url = f"http://127.0.0.1:{port}/api"
    wait_healthy(url, server)
    return server, url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run the cases whose name contains one of these")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    cases = [c for c in CASES if not args.only or any(word in c.name for word in args.only)]
    if args.list:
        for case in cases:
            print(f"{case.kind:5}  {'core' if case.core else '    '}  {case.name}", flush=True)
        return 0
    server, url = start_server()
    os.environ["PREFECT_API_URL"] = url
    held = {"input": [0, 0], "fault": [0, 0]}
    lost = 0
    try:
        with tempfile.TemporaryDirectory(prefix="zhnews-faults-") as tmp:
            for number, case in enumerate(cases):
                root = Path(tmp) / f"case{number:02d}"
                root.mkdir()
                started = time.perf_counter()
                try:
                    problems = run_case(case, root)
                except Exception as exc:  # a broken case is a case that did not hold
                    problems = [f"{type(exc).__name__}: {exc}"]
                held[case.kind][0] += 1
                held[case.kind][1] += not problems
                lost += any(problem.startswith(LOST) for problem in problems)
                seconds = time.perf_counter() - started
                print(f"{'held' if not problems else 'FAILED':6} {seconds:5.1f} s  {case.name}", flush=True)
                for problem in problems:
                    print(f"         {problem}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    (inputs, inputs_held), (faults, faults_held) = held["input"], held["fault"]
    print(f"{inputs} inputs tried, {inputs_held} held; {faults} faults tried, {faults_held} held, "
          f"{'nothing lost' if not lost else f'{lost} cases lost data'}")
    return 0 if inputs == inputs_held and faults == faults_held else 1


if __name__ == "__main__":
    sys.exit(main())
