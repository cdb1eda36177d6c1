"""Bad inputs, all in one directory, through one real ingest flow run (real Prefect server,
real worker processes, real DuckDB file). Each input ends as exactly one row: a rejection
with a reason a user can act on, or a correct article; the run goes on to the end."""
from __future__ import annotations

import functools
import gzip
import io
import random
import re
import zlib
from pathlib import Path

import duckdb
import pytest

from tasks.settings import SEEDS_DIR

PARAGRAPHS = [line.strip() for line in (SEEDS_DIR / "texts" / "002_daaa05f766300366.txt")
              .read_text(encoding="utf-8").split("\n") if len(line.strip()) >= 40][:6]
MARKER = PARAGRAPHS[1][:20]  # a phrase a correct article from these paragraphs contains


def article_html(charset: str = "utf-8", body: bool = True, extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    main = f"<article><h1>江南日报讯 防疫一线党员身影</h1>{extra}{paragraphs}</article>"
    head = f'<head><meta charset="{charset}"><title>防疫一线党员身影</title></head>'
    return f"<html>{head}<body>{main}</body></html>" if body else f"<html>{head}{main}</html>"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes.fromhex("0000000100000001080200000000"))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def truncated_warc() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n in range(2):
        payload = article_html().replace("防疫", f"防疫{n}").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://warc.example.cn/{n}.html", "response",
                                                      payload=io.BytesIO(payload), http_headers=headers))
    data = out.getvalue()
    return data[: len(data) - 300]  # cut inside the second record's gzip member


# What may happen to an input: an article (True/False) and the rejection reasons allowed.
ARTICLE = (True, None)


def rejected(pattern: str, or_article: bool = False) -> tuple[bool, str]:
    return (or_article, pattern)


