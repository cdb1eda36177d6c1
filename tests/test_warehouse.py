from pathlib import Path

import duckdb
import pytest

from tasks.errors import ZhnewsError
from tasks.dedup_index import WarehouseIndex
from tasks.load import load_batch
from tasks.models import Article, DedupedArticle, Rejection
from warehouse.db import connect, migrate, migrations, open_warehouse


def article(url: str, text: str = "正文" * 50, input_hash: str = "h1") -> DedupedArticle:
    a = Article(url=url, text=text, title="标题", published_at="2024-01-02", source="某报",
                author=None, encoding="utf-8", input_hash=input_hash, source_script="hans")
    return DedupedArticle(a, article_id=url[-8:], content_hash="c-" + url[-4:], duplicate_of=None)


def test_migrations_apply_once_in_order(db_path: Path):
    con = connect(db_path)
    try:
        first = migrate(con)
        second = migrate(con)
        versions = [row[0] for row in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    assert first == [name for _, name, _ in migrations()]
    assert second == []
    assert versions == [v for v, _, _ in migrations()]
    assert {"articles", "rejections", "runs", "unique_articles"} <= tables


def test_load_batch_upserts_and_latest_outcome_wins(db_path: Path):
    con = open_warehouse(db_path)
    try:
        load_batch(con, [article("file:///a/one"), article("file:///a/two")],
                   [Rejection("file:///a/three", "extract", "not an article", "h3")], "run1")
        # Same batch again: no new rows (idempotent).
        load_batch(con, [article("file:///a/one"), article("file:///a/two")],
                   [Rejection("file:///a/three", "extract", "not an article", "h3")], "run2")
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM rejections").fetchone() == (1,)
        # 'two' is now rejected, 'three' is now an article: one row per input still.
        load_batch(con, [article("file:///a/three")], [Rejection("file:///a/two", "clean", "not an article: too short", retires=True)], "run3")
        urls = sorted(r[0] for r in con.execute("SELECT url FROM articles").fetchall())
        rejected = con.execute("SELECT url, stage FROM rejections").fetchall()
        finished = WarehouseIndex(con).finished_inputs(["file:///a/one", "file:///a/three", "file:///a/x"])
    finally:
        con.close()
    assert urls == ["file:///a/one", "file:///a/three"]
    assert rejected == [("file:///a/two", "clean")]
    assert finished == {"file:///a/one": "h1", "file:///a/three": "h1"}


DANGLING = """SELECT count(*) FROM articles a WHERE duplicate_of IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM articles k WHERE k.article_id = a.duplicate_of)"""


def test_a_failure_without_a_definite_answer_keeps_the_article(db_path: Path):
    con = open_warehouse(db_path)
    try:
        load_batch(con, [article("https://a.cn/one"), article("https://a.cn/two")], [], "run1")
        before = con.execute("SELECT * EXCLUDE (last_error, last_checked_at) FROM articles ORDER BY url").fetchall()
        failures = [Rejection("https://a.cn/one", "fetch", "HTTP 503 Service Unavailable (after 3 attempts)"),
                    Rejection("https://a.cn/two", "extract", "timeout (no result after 5 s; the worker was replaced)",
                              "h1")]
        counts = load_batch(con, [], failures, "run2")
        kept = con.execute("SELECT * EXCLUDE (last_error, last_checked_at) FROM articles ORDER BY url").fetchall()
        noted = con.execute("SELECT url, last_error, last_checked_at IS NOT NULL FROM articles ORDER BY url").fetchall()
        rejected = con.execute("SELECT count(*) FROM rejections").fetchone()
        # Found unchanged on the next fetch (a 304 or the same bytes): the failure no longer stands.
        load_batch(con, [], [], "run3", unchanged_urls=["https://a.cn/two"])
        cleared = con.execute("SELECT url, last_error FROM articles ORDER BY url").fetchall()
        # A definite answer (the URL itself says 404) retires it; the other one stays.
        load_batch(con, [], [Rejection("https://a.cn/one", "fetch", "HTTP 404 Not Found", retires=True)], "run4")
        left = con.execute("SELECT url FROM articles").fetchall()
        gone = con.execute("SELECT url, reason FROM rejections").fetchall()
    finally:
        con.close()
    assert kept == before and len(kept) == 2
    assert noted == [("https://a.cn/one", "fetch: HTTP 503 Service Unavailable (after 3 attempts)", True),
                     ("https://a.cn/two", "extract: timeout (no result after 5 s; the worker was replaced)", True)]
    assert rejected == (0,) and (counts.kept, counts.rejections) == (2, 0)
    assert cleared == [("https://a.cn/one", noted[0][1]), ("https://a.cn/two", None)]
    assert left == [("https://a.cn/two",)] and gone == [("https://a.cn/one", "HTTP 404 Not Found")]


def test_a_retired_kept_article_hands_its_cluster_to_the_earliest_member(db_path: Path):
    def member(name: str, published: str, duplicate_of: str | None) -> DedupedArticle:
        a = Article(url=f"https://{name}.cn/story", text="正文" * 50, title="标题", published_at=published,
                    source=None, author=None, encoding="utf-8", input_hash=name, source_script="hans")
        return DedupedArticle(a, article_id=name, content_hash="same", duplicate_of=duplicate_of)

    con = open_warehouse(db_path)
    try:
        load_batch(con, [member("kept", "2024-01-01", None), member("late", "2024-01-03", "kept"),
                         member("early", "2024-01-02", "kept"), member("other", "2024-01-05", None)], [], "run1")
        load_batch(con, [], [Rejection("https://kept.cn/story", "extract", "not an article: no main text found",
                                       retires=True)], "run2")
        clusters = dict(con.execute("SELECT article_id, duplicate_of FROM articles").fetchall())
        dangling = con.execute(DANGLING).fetchone()
        unique = sorted(r[0] for r in con.execute("SELECT article_id FROM unique_articles").fetchall())
    finally:
        con.close()
    assert clusters == {"early": None, "late": "early", "other": None}
    assert dangling == (0,) and unique == ["early", "other"]


def test_load_batch_is_atomic(db_path: Path):
    con = open_warehouse(db_path)
    try:
        # Rejections are written after articles; a NULL stage violates NOT NULL there,
        # so the articles already inserted in this transaction must roll back too.
        broken = Rejection("file:///a/bad", None, "no stage")  # type: ignore[arg-type]
        with pytest.raises(duckdb.Error):
            load_batch(con, [article("file:///a/good")], [broken], "run1")
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    finally:
        con.close()


def test_locked_warehouse_is_one_clear_error(db_path: Path, tmp_path: Path):
    import subprocess
    import sys
    import time

    open_warehouse(db_path).close()
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb,time; c=duckdb.connect({str(db_path)!r}); print('ok', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(ZhnewsError) as caught:
            connect(db_path)
        assert "in use by another process" in str(caught.value)
        assert caught.value.stage == "warehouse"
    finally:
        holder.kill()
        holder.wait()
