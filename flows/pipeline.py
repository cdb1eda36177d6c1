"""The one pipeline every flow runs: decode → extract → clean → normalise → dedup → load,
batch by batch, over the batches of the run's sources (flows/sources/), with the run's
warehouse, summary and artifacts around it. The run holds the warehouse's writer lock
throughout, the DuckDB file itself only for a batch's lookups and commit: readers
(stats, query, export) get in between batches. The flows (ingest, crawl,
reprocess) only choose their sources."""
from __future__ import annotations

import atexit
import contextvars
import gc
import signal
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from prefect import get_run_logger
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run

from flows import alerts, artifacts, progress, run_state, runners
from flows.artifacts import RunSummary, reason_class
from flows.sources.base import Batch, Source, SourceRun, warehouse_of
from flows.stages import clean_task, decode_task, dedup_task, extract_task, load_task, normalise_task, whole
from tasks.dedup import DedupConfig
from tasks import clean, normalise
from tasks.dedup_index import ensure_banding
from tasks.load import finish_run, reconcile_runs, record_run_settings, start_run
from tasks.models import DecodedPage, ExtractedPage, FetchResult, RawPage, Rejection, StageResult
from tasks.read import skip_finished
from tasks.settings import Settings, resolved
from tasks.workers import STAGES_POOL_MIN_PAGES, CpuExecutor, close_pools, pool_for, stages_pool
from warehouse.counters import write_run_counters
from warehouse.db import Warehouse, migrate, writer_lock


def release_native_objects() -> None:
    """At exit, before the interpreter's teardown: DuckDB's bindings (nanobind) list every
    object of theirs still alive then ("nanobind: leaked ..."), some 40 lines on a
    terminal or a worker's log. A failed run's error stays in Prefect's state with its
    traceback, whose frames hold the connections of the stages it went through: those
    frames are cleared (they have all returned by now), then collected; the OpenCC
    converters are freed too."""
    normalise.release_converters()
    for thing in gc.get_objects():
        if isinstance(thing, BaseException) and thing.__traceback__ is not None:
            traceback.clear_frames(thing.__traceback__)
    gc.collect()


atexit.register(release_native_objects)


def run_policy() -> dict[str, Any]:
    """Each flow's Prefect retries and time limit, from the settings (ZHNEWS_FLOW_RETRIES,
    ZHNEWS_FLOW_RETRY_DELAY, ZHNEWS_FLOW_TIMEOUT). A retry is the same run again: inputs an
    attempt finished are skipped, so it redoes only what failed."""
    settings = Settings()
    return {"retries": settings.flow_retries, "retry_delay_seconds": settings.flow_retry_delay,
            "timeout_seconds": settings.flow_timeout}


def current_run_id() -> str:
    return str(flow_run.get_id() or uuid.uuid4())


@contextmanager
def recorded_run(flow_name: str, settings: Settings,
                 inputs: dict[str, Any]) -> Iterator[tuple[Warehouse, RunSummary, CpuExecutor]]:
    """A flow run's warehouse (its writer lock held throughout), summary and extraction
    workers; the runs row (with the settings and inputs it ran with), the artifacts and the
    closing log line, whatever happens inside."""
    logger = get_run_logger()
    artifacts.tag_flow_run(flow_name, logger)
    started = time.perf_counter()
    summary = RunSummary(run_id=current_run_id())
    warehouse = warehouse_of(settings)
    # The file is closed (released) before the writer lock: the next run opens a closed file.
    with writer_lock(settings.db_path, settings.warehouse_wait), warehouse.held():
        with warehouse.session() as con:
            migrate(con)  # once a run: a batch's session opens the file without it
            crashed = reconcile_runs(con)  # earlier runs left `running` by a process now gone
        if crashed:
            run_state.crash_in_prefect(crashed, logger)
        executor = pool_for(settings.workers, prestart=0)  # workers start when a batch has pages for them
        status = "crashed"  # unless the run ends, or fails, where this process can say so
        try:
            dedup_config = DedupConfig(settings.dedup_threshold, settings.dedup_num_perm)
            with warehouse.session() as con:
                start_run(con, summary.run_id, flow_name)
                record_run_settings(con, summary.run_id, resolved(settings, **inputs))
                ensure_banding(con, dedup_config.banding.bands, dedup_config.banding.rows, dedup_config.num_perm)
            runners.start(summary.run_id, settings)  # --runner dask: extract, clean, normalise on Dask
            yield warehouse, summary, executor
            status = "completed"
        except BaseException as exc:
            status = run_state.ending_status(exc, summary.run_id)
            if status == "crashed" and isinstance(exc, Exception):
                # Ctrl-C that DuckDB or a task run turned into an error: Prefect records what
                # the runs row says (CRASHED, not FAILED), and does not retry it.
                raise KeyboardInterrupt from exc
            if status == "cancelled" and isinstance(exc, Exception):
                # A cancel's SIGTERM that DuckDB turned into an error: Prefect ends the run
                # as cancelled, not failed, and does not retry it.
                raise TerminationSignal(signal.SIGTERM) from exc
            raise
        finally:
            runners.stop(summary.run_id)
            close_pools()  # the extraction workers and the clean/normalise worker
            summary.seconds = time.perf_counter() - started
            metrics = artifacts.release(summary.run_id)
            with warehouse.session() as con:
                finish_run(con, summary.run_id, status, summary.inputs, summary.articles,
                           summary.duplicates, summary.rejected, summary.unchanged)
                write_run_counters(con, summary.run_id, metrics.stage_rows(), metrics.rule_rows())
            heavy = metrics.heavy_cleaning_line(settings.rule_warn_share)
            if heavy:
                clean.log.warning(heavy)  # the run's one line, where each page had one
            alerts.emit_quality_events(alerts.quality_events(flow_name, status, summary, metrics,
                                                             settings.alert_rejection_share), summary.run_id, logger)
            artifacts.publish(flow_name, status, summary, metrics, logger)
    logger.info("%s: %d inputs, %d articles (%d duplicates), %d rejected, %d unchanged in %.1f s",
                flow_name, summary.inputs, summary.articles, summary.duplicates, summary.rejected,
                summary.unchanged, summary.seconds)


