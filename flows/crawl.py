"""Pages from where they live: the `crawl` flow (seed section pages → article links →
fetch → pipeline), the URL-list and WARC paths of `ingest`, and the `reprocess` flow
(raw_pages → pipeline, no fetching). After fetching, every path reuses the ingest flow's
process_raw, so fetched, archived and local pages go through the same stages."""
from __future__ import annotations

from pathlib import Path

import httpx
from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows import artifacts, progress
from flows.artifacts import reason_class
from flows.ingest import BatchCounts, RunSummary, chunks, process_raw, recorded_run
from flows.stages import discover_task, fetch_task, load_task, stored_pages_task, warc_task
from tasks.discover import LinkRules, select_links
from tasks.errors import ZhnewsError
from tasks.fetch import FetchSession, HostState, origin_of, read_url_list, url_problem
from tasks.load import WarehouseIndex, stored_validators
from tasks.models import DiscoveredLink, FetchResult, Rejection, StageResult
from tasks.settings import Settings
from tasks.workers import CpuExecutor

MAX_NESTED_SITEMAPS = 20  # of a sitemap index, newest first where it says


def add_counts(summary: RunSummary, counts: BatchCounts) -> None:
    summary.articles += counts.articles
    summary.duplicates += counts.duplicates
    summary.unchanged += counts.unchanged
    summary.kept += counts.kept
    summary.rejections.update(counts.rejection_classes)


def load_rejections(rejections: list[Rejection], summary: RunSummary, settings: Settings, batch_no: int) -> None:
    """Rejections found before any page exists (bad lines of a URL list) go straight to load."""
    if not rejections:
        return
    metrics = artifacts.metrics_for(summary.run_id)
    metrics.rejections(rejections)
    metrics.stage("load", len(rejections), load_task, articles=[], rejections=rejections, batch_no=batch_no,
                  db_path=str(settings.db_path), run_id=summary.run_id)
    summary.rejections.update(reason_class(r) for r in rejections)


def fetch_and_process(urls: list[str], batch_no: int, settings: Settings, summary: RunSummary, con,
                      session: FetchSession, force: bool, executor: CpuExecutor | None) -> BatchCounts:
    """One batch of URLs: fetched (conditionally, if fetched before and not forced), then
    the pipeline."""
    validators = {} if force else stored_validators(con, urls)
    fetched = artifacts.metrics_for(summary.run_id).stage(
        "fetch", len(urls), fetch_task, urls, batch_no=batch_no, settings=settings,
        validators=validators, session=session)
    return process_raw(fetched, batch_no, settings, summary.run_id, WarehouseIndex(con), force, executor)


def ingest_remote(warc_files: list[Path], urls_file: str | None, settings: Settings, summary: RunSummary,
                  con, force: bool, executor: CpuExecutor | None, done: int, first_batch_no: int) -> None:
    """The ingest flow's WARC files and URL list, batch by batch, after its local files."""
    batch_no = first_batch_no
    for path in warc_files:
        offset: int | None = 0
        while offset is not None:
            batch = warc_task(str(path), offset, settings.batch_size, batch_no=batch_no,
                              max_body_bytes=settings.max_body_bytes)
            size = len(batch.pages.items) + len(batch.pages.rejections)
            summary.inputs += size
            add_counts(summary, process_raw(batch.pages, batch_no, settings, summary.run_id,
                                            WarehouseIndex(con), force, executor))
            done += size
            progress.report("pages", done, summary.inputs)
            offset, batch_no = batch.next_offset, batch_no + 1
    if urls_file:
        listed = read_url_list(Path(urls_file))
        summary.inputs += len(listed.items) + len(listed.rejections)
        load_rejections(listed.rejections, summary, settings, batch_no)
        done += len(listed.rejections)
        with FetchSession(settings) as session:  # one client, limits and robots.txt for all batches
            for urls in chunks(listed.items, settings.batch_size):
                add_counts(summary, fetch_and_process(urls, batch_no, settings, summary, con, session, force,
                                                      executor))
                done += len(urls)
                progress.report("pages", done, summary.inputs)
                batch_no += 1


