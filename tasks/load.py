"""Stage 7, load: the one writer into DuckDB. Each batch lands in one transaction, through
Arrow (never row by row), so a crash loses at most the batch in flight."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from tasks.dedup import NO_DATE, ClusterInfo, StoredCandidate
from tasks.errors import ZhnewsError
from tasks.models import DedupedArticle, Rejection

STAGE = "load"
# An article's place in 'earliest published, then first ingested' (see tasks/dedup.py).
ORDER_SQL = "coalesce({t}.published_at, '" + NO_DATE + "'), coalesce({t}.ingested_at::VARCHAR, '')"

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published_at", pa.string()), ("source", pa.string()), ("author", pa.string()),
    ("text", pa.string()), ("source_script", pa.string()), ("content_hash", pa.string()),
    ("duplicate_of", pa.string()), ("run_id", pa.string()),
    ("ingested_at", pa.timestamp("us", tz="UTC")), ("encoding", pa.string()),
    ("input_hash", pa.string()), ("chars", pa.int32()), ("canonical_url", pa.string()),
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
                  a.input_hash, len(a.text), row.canonical_url)
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
        write_articles(con)
        write_dedup_sketches(con, articles)
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


def write_articles(con: duckdb.DuckDBPyConnection) -> None:
    """Upsert batch_articles by article_id (one row per canonical URL). A row seen again
    keeps its first ingested_at (ties in 'earliest published' go to the first ingested)
    and gets updated_at when its text changed."""
    con.execute("""
        INSERT OR REPLACE INTO articles BY NAME
        SELECT b.* REPLACE (coalesce(o.ingested_at, b.ingested_at) AS ingested_at),
               CASE WHEN o.article_id IS NULL THEN NULL
                    WHEN o.content_hash <> b.content_hash THEN b.ingested_at
                    ELSE o.updated_at END AS updated_at
        FROM batch_articles b LEFT JOIN articles o USING (article_id)""")


def write_dedup_sketches(con: duckdb.DuckDBPyConnection, articles: list[DedupedArticle]) -> None:
    """Signatures, band hashes and paragraph hashes of the batch (replacing an article's
    earlier ones), and the re-pointing of clusters whose kept article was replaced."""
    ids = [a.article_id for a in articles]
    for table in ("dedup_signatures", "dedup_bands", "dedup_lines"):
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
    sketched = [a for a in articles if a.sketch is not None]
    signatures = pa.table({
        "article_id": [a.article_id for a in sketched if a.sketch.signature is not None],
        "signature": pa.array([a.sketch.signature for a in sketched if a.sketch.signature is not None],
                              pa.binary())})
    bands = pa.table({
        "band": pa.array([b for a in sketched for b in range(len(a.sketch.band_hashes))], pa.int16()),
        "band_hash": pa.array([h for a in sketched for h in a.sketch.band_hashes], pa.int64()),
        "article_id": [a.article_id for a in sketched for _ in a.sketch.band_hashes]})
    with_site = [a for a in sketched if a.sketch.site is not None]
    lines = pa.table({
        "site": [a.sketch.site for a in with_site for _ in a.sketch.line_hashes],
        "line_hash": pa.array([h for a in with_site for h in a.sketch.line_hashes], pa.int64()),
        "article_id": [a.article_id for a in with_site for _ in a.sketch.line_hashes],
        "content_hash": [a.content_hash for a in with_site for _ in a.sketch.line_hashes]})
    for table, data in (("dedup_signatures", signatures), ("dedup_bands", bands), ("dedup_lines", lines)):
        if data.num_rows:
            con.register("batch_sketch", data)
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_sketch")
            finally:
                con.unregister("batch_sketch")
    moves = [(old, a.article_id) for a in articles for old in a.replaces]
    if moves:
        con.executemany("UPDATE articles SET duplicate_of = ? WHERE article_id = ? OR duplicate_of = ?",
                        [[new, old, old] for old, new in moves])


def ensure_banding(con: duckdb.DuckDBPyConnection, bands: int, rows: int, num_perm: int) -> int:
    """Make the stored band hashes match this run's banding (it follows the threshold):
    when a run uses another threshold, re-band every stored signature (no texts are read).
    Returns the number of signatures re-banded."""
    from tasks import minhash  # numpy: only the writer of bands needs it here

    wanted = f"{bands}x{rows}/{num_perm}"
    row = con.execute("SELECT value FROM dedup_config WHERE key = 'banding'").fetchone()
    if row is not None and row[0] == wanted:
        return 0
    if row is not None and not row[0].endswith(f"/{num_perm}"):
        raise ZhnewsError(f"the warehouse's MinHash signatures have {row[0].split('/')[1]} slots, not "
                          f"{num_perm}: set ZHNEWS_DEDUP_NUM_PERM back or use another --db", stage=STAGE)
    stored = con.execute("SELECT article_id, signature FROM dedup_signatures").fetchall()
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM dedup_bands")
        if stored:
            import numpy as np

            matrix = np.stack([np.frombuffer(sig, dtype=np.uint32) for _, sig in stored])
            hashes = minhash.band_hashes(matrix, minhash.Banding(bands, rows))
            con.register("rebanded", pa.table({
                "band": pa.array(np.tile(np.arange(bands, dtype=np.int16), len(stored))),
                "band_hash": pa.array(hashes.reshape(-1)),
                "article_id": [article_id for article_id, _ in stored for _ in range(bands)]}))
            try:
                con.execute("INSERT INTO dedup_bands BY NAME SELECT * FROM rebanded")
            finally:
                con.unregister("rebanded")
        con.execute("INSERT OR REPLACE INTO dedup_config VALUES ('banding', ?)", [wanted])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(stored)


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

    def clusters_of(self, ids: list[str]) -> dict[str, ClusterInfo]:
        """article_id -> the kept article of its cluster and that one's order."""
        if not ids:
            return {}
        rows = self.con.execute(
            f"""SELECT a.article_id, k.article_id, {ORDER_SQL.format(t='k')}
               FROM articles a JOIN articles k ON k.article_id = coalesce(a.duplicate_of, a.article_id)
               WHERE a.article_id IN (SELECT unnest(?))""", [ids]).fetchall()
        return {a: ClusterInfo(k, (published, ingested)) for a, k, published, ingested in rows}

    def band_candidates(self, bands: list[int], band_hashes: list[int],
                        exclude_ids: list[str]) -> dict[int, list[StoredCandidate]]:
        """band_hash -> stored articles with that band, their signatures and clusters."""
        import numpy as np

        probe = pa.table({"band": pa.array(bands, pa.int16()), "band_hash": pa.array(band_hashes, pa.int64())})
        self.con.register("probe_bands", probe)
        try:
            rows = self.con.execute(
                f"""SELECT b.band_hash, b.article_id, s.signature, k.article_id, {ORDER_SQL.format(t='k')}
                   FROM (SELECT DISTINCT band, band_hash FROM probe_bands) p
                   JOIN dedup_bands b ON b.band_hash = p.band_hash AND b.band = p.band
                   JOIN dedup_signatures s ON s.article_id = b.article_id
                   JOIN articles a ON a.article_id = b.article_id
                   JOIN articles k ON k.article_id = coalesce(a.duplicate_of, a.article_id)
                   WHERE b.article_id NOT IN (SELECT unnest(?))""", [exclude_ids]).fetchall()
        finally:
            self.con.unregister("probe_bands")
        found: dict[int, list[StoredCandidate]] = {}
        for band_hash, article_id, signature, kept, published, ingested in rows:
            found.setdefault(band_hash, []).append(StoredCandidate(
                article_id, np.frombuffer(signature, dtype=np.uint32), ClusterInfo(kept, (published, ingested))))
        return found

    def line_owners(self, sites: list[str], line_hashes: list[int],
                    exclude_ids: list[str]) -> dict[tuple[str, int], set[str]]:
        """(site, paragraph hash) -> content hashes of stored articles of that site with it
        (two at most: enough to tell whether another story has it)."""
        probe = pa.table({"site": sites, "line_hash": pa.array(line_hashes, pa.int64())})
        self.con.register("probe_lines", probe)
        try:
            rows = self.con.execute(
                """SELECT l.site, l.line_hash, min(l.content_hash), max(l.content_hash)
                   FROM (SELECT DISTINCT site, line_hash FROM probe_lines) p
                   JOIN dedup_lines l ON l.site = p.site AND l.line_hash = p.line_hash
                   WHERE l.article_id NOT IN (SELECT unnest(?))
                   GROUP BY ALL""", [exclude_ids]).fetchall()
        finally:
            self.con.unregister("probe_lines")
        return {(site, h): {low, high} for site, h, low, high in rows}

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
