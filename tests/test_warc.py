"""WARC response records → RawPage with URL, status and headers, read in batches."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.warc import read_warc, split_warc_paths


def write_warc(path: Path, pages: list[tuple[str, str, list[tuple[str, str]], bytes]], gzip: bool) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, status, headers, body in pages:
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http))


def pages(n: int):
    return [(f"http://news.example.cn/{i}.html", "200 OK", [("Content-Type", "text/html; charset=gbk"),
                                                             ("ETag", f'"e{i}"')],
             f"<html><body><p>第{i}篇</p></body></html>".encode("gbk")) for i in range(n)]


@pytest.mark.parametrize("gzip", [True, False])
def test_batches_cover_every_response_record_once(tmp_path, gzip):
    path = tmp_path / ("a.warc.gz" if gzip else "a.warc")
    write_warc(path, pages(7), gzip)
    urls, offset, batches = [], 0, 0
    while offset is not None:
        batch = read_warc(path, offset, limit=3)
        urls += [p.url for p in batch.pages.items]
        offset, batches = batch.next_offset, batches + 1
    assert urls == [f"http://news.example.cn/{i}.html" for i in range(7)]
    assert batches == 3
    first = read_warc(path, 0, limit=1).pages.items[0]
    assert first.declared_charset == "gbk" and first.status == 200 and first.origin == "warc"
    assert first.headers["etag"] == '"e0"' and first.fetched_at.endswith("+00:00")
    assert first.body.decode("gbk") == "<html><body><p>第0篇</p></body></html>"


def test_non_pages_are_rejections_with_reasons(tmp_path):
    path = tmp_path / "b.warc.gz"
    write_warc(path, [("http://x.example/missing", "404 Not Found", [("Content-Type", "text/html")], b"no"),
                      ("http://x.example/a.pdf", "200 OK", [("Content-Type", "application/pdf")], b"%PDF-1.4"),
                      ("http://x.example/big", "200 OK", [("Content-Type", "text/html")], b"<p>" + b"x" * 5000)],
               gzip=True)
    batch = read_warc(path, 0, limit=10, max_body_bytes=1000)
    assert batch.pages.items == []
    assert [(r.url, r.reason) for r in batch.pages.rejections] == [
        ("http://x.example/missing", "HTTP 404 Not Found (archived response)"),
        ("http://x.example/a.pdf", "not HTML: content-type application/pdf (archived response)"),
        ("http://x.example/big", "too large: the archived body passed the 1000 byte limit")]


def test_damaged_warc_is_a_rejection_and_reading_resumes_after_it(tmp_path):
    good, more = tmp_path / "good.warc.gz", tmp_path / "more.warc.gz"
    write_warc(good, pages(1), gzip=True)
    write_warc(more, pages(2), gzip=True)
    path = tmp_path / "bad.warc.gz"
    garbage = b"this is not a WARC record\r\n\r\n" * 3
    path.write_bytes(good.read_bytes() + garbage + more.read_bytes())
    batch = read_warc(path, 0, limit=10)
    # The records after the garbage are read too: the reader resyncs at the next record.
    assert [p.url for p in batch.pages.items] == ["http://news.example.cn/0.html", "http://news.example.cn/0.html",
                                                  "http://news.example.cn/1.html"]
    [damaged] = batch.pages.rejections
    at = len(good.read_bytes())
    assert damaged.url == f"{path.as_uri()}#offset={at}"
    assert damaged.reason.startswith(f"damaged WARC record (bad.warc.gz at byte {at}): no WARC record header here")
    assert damaged.reason.endswith(f"reading resumed at byte {at + len(garbage)}")


def test_split_warc_paths(tmp_path):
    (tmp_path / "d").mkdir()
    write_warc(tmp_path / "d" / "x.warc.gz", pages(1), True)
    (tmp_path / "d" / "p.html").write_text("<p>x</p>")
    single = tmp_path / "y.warc"
    write_warc(single, pages(1), False)
    warcs, others = split_warc_paths([tmp_path / "d", single, tmp_path / "z.html"])
    assert warcs == [(tmp_path / "d" / "x.warc.gz").resolve(), single.resolve()]
    assert others == [tmp_path / "d", tmp_path / "z.html"]


def test_a_missing_warc_is_left_to_the_read_stage(tmp_path):
    warcs, others = split_warc_paths([tmp_path / "gone.warc.gz"])
    assert warcs == [] and others == [tmp_path / "gone.warc.gz"]
