"""Issue 18, "runs tell the truth" and "alerts and retries": a killed run is marked CRASHED
in Prefect by the shipped heartbeat automation and `crashed` in the runs table at the next
start; the runs table's statuses follow the run's process; a run failing on a busy
warehouse is retried by Prefect and completes. Real `zhnews` processes, the session's real
Prefect server (its triggers and actions services run, as in any `prefect server start`),
real DuckDB files."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from tasks.load import reconcile_runs, start_run
from tasks.process import RunProcess, process_started_at, this_process
from tests.conftest import ROOT, rows, run_cli
from tests.interrupt import interrupt_cli, many_text_pages, wal_growing
from tests.test_faults import hold_lock
from tests.test_prefect_ops import prefect_client, wait_for
from tests.webserver import serve
from warehouse.db import open_warehouse

SEED_PAGE = sorted((ROOT / "seeds" / "texts").glob("*.txt"))[0]


def test_a_running_row_whose_process_is_gone_is_reconciled_to_crashed(tmp_path):
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    gone = RunProcess(ended.pid, socket.gethostname(), process_started_at(ended.pid))
    ended.wait()
    here = this_process()
    reused = RunProcess(here.pid, here.host, here.started_at - timedelta(hours=1))  # same pid, older process
    elsewhere = RunProcess(1, "another-host", here.started_at)
    con = open_warehouse(tmp_path / "w.duckdb")
    try:
        for run_id, process in (("gone", gone), ("alive", here), ("reused", reused), ("elsewhere", elsewhere)):
            start_run(con, run_id, "ingest", process)
        start_run(con, "finished", "ingest", gone)
        con.execute("UPDATE runs SET status = 'completed' WHERE run_id = 'finished'")
        assert sorted(reconcile_runs(con)) == ["gone", "reused"]
        statuses = dict(con.execute("SELECT run_id, status FROM runs").fetchall())
        ended_at = dict(con.execute("SELECT run_id, ended_at FROM runs").fetchall())
        assert reconcile_runs(con) == []  # once
    finally:
        con.close()
    assert statuses == {"gone": "crashed", "reused": "crashed", "alive": "running", "elsewhere": "running",
                        "finished": "completed"}
    assert ended_at["gone"] is not None and ended_at["alive"] is None


def test_automations_install_needs_a_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([str(Path(sys.executable).parent / "zhnews"), "automations", "install"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        "error [automations]: no Prefect server configured: start `prefect server start` and set "
        "PREFECT_API_URL (automations run on a server that stays up)"]


@pytest.fixture
def zombie_automation(prefect_server):
    """The shipped automation on the session server with a 10 s window (Prefect's shortest
    for a proactive trigger), removed afterwards: other tests' runs last longer than that
    between their 30 s heartbeats."""
    first = run_cli("automations", "install", "--within", "10")
    again = run_cli("automations", "install", "--within", "10")
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert first.stdout.split()[0] in {"created", "updated"} and again.stdout.split()[0] == "unchanged"
    from flows.automations import ZOMBIE_AUTOMATION

    yield ZOMBIE_AUTOMATION
    with prefect_client(prefect_server) as client:
        for automation in client.read_automations_by_name(ZOMBIE_AUTOMATION):
            client.delete_automation(automation.id)


def test_a_killed_ingest_is_crashed_by_the_automation_and_reconciled_at_the_next_start(
        prefect_server, zombie_automation, tmp_path):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    pages = many_text_pages(tmp_path / "pages")
    db = tmp_path / "w.duckdb"
    killed, running = interrupt_cli(["ingest", str(pages), "--db", str(db), "--batch-size", "40"],
                                    ready=wal_growing(db), sig=signal.SIGKILL)
    killed_at = time.monotonic()
    assert running and killed.returncode == -signal.SIGKILL, killed.stderr
    [(run_id, status, pid)] = rows(db, "SELECT run_id, status, pid FROM runs")
    assert status == "running" and pid > 0  # nobody has looked yet

    with prefect_client(prefect_server) as client:
        crashed = wait_for(lambda: client.read_flow_run(run_id).state.is_crashed(), seconds=90, every=1)
        state = client.read_flow_run(run_id).state
    assert crashed, f"still {state.name} {time.monotonic() - killed_at:.0f} s after SIGKILL"
    assert "no heartbeat for 10 s" in state.message  # the automation's doing, after a heartbeat

    again = run_cli("ingest", str(SEED_PAGE), "--db", str(db), "--workers", "1")
    assert again.returncode == 0, again.stderr
    statuses = dict(rows(db, "SELECT run_id, status FROM runs"))
    assert statuses.pop(run_id) == "crashed" and list(statuses.values()) == ["completed"]
    with prefect_client(prefect_server) as client:
        task_runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
        assert client.read_flow_run(run_id).state.is_crashed()
    assert task_runs and not [t.name for t in task_runs if t.state.type.value in {"RUNNING", "PENDING"}]


def test_a_run_failing_on_a_busy_warehouse_is_retried_and_completes(prefect_server, tmp_path):
    """The first attempt finds the warehouse locked by another process; Prefect retries the
    flow run after ZHNEWS_FLOW_RETRY_DELAY, by when the lock is gone: one run, completed."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName

    page = tmp_path / f"retry-{uuid.uuid4().hex[:8]}.txt"
    page.write_bytes(SEED_PAGE.read_bytes())
    db = tmp_path / "w.duckdb"
    holder = hold_lock(db)
    run = subprocess.Popen([str(Path(sys.executable).parent / "zhnews"), "ingest", str(page), "--db", str(db)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                           env={**os.environ, "ZHNEWS_FLOW_RETRIES": "1", "ZHNEWS_FLOW_RETRY_DELAY": "5",
                                "ZHNEWS_WAREHOUSE_WAIT": "0"})  # fail at once on the lock, then retry
    try:
        with prefect_client(prefect_server) as client:
            def awaiting_retry():
                found = client.read_flow_runs(flow_run_filter=FlowRunFilter(
                    name=FlowRunFilterName(like_=f"ingest-{page.name}-hans-")))
                return found[0] if found and found[0].state.name == "AwaitingRetry" else None

            waiting = wait_for(awaiting_retry, seconds=120, every=0.2)
        assert waiting, "the first attempt did not fail and wait for its retry"
    finally:
        holder.kill()
        holder.wait()
        try:
            out, err = run.communicate(timeout=300)
        finally:
            run.kill()
    assert run.returncode == 0, err
    with prefect_client(prefect_server) as client:
        flow_run = client.read_flow_run(waiting.id)
        history = [state.name for state in client.read_flow_run_states(waiting.id)]
        from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

        logs = wait_for(lambda: [log.message for log in client.read_logs(log_filter=LogFilter(
            flow_run_id=LogFilterFlowRunId(any_=[waiting.id]))) if "in use by another process" in log.message])
    assert flow_run.state.is_completed() and flow_run.run_count == 2, history
    assert "AwaitingRetry" in history and logs  # the first attempt failed on the lock
    assert rows(db, "SELECT run_id, status FROM runs") == [(str(waiting.id), "completed")]
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]


