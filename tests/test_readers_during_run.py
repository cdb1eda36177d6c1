"""One writer, many readers: a run lets go of the DuckDB file between batches when a reader
asks for it, so `zhnews query` and `zhnews stats` answer during it, and a second run waits for the first
(or, with a short --wait, fails with one line). Real processes, a real DuckDB file."""
from __future__ import annotations

import os
import random
import re
import subprocess
import time
from pathlib import Path

from bench.pages import sentences
from tests.conftest import ROOT, rows, run_cli
from tests.interrupt import ZHNEWS

USER_ENV = {"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL"}
# Enough that the first run still holds the file when the impatient one, started after its
# first batch, has got going and given up (3,000 were done first on a quiet machine).
FIRST_PAGES = 6000


def small_pages(out: Path, count: int, seed: int) -> Path:
    """count short .txt pages (no extraction: the run's time goes to its many batches)."""
    pool = sentences()
    rng = random.Random(seed)
    out.mkdir()
    for number in range(count):
        (out / f"page{number:05d}.txt").write_text(f"第{number}号。" + "".join(rng.sample(pool, 3)),
                                                   encoding="utf-8")
    return out


def start_ingest(pages: Path, db: Path, *flags: str, env: dict | None = None,
                 own_server: bool = False) -> subprocess.Popen:
    """own_server: no PREFECT_API_URL, so the run starts its own temporary Prefect server
    (the shared one is busy with the first run's task runs and logs, and a run's calls to it
    can then take minutes)."""
    environment = {**os.environ, **USER_ENV, **(env or {})}
    if own_server:
        environment.pop("PREFECT_API_URL", None)
    return subprocess.Popen([str(ZHNEWS), "ingest", str(pages), "--db", str(db), "--workers", "1", *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=environment)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_readers_answer_and_a_second_writer_waits_while_an_ingest_runs(prefect_server, tmp_path: Path):
    db = tmp_path / "zhnews.duckdb"
    first = start_ingest(small_pages(tmp_path / "first", FIRST_PAGES, seed=1), db, "--batch-size", "25")
    second_pages = small_pages(tmp_path / "second", 30, seed=2)
    try:
        # Until the run has made the file and committed a batch (a reader before that finds
        # no warehouse, or no tables).
        deadline = time.monotonic() + 120
        while first.poll() is None and time.monotonic() < deadline:
            if db.exists() and run_cli("query", "SELECT 1 FROM articles LIMIT 1", "--db", str(db),
                                       env=USER_ENV).returncode == 0:
                break
            time.sleep(0.2)
        assert first.poll() is None, "the ingest ended before a reader could be tried"

        # No flow retry: its retry would come after the first run ended, and succeed.
        impatient = start_ingest(second_pages, db, "--wait", "1", env={"ZHNEWS_FLOW_RETRIES": "0"}, own_server=True)
        patient = start_ingest(second_pages, db)  # the default --wait: minutes
        counts, stats = [], []
        for _ in range(3):
            query = run_cli("query", "SELECT count(*) AS n, (SELECT status FROM runs ORDER BY started_at "
                                     "LIMIT 1) AS status FROM articles", "--db", str(db), env=USER_ENV)
            assert query.returncode == 0, query.stderr
            found = re.search(r"│\s*(\d+)\s*│\s*running\s*│", query.stdout)
            assert found, query.stdout  # read during the run, not after it
            counts.append(int(found.group(1)))
            stats.append(run_cli("stats", "--db", str(db), env=USER_ENV))
        assert first.poll() is None, "the readers were not tried during the run"
        impatient_code = impatient.wait(timeout=120)
        _, impatient_err = impatient.communicate()
        first_code = first.wait(timeout=600)
        patient_code = patient.wait(timeout=600)
    finally:
        for proc in (first, locals().get("impatient"), locals().get("patient")):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()

    first_out, first_err = first.communicate()
    patient_out, patient_err = patient.communicate()
    assert first_code == 0, first_err
    for result in stats:
        assert result.returncode == 0, result.stderr
        assert "Recent runs" in result.stdout and "running" in result.stdout
    assert counts == sorted(counts) and 0 < counts[0] and counts[-1] < FIRST_PAGES, counts  # a partly loaded warehouse

    # --wait 1: one line naming the file and the run holding it.
    assert impatient_code == 2, impatient_err
    [line] = lines(impatient_err)
    assert line.startswith("error [warehouse]") and str(db) in line and "being written by another run" in line
    assert f"PID {first.pid}" in line and "Traceback" not in impatient_err

    # The default --wait: it waited for the first run, then did its own.
    assert patient_code == 0, patient_err
    runs = rows(db, "SELECT status, started_at, ended_at FROM runs ORDER BY started_at")
    assert [status for status, _, _ in runs] == ["completed", "completed"], runs
    assert runs[1][1] >= runs[0][2]  # the second started writing after the first ended
    assert rows(db, "SELECT count(*) FROM articles WHERE url LIKE '%/second/%'")[0][0] + \
        rows(db, "SELECT count(*) FROM rejections WHERE url LIKE '%/second/%'")[0][0] == 30
    assert rows(db, "SELECT count(*) FROM articles")[0][0] + rows(db, "SELECT count(*) FROM rejections")[0][0] \
        == FIRST_PAGES + 30
