"""The `ingest` flow: local files through every stage into DuckDB, batch by batch."""
from __future__ import annotations

import contextvars
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.utilities.annotations import opaque

from flows import artifacts, progress, runners
from flows.artifacts import reason_class
from flows.stages import (clean_task, decode_task, dedup_task, extract_task, load_task,
                          normalise_task, read_task)
from tasks.dedup import DedupConfig
from tasks.load import WarehouseIndex, ensure_banding, finish_run, start_run
from tasks.models import DecodedPage, ExtractedPage, FetchResult, InputRef, RawPage, Rejection, StageResult
from tasks.read import discover_inputs, skip_finished
from tasks.settings import SEEDS_DIR, Settings
from tasks.warc import split_warc_paths
from tasks.workers import STAGES_POOL_MIN_PAGES, CpuExecutor, close_pools, pool_for, stages_pool
from warehouse.db import open_warehouse


@dataclass
class RunSummary:
    run_id: str
    inputs: int = 0
    articles: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejections: Counter = field(default_factory=Counter)  # reason class -> count
    kept: int = 0  # of the rejected: inputs whose stored article was kept (articles.last_error)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return sum(self.rejections.values())


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def ingest_run_name() -> str:
    params = flow_run.parameters
    inputs = params.get("paths") or ([params["urls_file"]] if params.get("urls_file") else ["seeds"])
    first = Path(inputs[0]).name or inputs[0]
    more = f"+{len(inputs) - 1}" if len(inputs) > 1 else ""
    return f"ingest-{first}{more}-{params.get('script') or 'hans'}"


def current_run_id() -> str:
    return str(flow_run.get_id() or uuid.uuid4())


@contextmanager
def recorded_run(flow_name: str, settings: Settings) -> Iterator[tuple[object, RunSummary, CpuExecutor]]:
    """A flow run's warehouse connection, summary and extraction workers; the runs row,
    the artifacts and the closing log line, whatever happens inside."""
    logger = get_run_logger()
    artifacts.tag_flow_run(flow_name, logger)
    started = time.perf_counter()
    summary = RunSummary(run_id=current_run_id())
    con = open_warehouse(str(settings.db_path))
    executor = pool_for(settings.workers, prestart=0)  # workers start when a batch has pages for them
    status = "failed"
    try:
        start_run(con, summary.run_id, flow_name)
        runners.start(summary.run_id, settings)  # --runner dask: extract, clean, normalise on Dask
        dedup_config = DedupConfig(settings.dedup_threshold, settings.dedup_num_perm)
        ensure_banding(con, dedup_config.banding.bands, dedup_config.banding.rows, dedup_config.num_perm)
        yield con, summary, executor
        status = "completed"
    finally:
        runners.stop(summary.run_id)
        close_pools()  # the extraction workers and the clean/normalise worker
        summary.seconds = time.perf_counter() - started
        finish_run(con, summary.run_id, status, summary.inputs, summary.articles,
                   summary.duplicates, summary.rejected, summary.unchanged)
        con.close()
        artifacts.publish(flow_name, status, summary, artifacts.release(summary.run_id), logger)
    logger.info("%s: %d inputs, %d articles (%d duplicates), %d rejected, %d unchanged in %.1f s",
                flow_name, summary.inputs, summary.articles, summary.duplicates, summary.rejected,
                summary.unchanged, summary.seconds)


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
            from flows.crawl import ingest_remote  # flows.crawl imports this module

            ingest_remote(warc_files, urls_file, settings, summary, con, force, executor, done,
                          first_batch_no=len(chunks(found.items, settings.batch_size)) + 1)
    return summary


@dataclass
class BatchCounts:
    articles: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejection_classes: Counter = field(default_factory=Counter)
    kept: int = 0


