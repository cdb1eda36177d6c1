"""`zhnews stats`, `zhnews query` and `zhnews export` on a warehouse filled by a real ingest."""
from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tasks.errors import ZhnewsError
from tests.conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def warehouse(prefect_server, tmp_path_factory) -> Path:
    """Seed texts and pages, a copy of one text (a duplicate) and an empty page (a rejection)."""
    root = tmp_path_factory.mktemp("warehouse-cli")
    pages = root / "pages"
    shutil.copytree(ROOT / "seeds" / "texts", pages / "texts")
    shutil.copytree(ROOT / "seeds" / "html", pages / "html")
    shutil.copy(sorted((pages / "texts").glob("*.txt"))[0], pages / "copy.txt")
    (pages / "empty.html").write_bytes(b"")
    db = root / "zhnews.duckdb"
    result = run_cli("ingest", str(pages), "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


def scalar(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_stats_reports_what_the_warehouse_holds(warehouse):
    result = run_cli("stats", "--db", str(warehouse))
    assert result.returncode == 0, result.stderr
    for title in ("Warehouse", "Articles by script", "Articles by day", "Articles by source",
                  "Duplicates: most repeated articles", "Rejections by reason", "Recent runs"):
        assert title in result.stdout
    articles, unique, duplicates = (scalar(warehouse, f"SELECT count(*) FROM articles {where}") for where in
                                    ("", "WHERE duplicate_of IS NULL", "WHERE duplicate_of IS NOT NULL"))
    assert duplicates >= 1
    first_row = next(line for line in result.stdout.splitlines() if line.startswith("│"))
    assert [cell.strip() for cell in first_row.strip("│").split("│")][:3] == [str(articles), str(unique), str(duplicates)]
    assert "empty file" in result.stdout


def test_query_prints_a_table_and_refuses_writes_in_one_line(warehouse, tmp_path):
    articles = scalar(warehouse, "SELECT count(*) FROM articles")
    shown = run_cli("query", "SELECT count(*) AS n FROM articles", "--db", str(warehouse))
    assert shown.returncode == 0 and f"│ {articles} " in shown.stdout

    for sql, verb in (("DROP TABLE articles", "DROP"), ("DELETE FROM articles", "DELETE"),
                      ("INSERT INTO runs (run_id) VALUES ('x')", "INSERT")):
        refused = run_cli("query", sql, "--db", str(warehouse))
        assert refused.returncode == 2
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error [query]: {verb} refused"), refused.stderr
    out = tmp_path / "leak.csv"
    copied = run_cli("query", f"COPY articles TO '{out}'", "--db", str(warehouse))
    assert copied.returncode == 2 and "refused" in copied.stderr and not out.exists()
    assert scalar(warehouse, "SELECT count(*) FROM articles") == articles  # nothing changed


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_export_writes_one_record_per_unique_article(warehouse, tmp_path, fmt):
    out = tmp_path / f"corpus.{fmt}"
    result = run_cli("export", str(out), "--format", fmt, "--db", str(warehouse))
    assert result.returncode == 0, result.stderr
    if fmt == "parquet":
        records = pq.read_table(out).to_pylist()
    else:
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        expected = dict(con.execute("SELECT article_id, text FROM unique_articles").fetchall())
        urls = dict(con.execute("SELECT article_id, url FROM unique_articles").fetchall())
    finally:
        con.close()
    assert f"exported {len(expected)} unique articles" in result.stdout
    assert {r["id"]: r["text"] for r in records} == expected and len(records) == len(expected)
    for record in records:
        assert record["metadata"]["url"] == urls[record["id"]]
        assert record["metadata"]["language"] == "zh" and record["metadata"]["chars"] == len(record["text"])
        assert set(record["metadata"]) >= {"title", "published_at", "source", "author", "source_script"}
    assert not list(tmp_path.glob(".*partial"))


def test_export_into_a_missing_directory_is_one_clear_error(warehouse, tmp_path):
    result = run_cli("export", str(tmp_path / "missing" / "corpus.parquet"), "--db", str(warehouse))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error [export]: no directory")


def export_refusal(warehouse: Path, out: Path, *flags: str) -> str:
    """The one error line of an export that must be refused (exit 2)."""
    result = run_cli("export", str(out), *flags, "--db", str(warehouse))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("error [export]:"), lines
    return lines[0]


def test_export_never_writes_onto_the_warehouse_or_its_wal(warehouse, tmp_path):
    before = warehouse.read_bytes()
    articles = scalar(warehouse, "SELECT count(*) FROM articles")
    wal = warehouse.with_name(warehouse.name + ".wal")
    hard_link = tmp_path / "same-inode.duckdb"
    hard_link.hardlink_to(warehouse)
    symlink = tmp_path / "link.duckdb"
    symlink.symlink_to(warehouse)
    for target in (warehouse, wal, hard_link, symlink):
        for flags in ((), ("--force",)):
            assert "warehouse itself" in export_refusal(warehouse, target, *flags), (target, flags)
    assert warehouse.read_bytes() == before and not wal.exists()
    assert scalar(warehouse, "SELECT count(*) FROM articles") == articles > 0


def test_export_refuses_what_is_not_a_regular_file(warehouse, tmp_path):
    fifo = tmp_path / "corpus.fifo"
    os.mkfifo(fifo)
    directory = tmp_path / "corpus.dir"
    directory.mkdir()
    to_directory = tmp_path / "to-dir.parquet"
    to_directory.symlink_to(directory)
    for target in (fifo, directory, to_directory):
        assert "not a regular file" in export_refusal(warehouse, target, "--force") or \
            "a directory" in export_refusal(warehouse, target, "--force"), target
    assert stat.S_ISFIFO(fifo.stat().st_mode) and directory.is_dir() and not any(directory.iterdir())
    # A device (as root, /dev/null itself would be replaced): refused before any write.
    from warehouse.queries import export_target
    with pytest.raises(ZhnewsError, match="not a regular file"):
        export_target(warehouse, Path(os.devnull), force=True)


def test_export_replaces_an_existing_file_only_with_force(warehouse, tmp_path):
    out = tmp_path / "corpus.parquet"
    out.write_bytes(b"keep me")
    assert "--force" in export_refusal(warehouse, out)
    assert out.read_bytes() == b"keep me"
    out.chmod(0o444)
    if os.geteuid() != 0:  # root may write anything: the check is for users
        assert "read-only" in export_refusal(warehouse, out, "--force")
        assert out.read_bytes() == b"keep me"
    out.chmod(0o644)
    result = run_cli("export", str(out), "--force", "--db", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert pq.read_table(out).num_rows == scalar(warehouse, "SELECT count(*) FROM unique_articles")
    assert not list(tmp_path.glob(".*partial"))
