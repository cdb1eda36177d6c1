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
            code = main(argv)
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


def local_pages(count: int):
    def setup(ws: Workspace) -> dict:
        pages = ws.root / "pages"
        pages.mkdir()
        for n in range(count):
            (pages / f"p{n:02d}.html").write_text(page(n), encoding="utf-8")
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
    # The writer holds the file's lock, so the warehouse cannot be read meanwhile: the WAL
    # appears with the first commits (the migrations), and batches follow within a second.
    wal = ws.db.with_name(ws.db.name + ".wal")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not wal.exists():
        time.sleep(0.05)
    time.sleep(1.0)
    state["killed_mid_run"] = proc.poll() is None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return ws.ingest(str(state["pages"]))


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
