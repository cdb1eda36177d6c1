"""The `ingest` flow: local files, WARC files and a URL list through the pipeline into DuckDB."""
from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run

from flows.artifacts import RunSummary
from flows.pipeline import recorded_run, run_sources
from flows.sources.registry import SOURCES, sources_for_paths
from tasks.settings import SEEDS_DIR, Settings


def ingest_run_name() -> str:
    params = flow_run.parameters
    inputs = params.get("paths") or ([params["urls_file"]] if params.get("urls_file") else ["seeds"])
    first = Path(inputs[0]).name or inputs[0]
    more = f"+{len(inputs) - 1}" if len(inputs) > 1 else ""
    return f"ingest-{first}{more}-{params.get('script') or 'hans'}"


@flow(name="ingest", flow_run_name=ingest_run_name, log_prints=True)
def ingest(paths: list[str] | None = None, db_path: str | None = None, script: str | None = None,
           batch_size: int | None = None, force: bool = False, workers: int | None = None,
           extract_timeout: float | None = None, dedup_threshold: float | None = None,
           urls_file: str | None = None, allow_private_hosts: bool | None = None,
           user_agent: str | None = None, runner: str | None = None,
           dask_address: str | None = None, warehouse_wait: float | None = None) -> RunSummary:
    """Ingest local .html/.htm/.txt files (directories recursed), WARC files (.warc, .warc.gz)
    and the URLs listed in urls_file (fetched); seeds/ when neither paths nor urls_file is given."""
    settings = Settings().with_overrides(db_path=db_path, script=script, batch_size=batch_size,
                                         workers=workers, extract_timeout=extract_timeout,
                                         dedup_threshold=dedup_threshold,
                                         allow_private_hosts=allow_private_hosts, user_agent=user_agent,
                                         runner=runner, dask_address=dask_address,
                                         warehouse_wait=warehouse_wait)
    paths_given = [Path(p) for p in (paths or ([] if urls_file else [SEEDS_DIR]))]
    sources = [*sources_for_paths(paths_given), *([(SOURCES["urls"], urls_file)] if urls_file else [])]
    with recorded_run("ingest", settings) as (warehouse, summary, executor):
        run_sources(sources, settings, summary, warehouse, force, executor)
    return summary