def seed_urls(seeds: list[str]) -> StageResult[str]:
    """Seed URLs as given, and those listed in files (any seed without "://" is a file)."""
    result: StageResult[str] = StageResult()
    for seed in seeds:
        if "://" in seed:
            problem = url_problem(seed)
            listed = StageResult(items=[seed]) if problem is None else StageResult(
                rejections=[Rejection(seed, "fetch", problem)])
        else:
            if not Path(seed).is_file():
                raise ZhnewsError(f"{seed} is neither a URL nor a file of seed URLs", stage="crawl")
            listed = read_url_list(Path(seed))
        result.items.extend(u for u in listed.items if u not in result.items)
        result.rejections.extend(listed.rejections)
    return result


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
          dask_address: str | None = None) -> RunSummary:
    """From seed section or index pages (URLs, or files listing them), discover article
    links (anchors, advertised RSS/Atom feeds, sitemaps), fetch up to max_pages of them
    and ingest them. Seeds are fetched every time; articles fetched before are fetched
    conditionally (a 304 counts as unchanged)."""
    settings = Settings().with_overrides(
        db_path=db_path, script=script, batch_size=batch_size, crawl_max_pages=max_pages,
        allow_private_hosts=allow_private_hosts, user_agent=user_agent, workers=workers,
        runner=runner, dask_address=dask_address)
    logger = get_run_logger()
    seeds_found = seed_urls(seeds)
    if not seeds_found.items and not seeds_found.rejections:
        raise ZhnewsError("no seed URLs given", stage="crawl")
    with recorded_run("crawl", settings) as (con, summary, executor), FetchSession(settings) as session:
        seeds_list = seeds_found.items
        seed_pages = artifacts.metrics_for(summary.run_id).stage(
            "fetch", len(seeds_list), fetch_task, seeds_list, batch_no=0, settings=settings, session=session)
        links = discover_articles(seed_pages, seeds_list, settings, session)
        chosen = select_links(links, seeds_list, settings.crawl_max_pages)
        logger.info("crawl: %d seed pages, %d candidate links, fetching %d",
                    len(seed_pages.items), len(links), len(chosen))
        summary.inputs = len(seeds_list) + len(seeds_found.rejections) + len(chosen)
        progress.report("pages", 0, summary.inputs)
        load_rejections(seeds_found.rejections, summary, settings, batch_no=0)
        # Seeds go through the pipeline too: every URL ends as a row (an index page is
        # normally rejected as "not an article").
        add_counts(summary, process_raw(seed_pages, 0, settings, summary.run_id, WarehouseIndex(con), force,
                                        executor))
        done = len(seeds_list) + len(seeds_found.rejections)
        progress.report("pages", done, summary.inputs)
        for batch_no, batch in enumerate(chunks([link.url for link in chosen], settings.batch_size), start=1):
            add_counts(summary, fetch_and_process(batch, batch_no, settings, summary, con, session, force,
                                                  executor))
            done += len(batch)
            progress.report("pages", done, summary.inputs)
    return summary


def discover_articles(seed_pages: FetchResult, seeds: list[str], settings: Settings,
                      session: FetchSession) -> list[DiscoveredLink]:
    """Candidate article links: the seed pages' anchors, then the items of the feeds they
    advertise and the entries of the sites' sitemaps (and of the sitemaps those name)."""
    logger = get_run_logger()
    rules = LinkRules(extra_url_patterns=tuple(settings.crawl_article_patterns))
    found = discover_task(seed_pages.items, [], batch_no=0, rules=rules)
    documents = list(dict.fromkeys([*found.feeds, *sitemaps_of(seeds, session.state)]))
    links = list(found.articles)
    for round_no in (1, 2):  # feeds and sitemaps, then the sitemaps a sitemap index names
        if not documents:
            break
        fetched = fetch_task(documents, batch_no=round_no, settings=settings, session=session,
                             purpose="document")
        for rejection in fetched.rejections:  # a site without a sitemap is normal: logged only
            logger.info("crawl: no links from %s (%s)", rejection.url, rejection.reason)
        more = discover_task([], fetched.items, batch_no=round_no, rules=rules)
        links.extend(more.articles)
        documents = more.sitemaps[:MAX_NESTED_SITEMAPS]
    return links


def sitemaps_of(seeds: list[str], state: HostState) -> list[str]:
    """Each seed origin's sitemaps as its robots.txt names them, else /sitemap.xml."""
    found: list[str] = []
    for seed in seeds:
        origin = origin_of(httpx.URL(seed))
        for sitemap in state.sitemaps(origin) or [f"{origin}/sitemap.xml"]:
            if sitemap not in found:
                found.append(sitemap)
    return found


@flow(name="reprocess", flow_run_name="reprocess", log_prints=True)
def reprocess(db_path: str | None = None, script: str | None = None, batch_size: int | None = None,
              workers: int | None = None, runner: str | None = None,
              dask_address: str | None = None) -> RunSummary:
    """Run decode, extract, clean, normalise, dedup and load again on every page in
    raw_pages, without fetching: for when the rules improved."""
    settings = Settings().with_overrides(db_path=db_path, script=script, batch_size=batch_size,
                                         workers=workers, runner=runner, dask_address=dask_address)
    with recorded_run("reprocess", settings) as (con, summary, executor):
        summary.inputs = con.execute("SELECT count(*) FROM raw_pages").fetchone()[0]
        progress.report("pages", 0, summary.inputs)
        after: str | None = None
        done, batch_no = 0, 1
        while True:
            pages = stored_pages_task(after, settings.batch_size, batch_no=batch_no, db_path=str(settings.db_path))
            if not pages:
                break
            after = pages[-1].url
            # force: the bytes are the ones already processed; the rules are what changed.
            add_counts(summary, process_raw(FetchResult(items=pages), batch_no, settings, summary.run_id,
                                            WarehouseIndex(con), True, executor))
            done += len(pages)
            progress.report("pages", done, summary.inputs)
            batch_no += 1
    return summary