@functools.cache
def bad_inputs() -> dict[str, tuple[bytes, tuple[bool, str | None]]]:
    rng = random.Random(8)
    good = article_html().encode()
    huge_paragraphs = "".join(f"<div class='c{n % 7}'><p>{PARAGRAPHS[n % len(PARAGRAPHS)]}</p></div>"
                              for n in range(66_000))
    huge = f"<html><body><article>{huge_paragraphs}</article></body></html>".encode()
    assert len(huge) >= 20 * 2**20
    deep = ("<html><body>" + "<div>" * 100_000 + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
            + "</div>" * 100_000 + "</body></html>").encode()
    images = "<html><body>" + "".join(f'<p><img src="/p/{n}.jpg" alt=""></p>' for n in range(200)) + "</body></html>"
    js_only = ('<html><head><script src="/app.js"></script></head><body><div id="app"></div>'
               "<script>window.__STATE__={\"articles\":[1,2,3]};render(document.getElementById('app'));</script>"
               "<noscript>请启用JavaScript</noscript></body></html>")
    links = "".join(f'<li><a href="/news/{n}.html">{PARAGRAPHS[n % 6][:18]}</a></li>' for n in range(120))
    index = f"<html><body><h1>新闻列表</h1><ul>{links}</ul></body></html>"
    gbk_half = article_html("gbk").encode("gbk")
    mixed = gbk_half[: len(gbk_half) // 2] + article_html().encode()[len(gbk_half) // 2:]
    invalid_utf8 = bytearray(good)
    for at in rng.sample(range(400, len(invalid_utf8)), 12):
        invalid_utf8[at] = 0xFF
    with_nul = good.replace("。".encode(), "。\x00".encode())
    # Lone surrogates as character references and as their (invalid) UTF-8 bytes.
    surrogates = article_html(extra="<p>&#xD800;&#xDFFF;孤立代理项SURROGATES</p>").encode().replace(
        b"SURROGATES", "\ud800\udfff".encode("utf-8", "surrogatepass"))
    return {
        "empty.html": (b"", rejected(r"^empty file$")),
        "blank.htm": (b" \n\t\n ", rejected(r"^empty file$")),
        "binary.html": (rng.randbytes(20_000), rejected(r"^(binary content|undecodable)")),
        "picture.html": (png(), rejected(r"^binary content: a PNG image")),
        "truncated.html": (gzip.compress(good)[:200], rejected(r"^binary content: gzip data")),
        "huge-20MB.html": (huge, rejected(r"^too large: \d+ bytes is over the 10485760 byte limit")),
        "deep-100000.html": (deep, ARTICLE),
        "invalid-utf8.html": (bytes(invalid_utf8), rejected(r"^undecodable", or_article=True)),
        "mixed-encodings.html": (mixed, rejected(r"^undecodable", or_article=True)),
        "nul-bytes.html": (with_nul, ARTICLE),
        "lone-surrogates.html": (surrogates, ARTICLE),
        "no-body.html": (article_html(body=False).encode(), ARTICLE),
        "only-images.html": (images.encode(), rejected(r"^not an article")),
        "javascript-only.html": (js_only.encode(), rejected(r"^not an article")),
        "index.html": (index.encode(), rejected(r"^not an article: no block of prose")),
        "新闻 报道 (副本).html": (good, ARTICLE),
        "big5 頁面.htm": (article_html("big5").encode("big5", "xmlcharrefreplace"), ARTICLE),
        "notes.txt": ("\n".join(PARAGRAPHS).encode("utf-8"), ARTICLE),
    }


@pytest.fixture(scope="module")
def ingested(prefect_server, tmp_path_factory):
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("bad inputs")
    inputs = bad_inputs()
    for name, (body, _) in inputs.items():
        (root / name).write_bytes(body)
    (root / "archive.warc.gz").write_bytes(truncated_warc())
    db = root / "zhnews.duckdb"
    state = ingest(paths=[str(root)], db_path=str(db), workers=2, extract_timeout=5.0, return_state=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = {url: text for url, text in con.execute("SELECT url, text FROM articles").fetchall()}
        rejections = {url: (stage, reason) for url, stage, reason in
                      con.execute("SELECT url, stage, reason FROM rejections").fetchall()}
        run = con.execute("SELECT status, inputs FROM runs").fetchall()
    finally:
        con.close()
    return root, inputs, state, articles, rejections, run


def test_the_run_completes(ingested):
    _, inputs, state, _, _, run = ingested
    assert state.is_completed(), state
    assert [status for status, _ in run] == ["completed"]
    assert state.result().inputs >= len(inputs)


@pytest.mark.parametrize("name", list(bad_inputs()))
def test_each_input_ends_as_one_clear_outcome(ingested, name: str):
    root, inputs, _, articles, rejections, _ = ingested
    url = (root / name).as_uri()
    may_be_article, reason_pattern = inputs[name][1]
    assert (url in articles) != (url in rejections), f"{name}: exactly one row"
    if url in articles:
        assert may_be_article, f"{name} should be rejected ({reason_pattern}), got an article"
        text = articles[url]
        assert "\x00" not in text
        text.encode("utf-8")  # storable: no lone surrogate
        if name not in ("mixed-encodings.html", "invalid-utf8.html"):
            assert MARKER in text, f"{name}: the article text is not the page's text"
    else:
        stage, reason = rejections[url]
        assert reason_pattern is not None, f"{name} should be an article, got [{stage}] {reason}"
        assert re.search(reason_pattern, reason), f"{name}: [{stage}] {reason}"


def test_a_truncated_warc_costs_at_most_its_broken_record(ingested):
    _, _, _, articles, rejections, _ = ingested
    whole, cut = "http://warc.example.cn/0.html", "http://warc.example.cn/1.html"
    assert whole in articles and MARKER in articles[whole]
    # The record cut short ends as a rejection that says so, not as half an article.
    assert cut not in articles
    assert rejections[cut][0] == "warc" and re.search(r"^truncated WARC record: \d+ of its \d+ bytes", rejections[cut][1])
