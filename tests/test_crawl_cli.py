"""`zhnews ingest --urls`, `zhnews crawl`, `zhnews ingest FILE.warc.gz` and `zhnews reprocess`
through the real CLI code and real Prefect flow runs (session Prefect server), against a
real HTTP server on 127.0.0.1, into a real DuckDB file: the rows every URL ends in."""
from __future__ import annotations

import gzip
import io
import json

import duckdb
import pytest

from flows.cli import main
from tests.conftest import rows
from tests.test_fetch import PARAGRAPHS, article_html, routes
from tests.webserver import serve

FAST = {"ZHNEWS_FETCH_DELAY": "0", "ZHNEWS_FETCH_TIMEOUT": "0.5", "ZHNEWS_FETCH_BACKOFF": "0.05",
        "ZHNEWS_FETCH_RETRIES": "2", "ZHNEWS_FETCH_RETRY_AFTER_MAX": "5", "ZHNEWS_WORKERS": "1"}


@pytest.fixture(autouse=True)
def fast_fetching(monkeypatch):
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)


def index_page(links: list[tuple[str, str]], head: str = "") -> str:
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f'<html><head><meta charset="utf-8">{head}<title>新闻</title></head><body><ul>{items}</ul></body></html>'


def cli(*args: str) -> int:
    return main(list(args))


def test_url_list_every_url_ends_as_a_row_and_refetch_is_conditional(prefect_server, db_path, tmp_path):
    site = serve({**routes(), "/index.html": lambda h: h.send(index_page(
        [(f"/n/{i}.html", f"栏目{i}") for i in range(30)]))})
    try:
        paths = {"/gbk-header.html": "article", "/big5.html": "article", "/gb2312-label.html": "article",
                 "/bom.html": "article", "/flaky.html": "article", "/busy.html": "article",
                 "/etag.html": "article", "/missing.html": "HTTP 404 Not Found",
                 "/slow.html": "timeout: ", "/loop-a.html": "redirect loop: ", "/huge.html": "too large: ",
                 "/png.html": "not HTML: ", "/private/secret.html": "robots: ", "/index.html": "not an article"}
        listing = tmp_path / "urls.txt"
        listing.write_text("# the test site\n" + "\n".join(site.url(p) for p in paths) + "\nnot-a-url\n",
                           encoding="utf-8")
        assert cli("ingest", "--urls", str(listing), "--db", str(db_path), "--allow-private-hosts") == 0

        articles = dict(rows(db_path, "SELECT url, encoding FROM articles"))
        rejections = {url: (stage, reason) for url, stage, reason in
                      rows(db_path, "SELECT url, stage, reason FROM rejections")}
        for path, expected in paths.items():
            url = site.url(path)
            if expected == "article":
                assert url in articles, (path, rejections.get(url))
            else:
                assert url not in articles and rejections[url][1].startswith(expected), (path, rejections.get(url))
        assert rejections["not-a-url"][1].startswith("not an http(s) URL")
        assert len(articles) + len(rejections) == len(paths) + 1
        assert articles[site.url("/gbk-header.html")] == "gb18030"
        assert articles[site.url("/gb2312-label.html")] == "gb18030"
        assert articles[site.url("/big5.html")] == "big5hkscs"
        assert articles[site.url("/bom.html")] == "utf-8"
        [(text,)] = rows(db_path, f"SELECT text FROM articles WHERE url = '{site.url('/gb2312-label.html')}'")
        assert "朱镕基" in text and "张喆" in text  # GBK-only characters survived a gb2312 label

        # raw_pages keeps each fetched page: compressed body, headers, validators, codec.
        stored = {r[0]: r[1:] for r in rows(db_path, "SELECT url, status, headers, encoding, etag, "
                                                     "last_modified, body, body_bytes, origin FROM raw_pages")}
        assert set(stored) == {site.url(p) for p in paths if paths[p] == "article"} | {site.url("/index.html")}
        status, headers, encoding, etag, last_modified, body, size, origin = stored[site.url("/etag.html")]
        assert (status, etag, last_modified, origin) == (200, '"v1"', "Mon, 02 Mar 2026 08:00:00 GMT", "http")
        assert json.loads(headers)["etag"] == '"v1"' and encoding == "utf-8"
        assert gzip.decompress(body).decode("utf-8") == article_html("有版本号的文章", head='<meta charset="utf-8">')
        assert size == len(gzip.decompress(body))

        # Again: the ETag page answers 304 (unchanged, no new row); the others are the same bytes.
        before = rows(db_path, "SELECT url, ingested_at FROM articles ORDER BY url")
        assert cli("ingest", "--urls", str(listing), "--db", str(db_path), "--allow-private-hosts") == 0
        assert rows(db_path, "SELECT url, ingested_at FROM articles ORDER BY url") == before
        second_etag = site.requests_to("/etag.html")[-1]
        assert second_etag.headers.get("if-none-match") == '"v1"'
        [(unchanged, run_articles)] = rows(db_path, "SELECT unchanged, articles FROM runs ORDER BY started_at DESC LIMIT 1")
        assert run_articles == 0 and unchanged == sum(1 for v in paths.values() if v == "article") + 1
        [(checked, fetched)] = rows(db_path, f"SELECT checked_at, fetched_at FROM raw_pages WHERE url = '{site.url('/etag.html')}'")
        assert checked > fetched

        # reprocess: from raw_pages alone, no request reaches the server.
        requests_before = len(site.log)
        con = duckdb.connect(str(db_path))
        con.execute("DELETE FROM articles")
        con.close()
        assert cli("reprocess", "--db", str(db_path)) == 0
        assert len(site.log) == requests_before
        assert set(dict(rows(db_path, "SELECT url, encoding FROM articles"))) == set(articles)
    finally:
        site.close()


