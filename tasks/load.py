"""Stage 7, load: the one writer into DuckDB. Each batch lands in one transaction, through
Arrow (never row by row), so a crash loses at most the batch in flight."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from tasks.models import DedupedArticle, Rejection

STAGE = "load"

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published_at", pa.string()), ("source", pa.string()), ("author", pa.string()),
    ("text", pa.string()), ("source_script", pa.string()), ("content_hash", pa.string()),
    ("duplicate_of", pa.string()), ("run_id", pa.string()),
    ("ingested_at", pa.timestamp("us", tz="UTC")), ("encoding", pa.string()),
    ("input_hash", pa.string()), ("chars", pa.int32()),
])
REJECTION_SCHEMA = pa.schema([
    ("url", pa.string()), ("stage", pa.string()), ("reason", pa.string()), ("run_id", pa.string()),
    ("at", pa.timestamp("us", tz="UTC")), ("input_hash", pa.string()),
])


@dataclass(frozen=True, slots=True)
class LoadCounts:
    articles: int
    duplicates: int
    rejections: int


def now() -> datetime:
    return datetime.now(timezone.utc)


def articles_table(rows: list[DedupedArticle], run_id: str) -> pa.Table:
    stamp = now()
    columns = {name: [] for name in ARTICLE_SCHEMA.names}
    for row in rows:
        a = row.article
        values = (row.article_id, a.url, a.title, a.published_at, a.source, a.author, a.text,
                  a.source_script, row.content_hash, row.duplicate_of, run_id, stamp, a.encoding,
                  a.input_hash, len(a.text))
        for name, value in zip(ARTICLE_SCHEMA.names, values):
            columns[name].append(value)
    return pa.table(columns, schema=ARTICLE_SCHEMA)


def rejections_table(rows: list[Rejection], run_id: str) -> pa.Table:
    stamp = now()
    # One row per input: the last rejection of a URL in the batch wins.
    latest = {r.url: r for r in rows}
    return pa.table({
        "url": list(latest), "stage": [r.stage for r in latest.values()],
        "reason": [r.reason for r in latest.values()], "run_id": [run_id] * len(latest),
        "at": [stamp] * len(latest), "input_hash": [r.input_hash for r in latest.values()],
    }, schema=REJECTION_SCHEMA)


def load_batch(con: duckdb.DuckDBPyConnection, articles: list[DedupedArticle],
               rejections: list[Rejection], run_id: str) -> LoadCounts:
    """Write one batch atomically. The latest outcome of an input wins: an article replaces
    that URL's rejection and a rejection replaces that URL's article."""
    batch_articles = articles_table(articles, run_id)
    batch_rejections = rejections_table(rejections, run_id)
    con.execute("BEGIN")
    try:
        con.register("batch_articles", batch_articles)
        con.register("batch_rejections", batch_rejections)
        con.execute("DELETE FROM rejections WHERE url IN (SELECT url FROM batch_articles)")
        con.execute("DELETE FROM articles WHERE url IN (SELECT url FROM batch_rejections)")
        con.execute("INSERT OR REPLACE INTO articles BY NAME SELECT * FROM batch_articles")
        con.execute("INSERT OR REPLACE INTO rejections BY NAME SELECT * FROM batch_rejections")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("batch_articles")
        con.unregister("batch_rejections")
    duplicates = sum(1 for a in articles if a.duplicate_of)
    return LoadCounts(len(articles), duplicates, batch_rejections.num_rows)


class WarehouseIndex:
    """Read-side lookups the pipeline needs from earlier runs."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def kept_by_hash(self, hashes: list[str], exclude_ids: list[str]) -> dict[str, str]:
        if not hashes:
            return {}
        rows = self.con.execute(
            """SELECT content_hash, arg_min(article_id, coalesce(published_at, '9999') || ingested_at::VARCHAR)
               FROM articles
               WHERE duplicate_of IS NULL AND content_hash IN (SELECT unnest(?))
                 AND article_id NOT IN (SELECT unnest(?))
               GROUP BY content_hash""", [hashes, exclude_ids]).fetchall()
        return dict(rows)

    def finished_inputs(self, urls: list[str]) -> dict[str, str]:
        """url -> input_hash of inputs an earlier run already turned into a row."""
        if not urls:
            return {}
        rows = self.con.execute(
            """SELECT url, input_hash FROM articles WHERE url IN (SELECT unnest(?)) AND input_hash IS NOT NULL
               UNION ALL
               SELECT url, input_hash FROM rejections WHERE url IN (SELECT unnest(?)) AND input_hash IS NOT NULL""",
            [urls, urls]).fetchall()
        return dict(rows)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str) -> None:
    con.execute("INSERT OR REPLACE INTO runs (run_id, flow, started_at, status) VALUES (?, ?, ?, 'running')",
                [run_id, flow, now()])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, inputs: int,
               articles: int, duplicates: int, rejections: int, unchanged: int) -> None:
    con.execute(
        """UPDATE runs SET ended_at = ?, status = ?, inputs = ?, articles = ?, duplicates = ?,
           rejections = ?, unchanged = ? WHERE run_id = ?""",
        [now(), status, inputs, articles, duplicates, rejections, unchanged, run_id])
