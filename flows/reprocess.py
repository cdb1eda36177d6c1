"""The `reprocess` flow: the pages stored in raw_pages through the pipeline again, no fetching."""
from __future__ import annotations

from flows import progress
from flows.artifacts import RunSummary
from flows.pipeline import add_counts, process_raw, recorded_run
from flows.plain_flow import flow
from flows.stages import stored_pages_task
from tasks.load import WarehouseIndex
from tasks.models import FetchResult
from tasks.settings import Settings


@flow(name="reprocess", flow_run_name="reprocess", log_prints=True)
def reprocess(db_path: str | None = None, script: str | None = None, batch_size: int | None = None,
              workers: int | None = None, runner: str | None = None,
              dask_address: str | None = None) -> RunSummary:
    """Run decode, extract, clean, normalise, dedup and load again on every page in
    raw_pages, without fetching: for when the rules improved."""
    settings = Settings().with_overrides(db_path=db_path, script=script, batch_size=batch_size,
                                         workers=workers, runner=runner, dask_address=dask_address)
    with recorded_run("reprocess", settings) as (con, summary, executor):
        summary.inputs = con.execute("SELECT count(*) FROM raw_pages").fetchone()[0]
        progress.report("pages", 0, summary.inputs)
        after: str | None = None
        done, batch_no = 0, 1
        while True:
            pages = stored_pages_task(after, settings.batch_size, batch_no=batch_no, db_path=str(settings.db_path))
            if not pages:
                break
            after = pages[-1].url
            # force: the bytes are the ones already processed; the rules are what changed.
            add_counts(summary, process_raw(FetchResult(items=pages), batch_no, settings, summary.run_id,
                                            WarehouseIndex(con), True, executor))
            done += len(pages)
            progress.report("pages", done, summary.inputs)
            batch_no += 1
    return summary