def run_sources(sources: Iterable[tuple[Source, Any]], settings: Settings, summary: RunSummary,
                warehouse: Warehouse, force: bool, executor: CpuExecutor) -> None:
    """Every batch of the sources, in order, through the pipeline, counted into summary.
    Four batches overlap, each stage on a thread of its own: a read-ahead thread takes batch
    N+2 from its source (reading, fetching) and decodes it, an extraction thread keeps the
    workers on batch N+1, a cleaning thread has batch N cleaned and normalised, and this
    thread dedups and loads batch N-1. The workers never wait for reading and decoding
    between batches, nor for dedup and load (which take the warehouse in batch order, here).
    At most four batches are in memory."""
    done = [0]

    def found(inputs: int) -> None:
        summary.inputs += inputs
        progress.report("pages", done[0], summary.inputs)

    run = SourceRun(settings, summary.run_id, warehouse, force, found)
    batches = chained(source.batches(run, what) for source, what in sources)
    reader = ThreadPoolExecutor(1, thread_name_prefix="zhnews-read-ahead")
    extractor = ThreadPoolExecutor(1, thread_name_prefix="zhnews-extract")
    cleaner = ThreadPoolExecutor(1, thread_name_prefix="zhnews-clean")

    def start() -> Future[tuple[Batch, PreparedBatch | None] | None]:
        # Prefect's run context travels with each call: its tasks stay in this flow run.
        decoded = reader.submit(contextvars.copy_context().run, take_and_decode, batches, run)
        extracted = extractor.submit(contextvars.copy_context().run,
                                     lambda: extract_next(decoded.result(), settings, summary.run_id, executor))
        return cleaner.submit(contextvars.copy_context().run,
                              lambda: prepare_next(extracted.result(), settings, summary.run_id))

    try:
        current, following = start(), start()
        while True:
            after = start()  # queued behind these two batches on every thread
            taken = current.result()
            if taken is None:
                break
            batch, prepared = taken
            counts = (load_prepared(prepared, settings, summary.run_id) if prepared is not None
                      else load_rejections(batch, settings, summary.run_id))
            add_counts(summary, counts)
            done[0] += batch.inputs
            progress.report("pages", done[0], summary.inputs)
            progress.stop_if_interrupted()
            current, following = following, after
    finally:
        for thread in (cleaner, extractor, reader):
            thread.shutdown(wait=True, cancel_futures=True)
        batches.close()  # a source's open files and HTTP client


def chained(sources: Iterable[Iterator[Batch]]) -> Iterator[Batch]:
    for batches in sources:
        yield from batches


def take_and_decode(batches: Iterator[Batch],
                    run: SourceRun) -> tuple[Batch, DecodedBatch | ExtractedBatch | None] | None:
    """The source's next batch (None at the end), decoded: pages the source read or
    fetched, unless finished before; pages it already extracted are only checked for that."""
    batch = next(batches, None)
    if batch is None:
        return None
    if batch.pages is not None:
        return batch, decode_batch(batch.pages, batch.number, run)
    if batch.extracted is not None:
        pages = batch.extracted
        todo, unchanged = unfinished(pages.items, run)
        return batch, ExtractedBatch(batch.number, StageResult(items=todo, warnings=pages.warnings),
                                     list(pages.rejections), unchanged)
    return batch, None


def extract_next(taken: tuple[Batch, DecodedBatch | ExtractedBatch | None] | None, settings: Settings,
                 run_id: str, executor: CpuExecutor | None) -> tuple[Batch, ExtractedBatch | None] | None:
    if taken is None or not isinstance(taken[1], DecodedBatch):
        return taken  # the end, an already extracted batch, or rejections only
    return taken[0], extract_batch(taken[1], settings, run_id, executor)


