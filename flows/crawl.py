"""The `crawl` flow: seed section or index pages → article links (anchors, feeds, sitemaps)
→ fetch → the pipeline. The crawl source (flows/sources/crawl.py) does the finding."""
from __future__ import annotations

from prefect import flow
from prefect.runtime import flow_run

from flows.artifacts import RunSummary
from flows.pipeline import recorded_run, run_sources
from flows.sources.crawl import seed_urls
from flows.sources.registry import SOURCES
from tasks.errors import ZhnewsError
from tasks.settings import Settings


def crawl_run_name() -> str:
    seeds = flow_run.parameters.get("seeds") or []
    first = seeds[0].split("://", 1)[-1].split("/", 1)[0] if seeds else "none"
    more = f"+{len(seeds) - 1}" if len(seeds) > 1 else ""
    return f"crawl-{first}{more}"


@flow(name="crawl", flow_run_name=crawl_run_name, log_prints=True)
def crawl(seeds: list[str], max_pages: int | None = None, db_path: str | None = None,
          script: str | None = None, batch_size: int | None = None, force: bool = False,
          allow_private_hosts: bool | None = None, user_agent: str | None = None,
          workers: int | None = None, runner: str | None = None,
          dask_address: str | None = None, warehouse_wait: float | None = None) -> RunSummary:
    """From seed section or index pages (URLs, or files listing them), discover article
    links (anchors, advertised RSS/Atom feeds, sitemaps), fetch up to max_pages of them
    and ingest them. Seeds are fetched every time; articles fetched before are fetched
    conditionally (a 304 counts as unchanged)."""
    settings = Settings().with_overrides(
        db_path=db_path, script=script, batch_size=batch_size, crawl_max_pages=max_pages,
        allow_private_hosts=allow_private_hosts, user_agent=user_agent, workers=workers,
        runner=runner, dask_address=dask_address, warehouse_wait=warehouse_wait)
    seeds_found = seed_urls(seeds)  # before the run: a typo costs no run
    if not seeds_found.items and not seeds_found.rejections:
        raise ZhnewsError("no seed URLs given", stage="crawl")
    with recorded_run("crawl", settings) as (warehouse, summary, executor):
        run_sources([(SOURCES["crawl"], seeds_found)], settings, summary, warehouse, force, executor)
    return summary
