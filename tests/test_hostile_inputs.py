"""Hostile inputs (issue 14, items 4, 5, 8, 9): no single URL, WARC record or local file ends
a run. Each ends as its own rejection naming it, and the rest of the batch goes on. Real
HTTP servers on 127.0.0.1, real WARC files, real FIFOs and symlinks, real zhnews runs."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.fetch import fetch_urls, read_url_list
from tasks.read import discover_inputs, read_files
from tasks.settings import Settings
from tasks.warc import read_warc
from tests.test_fetch import PARAGRAPHS, article_html
from tests.webserver import serve

ROOT = Path(__file__).resolve().parent.parent
NON_WEB = {"/to-javascript": "javascript:alert(1)", "/to-mailto": "mailto:editor@example.cn",
           "/to-data": "data:text/html,<p>x</p>", "/to-about": "about:blank"}
BAD_PORTS = {"/to-port-99999": "http://127.0.0.1:99999/a.html", "/to-port-minus-1": "http://127.0.0.1:-1/a.html"}


def fast(**overrides) -> Settings:
    return Settings(**{"allow_private_hosts": True, "fetch_delay": 0, "fetch_retries": 0, "fetch_timeout": 5, **overrides})


def redirect(location: str):
    return lambda handler: handler.send(b"", status=302, headers={"Location": location})


def hostile_site():
    return serve({"/good.html": lambda h: h.send(article_html("春耕备耕")),
                  **{path: redirect(target) for path, target in {**NON_WEB, **BAD_PORTS}.items()}})


# -- fetch ---------------------------------------------------------------------------------

def test_redirects_to_non_web_urls_are_each_a_rejection_and_the_batch_goes_on():
    site = hostile_site()
    try:
        result = fetch_urls([site.url("/good.html"), *(site.url(p) for p in NON_WEB)], fast())
    finally:
        site.close()
    assert [page.url for page in result.items] == [site.url("/good.html")]
    reasons = {r.url: r.reason for r in result.rejections}
    for path, target in NON_WEB.items():
        scheme = target.split(":")[0]
        assert reasons[site.url(path)] == (f"bad redirect: HTTP 302 redirect to {target!r}: "
                                           f"not an http(s) URL (scheme {scheme!r})")


def test_ports_out_of_range_listed_or_redirected_to_are_rejections_naming_the_url():
    site = hostile_site()
    listed = ["http://127.0.0.1:99999/a.html", "http://127.0.0.1:-1/b.html"]
    try:
        result = fetch_urls([site.url("/good.html"), *listed, *(site.url(p) for p in BAD_PORTS)], fast())
    finally:
        site.close()
    assert [page.url for page in result.items] == [site.url("/good.html")]
    reasons = {r.url: r.reason for r in result.rejections}
    assert reasons[listed[0]] == "bad URL: port 99999 is outside 1-65535"
    assert reasons[listed[1]] == "bad URL: port -1 is outside 1-65535"
    assert reasons[site.url("/to-port-99999")].startswith("bad redirect: HTTP 302 redirect to "
                                                          "'http://127.0.0.1:99999/a.html': bad URL: port 99999")


def test_a_host_that_never_answers_costs_its_budget_not_a_timeout_per_url():
    # robots.txt answers (404: no rules), the pages never do.
    paths = [f"/{n}.html" for n in range(16)]
    site = serve({path: (lambda handler: time.sleep(5)) for path in paths})
    try:
        result = fetch_urls([site.url(p) for p in paths],
                            fast(fetch_timeout=0.4, fetch_per_host=2, fetch_host_budget=1.0))
    finally:
        site.close()
    reasons = [r.reason for r in result.rejections]
    assert len(reasons) == len(paths) and not result.items
    timed_out = [r for r in reasons if r.startswith("timeout: ")]
    over_budget = [r for r in reasons if r.startswith("host budget spent: 127.0.0.1 gave no answer for ")]
    assert len(timed_out) + len(over_budget) == len(paths), reasons
    # 2 in flight, 0.4 s each: the 1 s budget is spent after 2 rounds; the rest are not tried.
    assert 2 <= len(timed_out) <= 6 and "ZHNEWS_FETCH_HOST_BUDGET" in over_budget[0]
    assert len(site.log) <= 7  # robots.txt and the pages tried


def test_a_line_separator_does_not_split_a_url_list_line(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("http://a.example/1.html\u2028http://a.example/2.html\n"
                       "http://a.example/3.html\u0085\nhttp://a.example/4.html\n", encoding="utf-8")
    result = read_url_list(listing)
    assert result.items == ["http://a.example/3.html", "http://a.example/4.html"]
    [one] = result.rejections
    assert one.url == "http://a.example/1.html\u2028http://a.example/2.html"
    assert one.reason == "not an http(s) URL (line 1 of urls.txt): the URL contains U+2028 (LINE SEPARATOR)"


# -- local files ---------------------------------------------------------------------------

def test_fifos_symlink_loops_and_broken_links_are_rejected_without_opening_them(tmp_path):
    (tmp_path / "ok.html").write_text(article_html("春耕"), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "pipe.htm")
    os.symlink("loop-b.html", tmp_path / "loop-a.html")
    os.symlink("loop-a.html", tmp_path / "loop-b.html")
    os.symlink("gone.html", tmp_path / "broken.html")
    os.symlink("/dev/zero", tmp_path / "zero.html")
    named = [tmp_path / "pipe.html", tmp_path / "loop-a.html", tmp_path]
    found = discover_inputs(named)
    assert [Path(ref.path).name for ref in found.items] == ["ok.html"]
    reasons = {Path(r.url).name: r.reason for r in found.rejections}
    assert reasons == {"pipe.html": "not a regular file: a FIFO (named pipe)",
                       "pipe.htm": "not a regular file: a FIFO (named pipe)",
                       "loop-a.html": "symlink loop: the path's links point back at each other",
                       "loop-b.html": "symlink loop: the path's links point back at each other",
                       "broken.html": "broken symlink: it points at gone.html, which does not exist",
                       "zero.html": "not a regular file: a character device"}


def test_a_file_turned_fifo_after_discovery_is_rejected_not_waited_on(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    refs = discover_inputs([page]).items
    page.unlink()
    os.mkfifo(page)
    done: list = []
    reader = threading.Thread(target=lambda: done.append(read_files(refs)), daemon=True)
    reader.start()
    reader.join(10)
    assert done, "reading a FIFO hung"
    assert [r.reason for r in done[0].rejections] == ["not a regular file: a FIFO (named pipe)"]


def test_local_files_over_the_size_cap_are_rejected(tmp_path):
    small, big = tmp_path / "small.html", tmp_path / "big.html"
    small.write_text(article_html("春耕"), encoding="utf-8")
    big.write_bytes(b"<p>" + b"x" * 5000 + b"</p>")
    result = read_files(discover_inputs([small, big]).items, max_bytes=4096)
    assert [Path(p.url).name for p in result.items] == ["small.html"]
    assert [(Path(r.url).name, r.reason) for r in result.rejections] == [
        ("big.html", f"too large: {big.stat().st_size} bytes is over the 4096 byte limit (ZHNEWS_MAX_FILE_BYTES)")]


def test_an_unreadable_directory_named_directly_is_a_rejection():
    """Root reads every directory: the check runs as an unprivileged user then."""
    top = Path(tempfile.mkdtemp(prefix="zhnews-unreadable-"))
    try:
        top.chmod(0o755)
        (top / "locked").mkdir()
        (top / "locked" / "a.html").write_text("<p>x</p>", encoding="utf-8")
        (top / "locked").chmod(0o000)
        # Imports first: the interpreter's own files may be out of an unprivileged user's reach.
        script = ("import json, os, sys\nfrom pathlib import Path\nfrom tasks.read import discover_inputs\n"
                  "if os.getuid() == 0:\n    os.setgid(65534); os.setuid(65534)\n"
                  "found = discover_inputs([Path(sys.argv[1])])\n"
                  "print(json.dumps([[r.url, r.reason] for r in found.rejections] + [len(found.items)]))\n")
        out = subprocess.run([sys.executable, "-c", script, str(top / "locked")], capture_output=True, text=True,
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60, check=True)
        *rejections, items = json.loads(out.stdout)
        assert items == 0
        assert rejections == [[(top / "locked").as_uri(), "cannot read directory: Permission denied"]]
    finally:
        (top / "locked").chmod(0o755)
        shutil.rmtree(top)


# -- WARC ----------------------------------------------------------------------------------

def warc_bytes(records: list[tuple[str | None, str]], gzip: bool) -> bytes:
    """Response records (target URI, HTTP status line) with an article each; URI None
    leaves WARC-Target-URI out."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for n, (url, status) in enumerate(records):
        http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = article_html(f"第{n}篇").encode()
        record = writer.create_warc_record(url or "", "response", payload=io.BytesIO(body), http_headers=http)
        if url is None:
            record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    return out.getvalue()


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("damage", ["status line abc", "no target URI", "garbage between records"])
def test_a_bad_warc_record_is_a_rejection_and_later_records_are_read(tmp_path, gzip, damage):
    first, last = "http://warc.example.cn/0.html", "http://warc.example.cn/2.html"
    if damage == "garbage between records":
        data = (warc_bytes([(first, "200 OK")], gzip) + os.urandom(3000)
                + warc_bytes([("http://warc.example.cn/1.html", "200 OK"), (last, "200 OK")], gzip))
        expected = [first, "http://warc.example.cn/1.html", last]
    else:
        middle = ("http://warc.example.cn/1.html", "abc") if damage == "status line abc" else (None, "200 OK")
        data = warc_bytes([(first, "200 OK"), middle, (last, "200 OK")], gzip)
        expected = [first, last]
    path = tmp_path / ("a.warc.gz" if gzip else "a.warc")
    path.write_bytes(data)
    batch = read_warc(path)
    assert [page.url for page in batch.pages.items] == expected
    [bad] = batch.pages.rejections
    assert bad.stage == "warc" and bad.reason.startswith(f"damaged WARC record (a.warc{'.gz' * gzip} at byte ")
    if damage == "status line abc":
        assert bad.url == "http://warc.example.cn/1.html"
        assert bad.reason.endswith("HTTP status line 'abc' has no status code")
    else:
        assert bad.url.startswith(path.as_uri() + "#offset=")
        offset = int(bad.url.rpartition("=")[2])
        assert f"at byte {offset})" in bad.reason
    if damage == "no target URI":
        assert "no WARC-Target-URI" in bad.reason