def prepare_next(taken: tuple[Batch, ExtractedBatch | None] | None, settings: Settings,
                 run_id: str) -> tuple[Batch, PreparedBatch | None] | None:
    if taken is None or taken[1] is None:
        return taken  # the end, or rejections only
    return taken[0], prepare_batch(taken[1], settings, run_id)


@dataclass
class BatchCounts:
    articles: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejection_classes: Counter = field(default_factory=Counter)
    kept: int = 0


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


def unfinished(pages: list, run: SourceRun) -> tuple[list, int]:
    """The pages no earlier run finished with these bytes (all of them when forced), and how
    many were skipped."""
    if run.force:
        return pages, 0
    with run.index() as index:
        finished = index.finished_inputs([p.url for p in pages])
    return skip_finished(pages, finished)


def decode_batch(raw: StageResult[RawPage], batch_no: int, run: SourceRun) -> DecodedBatch:
    metered = artifacts.metrics_for(run.run_id).stage  # counts and times each stage call
    todo, unchanged = unfinished(raw.items, run)
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


@dataclass
class PreparedBatch:
    """A batch cleaned and normalised, ready for dedup and load."""

    extracted: ExtractedBatch
    cleaned: StageResult[ExtractedPage]
    normalised: StageResult


def prepare_batch(batch: ExtractedBatch, settings: Settings, run_id: str) -> PreparedBatch:
    """clean → normalise: nothing here touches the warehouse, so it runs ahead of the batch
    before it being loaded."""
    batch_no, extracted = batch.batch_no, batch.extracted
    metered = artifacts.metrics_for(run_id).stage
    cpu = runners.for_run(run_id)  # here, or on Dask with --runner dask
    # Locally, clean and normalise of a batch of some size run on a worker process of their
    # own (tasks.workers.stages_pool); a small batch costs less here than shipped there.
    here = {"executor": stages_pool()} if not cpu.remote and len(extracted.items) >= STAGES_POOL_MIN_PAGES else {}
    cleaned = metered("clean", len(extracted.items), cpu.call(clean_task), whole(extracted.items, cpu),
                      batch_no=batch_no, min_chars=settings.min_article_chars, warn_share=settings.rule_warn_share,
                      **here)
    for warning in artifacts.metrics_for(run_id).cleaning_warnings(cleaned.warnings):
        clean.log.warning(warning)  # heavy cleaning is counted for the run's one line instead
    normalised = metered("normalise", len(cleaned.items), cpu.call(normalise_task), whole(cleaned.items, cpu),
                         batch_no=batch_no, script=settings.script, **here)
    return PreparedBatch(batch, cleaned, normalised)


def load_prepared(prepared: PreparedBatch, settings: Settings, run_id: str) -> BatchCounts:
    """dedup → load, for one batch, in batch order (the caller's)."""
    db = str(settings.db_path)
    batch, cleaned, normalised = prepared.extracted, prepared.cleaned, prepared.normalised
    batch_no, extracted, unchanged = batch.batch_no, batch.extracted, batch.unchanged
    metered = artifacts.metrics_for(run_id).stage
    # The file is held from dedup's lookups to load's commit (the tasks' connections share
    # this session's): no other writer's batch can land in between.
    with warehouse_of(settings).session():
        deduped = metered("dedup", len(normalised.items), dedup_task, whole(normalised.items), batch_no=batch_no,
                          db_path=db, config=DedupConfig(settings.dedup_threshold, settings.dedup_num_perm))
        rejections = [*batch.rejections, *extracted.rejections, *cleaned.rejections,
                      *normalised.rejections, *deduped.rejections]
        artifacts.metrics_for(run_id).rejections(rejections)
        counts = metered("load", len(deduped.items) + len(rejections), load_task, whole(deduped.items),
                         whole(rejections), batch_no=batch_no, db_path=db, run_id=run_id,
                         raw_pages=whole(batch.raw_pages), unchanged_urls=whole(batch.unchanged_urls),
                         dedup_writes=whole(deduped.writes))
    artifacts.metrics_for(run_id).loaded([a.article.url for a in deduped.items])
    return BatchCounts(counts.articles, counts.duplicates, unchanged,
                       Counter(reason_class(r) for r in rejections), counts.kept)


def add_counts(summary: RunSummary, counts: BatchCounts) -> None:
    summary.articles += counts.articles
    summary.duplicates += counts.duplicates
    summary.unchanged += counts.unchanged
    summary.kept += counts.kept
    summary.rejections.update(counts.rejection_classes)


def load_rejections(batch: Batch, settings: Settings, run_id: str) -> BatchCounts:
    """Inputs refused before any page existed (unreadable files, bad lines of a URL list)
    go straight to load."""
    metrics = artifacts.metrics_for(run_id)
    metrics.rejections(batch.rejected)
    with warehouse_of(settings).session():  # the task's connection shares it, waiting as the run waits
        metrics.stage("load", len(batch.rejected), load_task, articles=[], rejections=batch.rejected,
                      batch_no=batch.number, db_path=str(settings.db_path), run_id=run_id)
    return BatchCounts(rejection_classes=Counter(reason_class(r) for r in batch.rejected))
