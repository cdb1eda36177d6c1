"""A real `zhnews ingest` against the session's real Prefect server, read back through
Prefect's client: the flow run's state, names, tags, logs and artifacts agree with DuckDB."""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import duckdb

from tests.conftest import ROOT, run_cli


def prefect_client(api_url: str):
    """A sync client bound to the session server, whatever settings prefect loaded at import."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        return get_client(sync_client=True)


def wait_for(check, seconds: float = 20, every: float = 0.5):
    """check()'s first truthy value; task-run records reach the server as events, a bit later."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def flow_run_artifacts(client, flow_run_id: str) -> dict[str, object]:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    found = client.read_artifacts(artifact_filter=ArtifactFilter(
        flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return {artifact.type: artifact for artifact in found}


def mixed_inputs(root: Path) -> Path:
    """Five real seed texts, a copy of one (a duplicate) and inputs each rejected for a reason."""
    pages = root / "pages"
    shutil.copytree(ROOT / "seeds" / "texts", pages)
    first = sorted(pages.glob("*.txt"))[0]
    shutil.copy(first, pages / "copy_of_first.txt")
    (pages / "empty.html").write_bytes(b"")
    (pages / "short.txt").write_text("新闻短讯。", encoding="utf-8")
    return pages


def test_ingest_run_publishes_state_names_tags_logs_and_artifacts(prefect_server, db_path, tmp_path):
    pages = mixed_inputs(tmp_path)
    stray = tmp_path / "notes.pdf"  # named explicitly with an unsupported type: rejected at discovery
    stray.write_bytes(b"%PDF-1.4")
    result = run_cli("ingest", str(pages), str(stray), "--db", str(db_path), "--batch-size", "3")
    assert result.returncode == 0, result.stderr

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        run_id, inputs, articles, duplicates, rejected, settings = con.execute(
            "SELECT run_id, inputs, articles, duplicates, rejections, settings FROM runs").fetchone()
        reasons = dict(con.execute("SELECT url, reason FROM rejections").fetchall())
    finally:
        con.close()
    assert duplicates >= 1 and len(reasons) >= 3  # the fixture made these, so the table has rows to show
    # A server is set: the CLI prints the run's page in the UI.
    assert f"run in the Prefect UI: {prefect_server.removesuffix('/api')}/runs/flow-run/{run_id}" in result.stdout

    # What the run ran with: the flags given, the defaults taken, paths absolute, versions.
    settings = json.loads(settings)
    assert settings["batch_size"] == 3 and settings["script"] == "hans" and settings["extract_timeout"] == 5.0
    assert settings["db_path"] == str(db_path) and settings["paths"] == [str(pages), str(stray)]
    assert settings["prefect_version"] == "3.9.1" and settings["working_directory"] == str(ROOT)
    recorded = run_cli("query", "SELECT settings->>'script' AS script, settings->>'prefect_version' AS prefect "
                       "FROM runs", "--db", str(db_path))
    assert recorded.returncode == 0 and "hans" in recorded.stdout and "3.9.1" in recorded.stdout, recorded

    with prefect_client(prefect_server) as client:
        flow_run = client.read_flow_run(run_id)  # the warehouse's run_id is the Prefect flow run id
        assert flow_run.state.is_completed()
        # input, script, start (UTC) and the run id's first 8 characters: unique
        assert re.fullmatch(rf"ingest-pages\+1-hans-\d{{8}}-\d{{6}}-{run_id[:8]}", flow_run.name), flow_run.name
        assert {"zhnews", "ingest", "manual"} <= set(flow_run.tags) and "scheduled" not in flow_run.tags

        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId

        def task_runs():
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])))
            return runs if any(r.name.startswith("load-batch-3") for r in runs) else None

        runs = wait_for(task_runs)
        assert runs, "the server never recorded the run's task runs"
        stages = {r.name.rsplit("-batch-", 1)[0] for r in runs}
        assert {"read", "decode", "extract", "clean", "normalise", "dedup", "load"} <= stages
        extract_batches = sorted(int(r.name.rsplit("-", 1)[1]) for r in runs if r.name.startswith("extract-"))
        assert extract_batches == list(range(1, len(extract_batches) + 1))  # named by batch, none missing

        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run.id])))
        assert any(f"{inputs} inputs" in log.message for log in logs)

        artifacts = flow_run_artifacts(client, str(flow_run.id))

    table = artifacts["table"]
    assert table.key == "ingest-stage-counts"
    rows = {row["what"]: row for row in _table_rows(table.data)}
    assert rows["inputs"]["pages"] == inputs
    assert rows["loaded (article rows)"]["pages"] == articles
    assert rows["duplicates"]["pages"] == duplicates
    assert rows["rejected"]["pages"] == rejected == len(reasons)
    assert rows["read"]["batches"] == rows["extracted"]["batches"] >= 3  # batch size 3
    assert all(isinstance(rows[name]["seconds"], float) for name in ("read", "extracted", "loaded (article rows)"))
    by_reason = sum(row["pages"] for what, row in rows.items() if what.startswith("rejected · "))
    assert by_reason == rejected

    summary = artifacts["markdown"]
    assert summary.key == "ingest-run-summary"
    assert ": completed" in summary.data and "Top rejection reasons" in summary.data
    assert stray.as_uri() in summary.data and (pages / "empty.html").as_uri() in summary.data


