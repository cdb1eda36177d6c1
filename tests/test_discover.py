"""Article-link discovery: anchors by URL and headline patterns, feeds and sitemaps."""
from __future__ import annotations

import gzip

from tasks.discover import LinkRules, discover, parse_feed, parse_sitemap, same_site, select_links
from tasks.models import DiscoveredLink, RawPage
from tasks.read import body_hash

SECTION = """<html><head><meta charset="gbk"><title>国内新闻</title>
<link rel="alternate" type="application/rss+xml" href="/rss/china.xml">
<link rel="stylesheet" href="/style.css"></head><body>
<div class="nav"><a href="/">首页</a><a href="/china/">国内</a><a href="/world/index.html">国际</a>
<a href="/login.html">登录</a></div>
<ul class="list">
<li><a href="/2026/0302/c1001-40123456.html">全国春季农业生产工作会议在京召开</a></li>
<li><a href="https://news.example.com.cn/20260302/t20260302_987654.html">多地出台措施稳定粮食生产</a></li>
<li><a href="/c/2026-03-02/doc-imxyzabc1234.shtml">短</a></li>
<li><a href="/special/lianghui/">两会特别报道专题页面入口</a></li>
<li><a href="/story/guide">一篇没有日期也没有编号的长标题文章</a></li>
<li><a href="/photo/2026/0302/a.jpg">图片新闻的大图片链接地址</a></li>
<li><a href="javascript:void(0)">点击这里展开更多的新闻内容</a></li>
<li><a href="https://other.example.org/2026/0302/c1-1.html">别的网站转载的新闻标题</a></li>
</ul><a href="/china/list_2.html">下一页</a><a href="/china/more.html">更多</a></body></html>"""


def raw(url: str, text: str, charset: str = "gbk") -> RawPage:
    body = text.encode(charset)
    return RawPage(url=url, body=body, kind="html", input_hash=body_hash(body), declared_charset=charset)


def test_section_page_anchors_and_feeds():
    found = discover([raw("http://www.example.com.cn/china/", SECTION)], [])
    assert [link.url for link in found.articles] == [
        "http://www.example.com.cn/2026/0302/c1001-40123456.html",
        "https://news.example.com.cn/20260302/t20260302_987654.html",
        "http://www.example.com.cn/c/2026-03-02/doc-imxyzabc1234.shtml",
        "http://www.example.com.cn/story/guide",
    ]
    assert found.articles[0].anchor == "全国春季农业生产工作会议在京召开"
    assert found.feeds == ["http://www.example.com.cn/rss/china.xml"]


def test_extra_url_patterns_from_settings():
    html = '<html><body><a href="/p/abc">x</a><a href="/q/abc">y</a></body></html>'
    found = discover([raw("http://a.example.com/", html, "utf-8")], [], LinkRules(extra_url_patterns=(r"/p/",)))
    assert [link.url for link in found.articles] == ["http://a.example.com/p/abc"]


def test_base_href_is_respected():
    html = '<html><head><base href="http://a.example.com/news/"></head><body>' \
           '<a href="2026/0302/123456.html">t</a></body></html>'
    found = discover([raw("http://a.example.com/x/y/", html, "utf-8")], [])
    assert [link.url for link in found.articles] == ["http://a.example.com/news/2026/0302/123456.html"]


def test_sitemap_index_and_urlset_gzip():
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>http://a.example.com/sitemap-news.xml.gz</loc></sitemap></sitemapindex>"""
    pages, nested = parse_sitemap(index, "http://a.example.com/sitemap.xml")
    assert (pages, nested) == ([], ["http://a.example.com/sitemap-news.xml.gz"])
    urlset = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>http://a.example.com/old.html</loc><lastmod>2025-01-01</lastmod></url>
    <url><loc>http://a.example.com/new.html</loc><lastmod>2026-03-02</lastmod></url></urlset>"""
    doc = RawPage("http://a.example.com/sitemap-news.xml.gz", urlset, "html", body_hash(urlset))
    found = discover([], [doc])
    assert [(link.url, link.via) for link in found.articles] == [
        ("http://a.example.com/new.html", "sitemap"), ("http://a.example.com/old.html", "sitemap")]
    assert gzip.decompress(gzip.compress(urlset)) == urlset


def test_rss_and_atom_feeds():
    rss = """<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>频道</title>
    <item><title>第一条</title><link>http://a.example.com/1.html</link><pubDate>Mon, 02 Mar 2026 08:00:00 +0800</pubDate></item>
    <item><title>第二条</title><guid>http://a.example.com/2.html</guid></item></channel></rss>""".encode("gbk")
    assert [(l.url, l.anchor) for l in parse_feed(rss, "http://a.example.com/rss.xml")] == [
        ("http://a.example.com/1.html", "第一条"), ("http://a.example.com/2.html", "第二条")]
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title>A</title><link rel="alternate" href="/a.html"/><link rel="edit" href="/edit/a"/></entry></feed>"""
    assert [l.url for l in parse_feed(atom, "http://a.example.com/atom.xml")] == ["http://a.example.com/a.html"]
    assert parse_feed(b"not xml at all <<<", "http://a.example.com/") == []


def test_feed_with_entity_expansion_is_not_expanded():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><item><title>&c;</title>
    <link>http://a.example.com/x.html</link></item></channel></rss>"""
    links = parse_feed(bomb, "http://a.example.com/")
    assert [l.url for l in links] == ["http://a.example.com/x.html"]
    assert not links[0].anchor or len(links[0].anchor) < 1000


def test_same_site_and_selection():
    assert same_site("http://news.sina.com.cn/a.html", "http://www.sina.com.cn/")
    assert not same_site("http://news.sohu.com/a.html", "http://www.sina.com.cn/")
    assert not same_site("http://127.0.0.2/a.html", "http://127.0.0.1/")
    links = [DiscoveredLink(f"http://a.example.com/{i}.html", "anchor") for i in range(5)]
    links += [DiscoveredLink("http://a.example.com/0.html", "sitemap"),
              DiscoveredLink("http://b.example.org/1.html", "feed"),
              DiscoveredLink("http://a.example.com/", "anchor")]
    chosen = select_links(links, ["http://a.example.com/"], max_pages=3)
    assert [l.url for l in chosen] == [f"http://a.example.com/{i}.html" for i in range(3)]
    assert len(select_links(links, ["http://a.example.com/"], max_pages=100)) == 5
