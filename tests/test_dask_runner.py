"""`--runner dask` on a real Dask cluster on 127.0.0.1 gives the same tables as the default
local runner, and the CPU stages really ran on the cluster's workers."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, run_cli
from tests.test_resume import generate_pages

ARTICLE_COLUMNS = ("url, title, published_at, source, author, text, source_script, content_hash, "
                   "encoding, input_hash, chars, (SELECT url FROM articles k WHERE k.article_id = a.duplicate_of)")


@pytest.fixture(scope="module")
def dask_cluster(prefect_server):
    """A LocalCluster of two worker processes on 127.0.0.1; they inherit PREFECT_API_URL."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(host="127.0.0.1", n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    try:
        yield cluster.scheduler_address, client
    finally:
        client.close()
        cluster.close()


def tables(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles a ORDER BY url").fetchall(),
            "rejections": con.execute("SELECT url, stage, reason, input_hash FROM rejections ORDER BY url").fetchall(),
            "runs": con.execute("SELECT flow, status, inputs, articles, duplicates, rejections, unchanged "
                                "FROM runs").fetchall(),
        }
    finally:
        con.close()


def test_dask_runner_gives_the_same_tables_as_the_local_runner(dask_cluster, tmp_path):
    address, client = dask_cluster
    pages = tmp_path / "pages"
    shutil.copytree(ROOT / "seeds" / "texts", pages / "texts")
    shutil.copytree(ROOT / "seeds" / "html", pages / "html")
    generate_pages(pages / "generated", 24)
    shutil.copy(sorted((pages / "texts").glob("*.txt"))[0], pages / "copy.txt")  # a duplicate
    (pages / "empty.html").write_bytes(b"")  # a rejection
    # A generous per-page limit: the comparison must not hinge on a busy machine's timeouts.
    common = [str(pages), "--batch-size", "8", "--extract-timeout", "120"]

    local = run_cli("ingest", *common, "--db", str(tmp_path / "local.duckdb"))
    assert local.returncode == 0, local.stderr
    executed_before = sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())
    on_dask = run_cli("ingest", *common, "--db", str(tmp_path / "dask.duckdb"),
                      "--runner", "dask", "--dask-address", address)
    assert on_dask.returncode == 0, on_dask.stderr
    executed = sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values()) - executed_before

    expected, got = tables(tmp_path / "local.duckdb"), tables(tmp_path / "dask.duckdb")
    assert expected["articles"] and expected["rejections"]  # the inputs exercise both tables
    assert got == expected
    batches = -(-len(list(pages.rglob("*.*"))) // 8)
    assert executed >= 3 * batches  # extract, clean and normalise of every batch ran on the cluster


def test_unreachable_dask_address_is_one_clear_error(prefect_server, tmp_path):
    # Prefect's console log level as a user's terminal has it (the suite raises it to WARNING);
    # no flow retry (it would fail the same way 30 s later).
    result = run_cli("ingest", str(ROOT / "seeds" / "texts"), "--db", str(tmp_path / "x.duckdb"),
                     "--runner", "dask", "--dask-address", "tcp://127.0.0.1:9",
                     env={"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL", "ZHNEWS_FLOW_RETRIES": "0"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error [dask]: cannot reach the Dask scheduler at "
                                                   "tcp://127.0.0.1:9"), result.stderr