def pipelined_batches(refs: list[InputRef], settings: Settings, run_id: str, con, force: bool,
                      executor: CpuExecutor):
    """Yield (inputs, BatchCounts) per batch, in order. Three batches overlap: a read-ahead
    thread reads and decodes batch N+1 while an extraction thread keeps the workers on batch
    N and this thread cleans, dedups and loads batch N-1. Reading and decoding on their own
    thread means the workers never wait for them between batches. At most three batches
    are in memory: one finishing, one extracting, one read."""
    cursor = con.cursor()  # DuckDB connections are not shared across threads; cursors are
    index = WarehouseIndex(cursor)
    reader = ThreadPoolExecutor(1, thread_name_prefix="zhnews-read-ahead")
    extractor = ThreadPoolExecutor(1, thread_name_prefix="zhnews-extract")

    def start(batch_no: int, batch: list[InputRef]) -> Future[ExtractedBatch]:
        # Prefect's run context travels with each call: its tasks stay in this flow run.
        decoded = reader.submit(contextvars.copy_context().run, read_and_decode, batch, batch_no,
                                settings, run_id, index, force)
        return extractor.submit(contextvars.copy_context().run,
                                lambda: extract_batch(decoded.result(), settings, run_id, executor))

    try:
        pending: tuple[int, Future[ExtractedBatch]] | None = None
        for batch_no, batch in enumerate(chunks(refs, settings.batch_size), start=1):
            future = start(batch_no, batch)
            if pending is not None:
                yield pending[0], finish_batch(pending[1].result(), settings, run_id)
            pending = (len(batch), future)
        if pending is not None:
            yield pending[0], finish_batch(pending[1].result(), settings, run_id)
    finally:
        extractor.shutdown(wait=True, cancel_futures=True)
        reader.shutdown(wait=True, cancel_futures=True)
        cursor.close()


@dataclass
class ExtractedBatch:
    """A batch after extraction, with what earlier stages rejected."""

    batch_no: int
    extracted: StageResult[ExtractedPage]
    rejections: list[Rejection]
    unchanged: int
    raw_pages: list[RawPage] = field(default_factory=list)  # for raw_pages (fetched, WARC)
    unchanged_urls: list[str] = field(default_factory=list)


@dataclass
class DecodedBatch:
    """A batch after decoding, with what earlier stages rejected."""

    batch_no: int
    decoded: StageResult[DecodedPage]
    rejections: list[Rejection]
    unchanged: int
    raw_pages: list[RawPage] = field(default_factory=list)
    unchanged_urls: list[str] = field(default_factory=list)


def read_and_decode(refs: list[InputRef], batch_no: int, settings: Settings, run_id: str,
                    index: WarehouseIndex, force: bool) -> DecodedBatch:
    raw = artifacts.metrics_for(run_id).stage("read", len(refs), read_task, whole(refs), batch_no=batch_no,
                                               max_bytes=settings.max_file_bytes)
    return decode_batch(raw, batch_no, run_id, index, force)


def process_raw(raw: StageResult[RawPage], batch_no: int, settings: Settings, run_id: str,
                index: WarehouseIndex, force: bool, executor: CpuExecutor | None = None) -> BatchCounts:
    """decode → extract → clean → normalise → dedup → load, for one batch of raw pages
    (read from files, fetched over HTTP or taken from WARC records). With an executor,
    extraction runs on its worker processes under settings.extract_timeout per page."""
    decoded = decode_batch(raw, batch_no, run_id, index, force)
    return finish_batch(extract_batch(decoded, settings, run_id, executor), settings, run_id)


def whole(value, cpu: runners.CpuStages = runners.LOCAL):
    """A stage's batch as one opaque value for Prefect: it otherwise walks every page of every
    task argument (twice: to resolve futures and to record task inputs), which cost more
    main-process time than cleaning the pages. The task still receives the value itself.
    Not for a task submitted to Dask, whose graph takes the wrapper for a plain tuple."""
    return value if cpu.remote else opaque(value)