@pytest.mark.parametrize("name, data, reason", [
    ("random.warc", bytes(range(256)) * 20, "no WARC record in the file: no WARC record header here"),
    ("text.warc.gz", b"this is plain text, not gzip\n" * 10, "no WARC record in the file: no WARC record header"),
    ("empty.warc.gz", b"", "empty WARC file"),
])
def test_a_file_that_is_no_warc_is_one_rejection(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    batch = read_warc(path)
    assert batch.pages.items == []
    assert [(r.url, r.stage) for r in batch.pages.rejections] == [(path.as_uri(), "warc")]
    assert batch.pages.rejections[0].reason.startswith(reason)


def test_a_warc_gz_cut_inside_a_record_header_is_a_rejection(tmp_path):
    import gzip

    whole = warc_bytes([("http://warc.example.cn/0.html", "200 OK")], gzip=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole + gzip.compress(b"WARC/1.0\r\nWARC-Type: respo"))
    batch = read_warc(path)
    assert [page.url for page in batch.pages.items] == ["http://warc.example.cn/0.html"]
    assert [(r.url, r.reason) for r in batch.pages.rejections] == [
        (f"{path.as_uri()}#offset={len(whole)}",
         f"damaged WARC record (cut.warc.gz at byte {len(whole)}): its header block is cut short")]


# -- whole runs ----------------------------------------------------------------------------

def test_one_ingest_of_every_hostile_input_completes_with_a_row_for_each(prefect_server, tmp_path, monkeypatch):
    """A URL list with hostile URLs, local FIFOs, loops and an oversized page, and bad WARC
    files, in one real `zhnews ingest`: exit 0, every input one row, the good ones articles."""
    from flows.cli import main

    for name, value in {"ZHNEWS_FETCH_DELAY": "0", "ZHNEWS_FETCH_RETRIES": "0", "ZHNEWS_WORKERS": "1",
                        "ZHNEWS_MAX_FILE_BYTES": "200000"}.items():
        monkeypatch.setenv(name, value)
    site = hostile_site()
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.html").write_text(article_html("春耕备耕工作会议"), encoding="utf-8")
    (inputs / "huge.html").write_text(article_html("很大", PARAGRAPHS * 800), encoding="utf-8")
    os.mkfifo(inputs / "pipe.html")
    os.symlink("loop.html", tmp_path / "loop.html")
    (inputs / "status.warc.gz").write_bytes(warc_bytes(
        [("http://warc.example.cn/0.html", "200 OK"), ("http://warc.example.cn/1.html", "abc"),
         (None, "200 OK"), ("http://warc.example.cn/3.html", "200 OK")], gzip=True))
    (inputs / "random.warc").write_bytes(bytes(range(256)) * 20)
    (inputs / "empty.warc.gz").write_bytes(b"")
    listing = tmp_path / "urls.txt"
    hostile = [site.url(p) for p in [*NON_WEB, *BAD_PORTS]] + ["http://127.0.0.1:99999/x.html"]
    listing.write_text("\n".join([site.url("/good.html"), *hostile, "http://a.example/1\u2028http://a.example/2"]),
                       encoding="utf-8")
    db = tmp_path / "zhnews.duckdb"
    try:
        code = main(["ingest", str(inputs), str(tmp_path / "loop.html"), "--urls", str(listing), "--db", str(db),
                     "--allow-private-hosts"])
    finally:
        site.close()
    assert code == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = {url for (url,) in con.execute("SELECT url FROM articles").fetchall()}
        rejections = dict(con.execute("SELECT url, reason FROM rejections").fetchall())
        [(status, counted)] = con.execute("SELECT status, inputs FROM runs").fetchall()
    finally:
        con.close()
    assert status == "completed" and counted == len(articles) + len(rejections)
    assert {site.url("/good.html"), (inputs / "good.html").as_uri(), "http://warc.example.cn/0.html",
            "http://warc.example.cn/3.html"} <= articles
    for url in hostile:
        assert url in rejections and url not in articles
    assert rejections[(inputs / "pipe.html").as_uri()] == "not a regular file: a FIFO (named pipe)"
    assert rejections[(tmp_path / "loop.html").as_uri()].startswith("symlink loop")
    assert rejections[(inputs / "huge.html").as_uri()].startswith("too large: ")
    assert rejections["http://warc.example.cn/1.html"].endswith("has no status code")
    assert any(url.startswith((inputs / "status.warc.gz").as_uri() + "#offset=") for url in rejections)
    assert rejections[(inputs / "random.warc").as_uri()].startswith("no WARC record in the file")
    assert rejections[(inputs / "empty.warc.gz").as_uri()] == "empty WARC file"
    assert rejections["http://a.example/1\u2028http://a.example/2"].startswith("not an http(s) URL (line ")


def test_a_crawl_whose_page_links_to_a_bad_port_completes(prefect_server, tmp_path, monkeypatch):
    from flows.crawl import crawl

    monkeypatch.setenv("ZHNEWS_FETCH_DELAY", "0")
    monkeypatch.setenv("ZHNEWS_FETCH_RETRIES", "0")
    bad_link = "http://127.0.0.1:99999/2024/0315/c1001-123456.html"
    site = serve({})
    good_link = site.url("/2024/0315/c1001-654321.html")
    links = "".join(f'<li><a href="{u}">全国春季农业生产工作会议在京召开部署春耕</a></li>' for u in (bad_link, good_link))
    site.routes.update({
        "/index.html": lambda h: h.send(f'<html><head><meta charset="utf-8"></head><body><ul>{links}</ul></body></html>'),
        "/2024/0315/c1001-654321.html": lambda h: h.send(article_html("春耕备耕")),
        **{path: redirect(target) for path, target in NON_WEB.items()}})
    db = tmp_path / "zhnews.duckdb"
    try:
        state = crawl(seeds=[site.url("/index.html")], db_path=str(db), workers=1, allow_private_hosts=True,
                      return_state=True)
    finally:
        site.close()
    assert state.is_completed(), state
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = {url for (url,) in con.execute("SELECT url FROM articles").fetchall()}
        rejections = dict(con.execute("SELECT url, reason FROM rejections").fetchall())
    finally:
        con.close()
    assert good_link in articles
    assert rejections[bad_link] == "bad URL: port 99999 is outside 1-65535"