def _table_rows(data) -> list[dict]:
    import json

    return json.loads(data) if isinstance(data, str) else data


def test_fetch_batch_failing_as_a_whole_is_retried_by_prefect(prefect_server, tmp_path):
    """The retry policy the fetch task carries, on a real task run: fail once, retried, done."""
    from prefect import flow
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.stages import _named, fetch_retry_policy, fetch_task
    from tasks.settings import Settings

    settings = Settings()
    assert fetch_task.retries == settings.fetch_task_retries >= 1
    assert fetch_task.retry_jitter_factor and fetch_task.retry_delay_seconds[0] == settings.fetch_task_retry_delay

    attempts = tmp_path / "attempts"

    @_named("fetch", **fetch_retry_policy(settings.with_overrides(fetch_task_retry_delay=0.2)))
    def fails_once(batch_no: int) -> int:
        attempts.write_text(attempts.read_text() + "x" if attempts.exists() else "x")
        if len(attempts.read_text()) == 1:
            raise ConnectionError("resolver went away")
        return batch_no

    @flow(name="retry-probe")
    def probe():
        return fails_once(batch_no=7, return_state=True)

    from prefect.logging.handlers import APILogHandler

    with temporary_settings({PREFECT_API_URL: prefect_server}):
        state = probe()
        APILogHandler().flush()  # the run's log lines, before the session server goes away
    assert state.result() == 7 and attempts.read_text() == "xx"
    with prefect_client(prefect_server) as client:
        history = wait_for(lambda: [s.name for s in client.read_task_run_states(state.state_details.task_run_id)]
                           if len(client.read_task_run_states(state.state_details.task_run_id)) >= 4 else None)
    assert history and "AwaitingRetry" in history and history[-1] == "Completed"


def test_stage_log_lines_reach_the_run_in_prefect(prefect_server):
    """A stage's standard-library "zhnews.*" line, logged inside a task run, is in that run's
    logs on the server; the same line outside any run raises no warning."""
    import logging
    import uuid
    import warnings

    from prefect import flow
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.stages import _named

    marker = f"probe line {uuid.uuid4()}"

    @_named("probe")
    def logs_like_a_stage(batch_no: int) -> None:
        logging.getLogger("zhnews.probe").warning(marker)

    @flow(name="log-probe")
    def probe():
        logs_like_a_stage(batch_no=1)

    with temporary_settings({PREFECT_API_URL: prefect_server}):
        state = probe(return_state=True)
        APILogHandler().flush()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Prefect warns when a line has no run to go to
        logging.getLogger("zhnews.probe").warning("outside any run")
    with prefect_client(prefect_server) as client:
        lines = wait_for(lambda: [log for log in client.read_logs(log_filter=LogFilter(
            flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id]))) if log.message == marker])
    assert lines and lines[0].name == "zhnews.probe" and lines[0].task_run_id is not None
