"""Resume: `zhnews ingest` killed with SIGKILL after some batches, then run again, loses
nothing, duplicates nothing and does not redo the batches the first run finished."""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import ROOT, run_cli
from warehouse.errors import ZhnewsError
from tests.test_prefect_ops import wait_for
from warehouse.db import READ_WAIT_SECONDS, connect

# Enough batches that the kill lands midway: the watcher reads the warehouse between two
# of the run's batches and kills it once two batches are stored.
PAGES = 600
BATCH = 10


def seed_sentences() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "texts").glob("*.txt")))
    return [s + "。" for s in re.split(r"[。\n]", text) if 12 <= len(s) <= 80]


def generate_pages(root: Path, count: int) -> list[Path]:
    """Small news pages: a title, two paragraphs of real news sentences, navigation, a footer."""
    sentences = seed_sentences()
    root.mkdir()
    pages = []
    for n in range(count):
        rng = random.Random(n)
        paragraphs = "".join(f"<p>第{n}号稿件。{''.join(rng.sample(sentences, 3))}</p>" for _ in range(2))
        page = root / f"page_{n:03d}.html"
        page.write_text(
            f"<html><head><meta charset='utf-8'><title>新闻第{n}号</title></head><body>"
            f"<nav><a href='/'>首页</a><a href='/news'>新闻</a></nav>"
            f"<article><h1>新闻第{n}号</h1>{paragraphs}</article>"
            f"<footer>版权所有 联系我们</footer></body></html>", encoding="utf-8")
        pages.append(page)
    return pages


def rows_by_url(db_path: Path) -> dict[str, list[tuple]]:
    """url -> every (table, run_id, ingested_at) row the warehouse holds for it."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        found = con.execute("""SELECT url, 'articles', run_id, ingested_at FROM articles
                               UNION ALL SELECT url, 'rejections', run_id, "at" FROM rejections""").fetchall()
    finally:
        con.close()
    rows: dict[str, list[tuple]] = {}
    for url, table, run_id, at in found:
        rows.setdefault(url, []).append((table, run_id, at))
    return rows


def stored_rows(db_path: Path) -> int:
    """Articles plus rejections, read the way `zhnews stats` reads during a run: a read
    request makes the writer let go of the file at the end of its batch."""
    try:
        con = connect(db_path, read_only=True, wait=READ_WAIT_SECONDS)
    except ZhnewsError:  # no warehouse yet
        return 0
    try:
        return con.execute("SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM rejections)"
                           ).fetchone()[0]
    except duckdb.CatalogException:  # the tables are not created yet
        return 0
    finally:
        con.close()


def test_sigkilled_ingest_resumes_without_loss_duplicates_or_redone_batches(prefect_server, db_path, tmp_path):
    pages = generate_pages(tmp_path / "resume-pages", PAGES)
    args = ["ingest", str(tmp_path / "resume-pages"), "--db", str(db_path), "--batch-size", str(BATCH)]
    first = subprocess.Popen([str(Path(sys.executable).parent / "zhnews"), *args], cwd=ROOT,
                             env={**os.environ, "PREFECT_API_URL": prefect_server},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        def two_batches_stored():
            assert first.poll() is None, "the first run ended before it could be killed"
            return stored_rows(db_path) >= 2 * BATCH

        assert wait_for(two_batches_stored, seconds=120, every=0.05), "no two batches stored in 120 s"
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the whole group: no worker outlives it
        first.wait()
    assert first.returncode == -signal.SIGKILL

    after_kill = rows_by_url(db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (killed_run, killed_status), = con.execute("SELECT run_id, status FROM runs").fetchall()
    finally:
        con.close()
    assert killed_status == "running"  # it never got to finish
    assert 2 * BATCH <= len(after_kill) < PAGES, "the kill did not land midway through the run"

    second = run_cli(*args, env={"PREFECT_API_URL": prefect_server})
    assert second.returncode == 0, second.stderr

    final = rows_by_url(db_path)
    expected = {page.resolve().as_uri() for page in pages}
    assert set(final) == expected  # nothing lost, nothing extra
    assert all(len(rows) == 1 for rows in final.values())  # one row per input: no duplicates
    for url, rows in after_kill.items():  # finished batches were not done again
        assert final[url] == rows, f"{url} was processed again"
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        resumed_run, inputs, loaded, rejected, unchanged = con.execute(
            "SELECT run_id, inputs, articles, rejections, unchanged FROM runs WHERE run_id <> ?",
            [killed_run]).fetchone()
    finally:
        con.close()
    assert (inputs, unchanged) == (PAGES, len(after_kill))
    assert loaded + rejected == PAGES - len(after_kill)
    assert {rows[0][1] for url, rows in final.items() if url not in after_kill} == {resumed_run}
