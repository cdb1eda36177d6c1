"""Issue 14, items 6, 8 and 9: what users and pages type reaches the terminal as written
(never as Rich markup), every bad flag or ZHNEWS_* value is one line and exit 2 before a run
starts, Ctrl-C is "interrupted" and exit 130, and no traceback escapes the CLI. Real
`zhnews` processes, a real Prefect server, real DuckDB files, a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from flows.artifacts import RunMetrics, reason_class, summary_markdown
from flows.artifacts import RunSummary
from flows.temporary_server import free_port
from tests.conftest import ROOT, run_cli
from tests.interrupt import interrupt_cli, many_text_pages, wal_growing
from tasks.models import Rejection
from tests.webserver import serve
from warehouse.db import open_warehouse

ZHNEWS = Path(sys.executable).parent / "zhnews"
MARKUP = "[/x] 测试 [link=http://evil.example]点我[/link] [bold]粗[/bold]"
WIDE = {"COLUMNS": "250"}  # tables wide enough that no cell wraps
PARAGRAPH = "记者报道了当地经济发展的最新情况，市民表示满意，专家认为前景广阔，各方都在关注下一步的政策走向。"


def page(title: str) -> str:
    body = "".join(f"<p>第{i}段：{PARAGRAPH}</p>" for i in range(8))
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{body}</article></body></html>")


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def empty_warehouse(path: Path) -> Path:
    open_warehouse(path).close()
    return path


# --- item 6: markup in data prints as written -------------------------------------------

def test_markup_in_titles_reasons_and_content_types_prints_as_written(prefect_server, tmp_path):
    def reason_phrase(handler):
        handler.send_response(404, "Not [/x] Found")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site = serve({"/page.html": lambda h: h.send(page(MARKUP)),
                  "/reason.html": reason_phrase,
                  "/type.html": lambda h: h.send(b"x", content_type="application/[/x]")})
    try:
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(site.url(p) for p in ("/page.html", "/reason.html", "/type.html")))
        db = tmp_path / "w.duckdb"
        ingest = run_cli("ingest", "--urls", str(listing), "--db", str(db), "--allow-private-hosts",
                         env={**WIDE, "ZHNEWS_FETCH_DELAY": "0", "ZHNEWS_WORKERS": "1"})
    finally:
        site.close()
    assert ingest.returncode == 0, ingest.stderr
    assert "Not [/x] Found" in ingest.stdout and "[/x]" in ingest.stdout.replace("Not [/x] Found", "")

    stats = run_cli("stats", "--db", str(db), env=WIDE)
    assert stats.returncode == 0, stats.stderr
    assert "Not [/x] Found" in stats.stdout

    query = run_cli("query", "SELECT title, '[/y]' AS \"[/z]\" FROM articles", "--db", str(db), env=WIDE)
    assert query.returncode == 0, query.stderr
    shown = "".join(line.strip("│┃ ") for line in query.stdout.splitlines())
    for markup in ("[/x]", "[link=http://evil.example]", "[/link]", "[bold]", "[/y]", "[/z]"):
        assert markup in shown, query.stdout


def test_run_summary_markdown_escapes_data():
    rejection = Rejection(url="http://user:secret@example.com/a|b`c", stage="fetch",
                          reason="HTTP 451 [x] *bold* <b>big</b> | cell")
    metrics = RunMetrics()
    metrics.rejections([rejection])
    summary = RunSummary(run_id="r1", inputs=1, rejections=Counter({reason_class(rejection): 1}))
    text = summary_markdown("ingest", "ingest-[x](javascript:y)", "completed", summary, metrics)
    assert "secret" not in text
    outside_code = re.sub(r"(`+).*?\1", "", text)
    assert "[x](javascript" not in outside_code  # the run's name is no link
    assert "\\[x\\] \\*bold\\* \\<b\\>" in outside_code and "<b>" not in outside_code
    row = next(line for line in text.splitlines() if line.startswith("| fetch"))
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == 5, row  # | reason | count | urls |: the pipes in data are escaped
    assert "example.com/a" in cells[3]


# --- item 8: flags and ZHNEWS_* values checked at the door ------------------------------

BAD_SETTINGS = [
    (["--batch-size", "-5"], {}, "--batch-size"),
    (["--batch-size", "0"], {}, "--batch-size"),
    (["--extract-timeout", "-1"], {}, "--extract-timeout"),
    (["--extract-timeout", "nan"], {}, "--extract-timeout"),
    (["--extract-timeout", "inf"], {}, "--extract-timeout"),
    (["--workers", "0"], {}, "--workers"),
    (["--dedup-threshold", "1.5"], {}, "--dedup-threshold"),
    ([], {"ZHNEWS_BATCH_SIZE": "abc"}, "ZHNEWS_BATCH_SIZE"),
    ([], {"ZHNEWS_WORKERS": "two"}, "ZHNEWS_WORKERS"),
    ([], {"ZHNEWS_EXTRACT_TIMEOUT": "nan"}, "ZHNEWS_EXTRACT_TIMEOUT"),
    ([], {"ZHNEWS_DEDUP_THRESHOLD": "0"}, "ZHNEWS_DEDUP_THRESHOLD"),
    ([], {"ZHNEWS_FETCH_TIMEOUT": "inf"}, "ZHNEWS_FETCH_TIMEOUT"),
    ([], {"ZHNEWS_FETCH_PER_HOST": "0"}, "ZHNEWS_FETCH_PER_HOST"),
    ([], {"ZHNEWS_FETCH_RETRIES": "-1"}, "ZHNEWS_FETCH_RETRIES"),
    ([], {"ZHNEWS_MAX_BODY_BYTES": "0"}, "ZHNEWS_MAX_BODY_BYTES"),
    ([], {"ZHNEWS_PRIVATE_HOSTS_ALLOWED": "intranet.local"}, "ZHNEWS_PRIVATE_HOSTS_ALLOWED"),
    (["--heartbeat-seconds", "10"], {}, "--heartbeat-seconds"),
    ([], {"ZHNEWS_FLOW_RETRIES": "-1"}, "ZHNEWS_FLOW_RETRIES"),
]


@pytest.mark.parametrize("flags, env, named", BAD_SETTINGS, ids=[c[2] + "=" + (c[0] or list(c[1].values()))[-1]
                                                                 for c in BAD_SETTINGS])
def test_a_bad_flag_or_setting_is_one_line_and_nothing_runs(prefect_server, tmp_path, flags, env, named):
    page_file = tmp_path / "a.html"
    page_file.write_text(page("标题"), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = run_cli("ingest", str(page_file), "--db", str(db), *flags, env=env, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    line = one_line(result.stderr)
    assert named in line and "error" in line
    assert not db.exists()  # refused before the run: nothing ingested


def test_crawl_max_pages_and_query_settings_are_checked_too(tmp_path):
    crawl = run_cli("crawl", "http://127.0.0.1:9/", "--max-pages", "0", "--db", str(tmp_path / "c.duckdb"),
                    timeout=120)
    assert crawl.returncode == 2 and "--max-pages" in one_line(crawl.stderr)
    db = empty_warehouse(tmp_path / "w.duckdb")
    query = run_cli("query", "SELECT 1", "--db", str(db), env={"ZHNEWS_BATCH_SIZE": "many"})
    assert query.returncode == 2 and "ZHNEWS_BATCH_SIZE" in one_line(query.stderr)


def test_an_empty_path_is_refused(prefect_server, tmp_path):
    db = tmp_path / "w.duckdb"
    result = run_cli("ingest", "", "--db", str(db))
    assert result.returncode == 2 and "empty path" in one_line(result.stderr)
    assert not db.exists()


def cli_without_api(args: list[str], home: Path, timeout: float) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)  # the temporary server, which needs PREFECT_HOME
    return subprocess.run([str(ZHNEWS), *args], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=ROOT)


@pytest.mark.parametrize("kind", ["parent-missing", "a-file"])
def test_prefect_home_is_checked_before_prefect_starts(tmp_path, kind):
    page_file = tmp_path / "a.html"
    page_file.write_text(page("标题"), encoding="utf-8")
    if kind == "parent-missing":
        home, named = tmp_path / "no-such-dir" / "prefect-home", str(tmp_path / "no-such-dir")
    else:
        home, named = tmp_path / "prefect-home", "not a directory"
        home.write_text("", encoding="utf-8")
    started = time.monotonic()
    result = cli_without_api(["ingest", str(page_file), "--db", str(tmp_path / "w.duckdb")], home, timeout=60)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "PREFECT_HOME" in line and named in line
    assert time.monotonic() - started < 30  # not the temporary server's 120 s start-up timeout
    assert not (tmp_path / "w.duckdb").exists()


def test_a_missing_prefect_home_whose_parent_exists_is_created(tmp_path):
    home = tmp_path / "prefect-home"
    result = cli_without_api(["serve", "--config", str(tmp_path / "none.toml")], home, timeout=60)
    assert result.returncode == 2 and "no schedule file" in one_line(result.stderr)
    assert home.is_dir()


# --- item 9: one line, never a traceback ------------------------------------------------

@pytest.mark.parametrize("sql", ["", "   ", "-- only a comment"])
def test_query_without_a_statement_is_one_line(tmp_path, sql):
    result = run_cli("query", sql, "--db", str(empty_warehouse(tmp_path / "w.duckdb")))
    assert result.returncode == 2 and "[query]" in one_line(result.stderr)


def test_query_timeout_and_row_limit(tmp_path):
    db = empty_warehouse(tmp_path / "w.duckdb")
    started = time.monotonic()
    slow = run_cli("query", "SELECT count(*) FROM range(1000000000000) a", "--timeout", "1", "--db", str(db),
                   timeout=60)
    assert slow.returncode == 2 and "longer than 1 s" in one_line(slow.stderr)
    assert time.monotonic() - started < 30

    cut = run_cli("query", "SELECT range AS n FROM range(50)", "--max-rows", "10", "--db", str(db))
    assert cut.returncode == 0, cut.stderr
    numbers = [line.strip("│ ") for line in cut.stdout.splitlines() if line.startswith("│")]
    assert numbers == [str(n) for n in range(10)]
    assert "first 10 rows" in one_line(cut.stderr)

    default = run_cli("query", "SELECT range AS n FROM range(5000)", "--db", str(db))
    assert sum(line.startswith("│") for line in default.stdout.splitlines()) == 1000
    assert "first 1000 rows" in one_line(default.stderr)

    whole = run_cli("query", "SELECT range AS n FROM range(50)", "--db", str(db))
    assert sum(line.startswith("│") for line in whole.stdout.splitlines()) == 50 and not whole.stderr.strip()

    for flags in (["--timeout", "nan"], ["--timeout", "0"], ["--max-rows", "0"]):
        bad = run_cli("query", "SELECT 1", *flags, "--db", str(db))
        assert bad.returncode == 2 and flags[0] in one_line(bad.stderr)


def interrupt(args: list[str], ready, env: dict | None = None, times: int = 1) -> subprocess.CompletedProcess:
    """Ctrl-C (times times) to `zhnews ARGS` once ready(), with the console log level a user has."""
    env = {**os.environ, **(env or {})}
    env.pop("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", None)  # as a user runs it (conftest sets it)
    result, running = interrupt_cli(args, ready, env, times=times)
    assert running, (result.stdout, result.stderr)
    return result


def test_ctrl_c_during_a_query_is_interrupted_exit_130(tmp_path):
    db = empty_warehouse(tmp_path / "w.duckdb")
    started = time.monotonic()
    result = interrupt(["query", "SELECT count(*) FROM range(1000000000000) a", "--db", str(db), "--timeout", "600"],
                       ready=lambda: time.monotonic() - started > 4)
    assert result.returncode == 130, result.stderr
    assert one_line(result.stderr) == "interrupted"
    # At once, not when --timeout runs out: the query is interrupted, not waited for.
    assert time.monotonic() - started < 4 + 20


@pytest.mark.parametrize("times", [1, 2], ids=["once", "twice"])
def test_ctrl_c_during_an_ingest_is_interrupted_exit_130(prefect_server, tmp_path, times):
    """Ctrl-C while batches load, once or twice 0.2 s apart: one line with the resume hint,
    exit 130, and the run ends CRASHED in Prefect and `crashed` in the runs table. DuckDB
    turns Ctrl-C into its own error inside the loader's transaction (on the old code:
    `RuntimeError: Query interrupted` or a failed ROLLBACK, exit 2, about one run in two;
    twice: FAILED with DuckDB's raw `Query interrupted ... KeyboardInterrupt`)."""
    from tests.test_prefect_ops import prefect_client

    pages = many_text_pages(tmp_path / "pages")
    db = tmp_path / "w.duckdb"
    result = interrupt(["ingest", str(pages), "--db", str(db), "--batch-size", "40"], ready=wal_growing(db),
                       times=times)
    assert result.returncode == 130, result.stderr
    assert one_line(result.stderr).startswith("interrupted: finished batches are in the warehouse; run again")
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles, runs = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM runs)").fetchone()
        run_id, status, ended = con.execute("SELECT run_id, status, ended_at FROM runs").fetchone()
    finally:
        con.close()
    assert 0 < articles < 3000 and runs == 1
    assert status == "crashed" and ended is not None
    with prefect_client(prefect_server) as client:
        state = client.read_flow_run(run_id).state
    assert state.is_crashed(), state