def readme_notification_recipe() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index('```yaml\nname: "zhnews: notify on failed or crashed runs"') + len("```yaml\n")
    return readme[start:readme.index("```", start)]


def test_the_readme_notification_recipe_notifies_of_a_failed_run(prefect_server, tmp_path):
    """The README's recipe, created with `prefect automation create --from-file` as it says,
    with a webhook block to a server on 127.0.0.1: a zhnews run that fails (the warehouse
    held by another process, no retries) is notified, by name and state."""
    from urllib.parse import unquote_plus

    from prefect.blocks.notifications import CustomWebhookNotificationBlock
    from prefect.settings import PREFECT_API_URL, temporary_settings

    site = serve({"/notify": lambda h: h.send("ok", content_type="text/plain")})
    block = CustomWebhookNotificationBlock(name="zhnews-test", url=site.url("/notify"), method="GET",
                                           params={"subject": "{{subject}}", "body": "{{body}}"},
                                           allow_private_urls=True)
    with temporary_settings({PREFECT_API_URL: prefect_server}):
        block_id = block.save(f"zhnews-alerts-{uuid.uuid4().hex[:8]}", overwrite=True)
    recipe = tmp_path / "notify.yaml"
    recipe.write_text(readme_notification_recipe().replace("00000000-0000-0000-0000-000000000000", str(block_id)),
                      encoding="utf-8")
    name = "zhnews: notify on failed or crashed runs"
    page = tmp_path / f"notify-{uuid.uuid4().hex[:8]}.txt"
    page.write_bytes(SEED_PAGE.read_bytes())
    db = tmp_path / "w.duckdb"
    holder = None
    try:
        created = subprocess.run([str(Path(sys.executable).parent / "prefect"), "automation", "create",
                                  "--from-file", str(recipe)], capture_output=True, text=True, timeout=120)
        assert created.returncode == 0, created.stdout + created.stderr
        holder = hold_lock(db)
        failed = run_cli("ingest", str(page), "--db", str(db),
                         env={"ZHNEWS_FLOW_RETRIES": "0", "ZHNEWS_WAREHOUSE_WAIT": "0"})
        assert failed.returncode == 2 and "in use by another process" in failed.stderr
        notified = wait_for(lambda: [r for r in list(site.log) if r.path.startswith("/notify?")],
                            seconds=60, every=0.5)
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()
        site.close()
        with prefect_client(prefect_server) as client:
            for automation in client.read_automations_by_name(name):
                client.delete_automation(automation.id)
    assert notified, "no notification within 60 s"
    sent = unquote_plus(notified[0].path)
    assert re.search(rf"zhnews: ingest-{re.escape(page.name)}-hans-\S+ is Failed", sent), sent


