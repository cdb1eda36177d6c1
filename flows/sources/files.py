"""Local .html/.htm/.txt files (directories recursed), read in batches."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flows.sources.base import Batch, Source, SourceRun, chunks
from flows.stages import read_task, whole
from tasks.read import discover_inputs


def batches(run: SourceRun, paths: list[Path]) -> Iterator[Batch]:
    found = discover_inputs(paths)
    run.found(len(found.items) + len(found.rejections))
    if found.rejections:  # named but unreadable, or of an unknown type
        yield Batch(0, len(found.rejections), rejected=found.rejections)
    for refs in chunks(found.items, run.settings.batch_size):
        number = run.next_batch_no()
        pages = run.metered("read", len(refs), read_task, whole(refs), batch_no=number,
                            max_bytes=run.settings.max_file_bytes)
        yield Batch(number, len(refs), pages=pages)


SOURCE = Source("files", batches)
