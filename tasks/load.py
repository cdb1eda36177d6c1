"""Stage 7, load: the one writer into DuckDB. Each batch lands in one transaction, through
Arrow (never row by row), so a crash loses at most the batch in flight."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import numpy as np
import pyarrow as pa

from tasks.decode import parse_content_type, without_credentials
from tasks.dedup_index import (BandWrites, ParagraphWrites, apply_band_writes, apply_paragraph_writes, band_seqs,
                                hand_on_clusters,
                                next_lines_version)
from tasks.models import DedupedArticle, DedupSketch, DedupWrites, RawPage, Rejection, Validators
from tasks.process import RunProcess, is_gone, this_process
from warehouse.db import ROW_GROUP_SIZE, rollback_after

STAGE = "load"

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


def now() -> datetime:
    return datetime.now(timezone.utc)


def in_row_groups(table: pa.Table) -> pa.Table:
    """The table as chunks of one row group each. DuckDB scans an Arrow table one chunk per
    thread, so a batch built as one chunk is compressed and written by one core; in row
    groups, every core takes its share (1.3-1.6x the articles/s on 2 cores, measured with
    2,048-row groups). A table within one row group, as a pipeline batch is, stays as it is."""
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
               unchanged_urls: list[str] | None = None, dedup_writes: DedupWrites | None = None) -> LoadCounts:
    """Write one batch atomically. An article replaces that URL's rejection; a rejection
    replaces that URL's article only when it is definite (Rejection.retires: the page is
    gone or no longer an article), and the retired article's cluster passes to its earliest
    remaining member. Any other rejection of a URL with a stored article leaves the article
    as it is, with the failure in last_error, and writes no rejection row: the input keeps
    its one row. dedup_writes: the rest of what dedup decided for this batch (site
    paragraphs, stored articles sketched again, clusters that re-point). Statements with
    nothing to do are not sent (most batches have no rejections, no stored ids, no moves)."""
    batch_articles = articles_table(articles, run_id)
    batch_rejections = rejections_table(rejections, run_id)
    registered = []
    paragraphs = ParagraphWrites()
    versions, bands = None, None
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
            removed, gone_kept = retire_articles(con)
            paragraphs.deleted_ids += removed
        if articles:
            stored = write_articles(con)
            bands = write_dedup_rows(con, articles, stored, dedup_writes or DedupWrites(), paragraphs)
        # After the batch's articles are written: dedup linked them to the kept articles it
        # saw, which may be among those this batch retires.
        hand_on_clusters(con, gone_kept)
        if rejections:
            con.execute("""INSERT OR REPLACE INTO rejections BY NAME
                           SELECT * EXCLUDE (retires) FROM batch_rejections b
                           WHERE b.retires OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = b.url)""")
        write_raw_pages(con, raw_pages or [], unchanged_urls or [], run_id)
        if paragraphs.deleted_ids or paragraphs.lines is not None:
            # Dedup's in-memory paragraph index follows the tables by this version.
            versions = next_lines_version(con)
        con.execute("COMMIT")
    except BaseException as exc:  # an interrupt too: the batch is not half-written
        rollback_after(con, exc)
        raise
    finally:
        for name in registered:
            con.unregister(name)
    if versions is not None:
        apply_paragraph_writes(con, versions, paragraphs)
    apply_band_writes(con, bands)
    duplicates = sum(1 for a in articles if a.duplicate_of)
    return LoadCounts(len(articles), duplicates, batch_rejections.num_rows - kept, kept)


def note_failures(con: duckdb.DuckDBPyConnection) -> int:
    """Stored articles whose input failed this time without a definite answer: kept, with
    the failure and the time beside them. Returns how many."""
    noted = con.execute("""UPDATE articles SET last_error = b.stage || ': ' || b.reason, last_checked_at = b."at"
                           FROM batch_rejections b WHERE articles.url = b.url AND NOT b.retires
                           RETURNING articles.article_id""").fetchall()
    return len(noted)


def retire_articles(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """Delete the articles of the same URLs as the batch's definite rejections (never of
    another input: the match is on the input's URL), with their sketches. Returns the ids
    deleted, and those of the kept ones among them, whose clusters must be handed on."""
    removed = con.execute("""DELETE FROM articles WHERE url IN (SELECT url FROM batch_rejections WHERE retires)
                             RETURNING article_id, duplicate_of""").fetchall()
    delete_sketches(con, [article_id for article_id, _ in removed])
    return [article_id for article_id, _ in removed], [article_id for article_id, kept_by in removed if kept_by is None]


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


def write_dedup_rows(con: duckdb.DuckDBPyConnection, articles: list[DedupedArticle], stored_ids: list[str],
                     writes: DedupWrites, paragraphs: ParagraphWrites) -> BandWrites | None:
    """The batch's sketches (replacing the earlier ones of stored_ids, the batch's articles
    that were stored already, and of the stored articles dedup sketched again), its site
    paragraphs and its cluster moves, as dedup decided them; what changes in the paragraph
    tables is added to `paragraphs`. Returns the band rows written."""
    sketches = [(a.article_id, a.content_hash, a.sketch) for a in articles if a.sketch is not None]
    batch_lines = lines_table(sketches)
    lines = pa.concat_tables([batch_lines, lines_table(writes.resketched)]) if writes.resketched else batch_lines
    replaced = [*stored_ids, *(i for i, _, _ in writes.resketched)]
    bands = write_sketches(con, [*sketches, *writes.resketched], replaced, lines)
    paragraphs.deleted_ids += replaced
    paragraphs.lines = lines
    if writes.new_site_lines:
        new = writes.new_site_lines
        paragraphs.new_site_lines = pa.table({
            "site": [r[0] for r in new], "line_hash": pa.array([r[1] for r in new], pa.int64()),
            "article_id": [r[2] for r in new], "content_hash": [r[3] for r in new],
            "template": pa.array([r[4] for r in new], pa.bool_())})
        write_table(con, "dedup_site_lines", paragraphs.new_site_lines)
    paragraphs.changed_site_lines = writes.changed_site_lines
    if writes.changed_site_lines:
        changed = writes.changed_site_lines
        con.register("changed_site_lines", pa.table({
            "site": [r[0] for r in changed], "line_hash": pa.array([r[1] for r in changed], pa.int64()),
            "template": pa.array([r[2] for r in changed], pa.bool_()), "content_hash": [r[3] for r in changed]}))
        try:
            con.execute("""UPDATE dedup_site_lines SET template = c.template, content_hash = c.content_hash
                           FROM changed_site_lines c
                           WHERE dedup_site_lines.line_hash = c.line_hash AND dedup_site_lines.site = c.site""")
        finally:
            con.unregister("changed_site_lines")
    if writes.cluster_moves:
        # Set-based: two joins for the whole batch (a statement per move scanned the
        # articles table once each). The moved kept article itself, then its duplicates.
        con.register("cluster_moves", pa.table({"old_kept": [old for old, _ in writes.cluster_moves],
                                                "new_kept": [new for _, new in writes.cluster_moves]}))
        try:
            for column in ("article_id", "duplicate_of"):
                con.execute(f"""UPDATE articles SET duplicate_of = m.new_kept FROM cluster_moves m
                                WHERE articles.{column} = m.old_kept""")
        finally:
            con.unregister("cluster_moves")
    return bands


SKETCH_TABLES = ("dedup_signatures", "dedup_bands", "dedup_lines")


def delete_sketches(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Drop the dedup rows of these articles (replaced, or gone to a rejection)."""
    if article_ids:
        for table in SKETCH_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [article_ids])