def test_crawl_discovers_articles_from_anchors_feed_and_sitemap(prefect_server, db_path):
    def article(title: str):
        return lambda h: h.send(article_html(title, [f"{title}：{p}" for p in PARAGRAPHS], head='<meta charset="utf-8">'))

    site = serve({
        "/robots.txt": lambda h: h.send(f"User-agent: *\nDisallow: /private/\nSitemap: {h.site.url('/sitemap.xml')}\n",
                                        content_type="text/plain"),
        "/news/": lambda h: h.send(index_page([
            ("/2026/0302/c1001-100001.html", "国务院部署春季农业生产工作"),
            ("/2026/0302/c1001-100002.html", "多地出台措施稳定粮食播种面积"),
            ("/private/2026/0302/c1001-100009.html", "内部稿件不应抓取的一条新闻"),
            ("/news/list_2.html", "下一页"), ("/about.html", "关于我们"), ("/", "首页"),
            ("http://other.example/2026/0302/c1-1.html", "别的网站的新闻标题很长很长"),
        ], head='<link rel="alternate" type="application/rss+xml" href="/rss.xml">')),
        "/rss.xml": lambda h: h.send(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f'<item><title>来自订阅源</title><link>{h.site.url("/feed/200001.html")}</link></item>'
            '</channel></rss>', content_type="application/rss+xml"),
        "/sitemap.xml": lambda h: h.send(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<url><loc>{h.site.url("/sm/300000.html")}</loc><lastmod>2026-02-01</lastmod></url>'
            f'<url><loc>{h.site.url("/sm/300001.html")}</loc><lastmod>2026-03-02</lastmod></url>'
            '</urlset>', content_type="application/xml"),
        "/2026/0302/c1001-100001.html": article("国务院部署春季农业生产工作"),
        "/2026/0302/c1001-100002.html": article("多地出台措施稳定粮食播种面积"),
        "/feed/200001.html": article("来自订阅源的文章"),
        "/sm/300001.html": article("来自网站地图的文章"),
        "/sm/300000.html": article("网站地图里较旧的文章"),
    })
    try:
        seed = site.url("/news/")
        # Six candidates (three anchors, one feed item, two sitemap entries, newest first);
        # --max-pages 5 leaves out the older sitemap entry.
        assert cli("crawl", seed, "--db", str(db_path), "--allow-private-hosts", "--max-pages", "5") == 0
        articles = {u.removeprefix(site.base) for (u,) in rows(db_path, "SELECT url FROM articles")}
        assert articles == {"/2026/0302/c1001-100001.html", "/2026/0302/c1001-100002.html",
                            "/feed/200001.html", "/sm/300001.html"}
        rejections = dict(rows(db_path, "SELECT url, reason FROM rejections"))
        assert rejections[seed].startswith("not an article")
        assert rejections[site.url("/private/2026/0302/c1001-100009.html")].startswith("robots: ")
        assert len(rejections) == 2  # navigation and other sites' links were never candidates
        assert not any(r.path in ("/about.html", "/news/list_2.html", "/", "/sm/300000.html") for r in site.log)
        [(inputs,)] = rows(db_path, "SELECT inputs FROM runs")
        assert inputs == 6  # the seed and five article pages
    finally:
        site.close()


def test_warc_file_is_ingested_with_its_urls(prefect_server, db_path, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    big5_text = ["中央社臺北十五日電 行政院今天召開院會，通過多項法案，院長表示將全力推動經濟發展與社會福利政策。",
                 "立法院各黨團對此表示歡迎，並希望政府在預算審查時提出更完整的說明，以利監督施政成效與財政紀律。"]
    records = [
        ("http://news.example.cn/2026/0302/a1.html", "200 OK", "text/html; charset=gb2312",
         article_html("朱镕基与张喆", [p + "张喆" for p in PARAGRAPHS]).encode("gbk")),
        ("http://news.example.tw/2026/0302/b2.html", "200 OK", "text/html",
         article_html("行政院會通過法案", big5_text * 2).encode("big5")),
        ("http://news.example.cn/gone.html", "404 Not Found", "text/html", b"<html>gone</html>"),
        ("http://news.example.cn/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ]
    warc = tmp_path / "crawl.warc.gz"
    with open(warc, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, status, content_type, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type),
                                                ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    assert cli("ingest", str(warc), "--db", str(db_path), "--batch-size", "3") == 0
    articles = dict(rows(db_path, "SELECT url, encoding FROM articles"))
    assert articles == {"http://news.example.cn/2026/0302/a1.html": "gb18030",
                        "http://news.example.tw/2026/0302/b2.html": "big5hkscs"}
    rejections = dict(rows(db_path, "SELECT url, reason FROM rejections"))
    assert rejections == {"http://news.example.cn/gone.html": "HTTP 404 Not Found (archived response)",
                          "http://news.example.cn/logo.png": "not HTML: content-type image/png (archived response)"}
    assert rows(db_path, "SELECT DISTINCT origin FROM raw_pages") == [("warc",)]
