"""The fetch stage against a real HTTP server on 127.0.0.1: every URL ends as a page, a
rejection naming the failure, or a 304; limits, retries and checks seen in the server's log."""
from __future__ import annotations

import codecs
import time

import pytest

from tasks.fetch import FetchSession, address_kind, fetch_urls, parse_retry_after, read_url_list
from tasks.models import Validators
from tasks.settings import Settings
from tests.webserver import Handler, serve

PARAGRAPHS = [
    "新华社北京三月十五日电 记者今天从有关部门获悉，全国春季农业生产工作会议在京召开，会议部署了今年的春耕备耕工作。",
    "会议指出，各地要抓好粮食生产，稳定播种面积，提高单产水平，确保全年粮食产量保持在一万三千亿斤以上。",
    "与会代表表示，将认真落实会议精神，加强农田水利建设，推广先进适用技术，为全年农业丰收打下坚实基础。",
]


def article_html(title: str, paragraphs: list[str] = PARAGRAPHS, head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{body}</article></body></html>")


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 200
HUGE = 50 * 1024 * 1024


def routes() -> dict:
    counters: dict[str, int] = {}

    def nth(handler: Handler) -> int:
        counters[handler.path] = counters.get(handler.path, 0) + 1
        return counters[handler.path]

    def huge_streamed(handler: Handler) -> None:
        # No Content-Length: the client only learns the size by reading; made lazily.
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        chunk = b"<p>" + "很长的页面".encode() * 6000 + b"</p>"
        while handler.entry.sent_bytes < HUGE:
            handler.wfile.write(chunk)
            handler.entry.sent_bytes += len(chunk)

    def huge_declared(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(HUGE))
        handler.end_headers()
        handler.close_connection = True  # the client hangs up without reading the body

    def flaky(handler: Handler) -> None:
        if nth(handler) == 1:
            handler.send("oops", status=500, content_type="text/plain")
        else:
            handler.send(article_html("重试后成功", head='<meta charset="utf-8">'))

    def busy(handler: Handler) -> None:
        if nth(handler) == 1:
            handler.send("slow down", status=429, content_type="text/plain", headers={"Retry-After": "1"})
        else:
            handler.send(article_html("限流之后", head='<meta charset="utf-8">'))

    def slow(handler: Handler) -> None:
        time.sleep(1.5)
        handler.send(article_html("太慢了"))

    def etag(handler: Handler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send(b"", status=304, content_type="", headers={"ETag": '"v1"'})
        else:
            handler.send(article_html("有版本号的文章", head='<meta charset="utf-8">'),
                         headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026 08:00:00 GMT"})

    def redirect(to: str):
        return lambda handler: handler.send(b"", status=302, headers={"Location": to})

    big5_paragraphs = ["中央社臺北十五日電 行政院今天召開院會，通過多項法案，院長表示將全力推動經濟發展與社會福利政策。",
                       "立法院各黨團對此表示歡迎，並希望政府在預算審查時提出更完整的說明，以利監督施政成效與財政紀律。",
                       "學者指出，臺灣經濟今年可望穩定成長，但仍須注意國際情勢變化對出口產業帶來的衝擊與挑戰。"]
    return {
        "/robots.txt": lambda h: h.send("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/gbk-header.html": lambda h: h.send(article_html("国务院常务会议").encode("gbk"),
                                             content_type="text/html; charset=GBK"),
        "/big5.html": lambda h: h.send(article_html("行政院會通過法案", big5_paragraphs).encode("big5"),
                                       content_type="text/html"),
        "/gb2312-label.html": lambda h: h.send(
            article_html("朱镕基与张喆", [p + "朱镕基、张喆出席。" for p in PARAGRAPHS],
                         head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk"),
            content_type="text/html"),
        "/bom.html": lambda h: h.send(codecs.BOM_UTF8 + article_html(
            "带字节顺序标记的页面", head='<meta charset="gbk">').encode("utf-8"), content_type="text/html"),
        "/flaky.html": flaky,
        "/busy.html": busy,
        "/slow.html": slow,
        "/loop-a.html": redirect("/loop-b.html"),
        "/loop-b.html": redirect("/loop-a.html"),
        "/huge.html": huge_streamed,
        "/huge-declared.html": huge_declared,
        "/png.html": lambda h: h.send(PNG, content_type="text/html"),
        "/image.png": lambda h: h.send(PNG, content_type="image/png"),
        "/private/secret.html": lambda h: h.send(article_html("不该被抓取")),
        "/etag.html": etag,
        "/to-localhost.html": lambda h: h.send(b"", status=301, headers={
            "Location": h.site.url("/gbk-header.html").replace("127.0.0.1", "localhost")}),
    }


@pytest.fixture
def site():
    running = serve(routes())
    yield running
    running.close()


def fast(**overrides) -> Settings:
    """Small timeouts and backoffs so the failure cases take well under a second each."""
    base = dict(allow_private_hosts=True, fetch_delay=0.0, fetch_timeout=0.5, fetch_backoff=0.05,
                fetch_retries=2, fetch_retry_after_max=5.0)
    return Settings().with_overrides(**{**base, **overrides})


def outcome(result, url):
    pages = {p.url: p for p in result.items}
    reasons = {r.url: r.reason for r in result.rejections}
    return pages.get(url), reasons.get(url)


def test_each_url_ends_as_a_page_or_a_named_rejection(site):
    paths = ["/gbk-header.html", "/big5.html", "/gb2312-label.html", "/bom.html", "/missing.html",
             "/flaky.html", "/busy.html", "/slow.html", "/loop-a.html", "/huge.html",
             "/huge-declared.html", "/png.html", "/image.png", "/private/secret.html"]
    urls = [site.url(p) for p in paths]
    result = fetch_urls(urls, fast())
    assert len(result.items) + len(result.rejections) == len(urls)

    fetched = {p.url.removeprefix(site.base) for p in result.items}
    assert fetched == {"/gbk-header.html", "/big5.html", "/gb2312-label.html", "/bom.html",
                       "/flaky.html", "/busy.html"}
    gbk, _ = outcome(result, site.url("/gbk-header.html"))
    assert gbk.declared_charset == "GBK" and gbk.status == 200 and gbk.origin == "http"
    assert gbk.headers["content-type"] == "text/html; charset=GBK"

    def reason(path):
        return outcome(result, site.url(path))[1]

    assert reason("/missing.html") == "HTTP 404 Not Found"
    assert reason("/slow.html").startswith("timeout: no complete response within 0.5 s")
    assert reason("/slow.html").endswith("(after 3 attempts)")
    assert reason("/loop-a.html").startswith("redirect loop: ")
    assert reason("/loop-a.html").count("/loop-a.html") == 2
    assert reason("/huge.html").startswith("too large: the body passed the 10485760 byte limit")
    assert reason("/huge-declared.html").startswith("too large: Content-Length 52428800")
    assert reason("/png.html") == "not HTML: a PNG image served as text/html"
    assert reason("/image.png") == "not HTML: content-type image/png"
    assert reason("/private/secret.html").startswith("robots: robots.txt disallows this URL")

    # Cut at the cap, not downloaded whole: the server could write little more than the
    # cap (plus socket buffers) before the client hung up.
    [huge] = site.requests_to("/huge.html")
    assert huge.sent_bytes < 20 * 1024 * 1024
    # robots.txt was read once and the disallowed page never requested.
    assert len(site.requests_to("/robots.txt")) == 1
    assert site.requests_to("/private/secret.html") == []
    # Retried: 500 then 200; a timeout 3 times; a 404 only once.
    assert len(site.requests_to("/flaky.html")) == 2
    assert len(site.requests_to("/slow.html")) == 3
    assert len(site.requests_to("/missing.html")) == 1


def test_429_waits_for_retry_after(site):
    url = site.url("/busy.html")
    result = fetch_urls([url], fast())
    page, reason = outcome(result, url)
    assert reason is None and page.status == 200
    first, second = site.requests_to("/busy.html")
    assert second.started - first.started >= 0.95  # Retry-After: 1


def test_retry_after_longer_than_the_limit_is_a_rejection(site):
    url = site.url("/busy.html")
    _, reason = outcome(fetch_urls([url], fast(fetch_retry_after_max=0.5)), url)
    assert reason == "HTTP 429 Too Many Requests (Retry-After 1 s is longer than the 0.5 s limit)"
    assert len(site.requests_to("/busy.html")) == 1


def test_conditional_refetch_gets_304(site):
    url = site.url("/etag.html")
    first = fetch_urls([url], fast())
    page, _ = outcome(first, url)
    assert page.headers["etag"] == '"v1"'
    again = fetch_urls([url], fast(), validators={url: Validators(page.headers["etag"],
                                                                  page.headers["last-modified"])})
    assert again.not_modified == [url] and again.items == [] and again.rejections == []
    second = site.requests_to("/etag.html")[1]
    assert second.headers["if-none-match"] == '"v1"'
    assert second.headers["if-modified-since"] == "Mon, 02 Mar 2026 08:00:00 GMT"


def test_loopback_is_refused_without_allow_private_hosts(site):
    url = site.url("/gbk-header.html")
    _, reason = outcome(fetch_urls([url], fast(allow_private_hosts=False)), url)
    assert reason.startswith("private host: 127.0.0.1 resolves to 127.0.0.1 (loopback)")
    assert site.log == []  # not even robots.txt was asked


def test_private_host_refused_after_a_redirect(site):
    # 127.0.0.1 is allowed by name; the redirect goes to "localhost", which is not.
    url = site.url("/to-localhost.html")
    _, reason = outcome(fetch_urls([url], fast(allow_private_hosts=False,
                                               private_hosts_allowed=["127.0.0.1"])), url)
    assert reason.startswith("private host: localhost resolves to")
    assert "(redirected to http://localhost:" in reason
    assert site.requests_to("/gbk-header.html") == []


def test_session_keeps_delay_robots_and_connections_across_batches(site):
    settings = fast(fetch_delay=0.1, fetch_per_host=2)
    with FetchSession(settings) as session:
        for batch in range(2):
            urls = [site.url(f"/missing-{batch}-{i}.html") for i in range(3)]
            fetch_urls(urls, settings, session=session)
    assert len(site.requests_to("/robots.txt")) == 1
    starts = sorted(r.started for r in site.log)
    assert len(starts) == 7  # robots.txt and the six pages
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert min(gaps) >= 0.08  # 0.1 s apart, less the server threads' own scheduling jitter
    assert len({r.client_port for r in site.log}) <= 2  # kept-alive connections, at most per_host


def test_robots_txt_unreachable_disallows_the_site():
    site = serve({"/robots.txt": lambda h: h.send("down", status=503, content_type="text/plain"),
                  "/a.html": lambda h: h.send(article_html("甲"))})
    try:
        url = site.url("/a.html")
        _, reason = outcome(fetch_urls([url], fast(fetch_retries=0)), url)
        assert reason.startswith("robots: robots.txt unavailable (HTTP 503 Service Unavailable)")
        assert site.requests_to("/a.html") == []
    finally:
        site.close()


def test_helpers():
    import ipaddress

    assert address_kind(ipaddress.ip_address("10.1.2.3")) == "private"
    assert address_kind(ipaddress.ip_address("169.254.169.254")) == "link-local"
    assert address_kind(ipaddress.ip_address("::ffff:127.0.0.1")) == "loopback"
    assert address_kind(ipaddress.ip_address("100.64.0.1")) == "not globally routable"
    assert address_kind(ipaddress.ip_address("8.8.8.8")) is None
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_url_list(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# a comment\n\nhttp://a.example/1.html\nhttp://a.example/1.html\n"
                       "ftp://b.example/x  # not http\nhttps://c.example/2.html # trailing comment\n",
                       encoding="utf-8")
    result = read_url_list(listing)
    assert result.items == ["http://a.example/1.html", "https://c.example/2.html"]
    assert [(r.url, r.reason) for r in result.rejections] == [
        ("ftp://b.example/x", "not an http(s) URL (line 5 of urls.txt)")]


def test_more_than_five_redirects_is_a_rejection():
    hops = {f"/r/{i}": (lambda n: lambda h: h.send(b"", status=301, headers={"Location": f"/r/{n + 1}"}))(i)
            for i in range(7)}
    site = serve({**hops, "/r/7": lambda h: h.send(article_html("终点"))})
    try:
        url = site.url("/r/0")
        _, reason = outcome(fetch_urls([url], fast()), url)
        assert reason.startswith("too many redirects: more than 5")
        assert len([r for r in site.log if r.path.startswith("/r/")]) == 6  # the first and five redirects
        page, _ = outcome(fetch_urls([site.url("/r/2")], fast()), site.url("/r/2"))
        assert page.final_url == site.url("/r/7")  # five hops are allowed
    finally:
        site.close()


def test_robots_rules_for_our_user_agent_and_crawl_delay():
    robots = "User-agent: zhnews\nDisallow: /\n\nUser-agent: *\nCrawl-delay: 0.2\nAllow: /\n"
    site = serve({"/robots.txt": lambda h: h.send(robots, content_type="text/plain"),
                  **{f"/p{i}.html": (lambda h: h.send(article_html("页面"))) for i in range(3)}})
    try:
        urls = [site.url(f"/p{i}.html") for i in range(3)]
        refused = fetch_urls(urls, fast())
        assert {r.reason for r in refused.rejections} == {
            "robots: robots.txt disallows this URL for user agent 'zhnews'"}
        other = fetch_urls(urls, fast(user_agent="otherbot/2.0", fetch_per_host=3))
        assert len(other.items) == 3
        pages = [r for r in site.log if r.path.startswith("/p")]
        assert {r.headers["user-agent"] for r in pages} == {"otherbot/2.0"}
        starts = sorted(r.started for r in pages)
        assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.18  # Crawl-delay 0.2 beats fetch_delay 0
    finally:
        site.close()


def test_robots_wildcard_and_end_anchor_rules_are_obeyed():
    """`*` and `$` in robots.txt paths (RFC 9309), which the standard library's parser
    reads as literal characters: forbidden URLs end as robots rejections, never requested."""
    robots = ("User-agent: *\nDisallow: /*?from=\nDisallow: /*.pdf$\nDisallow: /news/*/print\n"
              "Allow: /news/\n")
    allowed = ["/news/a.html", "/news/a.html?id=7", "/doc.pdf.html", "/news/2026/a.html"]
    forbidden = ["/news/a.html?from=timeline", "/b.html?from=share", "/files/report.pdf",
                 "/news/2026/print"]
    site = serve({"/robots.txt": lambda h: h.send(robots, content_type="text/plain"),
                  **{path.split("?")[0]: (lambda h: h.send(article_html("页面"))) for path in allowed + forbidden}})
    try:
        result = fetch_urls([site.url(path) for path in allowed + forbidden], fast())
        assert sorted(p.url for p in result.items) == sorted(site.url(path) for path in allowed)
        assert {r.url: r.reason for r in result.rejections} == {
            site.url(path): "robots: robots.txt disallows this URL for user agent 'zhnews'" for path in forbidden}
        asked = {r.path for r in site.log}
        assert asked == {"/robots.txt", *allowed}
    finally:
        site.close()


def test_connection_to_a_private_address_is_refused_whatever_the_name_check_said(site):
    """DNS rebinding: the name check passed, the connection reached loopback anyway."""
    import asyncio

    import httpcore

    from tasks.fetch import CheckedNetwork, PrivateAddressError

    host, port = site.server.server_address[:2]

    async def connect(allowed: list[str]):
        stream = await CheckedNetwork(httpcore.AnyIOBackend(), allowed).connect_tcp(host, port)
        await stream.aclose()

    with pytest.raises(PrivateAddressError, match=r"private host: 127.0.0.1 connected to 127.0.0.1 \(loopback\)"):
        asyncio.run(connect([]))
    asyncio.run(connect(["127.0.0.1"]))  # an allowed host connects
