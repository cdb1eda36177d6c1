"""The `ingest` flow: local files through every stage into DuckDB, batch by batch."""
from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows import artifacts, progress
from flows.artifacts import reason_class
from flows.stages import (clean_task, decode_task, dedup_task, extract_task, load_task,
                          normalise_task, read_task)
from tasks.load import WarehouseIndex, finish_run, start_run
from tasks.models import InputRef, RawPage, Rejection, StageResult
from tasks.read import discover_inputs, skip_finished
from tasks.settings import SEEDS_DIR, Settings
from warehouse.db import open_warehouse


@dataclass
class RunSummary:
    run_id: str
    inputs: int = 0
    articles: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejections: Counter = field(default_factory=Counter)  # reason class -> count
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return sum(self.rejections.values())


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def ingest_run_name() -> str:
    params = flow_run.parameters
    inputs = params.get("paths") or ["seeds"]
    first = Path(inputs[0]).name or inputs[0]
    more = f"+{len(inputs) - 1}" if len(inputs) > 1 else ""
    return f"ingest-{first}{more}-{params.get('script') or 'hans'}"


def current_run_id() -> str:
    return str(flow_run.get_id() or uuid.uuid4())


@flow(name="ingest", flow_run_name=ingest_run_name, log_prints=True)
def ingest(paths: list[str] | None = None, db_path: str | None = None, script: str | None = None,
           batch_size: int | None = None, force: bool = False) -> RunSummary:
    """Ingest local .html/.htm/.txt files (directories recursed); seeds/ when no path is given."""
    settings = Settings().with_overrides(db_path=db_path, script=script, batch_size=batch_size)
    logger = get_run_logger()
    started = time.perf_counter()
    summary = RunSummary(run_id=current_run_id())
    db = str(settings.db_path)
    con = open_warehouse(db)  # held open for the run: stage tasks share this DuckDB instance
    status = "failed"
    try:
        start_run(con, summary.run_id, "ingest")
        found = discover_inputs([Path(p) for p in (paths or [str(SEEDS_DIR)])])
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
        for batch_no, refs in enumerate(chunks(found.items, settings.batch_size), start=1):
            counts = process_batch(refs, batch_no, settings, summary.run_id, WarehouseIndex(con), force)
            summary.articles += counts.articles
            summary.duplicates += counts.duplicates
            summary.unchanged += counts.unchanged
            summary.rejections.update(counts.rejection_classes)
            done += len(refs)
            progress.report("pages", done, summary.inputs)
        status = "completed"
    finally:
        summary.seconds = time.perf_counter() - started
        finish_run(con, summary.run_id, status, summary.inputs, summary.articles,
                   summary.duplicates, summary.rejected, summary.unchanged)
        con.close()
        artifacts.publish("ingest", status, summary, artifacts.release(summary.run_id), logger)
    logger.info("ingest: %d inputs, %d articles (%d duplicates), %d rejected, %d unchanged in %.1f s",
                summary.inputs, summary.articles, summary.duplicates, summary.rejected,
                summary.unchanged, summary.seconds)
    return summary


@dataclass
class BatchCounts:
    articles: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejection_classes: Counter = field(default_factory=Counter)


def process_batch(refs: list[InputRef], batch_no: int, settings: Settings, run_id: str,
                  index: WarehouseIndex, force: bool) -> BatchCounts:
    """read, then the rest of the pipeline, for one batch of local files."""
    raw = artifacts.metrics_for(run_id).stage("read", len(refs), read_task, refs, batch_no=batch_no)
    return process_raw(raw, batch_no, settings, run_id, index, force)


def process_raw(raw: StageResult[RawPage], batch_no: int, settings: Settings, run_id: str,
                index: WarehouseIndex, force: bool) -> BatchCounts:
    """decode → extract → clean → normalise → dedup → load, for one batch of raw pages
    (read from files, fetched over HTTP or taken from WARC records)."""
    db = str(settings.db_path)
    metered = artifacts.metrics_for(run_id).stage  # counts and times each stage call
    todo, unchanged = (raw.items, 0) if force else skip_finished(raw.items, index.finished_inputs(
        [p.url for p in raw.items]))
    decoded = metered("decode", len(todo), decode_task, todo, batch_no=batch_no)
    extracted = metered("extract", len(decoded.items), extract_task, decoded.items, batch_no=batch_no)
    cleaned = metered("clean", len(extracted.items), clean_task, extracted.items, batch_no=batch_no,
                      min_chars=settings.min_article_chars, warn_share=settings.rule_warn_share)
    normalised = metered("normalise", len(cleaned.items), normalise_task, cleaned.items, batch_no=batch_no,
                         script=settings.script)
    deduped = metered("dedup", len(normalised.items), dedup_task, normalised.items, batch_no=batch_no,
                      db_path=db)
    rejections = [*raw.rejections, *decoded.rejections, *extracted.rejections, *cleaned.rejections,
                  *normalised.rejections, *deduped.rejections]
    artifacts.metrics_for(run_id).rejections(rejections)
    counts = metered("load", len(deduped.items) + len(rejections), load_task, deduped.items, rejections,
                     batch_no=batch_no, db_path=db, run_id=run_id)
    return BatchCounts(counts.articles, counts.duplicates, unchanged,
                       Counter(reason_class(r) for r in rejections))
