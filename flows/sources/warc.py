"""WARC files (.warc, .warc.gz; also those inside given directories): their response
records in batches."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flows.sources.base import Batch, Source, SourceRun
from flows.stages import warc_task
from tasks.warc import split_warc_paths


def batches(run: SourceRun, paths: list[Path]) -> Iterator[Batch]:
    for path in paths:
        offset: int | None = 0
        while offset is not None:
            number = run.next_batch_no()
            batch = warc_task(str(path), offset, run.settings.batch_size, batch_no=number,
                              max_body_bytes=run.settings.max_body_bytes)
            size = len(batch.pages.items) + len(batch.pages.rejections)
            run.found(size)
            yield Batch(number, size, pages=batch.pages)
            offset = batch.next_offset


SOURCE = Source("warc", batches, claim=split_warc_paths)
