"""`zhnews serve` against the session's real Prefect server: a deployment on a short interval
schedule creates runs that complete, and a second scheduled run adds nothing unchanged."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from flows.deployments import load_config
from tests.conftest import ROOT, run_cli
from tests.test_prefect_ops import prefect_client, wait_for


def write_schedule(path: Path, name: str, db_path: Path) -> Path:
    path.write_text(f"""
max_concurrent_runs = 1

[[deployment]]
name = "{name}"
flow = "ingest"
interval_seconds = 5
tags = ["test"]
[deployment.parameters]
paths = ["seeds/texts"]
db_path = "{db_path}"
""", encoding="utf-8")
    return path


def test_served_interval_deployment_creates_and_completes_runs(prefect_server, db_path, tmp_path):
    from prefect.client.schemas.filters import (DeploymentFilter, DeploymentFilterName, FlowRunFilter,
                                                FlowRunFilterState, FlowRunFilterStateType)
    from prefect.client.schemas.objects import StateType

    config = write_schedule(tmp_path / "schedules.toml", "texts-every-5s", db_path)
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    log = open(tmp_path / "serve.log", "wb")
    serve = subprocess.Popen([str(Path(sys.executable).parent / "zhnews"), "serve", "--config", str(config)],
                             env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        with prefect_client(prefect_server) as client:
            def completed_runs():
                assert serve.poll() is None, (tmp_path / "serve.log").read_text()
                runs = client.read_flow_runs(
                    deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["texts-every-5s"])),
                    flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                        type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))))
                return runs if len(runs) >= 2 else None

            runs = wait_for(completed_runs, seconds=90, every=1)
            assert runs, "no two scheduled runs completed in 90 s"
            deployment = client.read_deployment_by_name("ingest/texts-every-5s")
    finally:
        os.killpg(serve.pid, signal.SIGINT)  # as Ctrl-C: the runner pauses the schedule and stops
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()

    assert deployment.schedules[0].schedule.interval.total_seconds() == 5
    assert {"zhnews", "ingest", "test"} <= set(deployment.tags)  # not `scheduled`: its manual runs are `manual`
    assert all(run.tags and "scheduled" in run.tags and "manual" not in run.tags for run in runs)
    assert all(Path(p).is_absolute() for p in deployment.parameters["paths"])

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        finished = con.execute(
            "SELECT run_id, articles, unchanged FROM runs WHERE status = 'completed' ORDER BY started_at").fetchall()
        article_rows = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    finally:
        con.close()
    texts = len(list((ROOT / "seeds" / "texts").glob("*.txt")))
    assert {str(run.id) for run in runs} <= {run_id for run_id, _, _ in finished}
    assert finished[0][1:] == (texts, 0)  # the first scheduled run loads every text
    assert all(later[1:] == (0, texts) for later in finished[1:])  # later runs add nothing unchanged
    assert article_rows == (texts, texts)


def test_bad_schedule_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[deployment]]\nname = "x"\nflow = "ingest"\ncron = "every hour"\n', encoding="utf-8")
    result = run_cli("serve", "--config", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "[serve]" in lines[0] and "bad cron 'every hour'" in lines[0]


def test_bundled_schedule_file_is_valid():
    config = load_config()  # flows/schedules.toml, as `zhnews serve` reads it by default
    assert config.deployments and config.max_concurrent_runs == 1
    for deployment in config.deployments:
        for path in deployment.parameters.get("paths", []):
            assert Path(path).exists(), f"{deployment.name}: {path} does not exist"


def test_a_bad_parameter_in_the_schedule_file_is_refused_at_start_with_its_reason(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[deployment]]\nname = "x"\nflow = "ingest"\ninterval_seconds = 60\n'
                   '[deployment.parameters]\nscript = "HANT"\n', encoding="utf-8")
    result = run_cli("serve", "--config", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "[serve]" in lines[0], result.stderr
    assert "parameters: --script HANT: input should be 'hans', 'hant' or 'keep'" in lines[0]


def test_a_parameter_of_the_wrong_type_in_the_schedule_file_is_refused_at_start(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[deployment]]\nname = "x"\nflow = "ingest"\ninterval_seconds = 60\n'
                   '[deployment.parameters]\npaths = "seeds"\nforce = "sometimes"\n', encoding="utf-8")
    result = run_cli("serve", "--config", str(bad))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert "paths: Input should be a valid list; force: Input should be a valid boolean" in lines[0]
