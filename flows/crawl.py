"""The `crawl` flow: seed section or index pages → article links (anchors, feeds, sitemaps)
→ fetch → the pipeline. The crawl source (flows/sources/crawl.py) does the finding."""
from __future__ import annotations

from prefect import flow
from prefect.runtime import flow_run

from flows.artifacts import RunSummary
from flows.parameters import DEFAULTS, BatchSize, MaxPages, Runner, Script, Workers, WarehouseWait, documented, flow_settings, run_name
from flows.pipeline import recorded_run, run_policy, run_sources
from flows.sources.crawl import seed_urls
from flows.sources.registry import SOURCES
from tasks.errors import ZhnewsError


def crawl_run_name() -> str:
    seeds = flow_run.parameters.get("seeds") or []
    first = seeds[0].split("://", 1)[-1].split("/", 1)[0] if seeds else "none"
    more = f"+{len(seeds) - 1}" if len(seeds) > 1 else ""
    return run_name("crawl", f"{first}{more}")


@flow(name="crawl", flow_run_name=crawl_run_name, log_prints=True, **run_policy())
@documented
def crawl(seeds: list[str], max_pages: MaxPages = DEFAULTS.crawl_max_pages, db_path: str | None = None,
          script: Script = DEFAULTS.script, batch_size: BatchSize = DEFAULTS.batch_size, force: bool = False,
          allow_private_hosts: bool = DEFAULTS.allow_private_hosts, user_agent: str = DEFAULTS.user_agent,
          workers: Workers = DEFAULTS.workers, runner: Runner = DEFAULTS.runner,
          dask_address: str | None = None,
           warehouse_wait: WarehouseWait = DEFAULTS.warehouse_wait) -> RunSummary:
    """From seed section or index pages (URLs, or files listing them), discover article
    links (anchors, advertised RSS/Atom feeds, sitemaps), fetch up to max_pages of them
    and ingest them. Seeds are fetched every time; articles fetched before are fetched
    conditionally (a 304 counts as unchanged).

    Args:
        seeds: section or index page URLs, or files listing them (one a line)
        force: fetch unconditionally and process pages even if unchanged
    """
    settings = flow_settings(locals())  # locals(): the parameters, nothing else yet
    seeds_found = seed_urls(seeds)  # before the run: a typo costs no run
    if not seeds_found.items and not seeds_found.rejections:
        raise ZhnewsError("no seed URLs given", stage="crawl")
    with recorded_run("crawl", settings, {"seeds": seeds, "force": force}) as (warehouse, summary, executor):
        run_sources([(SOURCES["crawl"], seeds_found)], settings, summary, warehouse, force, executor)
    return summary