def write_sketches(con: duckdb.DuckDBPyConnection, sketches: list[tuple[str, str, DedupSketch]],
                   replace_ids: list[str], lines: pa.Table | None = None) -> BandWrites | None:
    """(article_id, content_hash, sketch) rows into the dedup tables, after deleting the
    rows of replace_ids; lines: their lines_table, if the caller has it already. Returns
    the band rows written (None when no sketch has a signature)."""
    delete_sketches(con, replace_ids)
    signed = [(i, s) for i, _, s in sketches if s.signature is not None]
    tables, bands = {}, None
    if signed:
        ids = [i for i, _ in signed]
        counts = np.array([len(s.band_hashes) for _, s in signed], dtype=np.int64)
        tables["dedup_signatures"] = pa.table({
            "article_id": ids, "signature": pa.array([s.signature for _, s in signed], pa.binary())})
        band_hashes = np.fromiter((h for _, s in signed for h in s.band_hashes), np.int64, int(counts.sum()))
        seq = int(band_seqs(con, 1, 1)[0])  # one seq for the batch
        tables["dedup_bands"] = pa.table({
            "band": np.concatenate([np.arange(n, dtype=np.int16) for n in counts]),
            "band_hash": band_hashes,
            "article_id": repeated(ids, counts),
            "seq": np.full(int(counts.sum()), seq, dtype=np.int64)})
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        bands = BandWrites(seq, pa.array(ids, pa.string()), pa.ListArray.from_arrays(offsets, band_hashes))
    lines = lines_table(sketches) if lines is None else lines
    if lines.num_rows:
        tables["dedup_lines"] = lines
    for table, data in tables.items():
        write_table(con, table, data)
    return bands


def write_table(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    con.register("batch_rows", in_row_groups(data))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_rows")
    finally:
        con.unregister("batch_rows")


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


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str,
              process: RunProcess | None = None) -> None:
    """The run's row, `running`, with the process that runs it (for reconcile_runs)."""
    process = process or this_process()
    con.execute("""INSERT OR REPLACE INTO runs (run_id, flow, started_at, status, pid, host, process_started_at)
                   VALUES (?, ?, ?, 'running', ?, ?, ?)""",
                [run_id, flow, now(), process.pid, process.host, process.started_at])


def record_run_settings(con: duckdb.DuckDBPyConnection, run_id: str, settings: dict) -> None:
    """The settings the run resolved (tasks.settings.resolved), as JSON in its `runs` row."""
    con.execute("UPDATE runs SET settings = ? WHERE run_id = ?", [json.dumps(settings, ensure_ascii=False), run_id])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, inputs: int,
               articles: int, duplicates: int, rejections: int, unchanged: int) -> None:
    con.execute(
        """UPDATE runs SET ended_at = ?, status = ?, inputs = ?, articles = ?, duplicates = ?,
           rejections = ?, unchanged = ? WHERE run_id = ?""",
        [now(), status, inputs, articles, duplicates, rejections, unchanged, run_id])


def reconcile_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rows still `running` whose process is gone (killed: SIGKILL, power loss, OOM) become
    `crashed`, ended now; their run ids. A row of another host, or of a live process, is
    left as it is. What the run loaded before it died stays (each batch committed whole)."""
    crashed = []
    for run_id, pid, host, started in con.execute(
            "SELECT run_id, pid, host, process_started_at FROM runs WHERE status = 'running'").fetchall():
        if pid is None:  # recorded before migration 006: no process to ask; left as it is
            continue
        if is_gone(RunProcess(pid, host, started.astimezone(timezone.utc))):
            con.execute("UPDATE runs SET status = 'crashed', ended_at = ? WHERE run_id = ? AND status = 'running'",
                        [now(), run_id])
            crashed.append(run_id)
    return crashed
