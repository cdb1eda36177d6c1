"""Faults around the warehouse, through the real `zhnews` command: a DuckDB file locked by
another process, two ingests on one file at once, and SQL that tries to write. Each ends
in one clear line or a consistent warehouse, never a corrupt or half-loaded one.
(A run killed with SIGKILL and resumed is tests/test_resume.py.)"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tasks.read import discover_inputs
from tasks.settings import SEEDS_DIR
from tests.conftest import ROOT, run_cli

ZHNEWS = Path(sys.executable).parent / "zhnews"
LOCKED = "in use by another process"
# As in a user's shell (conftest turns Prefect's console logs on for the other tests).
# No flow retries: these tests are about the lock's one line (a retry is test_run_state's).
USER_ENV = {"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL", "ZHNEWS_FLOW_RETRIES": "0"}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def hold_lock(db: Path) -> subprocess.Popen:
    """Another process with the DuckDB file open for writing, until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('holding', flush=True); time.sleep(300)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def table_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    finally:
        con.close()


def test_a_locked_warehouse_is_one_clear_line_and_no_partial_load(prefect_server, db_path: Path):
    holder = hold_lock(db_path)
    try:
        # --wait 1: a run waits for a held warehouse (default minutes), then fails.
        result = run_cli("ingest", str(SEEDS_DIR / "texts"), "--db", str(db_path), "--wait", "1", env=USER_ENV)
        query = run_cli("query", "SELECT count(*) FROM articles", "--db", str(db_path), env=USER_ENV)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(error_lines(result.stderr)) == 1, result.stderr
    [line] = error_lines(result.stderr)
    assert line.startswith("error [warehouse]") and LOCKED in line and "Traceback" not in result.stderr
    assert query.returncode == 2 and LOCKED in error_lines(query.stderr)[0]
    # Nothing of the refused run reached the file: the holder created it empty.
    assert table_counts(db_path) == {}


def test_two_ingests_on_one_warehouse_never_corrupt_it(prefect_server, db_path: Path):
    """Both start at once: the second waits for the first (its --wait), then both finish; the
    file then holds exactly one row per input and only completed runs."""
    env = {**os.environ, **USER_ENV}
    runs = [subprocess.Popen([str(ZHNEWS), "ingest", str(SEEDS_DIR), "--db", str(db_path), "--workers", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
            for _ in range(2)]
    outcomes = [(run.wait(timeout=600), *run.communicate()) for run in runs]
    succeeded = [out for code, out, _ in outcomes if code == 0]
    assert succeeded, outcomes
    for code, _, stderr in outcomes:
        if code != 0:
            assert code == 2 and len(error_lines(stderr)) == 1 and LOCKED in stderr, stderr

    inputs = {ref.url for ref in discover_inputs([SEEDS_DIR]).items}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        # Local files only: pages from archives in seeds/ have their own URLs.
        articles = [url for (url,) in con.execute("SELECT url FROM articles WHERE url LIKE 'file:%'").fetchall()]
        rejected = [url for (url,) in con.execute("SELECT url FROM rejections WHERE url LIKE 'file:%'").fetchall()]
        statuses = [status for (status,) in con.execute("SELECT status FROM runs").fetchall()]
    finally:
        con.close()
    assert sorted(articles + rejected) == sorted(inputs)  # one row per input, none twice
    assert statuses == ["completed"] * len(succeeded)


def test_query_cannot_write(prefect_server, db_path: Path):
    assert run_cli("ingest", str(SEEDS_DIR / "texts"), "--db", str(db_path)).returncode == 0
    before = table_counts(db_path)
    for sql in ("DROP TABLE articles", "DELETE FROM articles", "UPDATE articles SET text = ''",
                f"COPY articles TO '{db_path.with_suffix('.csv')}'", "ATTACH 'other.duckdb' AS o"):
        result = run_cli("query", sql, "--db", str(db_path))
        assert result.returncode == 2, sql
        [line] = error_lines(result.stderr)
        assert line.startswith("error [query]") and "Traceback" not in result.stderr, line
    assert table_counts(db_path) == before and before["articles"] > 0
    assert not db_path.with_suffix(".csv").exists()
