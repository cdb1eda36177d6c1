"""Crawl discovery: article links from a site's section and index pages (by URL and
anchor patterns), from the RSS/Atom feeds those pages advertise, and from its sitemaps.

Chinese news sites put articles under dated or numbered paths (/2024/0315/c1001-123.html,
/20240315/t20240315_123456.html, content_123456.htm, doc-ixyz.shtml) with a headline as
the anchor text; section fronts, tag pages and the "more"/"next page" links do not look
like that. A link is an article candidate when its URL looks like an article, or when its
anchor reads like a headline and its URL is not an index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from tasks.chinese import CJK_CHAR
from tasks.decode import decode_bytes
from tasks.models import DiscoveredLink, RawPage

STAGE = "discover"

ARTICLE_URL_PATTERNS = [
    re.compile(r"/20\d{2}[-/_]?[01]\d[-/_]?[0-3]\d/"),  # /2024/03/15/, /20240315/, /2024-03-15/
    re.compile(r"/20\d{2}[-_]?[01]\d/[0-3]\d/"),  # /2024-03/15/, /202403/15/
    re.compile(r"/20\d{2}/[01]\d[0-3]\d/"),  # /2024/0315/
    re.compile(r"[/_-]t?20\d{6}_\d+\.s?html?$"),  # t20240315_123456.html
    re.compile(r"(?:content|article|detail|doc|news|story|a)[-_/]\w*\d{5,}", re.I),  # content_123456.htm
    re.compile(r"/\d{6,}\.s?html?$"),  # /12345678.html
    re.compile(r"doc-i[a-z0-9]{6,}\.shtml$"),
]
INDEX_URL_PATTERN = re.compile(
    r"(?:/|/(?:index|default|list|more)(?:[_-]\d+)?\.s?html?|/(?:tag|tags|category|channel|column|"
    r"special|topic|author|search|login|register)(?:/.*)?)$", re.I)
NOT_PAGES = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|rar|7z|apk|exe|mp[34]|"
                       r"avi|mov|flv|doc|docx|xls|xlsx|ppt|pptx|xml|rss|json)$", re.I)
# Anchors that are navigation, not headlines, whatever their URL.
NAV_ANCHORS = re.compile(r"^(?:首页|更多|更多>+|下一页|上一页|尾页|末页|返回|登录|注册|关于我们|联系我们|"
                         r"网站地图|English|more|next|prev(?:ious)?|home)$", re.I)
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/rdf+xml", "application/xml", "text/xml"}


@dataclass(frozen=True)
class LinkRules:
    """What makes a link an article candidate; extra_url_patterns come from settings."""

    min_headline_cjk: int = 6  # an anchor with this many Chinese characters reads as a headline
    min_headline_words: int = 5  # or this many words, for non-Chinese headlines
    extra_url_patterns: tuple[str, ...] = ()

    def url_looks_like_article(self, url: str) -> bool:
        path = url.split("?", 1)[0].split("#", 1)[0]
        if any(p.search(path) for p in ARTICLE_URL_PATTERNS):
            return True
        return any(re.search(p, url) for p in self.extra_url_patterns)

    def anchor_is_headline(self, anchor: str) -> bool:
        if NAV_ANCHORS.match(anchor):
            return False
        return (len(CJK_CHAR.findall(anchor)) >= self.min_headline_cjk
                or len(anchor.split()) >= self.min_headline_words)


@dataclass
class Discovery:
    """What pages and documents offer: article candidates in the order found, feed URLs
    the pages advertise, and nested sitemaps named by sitemap indexes."""

    articles: list[DiscoveredLink] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def site_key(host: str) -> str:
    """The part of a host that names the site: news.sina.com.cn and www.sina.com.cn share
    sina.com.cn. Approximate (no public-suffix list): the last two labels, three under a
    two-letter country code with a generic second level (com.cn, gov.cn, co.uk)."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {
            "com", "net", "org", "gov", "edu", "co", "ac", "or", "ne", "go"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url: str, seed_url: str) -> bool:
    host, seed_host = host_of(url), host_of(seed_url)
    if not host or not seed_host:
        return False
    if host == seed_host:
        return True
    # IP addresses and single-label hosts only match themselves.
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", seed_host) or "." not in seed_host:
        return False
    return site_key(host) == site_key(seed_host)