def decode_batch(raw: StageResult[RawPage], batch_no: int, run_id: str, index: WarehouseIndex,
                 force: bool) -> DecodedBatch:
    metered = artifacts.metrics_for(run_id).stage  # counts and times each stage call
    todo, unchanged = (raw.items, 0) if force else skip_finished(raw.items, index.finished_inputs(
        [p.url for p in raw.items]))
    decoded = metered("decode", len(todo), decode_task, whole(todo), batch_no=batch_no)
    stored, unchanged_urls = raw_page_updates(raw, todo, decoded.items)
    not_modified = raw.not_modified if isinstance(raw, FetchResult) else []  # 304s: unchanged too
    return DecodedBatch(batch_no, decoded, [*raw.rejections, *decoded.rejections],
                        unchanged + len(not_modified), stored, unchanged_urls)


def extract_batch(batch: DecodedBatch, settings: Settings, run_id: str,
                  executor: CpuExecutor | None) -> ExtractedBatch:
    decoded = batch.decoded
    cpu = runners.for_run(run_id)  # on Dask, the extract task isolates pages on the Dask worker
    extracted = artifacts.metrics_for(run_id).stage(
        "extract", len(decoded.items), cpu.call(extract_task), whole(decoded.items, cpu), batch_no=batch.batch_no,
        executor=None if cpu.remote else executor, timeout=settings.extract_timeout, isolate=cpu.remote)
    return ExtractedBatch(batch.batch_no, extracted, batch.rejections, batch.unchanged, batch.raw_pages,
                          batch.unchanged_urls)


def raw_page_updates(raw: StageResult[RawPage], todo: list[RawPage],
                     decoded: list[DecodedPage]) -> tuple[list[RawPage], list[str]]:
    """What raw_pages gets from a batch: fetched or archived pages that went on to decode
    (with the codec it chose), and URLs found unchanged (the same bytes, or a 304)."""
    codecs = {page.url: page.encoding for page in decoded}
    stored = [page for page in todo if page.origin]
    for page in stored:
        page.encoding = codecs.get(page.url)
    going_on = {id(page) for page in todo}
    unchanged = [page.url for page in raw.items if page.origin and id(page) not in going_on]
    return stored, [*unchanged, *(raw.not_modified if isinstance(raw, FetchResult) else [])]


def finish_batch(batch: ExtractedBatch, settings: Settings, run_id: str) -> BatchCounts:
    """clean → normalise → dedup → load, for one extracted batch."""
    db = str(settings.db_path)
    batch_no, extracted, unchanged = batch.batch_no, batch.extracted, batch.unchanged
    metered = artifacts.metrics_for(run_id).stage
    cpu = runners.for_run(run_id)  # here, or on Dask with --runner dask
    # Locally, clean and normalise of a batch of some size run on a worker process of their
    # own (tasks.workers.stages_pool); a small batch costs less here than shipped there.
    here = {"executor": stages_pool()} if not cpu.remote and len(extracted.items) >= STAGES_POOL_MIN_PAGES else {}
    cleaned = metered("clean", len(extracted.items), cpu.call(clean_task), whole(extracted.items, cpu),
                      batch_no=batch_no, min_chars=settings.min_article_chars, warn_share=settings.rule_warn_share,
                      **here)
    normalised = metered("normalise", len(cleaned.items), cpu.call(normalise_task), whole(cleaned.items, cpu),
                         batch_no=batch_no, script=settings.script, **here)
    deduped = metered("dedup", len(normalised.items), dedup_task, whole(normalised.items), batch_no=batch_no,
                      db_path=db, config=DedupConfig(settings.dedup_threshold, settings.dedup_num_perm))
    rejections = [*batch.rejections, *extracted.rejections, *cleaned.rejections,
                  *normalised.rejections, *deduped.rejections]
    artifacts.metrics_for(run_id).rejections(rejections)
    counts = metered("load", len(deduped.items) + len(rejections), load_task, whole(deduped.items),
                     whole(rejections), batch_no=batch_no, db_path=db, run_id=run_id,
                     raw_pages=whole(batch.raw_pages), unchanged_urls=whole(batch.unchanged_urls))
    return BatchCounts(counts.articles, counts.duplicates, unchanged,
                       Counter(reason_class(r) for r in rejections), counts.kept)
