"""The terminal after a run: `zhnews serve` without a server is one line; no "nanobind:
leaked" lines after a run, failed or not (from the CLI, or a flow run as a worker's process
runs it); heavy cleaning is one line per run, not one per page."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, free_port, run_cli

SEEDS_HTML = ROOT / "seeds" / "html"
QUALITY_SITE = ROOT / "bench" / "quality" / "pages" / "site04"
USER_ENV = {"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL"}  # as in a user's shell


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_serve_without_a_server_is_one_line_and_exit_2(tmp_path: Path):
    base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    for api_url, expected in ((None, "needs a Prefect server"),
                              (f"http://127.0.0.1:{free_port()}/api", "cannot reach the Prefect API")):
        env = {**base, "PREFECT_HOME": str(tmp_path / "home"), **({"PREFECT_API_URL": api_url} if api_url else {})}
        result = subprocess.run([str(Path(sys.executable).parent / "zhnews"), "serve"], capture_output=True,
                                text=True, timeout=60, env=env, cwd=ROOT)
        assert result.returncode == 2, result.stderr
        [line] = lines(result.stderr)
        assert line.startswith("error [prefect]") and expected in line, line
        assert result.stdout == ""


def test_no_nanobind_lines_after_runs_that_succeed_or_fail(prefect_server, db_path: Path):
    ok = run_cli("ingest", str(SEEDS_HTML), "--db", str(db_path), "--workers", "1", env=USER_ENV)
    assert ok.returncode == 0, ok.stderr
    # Fails in the run (the stored signatures have 128 slots), after DuckDB connections were made.
    failed = run_cli("ingest", str(SEEDS_HTML), "--db", str(db_path), "--workers", "1",
                     env={**USER_ENV, "ZHNEWS_DEDUP_NUM_PERM": "64"})
    assert failed.returncode == 2 and len(lines(failed.stderr)) == 1, failed.stderr
    # A flow run as a worker's process runs it: the flow called, then a normal interpreter
    # exit; Prefect's logs on (the worker's log shows them).
    worker = subprocess.run(
        [sys.executable, "-c", "import sys; from flows.ingest import ingest; "
                               f"state = ingest(paths=[{str(SEEDS_HTML)!r}], db_path={str(db_path)!r}, "
                               "workers=1, return_state=True); print(state.type.value)"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "ZHNEWS_DEDUP_NUM_PERM": "64"})
    assert worker.stdout.strip().endswith("FAILED"), worker.stdout + worker.stderr
    for result in (ok, failed, worker):
        assert "nanobind" not in result.stderr + result.stdout, result.stderr[-3000:]


def test_heavy_cleaning_is_one_line_per_run(prefect_server, db_path: Path):
    # A share so low that every rule that removes anything warns: one warning per page and rule before.
    result = run_cli("--verbose", "ingest", str(QUALITY_SITE), "--db", str(db_path), "--workers", "1",
                     env={"ZHNEWS_RULE_WARN_SHARE": "0.001"})
    assert result.returncode == 0, result.stderr
    heavy = [line for line in lines(result.stderr) if "heavy cleaning:" in line]
    assert len(heavy) == 1, result.stderr
    assert "% of the text of" not in result.stderr  # no line per page
    assert "on 3 pages" in heavy[0] and "site04/" in heavy[0]
