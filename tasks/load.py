"""Stage 7, load: the one writer into DuckDB. Each batch lands in one transaction, through
Arrow (never row by row), so a crash loses at most the batch in flight."""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import numpy as np
import pyarrow as pa

from tasks import minhash
from tasks.dedup import NO_DATE, TEMPLATE_OWNERS, BandSharers, ClusterInfo, resketch
from tasks.decode import parse_content_type
from tasks.errors import ZhnewsError
from tasks.models import DedupedArticle, DedupSketch, RawPage, Rejection, Validators
from warehouse.db import ROW_GROUP_SIZE, rollback_after

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
    ("at", pa.timestamp("us", tz="UTC")), ("input_hash", pa.string()), ("retires", pa.bool_()),
])


@dataclass(frozen=True, slots=True)
class LoadCounts:
    articles: int
    duplicates: int
    rejections: int  # rejection rows written
    kept: int = 0  # stored articles kept through a failure of their input (last_error set)


# user:password@ in a URL: the request may use it, the warehouse never keeps it.
_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")


def without_credentials(text: str | None) -> str | None:
    """A URL (or a reason naming one) with its user:password@ taken out."""
    return _CREDENTIALS.sub(r"\1", text) if text and "@" in text else text


def now() -> datetime:
    return datetime.now(timezone.utc)


def in_row_groups(table: pa.Table) -> pa.Table:
    """The table as chunks of one row group each. DuckDB scans an Arrow table one chunk per
    thread, so a batch built as one chunk is compressed and written by one core; in row
    groups, every core takes its share (1.3-1.6x the articles/s on 2 cores, measured)."""
    if table.num_rows <= ROW_GROUP_SIZE:
        return table
    return pa.Table.from_batches(table.to_batches(max_chunksize=ROW_GROUP_SIZE), table.schema)


def articles_table(rows: list[DedupedArticle], run_id: str) -> pa.Table:
    """The batch as articles rows, built column by column."""
    stamp = now()
    articles = [row.article for row in rows]
    return pa.table({
        "article_id": [row.article_id for row in rows], "url": [without_credentials(a.url) for a in articles],
        "title": [a.title for a in articles], "published_at": [a.published_at for a in articles],
        "source": [a.source for a in articles], "author": [a.author for a in articles],
        "text": [a.text for a in articles], "source_script": [a.source_script for a in articles],
        "content_hash": [row.content_hash for row in rows], "duplicate_of": [row.duplicate_of for row in rows],
        "run_id": [run_id] * len(rows), "ingested_at": [stamp] * len(rows),
        "encoding": [a.encoding for a in articles], "input_hash": [a.input_hash for a in articles],
        "chars": [len(a.text) for a in articles], "canonical_url": [row.canonical_url for row in rows],
    }, schema=ARTICLE_SCHEMA)


def rejections_table(rows: list[Rejection], run_id: str) -> pa.Table:
    stamp = now()
    # One row per input: the last rejection of a URL in the batch wins.
    latest = {without_credentials(r.url): r for r in rows}
    return pa.table({
        "url": list(latest), "stage": [r.stage for r in latest.values()],
        "reason": [without_credentials(r.reason) for r in latest.values()], "run_id": [run_id] * len(latest),
        "at": [stamp] * len(latest), "input_hash": [r.input_hash for r in latest.values()],
        "retires": [r.retires for r in latest.values()],
    }, schema=REJECTION_SCHEMA)


