from pathlib import Path

import duckdb
import pytest

from tasks.errors import ZhnewsError
from tasks.load import WarehouseIndex, load_batch
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
        load_batch(con, [article("file:///a/three")], [Rejection("file:///a/two", "clean", "too short")], "run3")
        urls = sorted(r[0] for r in con.execute("SELECT url FROM articles").fetchall())
        rejected = con.execute("SELECT url, stage FROM rejections").fetchall()
        finished = WarehouseIndex(con).finished_inputs(["file:///a/one", "file:///a/three", "file:///a/x"])
    finally:
        con.close()
    assert urls == ["file:///a/one", "file:///a/three"]
    assert rejected == [("file:///a/two", "clean")]
    assert finished == {"file:///a/one": "h1", "file:///a/three": "h1"}


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