def test_a_ctrl_c_that_duckdb_lost_still_stops_the_run_after_its_batch(prefect_server, tmp_path, monkeypatch):
    """DuckDB loses a KeyboardInterrupt raised inside a statement now and then (the run went
    on to its end, exit 0, about one Ctrl-C in seven in the tests above): the CLI's handler
    also notes it, and the pipeline stops after the batch in hand. Here the note comes with
    no KeyboardInterrupt at all, as when DuckDB lost it."""
    from flows import cli, progress

    pages = many_text_pages(tmp_path / "pages", count=200)
    db = tmp_path / "w.duckdb"
    report = progress.report

    def noting_after_the_first_batch(what: str, done: int, total: int) -> None:
        report(what, done, total)
        if done >= 40:
            progress.note_interrupt()

    monkeypatch.setattr(progress, "report", noting_after_the_first_batch)
    try:
        assert cli.main(["ingest", str(pages), "--db", str(db), "--batch-size", "40"]) == 130
    finally:
        progress._interrupted.clear()
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        status, ended = con.execute("SELECT status, ended_at FROM runs").fetchone()
    finally:
        con.close()
    assert articles == 40 and status == "crashed" and ended is not None


def test_an_unreachable_prefect_api_is_one_line_naming_it(tmp_path):
    page_file = tmp_path / "a.html"
    page_file.write_text(page("标题"), encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}/api"
    result = run_cli("ingest", str(page_file), "--db", str(tmp_path / "w.duckdb"),
                     env={"PREFECT_API_URL": url}, timeout=180)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert url in line and "[prefect]" in line