def load_batch(con: duckdb.DuckDBPyConnection, articles: list[DedupedArticle],
               rejections: list[Rejection], run_id: str, raw_pages: list[RawPage] | None = None,
               unchanged_urls: list[str] | None = None) -> LoadCounts:
    """Write one batch atomically. An article replaces that URL's rejection; a rejection
    replaces that URL's article only when it is definite (Rejection.retires: the page is
    gone or no longer an article), and the retired article's cluster passes to its earliest
    remaining member. Any other rejection of a URL with a stored article leaves the article
    as it is, with the failure in last_error, and writes no rejection row: the input keeps
    its one row. Statements with nothing to do are not sent (most batches have no
    rejections, no stored ids, no moves)."""
    batch_articles = articles_table(articles, run_id)
    batch_rejections = rejections_table(rejections, run_id)
    registered = []
    con.execute("BEGIN")
    try:
        for name, table in (("batch_articles", batch_articles), ("batch_rejections", batch_rejections)):
            if table.num_rows:
                con.register(name, in_row_groups(table))
                registered.append(name)
        if articles:
            con.execute("DELETE FROM rejections WHERE url IN (SELECT url FROM batch_articles)")
        kept, gone_kept = 0, []
        if rejections:
            kept = note_failures(con)
            gone_kept = retire_articles(con)
        if articles:
            stored = write_articles(con)
            write_dedup_sketches(con, articles, stored)
        # After the batch's articles are written: dedup linked them to the kept articles it
        # saw, which may be among those this batch retires.
        hand_on_clusters(con, gone_kept)
        if rejections:
            con.execute("""INSERT OR REPLACE INTO rejections BY NAME
                           SELECT * EXCLUDE (retires) FROM batch_rejections b
                           WHERE b.retires OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = b.url)""")
        write_raw_pages(con, raw_pages or [], unchanged_urls or [], run_id)
        con.execute("COMMIT")
    except BaseException as exc:  # an interrupt too: the batch is not half-written
        rollback_after(con, exc)
        raise
    finally:
        for name in registered:
            con.unregister(name)
    duplicates = sum(1 for a in articles if a.duplicate_of)
    return LoadCounts(len(articles), duplicates, batch_rejections.num_rows - kept, kept)


def note_failures(con: duckdb.DuckDBPyConnection) -> int:
    """Stored articles whose input failed this time without a definite answer: kept, with
    the failure and the time beside them. Returns how many."""
    noted = con.execute("""UPDATE articles SET last_error = b.stage || ': ' || b.reason, last_checked_at = b."at"
                           FROM batch_rejections b WHERE articles.url = b.url AND NOT b.retires
                           RETURNING articles.article_id""").fetchall()
    return len(noted)


def retire_articles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Delete the articles of the same URLs as the batch's definite rejections (never of
    another input: the match is on the input's URL), with their sketches. Returns the ids
    of the kept ones among them, whose clusters must be handed on."""
    removed = con.execute("""DELETE FROM articles WHERE url IN (SELECT url FROM batch_rejections WHERE retires)
                             RETURNING article_id, duplicate_of""").fetchall()
    delete_sketches(con, [article_id for article_id, _ in removed])
    return [article_id for article_id, kept_by in removed if kept_by is None]


def hand_on_clusters(con: duckdb.DuckDBPyConnection, gone_kept_ids: list[str]) -> None:
    """The clusters of kept articles that are gone: the earliest remaining member (the
    order dedup keeps by: earliest published, ties first ingested) becomes kept and the
    others point at it, so no duplicate_of names a missing article and the story stays
    in unique_articles."""
    if not gone_kept_ids:
        return
    con.execute(f"""
        UPDATE articles SET duplicate_of = CASE WHEN articles.article_id = h.heir THEN NULL ELSE h.heir END
        FROM (SELECT duplicate_of AS gone, first(article_id ORDER BY {ORDER_SQL.format(t='articles')}, article_id)
                                          AS heir
              FROM articles WHERE duplicate_of IN (SELECT unnest(?)) GROUP BY duplicate_of) h
        WHERE articles.duplicate_of = h.gone""", [gone_kept_ids])


def write_articles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Upsert batch_articles by article_id (one row per canonical URL). A row seen again
    keeps its first ingested_at (ties in 'earliest published' go to the first ingested)
    and gets updated_at when its text changed. Returns the ids that were stored already.

    New ids are a plain INSERT, which DuckDB writes straight to the file when the batch
    fills a row group (warehouse/db.py); INSERT OR REPLACE would check every row against
    the key and send the whole batch through the WAL. Stored ids are deleted and written
    again, with their first ingested_at."""
    stored = con.sql("""SELECT article_id, ingested_at, updated_at, content_hash FROM articles
                        WHERE article_id IN (SELECT article_id FROM batch_articles)""").to_arrow_table()
    if not stored.num_rows:
        con.execute("INSERT INTO articles BY NAME SELECT * FROM batch_articles")
        return []
    con.register("stored_articles", stored)
    try:
        con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM stored_articles)")
        con.execute("""
            INSERT INTO articles BY NAME
            SELECT b.* REPLACE (coalesce(o.ingested_at, b.ingested_at) AS ingested_at),
                   CASE WHEN o.article_id IS NULL THEN NULL
                        WHEN o.content_hash <> b.content_hash THEN b.ingested_at
                        ELSE o.updated_at END AS updated_at
            FROM batch_articles b LEFT JOIN stored_articles o USING (article_id)""")
    finally:
        con.unregister("stored_articles")
    return stored.column("article_id").to_pylist()