def _absolute(href: str, base: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        parts = urlsplit(urljoin(base, href))
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _parse_html(page: RawPage):
    import lxml.html

    text, _, _ = decode_bytes(page.body, page.declared_charset)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # lxml raises on empty or hopeless documents: no links, not a crash
        return None


def seed_links(page: RawPage, rules: LinkRules = LinkRules()) -> Discovery:
    """Article candidates and advertised feeds on one section or index page."""
    found = Discovery()
    tree = _parse_html(page)
    if tree is None:
        return found
    page_url = page.final_url or page.url
    base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    base = _absolute(base, page_url) if base else page_url
    seen: set[str] = set()
    for anchor in tree.iter("a"):
        url = _absolute(anchor.get("href") or "", base)
        if url is None or url in seen or NOT_PAGES.search(url.split("?")[0]):
            continue
        text = " ".join((anchor.text_content() or anchor.get("title") or "").split())
        if NAV_ANCHORS.match(text) or not same_site(url, page_url):
            continue
        is_index = INDEX_URL_PATTERN.search(urlsplit(url).path or "/")
        if rules.url_looks_like_article(url) or (rules.anchor_is_headline(text) and not is_index):
            seen.add(url)
            found.articles.append(DiscoveredLink(url, "anchor", anchor=text or None))
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            url = _absolute(link.get("href") or "", base)
            if url and url not in found.feeds:
                found.feeds.append(url)
    return found


def _xml_root(body: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        return etree.fromstring(body.lstrip(), parser=parser)
    except Exception:
        return None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str) -> tuple[list[DiscoveredLink], list[str]]:
    """(page URLs with lastmod, nested sitemap URLs) of a sitemap or sitemap index; newest
    first where lastmod is given."""
    return _sitemap_links(_xml_root(body), base_url)


def _sitemap_links(root, base_url: str) -> tuple[list[DiscoveredLink], list[str]]:
    if root is None:
        return [], []
    pages, nested = [], []
    for entry in root.iter():
        kind = _local(entry.tag)
        if kind not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for child in entry:
            name = _local(child.tag)
            if name == "loc" and child.text:
                loc = _absolute(child.text, base_url)
            elif name == "lastmod" and child.text:
                lastmod = child.text.strip()
        if loc is None:
            continue
        if kind == "sitemap":
            nested.append(loc)
        else:
            pages.append(DiscoveredLink(loc, "sitemap", lastmod=lastmod))
    pages.sort(key=lambda link: link.lastmod or "", reverse=True)
    return pages, nested


def parse_feed(body: bytes, base_url: str) -> list[DiscoveredLink]:
    """Item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order."""
    return _feed_links(_xml_root(body), base_url)


def _feed_links(root, base_url: str) -> list[DiscoveredLink]:
    if root is None:
        return []
    links = []
    for entry in root.iter():
        if _local(entry.tag) not in ("item", "entry"):
            continue
        url = title = date = None
        for child in entry:
            name = _local(child.tag)
            if name == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    url = _absolute(href, base_url)
                elif child.text and child.text.strip():
                    url = _absolute(child.text, base_url)
            elif name == "guid" and url is None and child.get("isPermaLink", "true") == "true" and child.text:
                url = _absolute(child.text, base_url)
            elif name == "title" and child.text:
                title = " ".join(child.text.split())
            elif name in ("pubdate", "published", "updated", "date") and child.text:
                date = child.text.strip()
        if url:
            links.append(DiscoveredLink(url, "feed", anchor=title, lastmod=date))
    return links


def select_links(found: list[DiscoveredLink], seeds: list[str], max_pages: int) -> list[DiscoveredLink]:
    """Article links to fetch: each URL once, on a seed's site, not a seed itself, at most
    max_pages, in the order given (page anchors, then feeds, then sitemaps)."""
    chosen: dict[str, DiscoveredLink] = {}
    skip = set(seeds)
    for link in found:
        if len(chosen) >= max_pages:
            break
        if link.url in chosen or link.url in skip or NOT_PAGES.search(link.url.split("?")[0]):
            continue
        if any(same_site(link.url, seed) for seed in seeds):
            chosen[link.url] = link
    return list(chosen.values())


def parse_document(body: bytes, base_url: str) -> tuple[list[DiscoveredLink], list[str]]:
    """A fetched feed or sitemap, whichever it is: (article links, nested sitemap URLs)."""
    root = _xml_root(body)
    kind = _local(root.tag) if root is not None else ""
    if kind in ("urlset", "sitemapindex"):
        return _sitemap_links(root, base_url)
    if kind in ("rss", "feed", "rdf"):
        return _feed_links(root, base_url), []
    return [], []


def discover(pages: list[RawPage], documents: list[RawPage], rules: LinkRules = LinkRules()) -> Discovery:
    """Article candidates (each URL once: page anchors first, then feed and sitemap
    entries), advertised feeds and nested sitemaps of a batch of seed pages and fetched
    feeds or sitemaps."""
    merged = Discovery()
    seen: set[str] = set()

    def add(links: list[DiscoveredLink]) -> None:
        for link in links:
            if link.url not in seen:
                seen.add(link.url)
                merged.articles.append(link)

    for page in pages:
        found = seed_links(page, rules)
        add(found.articles)
        merged.feeds.extend(f for f in found.feeds if f not in merged.feeds)
    for document in documents:
        links, nested = parse_document(document.body, document.final_url or document.url)
        add(links)
        merged.sitemaps.extend(s for s in nested if s not in merged.sitemaps)
    return merged