@pytest.mark.parametrize("config, named", [
    ('[[deployment]]\nname = "x"\nflow = "ingest"\ninterval_seconds = 60\nparameters = 5\n', "parameters"),
    ('max_concurrent_runs = "two"\n[[deployment]]\nname = "x"\nflow = "ingest"\ninterval_seconds = 60\n',
     "max_concurrent_runs"),
    ('[[deployment]]\nname = "x"\nflow = "ingest"\ninterval_seconds = 60\ntags = "a"\n', "tags"),
    ('[[deployment]]\nname = "x"\nflow = "ingest"\nintervall_seconds = 60\ncron = "0 * * * *"\n',
     "intervall_seconds"),
    ('[[deployment]]\nname = "x"\nflow = "ingest"\ninterval_seconds = 60\n[deployment.parameters]\n'
     'batchsize = 10\n', "batchsize"),
    ('[[deployment]]\nname = "x"\nflow = "ingest"\ninterval_seconds = 60\n[deployment.parameters]\n'
     'batch_size = -5\n', "batch-size -5"),
], ids=["parameters-not-a-table", "limit-not-a-number", "tags-not-a-list", "unknown-key",
        "unknown-parameter", "bad-parameter-value"])
def test_serve_with_a_mistyped_config_is_one_line(tmp_path, config, named):
    path = tmp_path / "schedules.toml"
    path.write_text(config, encoding="utf-8")
    result = run_cli("serve", "--config", str(path))
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "[serve]" in line and named in line


