"""What every source gives the pipeline: batches of pages, through one small interface.

A source is a name and a function from the run (`SourceRun`) and what to read (paths,
a URL list, seed URLs, nothing) to an iterator of `Batch`es. The pipeline
(flows/pipeline.py) takes the batches one at a time, on its read-ahead thread, so a
source's reading and fetching overlap the previous batches' extraction."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from flows import artifacts
from tasks.dedup_index import WarehouseIndex
from tasks.models import ExtractedPage, RawPage, Rejection, StageResult
from tasks.settings import Settings
from warehouse.db import Warehouse

R = TypeVar("R")


@dataclass
class Batch:
    """One batch of a source: its number (task runs are named STAGE-batch-N) and how many
    inputs it settles, with either the pages read, fetched or archived (they enter at
    decode), or pages whose text the source already has (they enter at clean), or only
    inputs refused before any page existed (they go straight to load)."""

    number: int
    inputs: int
    pages: StageResult[RawPage] | None = None  # a FetchResult when fetched (its 304s count as unchanged)
    extracted: StageResult[ExtractedPage] | None = None
    rejected: list[Rejection] = field(default_factory=list)


@dataclass
class SourceRun:
    """What a source may use while it reads: the run's settings and id, the warehouse (open
    it for a lookup only: `with run.warehouse.session() as con`, or `run.index()`), whether
    to redo finished inputs, and `found`, to call with the number of inputs as soon as it
    knows them (the progress bar and the runs row count them)."""

    settings: Settings
    run_id: str
    warehouse: Warehouse
    force: bool
    found: Callable[[int], None]
    last_batch_no: int = 0

    def next_batch_no(self) -> int:
        """Batches are numbered through the run, across its sources, from 1."""
        self.last_batch_no += 1
        return self.last_batch_no

    @contextmanager
    def index(self) -> Iterator[WarehouseIndex]:
        """The warehouse's lookups, on a connection held for the with block only."""
        with self.warehouse.session() as con:
            yield WarehouseIndex(con)

    def metered(self, stage: str, pages_in: int, call: Callable[..., R], *args, **kwargs) -> R:
        """A stage call counted and timed in the run's artifacts."""
        return artifacts.metrics_for(self.run_id).stage(stage, pages_in, call, *args, **kwargs)


@dataclass(frozen=True)
class Source:
    """An input kind. `batches(run, what)` reads it. For `zhnews ingest PATHS`, `claim`
    takes the paths it reads out of the given ones: (its own, the rest); the local-files
    source reads what no other source claims."""

    name: str
    batches: Callable[[SourceRun, Any], Iterator[Batch]]
    claim: Callable[[list[Path]], tuple[list[Path], list[Path]]] | None = None


def warehouse_of(settings: Settings) -> Warehouse:
    """The run's warehouse: its file, memory limit and how long to wait for it (--wait)."""
    return Warehouse(settings.db_path, settings.duckdb_memory_limit, settings.warehouse_wait)


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]
