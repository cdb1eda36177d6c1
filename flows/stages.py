"""The one thin place where pipeline stages become Prefect tasks. Stage logic lives in
tasks/; these wrappers only add Prefect's bookkeeping and open the warehouse."""
from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext, TaskRunContext
from prefect.logging.handlers import APILogHandler
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import opaque

from flows import runners
from tasks import clean, decode, dedup, dedup_index, extract, load, normalise, read, workers
from tasks.models import Article, DecodedPage, DedupedArticle, DedupResult, DedupWrites, ExtractedPage, InputRef
from tasks.models import RawPage, Rejection
from tasks.models import StageResult
from tasks import discover, fetch, warc
from tasks.models import FetchResult, Validators
from tasks.settings import Settings
from warehouse.db import connect as connect_warehouse

class RunLogHandler(APILogHandler):
    """Sends the stages' "zhnews.*" log lines (standard library logging) to the Prefect run
    they happen in, so the UI shows them for every run: from the CLI, `zhnews serve`, a work
    pool or a Dask worker. Outside a run (a stage called from plain Python) a line stays on
    the console, without Prefect's "no flow run id" warning."""

    def emit(self, record: logging.LogRecord) -> None:
        if FlowRunContext.get() or TaskRunContext.get():
            super().emit(record)


if not any(isinstance(h, RunLogHandler) for h in logging.getLogger("zhnews").handlers):
    logging.getLogger("zhnews").addHandler(RunLogHandler())

def connect(db_path: str):
    """The warehouse, with the memory limit and wait of the settings (ZHNEWS_DUCKDB_MEMORY_LIMIT,
    ZHNEWS_WAREHOUSE_WAIT). The pipeline opens a session around these tasks (its --wait
    applies there); their connections share it."""
    settings = Settings()
    return connect_warehouse(db_path, memory_limit=settings.duckdb_memory_limit, wait=settings.warehouse_wait)


# Batches are large and already in memory: hashing them for Prefect's cache would cost
# more than the work, and resume is by the warehouse (finished inputs are skipped).


def _named(name: str, **options):
    # No tags on task runs: in Prefect 3.8 every tagged task run asks the server for
    # concurrency slots first, a round trip that took 40% of a small run's time. The run
    # name says the stage and batch; the flow run carries the tags.
    return task(name=name, cache_policy=NO_CACHE, task_run_name=f"{name}-batch-{{batch_no}}", **options)


def whole(value, cpu: runners.CpuStages = runners.LOCAL):
    """A stage's batch as one opaque value for Prefect: it otherwise walks every page of every
    task argument (twice: to resolve futures and to record task inputs), which cost more
    main-process time than cleaning the pages. The task still receives the value itself.
    Not for a task submitted to Dask, whose graph takes the wrapper for a plain tuple."""
    return value if cpu.remote else opaque(value)


def fetch_retry_policy(settings: Settings) -> dict[str, object]:
    """Prefect retries for a fetch batch whose task failed as a whole (a lost event loop, a
    resolver failure); one URL's errors are retried inside the fetch stage."""
    return {"retries": settings.fetch_task_retries,
            "retry_delay_seconds": exponential_backoff(backoff_factor=settings.fetch_task_retry_delay),
            "retry_jitter_factor": 0.5}  # a delay varies by up to ±50%: retries do not align


@_named("read")
def read_task(refs: list[InputRef], batch_no: int, max_bytes: int = 10 * 1024 * 1024) -> StageResult[RawPage]:
    return read.read_files(refs, max_bytes)


@_named("decode")
def decode_task(pages: list[RawPage], batch_no: int) -> StageResult[DecodedPage]:
    return decode.decode_pages(pages)


@_named("extract")
def extract_task(pages: list[DecodedPage], batch_no: int, executor: "workers.CpuExecutor | None" = None,
                 timeout: float = 5.0, isolate: bool = False) -> StageResult[ExtractedPage]:
    """On the executor's worker processes (each page under `timeout` seconds) when given;
    in this process otherwise. isolate: where no executor can be passed (on a Dask worker),
    this process's own one-worker pool, so each page keeps its time limit there too."""
    if executor is None and isolate:
        executor = workers.pool_for(1)
    if executor is None:
        return extract.extract_pages(pages)
    return workers.extract_with(executor, pages, timeout)


@_named("clean")
def clean_task(pages: list[ExtractedPage], batch_no: int, min_chars: int, warn_share: float,
               executor: "workers.ProcessPool | None" = None) -> StageResult[Article]:
    """On the executor's worker when given (workers.stages_pool), in this process otherwise.
    Its warnings go back with the result: the pipeline counts them for the run."""
    return workers.run_stage(executor, partial(clean.clean_pages, min_chars=min_chars, warn_share=warn_share),
                             pages)


@_named("normalise")
def normalise_task(articles: list[Article], batch_no: int, script: str,
                   executor: "workers.ProcessPool | None" = None) -> StageResult[Article]:
    return workers.run_stage(executor, partial(normalise.normalise_articles, target=script), articles)


@_named("dedup")
def dedup_task(articles: list[Article], batch_no: int, db_path: str,
               config: dedup.DedupConfig = dedup.DedupConfig()) -> DedupResult:
    con = connect(db_path)
    try:
        return dedup.deduplicate(articles, dedup_index.WarehouseIndex(con), config)
    finally:
        con.close()


@_named("load")
def load_task(articles: list[DedupedArticle], rejections: list[Rejection], batch_no: int,
              db_path: str, run_id: str, raw_pages: list[RawPage] | None = None,
              unchanged_urls: list[str] | None = None, dedup_writes: DedupWrites | None = None) -> load.LoadCounts:
    con = connect(db_path)
    try:
        return load.load_batch(con, articles, rejections, run_id, raw_pages, unchanged_urls, dedup_writes)
    finally:
        con.close()


@_named("fetch", **fetch_retry_policy(Settings()))  # Settings() at import: ZHNEWS_FETCH_TASK_* apply
def fetch_task(urls: list[str], batch_no: int, settings: Settings,
               validators: dict[str, Validators] | None = None, session: fetch.FetchSession | None = None,
               purpose: fetch.Purpose = "page") -> FetchResult:
    return fetch.fetch_urls(urls, settings, validators, session, purpose)


@_named("discover")
def discover_task(seed_pages: list[RawPage], documents: list[RawPage], batch_no: int,
                  rules: discover.LinkRules) -> discover.Discovery:
    return discover.discover(seed_pages, documents, rules)


@_named("warc")
def warc_task(path: str, offset: int, limit: int, batch_no: int, max_body_bytes: int) -> warc.WarcBatch:
    return warc.read_warc(Path(path), offset, limit, max_body_bytes)


@_named("read-raw")
def stored_pages_task(after_url: str | None, limit: int, batch_no: int, db_path: str) -> list[RawPage]:
    con = connect(db_path)
    try:
        return load.stored_pages(con, after_url, limit)
    finally:
        con.close()
