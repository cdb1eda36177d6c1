"""The `reprocess` flow: the pages stored in raw_pages through the pipeline again, no fetching."""
from __future__ import annotations

from flows.artifacts import RunSummary
from flows.pipeline import recorded_run, run_sources
from prefect import flow
from flows.sources.registry import SOURCES
from tasks.settings import Settings


@flow(name="reprocess", flow_run_name="reprocess", log_prints=True)
def reprocess(db_path: str | None = None, script: str | None = None, batch_size: int | None = None,
              workers: int | None = None, runner: str | None = None,
              dask_address: str | None = None, warehouse_wait: float | None = None) -> RunSummary:
    """Run decode, extract, clean, normalise, dedup and load again on every page in
    raw_pages, without fetching: for when the rules improved."""
    settings = Settings().with_overrides(db_path=db_path, script=script, batch_size=batch_size,
                                         workers=workers, runner=runner, dask_address=dask_address,
                                         warehouse_wait=warehouse_wait)
    with recorded_run("reprocess", settings) as (warehouse, summary, executor):
        # force: the bytes are the ones already processed; the rules are what changed.
        run_sources([(SOURCES["raw_pages"], None)], settings, summary, warehouse, True, executor)
    return summary
