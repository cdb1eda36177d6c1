"""Crawl discovery: seed section or index pages (fetched every time, and sent through the
pipeline too: every URL ends as a row), the article links on them, in the feeds they
advertise and in the sites' sitemaps; up to settings.crawl_max_pages of those, fetched in
batches (conditionally where fetched before)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
from prefect import get_run_logger

from flows.sources.base import Batch, Source, SourceRun, chunks
from flows.sources.urls import fetch_batch
from flows.stages import discover_task, fetch_task
from tasks.discover import LinkRules, select_links
from tasks.errors import ZhnewsError
from tasks.fetch import FetchSession, HostState, origin_of, read_url_list, url_problem
from tasks.models import DiscoveredLink, FetchResult, Rejection, StageResult
from tasks.settings import Settings

MAX_NESTED_SITEMAPS = 20  # of a sitemap index, newest first where it says


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


def batches(run: SourceRun, seeds: StageResult[str]) -> Iterator[Batch]:
    """seeds: as seed_urls() found them."""
    settings = run.settings
    with FetchSession(settings) as session:
        seed_pages = run.metered("fetch", len(seeds.items), fetch_task, seeds.items, batch_no=0,
                                 settings=settings, session=session)
        links = discover_articles(seed_pages, seeds.items, settings, session)
        chosen = select_links(links, seeds.items, settings.crawl_max_pages)
        get_run_logger().info("crawl: %d seed pages, %d candidate links, fetching %d",
                              len(seed_pages.items), len(links), len(chosen))
        run.found(len(seeds.items) + len(seeds.rejections) + len(chosen))
        if seeds.rejections:
            yield Batch(0, len(seeds.rejections), rejected=seeds.rejections)
        # Seeds go through the pipeline too: every URL ends as a row (an index page is
        # normally rejected as "not an article").
        yield Batch(0, len(seeds.items), pages=seed_pages)
        for urls in chunks([link.url for link in chosen], settings.batch_size):
            number = run.next_batch_no()
            yield Batch(number, len(urls), pages=fetch_batch(run, urls, number, session))


SOURCE = Source("crawl", batches)


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