def test_any_error_while_prefect_cancels_the_run_ends_it_cancelled(prefect_server):
    """A cancel's SIGTERM reaches the run's whole process group: the extraction workers may die
    first and the run see a broken pool, not the signal. While Prefect is cancelling the run
    that error is the cancel's (the row says `cancelled`); the same error in a running run is
    a failure, and a termination signal without a cancel a crash."""
    from concurrent.futures.process import BrokenProcessPool

    from prefect import flow
    from prefect.exceptions import TerminationSignal
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Cancelling, Running

    from flows.run_state import ending_status

    @flow(name="zhnews-test-cancel-status")
    def placeholder() -> None:
        return None

    broken = BrokenProcessPool("A process in the process pool was terminated abruptly")
    # (ending_status asks the API of the settings in force, as a flow run's process does:
    # Prefect read them when it was first imported, maybe before this server started)
    with prefect_client(prefect_server) as client, temporary_settings({PREFECT_API_URL: prefect_server}):
        flow_run = client.create_flow_run(placeholder, state=Running())
        run_id = str(flow_run.id)
        assert ending_status(broken, run_id) == "failed"
        assert ending_status(TerminationSignal(signal.SIGTERM), run_id) == "crashed"
        client.set_flow_run_state(flow_run.id, Cancelling(message="cancelled by the test"), force=True)
        assert ending_status(broken, run_id) == "cancelled"
        assert ending_status(ValueError("a batch failed"), run_id) == "cancelled"
        assert ending_status(TerminationSignal(signal.SIGTERM), run_id) == "cancelled"


def test_a_served_run_cancelled_from_prefect_is_cancelled_in_the_runs_table(prefect_server, tmp_path):
    """Cancel a running served ingest through the API, as the UI's Cancel does: Prefect's
    runner sends the run's process SIGTERM; the run ends Cancelled and its row `cancelled`."""
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Cancelling

    pages = many_text_pages(tmp_path / "pages")
    db = tmp_path / "w.duckdb"
    name = f"cancel-{uuid.uuid4().hex[:8]}"
    config = tmp_path / "schedules.toml"
    config.write_text(f"""[[deployment]]
name = "{name}"
flow = "ingest"
cron = "0 0 1 1 *"
[deployment.parameters]
paths = ["{pages}"]
db_path = "{db}"
batch_size = 40
""", encoding="utf-8")
    log = open(tmp_path / "serve.log", "wb")
    serve = subprocess.Popen([str(Path(sys.executable).parent / "zhnews"), "serve", "--config", str(config)],
                             env={**os.environ, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}, cwd=ROOT, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        with prefect_client(prefect_server) as client:
            assert wait_for(lambda: serve.poll() is None and [d for d in client.read_deployments()
                                                               if d.name == name], seconds=120, every=1)
            with temporary_settings({PREFECT_API_URL: prefect_server}):
                flow_run = run_deployment(f"ingest/{name}", timeout=0)
            assert wait_for(wal_growing(db), seconds=180, every=0.2), (tmp_path / "serve.log").read_text()
            client.set_flow_run_state(flow_run.id, Cancelling(message="cancelled by the test"))
            cancelled = wait_for(lambda: client.read_flow_run(flow_run.id).state.is_cancelled(), seconds=90, every=1)
            state = client.read_flow_run(flow_run.id).state
        assert cancelled, f"{state.name}: {(tmp_path / 'serve.log').read_text()[-3000:]}"
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
    [(run_id, status, ended)] = rows(db, "SELECT run_id, status, ended_at FROM runs")
    assert run_id == str(flow_run.id) and status == "cancelled" and ended is not None
    assert 0 < rows(db, "SELECT count(*) FROM articles")[0][0] < 3000