def write_dedup_sketches(con: duckdb.DuckDBPyConnection, articles: list[DedupedArticle],
                         stored_ids: list[str]) -> None:
    """Signatures, band hashes and paragraph hashes of the batch (replacing the earlier ones
    of stored_ids, the batch's articles that were stored already: only stored articles
    have sketches), the re-pointing of clusters whose kept article was replaced, and fresh
    sketches for stored articles whose site template the batch revealed."""
    sketches = [(a.article_id, a.content_hash, a.sketch) for a in articles if a.sketch is not None]
    lines = lines_table(sketches)
    write_sketches(con, sketches, stored_ids, lines)
    moves = [(old, a.duplicate_of or a.article_id) for a in articles for old in a.replaces]
    if moves:
        con.executemany("UPDATE articles SET duplicate_of = ? WHERE article_id = ? OR duplicate_of = ?",
                        [[new, old, old] for old, new in moves])
    # A kept article seen again (changed text) that is now a duplicate: its cluster follows
    # it to its new kept article, so duplicate_of always names a kept article.
    if any(a.duplicate_of for a in articles):
        con.execute("""UPDATE articles SET duplicate_of = b.duplicate_of FROM batch_articles b
                       WHERE articles.duplicate_of = b.article_id AND b.duplicate_of IS NOT NULL""")
    newly_template = mark_site_lines(con, lines)
    refresh_template_sketches(con, newly_template, [a.article_id for a in articles])


SKETCH_TABLES = ("dedup_signatures", "dedup_bands", "dedup_lines")


