"""`--runner dask` against a Dask cluster started the way users start one on other machines:
a `dask scheduler` process and two `dask worker` processes (tests/dask_cluster.py), with a
running Prefect server. The tables equal a `--runner local` run's, and losing a worker in
the middle of a run loses and duplicates nothing."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.pages import generate
from tests.conftest import ROOT, run_cli
from tests.dask_cluster import dask_cluster, wait_for
from tests.test_dask_runner import tables

PAGES = 200
BATCH = 20  # 10 batches: the run is still going when a worker is killed
# A generous per-page limit: the comparison must not hinge on a busy machine's timeouts.
COMMON = ["--batch-size", str(BATCH), "--extract-timeout", "120"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster-pages")
    generate(root / "pages", PAGES)
    (root / "pages" / "empty.html").write_bytes(b"")  # a rejection
    return root / "pages"


@pytest.fixture(scope="module")
def local_tables(pages, prefect_server, tmp_path_factory):
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    result = run_cli("ingest", str(pages), *COMMON, "--db", str(db))
    assert result.returncode == 0, result.stderr
    expected = tables(db)
    # The inputs exercise articles, duplicates and rejections.
    assert expected["articles"] and expected["rejections"]
    assert any(row[-1] is not None for row in expected["articles"])
    return expected


@pytest.fixture
def cluster(prefect_server, tmp_path):
    with dask_cluster(2, dict(os.environ), tmp_path / "dask-logs") as running:
        yield running


def executed(client) -> int:
    return sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())


def test_dask_scheduler_and_workers_give_the_local_tables(pages, local_tables, cluster, tmp_path):
    client = cluster.client()
    try:
        before = executed(client)
        result = run_cli("ingest", str(pages), *COMMON, "--db", str(tmp_path / "dask.duckdb"),
                         "--runner", "dask", "--dask-address", cluster.address)
        assert result.returncode == 0, result.stderr
        ran = client.run(lambda dask_worker: dask_worker.state.executed_count)
    finally:
        client.close()
    assert tables(tmp_path / "dask.duckdb") == local_tables
    assert sum(ran.values()) - before >= 3 * (PAGES // BATCH)  # extract, clean, normalise of every batch
    assert all(count > 0 for count in ran.values())  # both worker processes took tasks


def test_killing_a_dask_worker_mid_run_loses_and_duplicates_nothing(pages, local_tables, cluster, tmp_path):
    client = cluster.client()
    exe = os.path.join(os.path.dirname(sys.executable), "zhnews")
    run = subprocess.Popen([exe, "ingest", str(pages), *COMMON, "--db", str(tmp_path / "dask.duckdb"),
                            "--runner", "dask", "--dask-address", cluster.address],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        # A few CPU tasks done (the run is under way), and a worker in the middle of one.
        busy: list[int] = []

        def a_worker_is_busy() -> bool:
            if run.poll() is not None or executed(client) < 2:
                return run.poll() is not None
            states = client.run(lambda dask_worker: (dask_worker.name, len(dask_worker.state.executing)))
            busy[:] = [int(name.rsplit("-", 1)[1]) for name, executing in states.values() if executing]
            return bool(busy)

        assert wait_for(a_worker_is_busy, 120)
        assert run.poll() is None, "the run ended before a worker could be killed"
        cluster.kill_worker(busy[0])  # its task in flight is lost with it
        out, err = run.communicate(timeout=180)
    finally:
        client.close()
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, err
    assert tables(tmp_path / "dask.duckdb") == local_tables