def test_export_to_a_directory_is_one_line(tmp_path):
    db = empty_warehouse(tmp_path / "w.duckdb")
    target = tmp_path / "out"
    target.mkdir()
    result = run_cli("export", str(target), "--db", str(db))
    assert result.returncode == 2 and "[export]" in one_line(result.stderr)
    assert target.is_dir()


def test_a_failed_rollback_does_not_hide_the_error(tmp_path):
    """A COMMIT that fails ends the transaction itself, so the ROLLBACK after it fails too:
    the error raised is still the COMMIT's, with the ROLLBACK's as a note."""
    from warehouse.db import rollback_after

    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    ours, theirs = con.cursor(), con.cursor()
    theirs.execute("BEGIN")
    theirs.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(duckdb.Error) as caught:
        ours.execute("BEGIN")
        try:
            ours.execute("INSERT INTO t VALUES (1)")
            theirs.execute("COMMIT")
            ours.execute("COMMIT")  # the same key, committed by the other transaction first
        except BaseException as exc:
            rollback_after(ours, exc)
            raise
    assert "duplicate key" in str(caught.value)
    assert any("ROLLBACK" in note for note in getattr(caught.value, "__notes__", []))
    con.close()


def test_credentials_in_urls_are_neither_stored_nor_exported(prefect_server, tmp_path):
    site = serve({"/a.html": lambda h: h.send(page("带密码的页面")),
                  "/gone.html": lambda h: h.send("gone", status=404, content_type="text/plain")})
    try:
        base = site.base.replace("http://", "http://reader:s3cret@")
        listing = tmp_path / "urls.txt"
        listing.write_text(f"{base}/a.html\n{base}/gone.html\n", encoding="utf-8")
        db = tmp_path / "w.duckdb"
        result = run_cli("ingest", "--urls", str(listing), "--db", str(db), "--allow-private-hosts",
                         env={"ZHNEWS_FETCH_DELAY": "0", "ZHNEWS_WORKERS": "1"})
        assert result.returncode == 0, result.stderr
        assert site.requests_to("/a.html")[0].headers.get("authorization")  # the request used them
    finally:
        site.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("""SELECT url FROM articles UNION ALL SELECT canonical_url FROM articles
                                UNION ALL SELECT url || ' ' || reason FROM rejections
                                UNION ALL SELECT url || ' ' || final_url FROM raw_pages""").fetchall()
    finally:
        con.close()
    assert len(stored) >= 4 and not [row for row in stored if "s3cret" in row[0] or "reader@" in row[0]]
    assert any(row[0].startswith(f"{site.base}/a.html") for row in stored)

    out = tmp_path / "articles.jsonl"
    exported = run_cli("export", str(out), "--format", "jsonl", "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["metadata"]["url"] for r in records] == [f"{site.base}/a.html"]
