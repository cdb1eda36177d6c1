"""Read-side queries: `zhnews stats` and `zhnews query` use a read-only connection."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tasks.errors import ZhnewsError
from warehouse.db import connect

STATS_QUERIES: list[tuple[str, str]] = [
    ("Warehouse", """SELECT (SELECT count(*) FROM articles) AS articles,
                            (SELECT count(*) FROM unique_articles) AS unique_articles,
                            (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates,
                            (SELECT count(*) FROM rejections) AS rejections,
                            (SELECT count(*) FROM runs) AS runs"""),
    ("Articles by script", "SELECT source_script, count(*) AS articles FROM articles GROUP BY 1 ORDER BY 2 DESC"),
    ("Articles by day", """SELECT left(published_at, 10) AS day, count(*) AS articles FROM articles
                           GROUP BY 1 ORDER BY 1 DESC NULLS LAST LIMIT 20"""),
    ("Articles by source", """SELECT source, count(*) AS articles FROM articles
                              GROUP BY 1 ORDER BY 2 DESC LIMIT 20"""),
    ("Rejections by reason", """SELECT stage, reason, count(*) AS inputs FROM rejections
                                GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 20"""),
]


def run_query(db_path: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    con = connect(db_path, read_only=True)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()
    except duckdb.Error as exc:
        raise ZhnewsError(str(exc).splitlines()[0], stage="query") from None
    finally:
        con.close()
