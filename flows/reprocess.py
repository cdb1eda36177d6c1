"""The `reprocess` flow: the pages stored in raw_pages through the pipeline again, no fetching."""
from __future__ import annotations

from prefect import flow

from flows.artifacts import RunSummary
from flows.parameters import DEFAULTS, BatchSize, Runner, Script, Workers, WarehouseWait, documented, flow_settings, run_name
from flows.pipeline import recorded_run, run_policy, run_sources
from flows.sources.registry import SOURCES


@flow(name="reprocess", flow_run_name=lambda: run_name("reprocess", "raw_pages"), log_prints=True,
      **run_policy())
@documented
def reprocess(db_path: str | None = None, script: Script = DEFAULTS.script,
              batch_size: BatchSize = DEFAULTS.batch_size, workers: Workers = DEFAULTS.workers,
              runner: Runner = DEFAULTS.runner, dask_address: str | None = None,
           warehouse_wait: WarehouseWait = DEFAULTS.warehouse_wait) -> RunSummary:
    """Run decode, extract, clean, normalise, dedup and load again on every page in
    raw_pages, without fetching: for when the rules improved.

    Args:
    """
    settings = flow_settings(locals())  # locals(): the parameters, nothing else yet
    with recorded_run("reprocess", settings, {}) as (warehouse, summary, executor):
        # force: the bytes are the ones already processed; the rules are what changed.
        run_sources([(SOURCES["raw_pages"], None)], settings, summary, warehouse, True, executor)
    return summary