def delete_sketches(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Drop the dedup rows of these articles (replaced, or gone to a rejection)."""
    if article_ids:
        for table in SKETCH_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [article_ids])


def write_sketches(con: duckdb.DuckDBPyConnection, sketches: list[tuple[str, str, DedupSketch]],
                   replace_ids: list[str], lines: pa.Table | None = None) -> None:
    """(article_id, content_hash, sketch) rows into the dedup tables, after deleting the
    rows of replace_ids; lines: their lines_table, if the caller has it already."""
    delete_sketches(con, replace_ids)
    signed = [(i, s) for i, _, s in sketches if s.signature is not None]
    tables = {}
    if signed:
        ids = [i for i, _ in signed]
        bands = np.array([s.band_hashes for _, s in signed], dtype=np.int64)  # one row per article
        per_article = bands.shape[1]
        tables["dedup_signatures"] = pa.table({
            "article_id": ids, "signature": pa.array([s.signature for _, s in signed], pa.binary())})
        tables["dedup_bands"] = pa.table({
            "band": np.tile(np.arange(per_article, dtype=np.int16), len(signed)),
            "band_hash": bands.reshape(-1),
            "article_id": repeated(ids, per_article)})
    lines = lines_table(sketches) if lines is None else lines
    if lines.num_rows:
        tables["dedup_lines"] = lines
    for table, data in tables.items():
        con.register("batch_sketch", in_row_groups(data))
        try:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_sketch")
        finally:
            con.unregister("batch_sketch")


def stored_banding(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int] | None:
    """(bands, rows, num_perm) the stored band hashes were computed with."""
    # fetchall: a half-read result would block the connection's next register().
    rows = con.execute("SELECT value FROM dedup_config WHERE key = 'banding'").fetchall()
    if not rows:
        return None
    shape, num_perm = rows[0][0].split("/")
    bands, rows = shape.split("x")
    return int(bands), int(rows), int(num_perm)


def repeated(values: list[str], counts: np.ndarray | int) -> pa.Array:
    """Each value repeated counts[i] (or counts) times, as a string column. NumPy, not
    Array.take: pyarrow.compute costs ~0.1 s to import, a tenth of a small run's flow."""
    return pa.array(np.repeat(np.array(values, dtype=object), counts), pa.string())


def lines_table(sketches: list[tuple[str, str, DedupSketch]]) -> pa.Table:
    """dedup_lines rows (site, line_hash, article_id, content_hash, template) of the sited
    sketches, built column by column."""
    sited = [(i, c, s) for i, c, s in sketches if s.site is not None and s.line_hashes]
    counts = np.array([len(s.line_hashes) for _, _, s in sited], dtype=np.int64)
    total = int(counts.sum())
    return pa.table({
        "site": repeated([s.site for _, _, s in sited], counts),
        "line_hash": np.fromiter((h for _, _, s in sited for h in s.line_hashes), np.int64, total),
        "article_id": repeated([i for i, _, _ in sited], counts),
        "content_hash": repeated([c for _, c, _ in sited], counts),
        "template": np.fromiter((h in template for _, _, s in sited for template in [set(s.template_hashes)]
                                 for h in s.line_hashes), np.bool_, total)})


def mark_site_lines(con: duckdb.DuckDBPyConnection, lines: pa.Table) -> list[tuple[str, int]]:
    """Record the batch's paragraphs (lines_table: site, paragraph hash, article_id, content_hash) in
    dedup_site_lines (one row per site paragraph, however many articles print it): a
    paragraph becomes template when a second story of its site has it. Returns the
    paragraphs that became template with this batch."""
    if not lines.num_rows:
        return []
    con.register("batch_site_lines", lines)
    try:
        # The batch's paragraphs, one row each, beside the stored row of the same paragraph
        # if any, and what that row becomes: template once another story of the site has
        # it (a different content hash under another article: the same article with
        # changed text is not another story); its content hash follows its own article.
        con.execute("""CREATE OR REPLACE TEMP TABLE site_line_merge AS
            WITH b AS (SELECT site, line_hash, min(article_id) AS article_id, min(content_hash) AS content_hash,
                              min(content_hash) <> max(content_hash) AS template
                       FROM batch_site_lines GROUP BY site, line_hash)
            SELECT b.*, s.site IS NOT NULL AS stored, s.template AS stored_template,
                   s.content_hash AS stored_content_hash,
                   s.template OR b.template OR (b.content_hash <> s.content_hash AND b.article_id <> s.article_id)
                       AS new_template,
                   CASE WHEN b.article_id = s.article_id THEN b.content_hash ELSE s.content_hash END AS new_content_hash
            FROM b LEFT JOIN dedup_site_lines s USING (site, line_hash)""")
        # New paragraphs are a plain INSERT (no key lookups, written straight to the file
        # when they fill a row group); the few stored rows that change are updated.
        con.execute("""INSERT INTO dedup_site_lines (site, line_hash, article_id, content_hash, template)
                       SELECT site, line_hash, article_id, content_hash, template FROM site_line_merge
                       WHERE NOT stored""")
        marked = con.execute("""
            SELECT site, line_hash, CASE WHEN stored THEN NOT stored_template AND new_template ELSE template END,
                   stored AND (new_template <> stored_template OR new_content_hash <> stored_content_hash)
            FROM site_line_merge
            WHERE (NOT stored AND template)
               OR (stored AND (new_template <> stored_template OR new_content_hash <> stored_content_hash))""").fetchall()
        if any(changed for _, _, _, changed in marked):
            con.execute("""UPDATE dedup_site_lines SET template = m.new_template, content_hash = m.new_content_hash
                           FROM site_line_merge m
                           WHERE dedup_site_lines.site = m.site AND dedup_site_lines.line_hash = m.line_hash
                             AND m.stored AND (m.new_template <> m.stored_template
                                               OR m.new_content_hash <> m.stored_content_hash)""")
        con.execute("DROP TABLE site_line_merge")
    finally:
        con.unregister("batch_site_lines")
    return [(site, line_hash) for site, line_hash, newly, _ in marked if newly]


def refresh_template_sketches(con: duckdb.DuckDBPyConnection, newly_template: list[tuple[str, int]],
                              batch_ids: list[str]) -> int:
    """Sketch again the stored articles whose signature still holds a paragraph that just
    became template: typically a site's first article, sketched before its template was
    known. Reads only those articles' texts."""
    if not newly_template:
        return 0
    banding = stored_banding(con)
    if banding is None:
        return 0
    bands, rows, num_perm = banding
    con.register("newly_template", pa.table({
        "site": [s for s, _ in newly_template], "line_hash": pa.array([h for _, h in newly_template], pa.int64())}))
    try:
        stale = con.execute("""
            WITH stale AS (
                SELECT DISTINCT l.article_id FROM newly_template n JOIN dedup_lines l USING (site, line_hash)
                WHERE NOT l.template AND l.article_id NOT IN (SELECT unnest(?)))
            SELECT a.article_id, a.content_hash, a.text, any_value(l.site),
                   coalesce(list(l.line_hash) FILTER (WHERE s.template), [])
            FROM stale JOIN articles a USING (article_id) JOIN dedup_lines l USING (article_id)
            JOIN dedup_site_lines s USING (site, line_hash)
            GROUP BY ALL""", [batch_ids]).fetchall()
    finally:
        con.unregister("newly_template")
    sketches = [(article_id, digest, resketch(text, site, set(template), num_perm, minhash.Banding(bands, rows)))
                for article_id, digest, text, site, template in stale]
    write_sketches(con, sketches, [article_id for article_id, _, _ in sketches])
    return len(sketches)


def ensure_banding(con: duckdb.DuckDBPyConnection, bands: int, rows: int, num_perm: int) -> int:
    """Make the stored band hashes match this run's banding (it follows the threshold):
    when a run uses another threshold, re-band every stored signature (no texts are read).
    Returns the number of signatures re-banded."""
    stored = stored_banding(con)
    if stored == (bands, rows, num_perm):
        return 0
    if stored is not None and stored[2] != num_perm:
        raise ZhnewsError(f"the warehouse's MinHash signatures have {stored[2]} slots, not "
                          f"{num_perm}: set ZHNEWS_DEDUP_NUM_PERM back or use another --db", stage=STAGE)
    signatures = con.execute("SELECT article_id, signature FROM dedup_signatures").fetchall()
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM dedup_bands")
        if signatures:
            matrix = np.stack([np.frombuffer(sig, dtype=np.uint32) for _, sig in signatures])
            hashes = minhash.band_hashes(matrix, minhash.Banding(bands, rows))
            con.register("rebanded", pa.table({
                "band": pa.array(np.tile(np.arange(bands, dtype=np.int16), len(signatures))),
                "band_hash": pa.array(hashes.reshape(-1)),
                "article_id": [article_id for article_id, _ in signatures for _ in range(bands)]}))
            try:
                con.execute("INSERT INTO dedup_bands BY NAME SELECT * FROM rebanded")
            finally:
                con.unregister("rebanded")
        con.execute("INSERT OR REPLACE INTO dedup_config VALUES ('banding', ?)", [f"{bands}x{rows}/{num_perm}"])
        con.execute("COMMIT")
    except BaseException as exc:  # an interrupt too: the batch is not half-written
        rollback_after(con, exc)
        raise
    return len(signatures)


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

    def band_sharers(self, rows: np.ndarray, bands: np.ndarray, band_hashes: np.ndarray,
                     exclude_ids: list[str]) -> BandSharers:
        """Distinct (probe row, stored article) pairs with an equal (band, band_hash),
        ordered by stored article."""
        probe = pa.table({"row": pa.array(rows, pa.int32()), "band": pa.array(bands, pa.int16()),
                          "band_hash": pa.array(band_hashes, pa.int64())})
        self.con.register("probe_bands", probe)
        try:
            found = self.con.sql(
                """SELECT DISTINCT p.row, b.article_id FROM probe_bands p
                   JOIN dedup_bands b ON b.band_hash = p.band_hash AND b.band = p.band
                   WHERE b.article_id NOT IN (SELECT unnest(?))
                   ORDER BY b.article_id""", params=[exclude_ids]).to_arrow_table()
        finally:
            self.con.unregister("probe_bands")
        # Through Arrow, not fetchnumpy(): that imports numpy.ma (~40 ms of every run's start).
        return BandSharers(found.column("row").to_numpy().astype(np.int64),
                           found.column("article_id").to_numpy(zero_copy_only=False))

    def signatures_of(self, ids: list[str]) -> np.ndarray:
        """The stored signatures of ids, one row each, in the order of ids."""
        stored = dict(self.con.execute("SELECT article_id, signature FROM dedup_signatures "
                                       "WHERE article_id IN (SELECT unnest(?))", [ids]).fetchall())
        return np.stack([np.frombuffer(stored[i], dtype=np.uint32) for i in ids])

    def line_owners(self, sites: list[str], line_hashes: list[int],
                    exclude_ids: list[str]) -> dict[tuple[str, int], set[str]]:
        """(site, paragraph hash) -> content hashes of stored stories of that site with it:
        the first one's, or TEMPLATE_OWNERS once two stories had it."""
        probe = pa.table({"site": sites, "line_hash": pa.array(line_hashes, pa.int64())})
        self.con.register("probe_lines", probe)
        try:
            rows = self.con.execute(
                """SELECT s.site, s.line_hash, s.template, s.content_hash
                   FROM (SELECT DISTINCT site, line_hash FROM probe_lines) p
                   JOIN dedup_site_lines s USING (site, line_hash)
                   WHERE s.template OR s.article_id NOT IN (SELECT unnest(?))""", [exclude_ids]).fetchall()
        finally:
            self.con.unregister("probe_lines")
        return {(site, h): TEMPLATE_OWNERS if template else {digest} for site, h, template, digest in rows}

    def stored_urls(self, ids: list[str]) -> dict[str, str]:
        """article_id -> the URL of the input stored for it (of the URLs naming one page)."""
        if not ids:
            return {}
        return dict(self.con.execute("SELECT article_id, url FROM articles WHERE article_id IN (SELECT unnest(?))",
                                     [ids]).fetchall())

    def finished_inputs(self, urls: list[str]) -> dict[str, str]:
        """url -> input_hash of inputs an earlier run already turned into a row."""
        if not urls:
            return {}
        stored_as = {without_credentials(url): url for url in urls}  # as the loader wrote them
        urls = list(stored_as)
        rows = self.con.execute(
            """SELECT url, input_hash FROM articles WHERE url IN (SELECT unnest(?)) AND input_hash IS NOT NULL
               UNION ALL
               SELECT url, input_hash FROM rejections WHERE url IN (SELECT unnest(?)) AND input_hash IS NOT NULL""",
            [urls, urls]).fetchall()
        return {stored_as[url]: input_hash for url, input_hash in rows}


RAW_PAGE_SCHEMA = pa.schema([
    ("url", pa.string()), ("final_url", pa.string()), ("status", pa.int32()), ("headers", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")), ("checked_at", pa.timestamp("us", tz="UTC")),
    ("encoding", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()),
    ("content_type", pa.string()), ("body", pa.binary()), ("body_bytes", pa.int64()),
    ("input_hash", pa.string()), ("origin", pa.string()), ("run_id", pa.string()),
])


def raw_pages_table(pages: list[RawPage], run_id: str) -> pa.Table:
    """Fetched or archived pages as raw_pages rows; bodies gzip-compressed."""
    stamp = now()
    rows = {name: [] for name in RAW_PAGE_SCHEMA.names}
    for url, page in {without_credentials(p.url): p for p in pages}.items():  # one row per URL: the last wins
        headers = page.headers or {}
        fetched = datetime.fromisoformat(page.fetched_at) if page.fetched_at else stamp
        values = (url, without_credentials(page.final_url) or url, page.status, json.dumps(headers, ensure_ascii=False),
                  fetched, stamp, page.encoding, headers.get("etag"), headers.get("last-modified"),
                  headers.get("content-type"), gzip.compress(page.body, compresslevel=6, mtime=0),
                  len(page.body), page.input_hash, page.origin, run_id)
        for name, value in zip(RAW_PAGE_SCHEMA.names, values):
            rows[name].append(value)
    return pa.table(rows, schema=RAW_PAGE_SCHEMA)


def write_raw_pages(con: duckdb.DuckDBPyConnection, pages: list[RawPage], unchanged_urls: list[str],
                    run_id: str) -> None:
    """Upsert fetched pages; for URLs found unchanged (a 304 or the same bytes) only
    checked_at moves. Called inside load_batch's transaction."""
    if pages:
        con.register("batch_raw_pages", raw_pages_table(pages, run_id))
        try:
            con.execute("INSERT OR REPLACE INTO raw_pages BY NAME SELECT * FROM batch_raw_pages")
        finally:
            con.unregister("batch_raw_pages")
    if unchanged_urls:
        con.execute("UPDATE raw_pages SET checked_at = ? WHERE url IN (SELECT unnest(?))",
                    [now(), [without_credentials(url) for url in unchanged_urls]])
        # Found unchanged is a successful check: an earlier failure no longer stands.
        con.execute("""UPDATE articles SET last_error = NULL, last_checked_at = NULL
                       WHERE last_error IS NOT NULL AND url IN (SELECT unnest(?))""",
                    [[without_credentials(url) for url in unchanged_urls]])


def stored_validators(con: duckdb.DuckDBPyConnection, urls: list[str]) -> dict[str, Validators]:
    """url -> the ETag / Last-Modified its last fetch got, for a conditional re-fetch."""
    if not urls:
        return {}
    stored_as = {without_credentials(url): url for url in urls}  # as the loader wrote them
    rows = con.execute(
        """SELECT url, etag, last_modified FROM raw_pages
           WHERE url IN (SELECT unnest(?)) AND (etag IS NOT NULL OR last_modified IS NOT NULL)""",
        [list(stored_as)]).fetchall()
    return {stored_as[url]: Validators(etag, last_modified) for url, etag, last_modified in rows}


def stored_pages(con: duckdb.DuckDBPyConnection, after_url: str | None, limit: int) -> list[RawPage]:
    """raw_pages in URL order, `limit` at a time after `after_url`: what reprocess reads."""
    rows = con.execute(
        """SELECT url, final_url, status, headers, fetched_at, body, input_hash, origin FROM raw_pages
           WHERE ? IS NULL OR url > ? ORDER BY url LIMIT ?""", [after_url, after_url, limit]).fetchall()
    pages = []
    for url, final_url, status, headers, fetched_at, body, input_hash, origin in rows:
        headers = json.loads(headers) if headers else {}
        pages.append(RawPage(
            url=url, body=gzip.decompress(body), kind="html", input_hash=input_hash,
            declared_charset=parse_content_type(headers.get("content-type"))[1], final_url=final_url,
            fetched_at=fetched_at.isoformat() if fetched_at else None, origin=origin,
            status=status, headers=headers))
    return pages


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str) -> None:
    con.execute("INSERT OR REPLACE INTO runs (run_id, flow, started_at, status) VALUES (?, ?, ?, 'running')",
                [run_id, flow, now()])


def record_run_settings(con: duckdb.DuckDBPyConnection, run_id: str, settings: dict) -> None:
    """The settings the run resolved (tasks.settings.resolved), as JSON in its `runs` row."""
    con.execute("UPDATE runs SET settings = ? WHERE run_id = ?", [json.dumps(settings, ensure_ascii=False), run_id])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, inputs: int,
               articles: int, duplicates: int, rejections: int, unchanged: int) -> None:
    con.execute(
        """UPDATE runs SET ended_at = ?, status = ?, inputs = ?, articles = ?, duplicates = ?,
           rejections = ?, unchanged = ? WHERE run_id = ?""",
        [now(), status, inputs, articles, duplicates, rejections, unchanged, run_id])
