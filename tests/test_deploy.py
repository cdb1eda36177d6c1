"""prefect.yaml deployed as an operator would, against the session's real Prefect server:
`prefect deploy --all` from a git clone of the repository, the clone removed, and the
deployment run by a real process worker started in another folder. Bad parameters given
to a deployment run are refused with their reason, and nothing is processed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT, rows
from tests.test_prefect_ops import prefect_client

PREFECT = str(Path(sys.executable).parent / "prefect")
TEXTS = sorted((ROOT / "seeds" / "texts").glob("*.txt"))[:2]


def prefect_cli(*args: str, cwd: Path, api_url: str, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([PREFECT, "--no-prompt", *args], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, env={**os.environ, "PREFECT_API_URL": api_url})
    assert result.returncode == 0, f"prefect {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def deployed(prefect_server, tmp_path_factory):
    """A deployment of the repository's prefect.yaml, deployed from a clone that is then
    removed; its schedule paused, so only the test's runs reach the work pool."""
    root = tmp_path_factory.mktemp("deploy")
    clone = root / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    pool = f"zhnews-test-{uuid.uuid4().hex[:8]}"
    prefect_cli("work-pool", "create", pool, "--type", "process", cwd=root, api_url=prefect_server)
    # One of prefect.yaml's deployments, to a pool of the test's own (--pool is ignored with --all).
    prefect_cli("deploy", "--name", "seeds-hourly", "--pool", pool, cwd=clone, api_url=prefect_server)
    shutil.rmtree(clone)
    with prefect_client(prefect_server) as client:
        deployment = client.read_deployment_by_name("ingest/seeds-hourly")
        client.pause_deployment(deployment.id)
    return deployment, pool, root


def test_deployed_from_a_removed_clone_runs_on_a_worker_elsewhere(deployed, prefect_server):
    deployment, pool, root = deployed
    assert str(root / "clone") not in json.dumps(deployment.pull_steps)  # nothing points at the clone
    pages = root / "pages"
    pages.mkdir()
    for text in TEXTS:
        shutil.copy(text, pages)
    db = root / "zhnews.duckdb"
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    with prefect_client(prefect_server) as client:
        flow_run = client.create_flow_run_from_deployment(
            deployment.id, parameters={"paths": [str(pages)], "db_path": str(db), "workers": 1})
        worker = subprocess.run([PREFECT, "worker", "start", "--pool", pool, "--run-once"], cwd=elsewhere,
                                capture_output=True, text=True, timeout=300,
                                env={**os.environ, "PREFECT_API_URL": prefect_server})
        finished = client.read_flow_run(flow_run.id)
    assert finished.state.is_completed(), f"{finished.state}\n{worker.stdout[-3000:]}\n{worker.stderr[-3000:]}"
    assert finished.name.startswith("ingest-pages-hans-") and finished.name.endswith(str(flow_run.id)[:8])
    assert {"zhnews", "ingest", "manual"} <= set(finished.tags) and "scheduled" not in finished.tags

    (articles,), = rows(db, "SELECT count(*) FROM articles")
    (status, settings), = rows(db, "SELECT status, settings FROM runs")
    assert articles == len(TEXTS) and status == "completed"
    settings = json.loads(settings)
    assert settings["db_path"] == str(db) and settings["paths"] == [str(pages)]
    assert settings["script"] == "hans" and settings["batch_size"] == 250 and settings["workers"] == 1
    assert settings["prefect_version"] == "3.9.1" and settings["zhnews_version"]
    assert not settings["working_directory"].startswith(str(root / "clone"))


@pytest.mark.parametrize("parameters, reason", [
    ({"script": "HANT"}, "'HANT' is not one of ['hans', 'hant', 'keep']"),
    ({"script": "bogus"}, "'bogus' is not one of ['hans', 'hant', 'keep']"),
    ({"runner": "dsak"}, "'dsak' is not one of ['local', 'dask']"),
    ({"batch_size": 0}, "0 is less than the minimum of 1"),
])
def test_a_bad_parameter_for_a_deployment_run_is_refused_with_its_reason(deployed, prefect_server, parameters,
                                                                        reason):
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    deployment, _, root = deployed
    db = root / f"refused-{uuid.uuid4().hex[:8]}.duckdb"
    with prefect_client(prefect_server) as client:
        before = len(client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))))
        with pytest.raises(Exception) as refused:
            client.create_flow_run_from_deployment(deployment.id, parameters={**parameters, "db_path": str(db)})
        after = len(client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))))
    assert reason in str(refused.value)
    assert after == before and not db.exists()  # no run to pick up, nothing written


def test_a_bad_parameter_to_a_flow_call_fails_the_run_before_any_work(prefect_server, tmp_path):
    """Where no server checks the schema (a flow called in Python, a deployment made with
    enforce_parameter_schema off), Prefect's own validation fails the run before it starts."""
    from flows.ingest import ingest

    db = tmp_path / "zhnews.duckdb"
    state = ingest(paths=[str(TEXTS[0])], db_path=str(db), batch_size=0, script="HANT", return_state=True)
    assert state.is_failed()
    assert "batch_size: Input should be greater than or equal to 1" in state.message
    assert "script: Input should be 'hans', 'hant' or 'keep'" in state.message
    assert not db.exists()  # refused before the warehouse was opened


def test_the_installed_package_finds_its_seeds_and_schedules_without_the_checkout(tmp_path):
    """What setuptools installs (build_py of a clone), imported with no checkout around: the
    bundled seeds and the default schedule file are package data."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    installed = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "--quiet", "build_py",
                    "--build-lib", str(installed)], cwd=clone, check=True, timeout=300, capture_output=True)
    shutil.rmtree(clone)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = ("from flows.deployments import load_config\nfrom tasks.settings import SEEDS_DIR\n"
             "config = load_config()\nprint(SEEDS_DIR)\n"
             "print(*config.deployments[0].parameters['paths'], config.deployments[1].parameters['seeds'][0])")
    found = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(installed)})
    assert found.returncode == 0, found.stderr
    seeds_dir, schedule_paths = found.stdout.splitlines()
    assert seeds_dir == str(installed / "tasks" / "seeds")
    assert len(list(Path(seeds_dir).glob("texts/*.txt"))) == len(list((ROOT / "seeds" / "texts").glob("*.txt")))
    assert schedule_paths.split() == [seeds_dir, f"{seeds_dir}/urls/example.urls"]
    assert Path(seeds_dir, "urls", "example.urls").is_file() and Path(seeds_dir, "html").is_dir()
