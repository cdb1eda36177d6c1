"""The `ingest` flow: local files, WARC files and a URL list through the pipeline into DuckDB."""
from __future__ import annotations

import os
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run

from flows.artifacts import RunSummary
from flows.parameters import (DEFAULTS, BatchSize, DedupThreshold, ExtractTimeout, Runner, Script, Workers,
                              WarehouseWait, documented, flow_settings, run_name)
from flows.pipeline import recorded_run, run_policy, run_sources
from flows.sources.registry import SOURCES, sources_for_paths
from tasks.settings import SEEDS_DIR


def ingest_run_name() -> str:
    params = flow_run.parameters
    inputs = params.get("paths") or ([params["urls_file"]] if params.get("urls_file") else ["seeds"])
    first = Path(inputs[0]).name or inputs[0]
    more = f"+{len(inputs) - 1}" if len(inputs) > 1 else ""
    return run_name("ingest", f"{first}{more}")


@flow(name="ingest", flow_run_name=ingest_run_name, log_prints=True, **run_policy())
@documented
def ingest(paths: list[str] | None = None, db_path: str | None = None, script: Script = DEFAULTS.script,
           batch_size: BatchSize = DEFAULTS.batch_size, force: bool = False,
           workers: Workers = DEFAULTS.workers, extract_timeout: ExtractTimeout = DEFAULTS.extract_timeout,
           dedup_threshold: DedupThreshold = DEFAULTS.dedup_threshold, urls_file: str | None = None,
           allow_private_hosts: bool = DEFAULTS.allow_private_hosts, user_agent: str = DEFAULTS.user_agent,
           runner: Runner = DEFAULTS.runner, dask_address: str | None = None,
           warehouse_wait: WarehouseWait = DEFAULTS.warehouse_wait) -> RunSummary:
    """Ingest local .html/.htm/.txt files (directories recursed), WARC files (.warc, .warc.gz)
    and the URLs listed in urls_file (fetched); seeds/ when neither paths nor urls_file is given.

    Args:
        paths: files or directories to ingest (default: the bundled seeds/, unless urls_file is given)
        urls_file: a file listing URLs to fetch and ingest, one a line (# comments)
        force: process inputs again even if an earlier run finished them unchanged
    """
    settings = flow_settings(locals())  # locals(): the parameters, nothing else yet
    paths_given = [Path(p) for p in (paths or ([] if urls_file else [SEEDS_DIR]))]
    sources = [*sources_for_paths(paths_given), *([(SOURCES["urls"], urls_file)] if urls_file else [])]
    inputs = {"paths": [os.path.abspath(p) for p in paths_given],
              "urls_file": os.path.abspath(urls_file) if urls_file else None, "force": force}
    with recorded_run("ingest", settings, inputs) as (warehouse, summary, executor):
        run_sources(sources, settings, summary, warehouse, force, executor)
    return summary
