"""End to end through the CLI on seeds/ into a temporary DuckDB file."""
from __future__ import annotations

import duckdb

from tasks.normalise import to_simplified
from tests.conftest import run_cli


def test_ingest_seeds_end_to_end_and_rerun_changes_nothing(prefect_server, db_path):
    first = run_cli("ingest", "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    assert "articles loaded" in first.stdout

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        articles = con.execute("SELECT url, title, text FROM articles").fetchall()
        rejections = con.execute("SELECT url, stage, reason FROM rejections").fetchall()
        counts = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM rejections), (SELECT count(*) FROM runs)"
        ).fetchone()
    finally:
        con.close()

    texts = {url.rsplit("/", 1)[-1]: (title, text) for url, title, text in articles}
    seed_texts = [name for name in texts if name.endswith(".txt")]
    assert len(seed_texts) == 5  # one article per seed text
    for name, (title, text) in texts.items():
        assert title, f"{name} has no title"
        assert to_simplified(text) == text, f"{name} is not all Simplified"
        assert to_simplified(title) == title

    second = run_cli("ingest", "--db", str(db_path))
    assert second.returncode == 0, second.stderr
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        again = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM rejections), (SELECT count(*) FROM runs)"
        ).fetchone()
    finally:
        con.close()
    assert again[:2] == counts[:2]
    assert again[2] == counts[2] + 1  # one more run recorded, nothing else changed
