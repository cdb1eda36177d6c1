"""The .jsonl source (flows/sources/jsonl.py): already-extracted articles, one JSON object
a line, through the real CLI and a real Prefect flow run into a real DuckDB file."""
from __future__ import annotations

import json
from pathlib import Path

from flows.cli import main
from flows.sources.jsonl import record_page
from tests.conftest import rows

ROOT = Path(__file__).resolve().parent.parent


def seed_body(index: int) -> str:
    """A real article's text (a seed), without its share-widget first line."""
    text = sorted((ROOT / "seeds" / "texts").glob("*.txt"))[index].read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if len(line) > 20)


def test_a_jsonl_file_of_extracted_articles_is_ingested_end_to_end(prefect_server, db_path, tmp_path):
    articles = [{"url": "https://news.example.cn/2022/0301/a.html", "title": "那曲退役军人抗疫纪实",
                 "published": "2022-03-01", "text": seed_body(0)},
                {"url": "https://news.example.cn/2022/0302/b.html", "title": None, "published": None,
                 "text": seed_body(2)}]
    corpus = tmp_path / "corpus.jsonl"
    lines = [json.dumps(a, ensure_ascii=False) for a in articles]
    lines[1:1] = ["", '{"url": "https://news.example.cn/c.html", "title": "无正文"}', "[1, 2]", "{not json"]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert main(["ingest", str(corpus), "--db", str(db_path), "--batch-size", "2"]) == 0

    stored = {url: (title, published) for url, title, published in rows(
        db_path, "SELECT url, title, published_at FROM articles")}
    assert set(stored) == {a["url"] for a in articles}
    first = articles[0]
    assert stored[first["url"]] == (first["title"], first["published"])  # taken as given, not re-found
    text = rows(db_path, f"SELECT text FROM articles WHERE url = '{first['url']}'")[0][0]
    assert "退役军人" in text and len(text) > len(first["text"]) / 2  # cleaned and Simplified, not lost
    rejected = dict(rows(db_path, "SELECT url, reason FROM rejections"))
    uri = corpus.resolve().as_uri()
    assert set(rejected) == {f"{uri}#line=3", f"{uri}#line=4", f"{uri}#line=5"}  # line 2 is blank
    assert '"text"' in rejected[f"{uri}#line=3"] and "object" in rejected[f"{uri}#line=4"]
    assert "not JSON" in rejected[f"{uri}#line=5"]
    assert rows(db_path, "SELECT inputs, articles, rejections FROM runs") == [(5, 2, 3)]

    # Again: the same lines are finished, nothing is loaded twice.
    assert main(["ingest", str(corpus), "--db", str(db_path), "--batch-size", "2"]) == 0
    assert rows(db_path, "SELECT count(*) FROM articles")[0][0] == 2
    assert rows(db_path, "SELECT unchanged FROM runs ORDER BY started_at DESC LIMIT 1")[0][0] == 2


def test_a_line_is_an_article_or_a_reason():
    page = record_page('{"url": " https://a.cn/1 ", "title": "标题", "published": null, "text": "正文"}'.encode())
    assert not isinstance(page, str)
    assert (page.url, page.title, page.published_at, page.text, page.kind) == ("https://a.cn/1", "标题", None,
                                                                                "正文", "text")
    assert "url" in record_page(b'{"text": "x"}')
    assert "published" in record_page('{"url": "u", "text": "x", "published": 2022}'.encode())
    assert "UTF-8" in record_page('{"url": "u", "text": "正文"}'.encode("gbk"))
