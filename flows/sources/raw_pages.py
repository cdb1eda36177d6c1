"""The pages stored in raw_pages (fetched or archived earlier), in URL order, no fetching."""
from __future__ import annotations

from collections.abc import Iterator

from flows.sources.base import Batch, Source, SourceRun
from flows.stages import stored_pages_task
from tasks.models import FetchResult


def batches(run: SourceRun, _: object = None) -> Iterator[Batch]:
    with run.warehouse.session() as con:
        run.found(con.execute("SELECT count(*) FROM raw_pages").fetchone()[0])
    after: str | None = None
    while True:
        number = run.next_batch_no()
        with run.warehouse.session():  # the task's connection shares it, waiting as the run waits
            pages = stored_pages_task(after, run.settings.batch_size, batch_no=number,
                                      db_path=str(run.settings.db_path))
        if not pages:
            return
        after = pages[-1].url
        yield Batch(number, len(pages), pages=FetchResult(items=pages))


SOURCE = Source("raw_pages", batches)
