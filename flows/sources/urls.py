"""A URL list (one URL a line), fetched in batches: conditionally (ETag, Last-Modified)
where fetched before, unless forced."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flows.sources.base import Batch, Source, SourceRun, chunks
from flows.stages import fetch_task
from tasks.fetch import FetchSession, read_url_list
from tasks.load import stored_validators
from tasks.models import FetchResult


def fetch_batch(run: SourceRun, urls: list[str], number: int, session: FetchSession) -> FetchResult:
    """One batch of URLs, fetched conditionally if fetched before and not forced."""
    validators = {}
    if not run.force:
        with run.warehouse.session() as con:
            validators = stored_validators(con, urls)
    return run.metered("fetch", len(urls), fetch_task, urls, batch_no=number, settings=run.settings,
                       validators=validators, session=session)


def batches(run: SourceRun, urls_file: str | Path) -> Iterator[Batch]:
    listed = read_url_list(Path(urls_file))
    run.found(len(listed.items) + len(listed.rejections))
    if listed.rejections:  # bad lines of the list
        yield Batch(0, len(listed.rejections), rejected=listed.rejections)
    with FetchSession(run.settings) as session:  # one client, limits and robots.txt for all batches
        for urls in chunks(listed.items, run.settings.batch_size):
            number = run.next_batch_no()
            yield Batch(number, len(urls), pages=fetch_batch(run, urls, number, session))


SOURCE = Source("urls", batches)
