"""The `ingest` flow: local files, WARC files and URL lists through the pipeline into DuckDB."""
from __future__ import annotations

from pathlib import Path

from prefect.runtime import flow_run

from flows import progress
from flows.artifacts import RunSummary, reason_class
from flows.pipeline import (add_counts, chunks, fetch_and_process, load_rejections, pipelined_batches,
                            process_raw, recorded_run)
from flows.plain_flow import flow
from flows.stages import load_task, warc_task
from flows import artifacts
from tasks.fetch import FetchSession, read_url_list
from tasks.load import WarehouseIndex
from tasks.read import discover_inputs
from tasks.settings import SEEDS_DIR, Settings
from tasks.warc import split_warc_paths
from tasks.workers import CpuExecutor


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
           dask_address: str | None = None) -> RunSummary:
    """Ingest local .html/.htm/.txt files (directories recursed), WARC files (.warc, .warc.gz)
    and the URLs listed in urls_file (fetched); seeds/ when neither paths nor urls_file is given."""
    settings = Settings().with_overrides(db_path=db_path, script=script, batch_size=batch_size,
                                         workers=workers, extract_timeout=extract_timeout,
                                         dedup_threshold=dedup_threshold,
                                         allow_private_hosts=allow_private_hosts, user_agent=user_agent,
                                         runner=runner, dask_address=dask_address)
    with recorded_run("ingest", settings) as (con, summary, executor):
        db = str(settings.db_path)
        warc_files, local = split_warc_paths([Path(p) for p in (paths or ([] if urls_file else [SEEDS_DIR]))])
        found = discover_inputs(local)
        summary.inputs = len(found.items) + len(found.rejections)
        progress.report("pages", 0, summary.inputs)
        done = 0
        if found.rejections:
            metrics = artifacts.metrics_for(summary.run_id)
            metrics.rejections(found.rejections)
            metrics.stage("load", len(found.rejections), load_task, articles=[], rejections=found.rejections,
                          batch_no=0, db_path=db, run_id=summary.run_id)
            summary.rejections.update(reason_class(r) for r in found.rejections)
            done += len(found.rejections)
        for size, counts in pipelined_batches(found.items, settings, summary.run_id, con, force, executor):
            summary.articles += counts.articles
            summary.duplicates += counts.duplicates
            summary.unchanged += counts.unchanged
            summary.kept += counts.kept
            summary.rejections.update(counts.rejection_classes)
            done += size
            progress.report("pages", done, summary.inputs)
        if warc_files or urls_file:
            ingest_remote(warc_files, urls_file, settings, summary, con, force, executor, done,
                          first_batch_no=len(chunks(found.items, settings.batch_size)) + 1)
    return summary


def ingest_remote(warc_files: list[Path], urls_file: str | None, settings: Settings, summary: RunSummary,
                  con, force: bool, executor: CpuExecutor | None, done: int, first_batch_no: int) -> None:
    """The ingest flow's WARC files and URL list, batch by batch, after its local files."""
    batch_no = first_batch_no
    for path in warc_files:
        offset: int | None = 0
        while offset is not None:
            batch = warc_task(str(path), offset, settings.batch_size, batch_no=batch_no,
                              max_body_bytes=settings.max_body_bytes)
            size = len(batch.pages.items) + len(batch.pages.rejections)
            summary.inputs += size
            add_counts(summary, process_raw(batch.pages, batch_no, settings, summary.run_id,
                                            WarehouseIndex(con), force, executor))
            done += size
            progress.report("pages", done, summary.inputs)
            offset, batch_no = batch.next_offset, batch_no + 1
    if urls_file:
        listed = read_url_list(Path(urls_file))
        summary.inputs += len(listed.items) + len(listed.rejections)
        load_rejections(listed.rejections, summary, settings, batch_no)
        done += len(listed.rejections)
        with FetchSession(settings) as session:  # one client, limits and robots.txt for all batches
            for urls in chunks(listed.items, settings.batch_size):
                add_counts(summary, fetch_and_process(urls, batch_no, settings, summary, con, session, force,
                                                      executor))
                done += len(urls)
                progress.report("pages", done, summary.inputs)
                batch_no += 1
