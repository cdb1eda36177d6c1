"""Dedup's index of what is stored: the lookups tasks/dedup.py makes (its `KnownArticles`),
answered from the warehouse, and the banding of the stored band hashes.

The tables are dedup's (migrations 003, 004, 009): dedup_signatures, dedup_bands,
dedup_lines, dedup_site_lines, dedup_config. Dedup decides every row that goes into them
(tasks/models.py DedupWrites); the loader writes those rows in the batch's transaction.

Band lookups are keyed: a batch probes ~8,000 band hashes, and a join of those against
dedup_bands scans the whole table (32 rows an article; DuckDB has no index join, and its
ART indexes answer only literal IN lists, at ~2 s a batch). So the band hashes are held
in this process as sorted NumPy arrays (`BandIndex`, 12 bytes a band row), found by
binary search, and kept current by reading only the rows written since: every batch's
band rows carry one `seq` from a sequence, appended in order, so `seq > last read` reads
the newest row groups only (zonemaps prune the rest). Rows of deleted or re-sketched
articles may linger in memory: a stale candidate is dropped when its signature is missing
or fails verification, so they cost a comparison, never a link.
"""
from __future__ import annotations

import threading

import duckdb
import numpy as np
import pyarrow as pa

from tasks import minhash
from tasks.decode import without_credentials
from tasks.dedup import NO_DATE, BandSharers, ClusterInfo, StoredLine, StoredSketch
from tasks.errors import ZhnewsError
from warehouse.db import rollback_after

STAGE = "dedup"
# An article's place in 'earliest published, then first ingested' (see tasks/dedup.py).
ORDER_SQL = "coalesce({t}.published_at, '" + NO_DATE + "'), coalesce({t}.ingested_at::VARCHAR, '')"
# Band rows read into memory per query when the index catches up (bounded memory: ~40 MB).
CATCH_UP_ROWS = 2_000_000
# Articles per seq when every signature is banded again (CATCH_UP_ROWS / 32 bands, about).
REBAND_SEQ_ARTICLES = 50_000


class BandIndex:
    """Stored band hashes -> the articles that have them, in memory: sorted runs of
    (hash, article number), merged as they grow (each new run merges into the previous
    while it is at least half its size, so a row is merged O(log n) times)."""

    def __init__(self) -> None:
        self.ids: list[str] = []  # article number -> article_id
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted int64 hashes, int32 article numbers)
        self.seq = -(2**62)  # the highest seq read (migration 009 numbered earlier rows below 0)
        self.lock = threading.Lock()  # the read-ahead thread and the flow's thread may share it

    def add(self, article_ids: list[str], hashes: pa.ListArray) -> None:
        # An article sketched again gets a second number: its older rows stay until they
        # fail verification (a dict of every id to find the first would cost ~100 bytes an
        # article).
        first = len(self.ids)
        self.ids.extend(article_ids)
        offsets = hashes.offsets.to_numpy()
        values = hashes.values.to_numpy()[offsets[0]:offsets[-1]]
        owners = np.repeat(np.arange(first, len(self.ids), dtype=np.int32), np.diff(offsets))
        order = np.argsort(values, kind="stable")
        self.runs.append((values[order], owners[order]))
        while len(self.runs) > 1 and len(self.runs[-1][0]) * 2 >= len(self.runs[-2][0]):
            newer, older = self.runs.pop(), self.runs.pop()
            self.runs.append(merged(older, newer))

    def catch_up(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read the band rows written since the last call (seq above the highest read)."""
        counts = con.execute("SELECT seq, count(*) FROM dedup_bands WHERE seq > ? GROUP BY seq ORDER BY seq",
                             [self.seq]).fetchall()
        start = 0
        while start < len(counts):  # windows of whole seqs, about CATCH_UP_ROWS rows each
            end, rows = start, 0
            while end < len(counts) and (rows == 0 or rows + counts[end][1] <= CATCH_UP_ROWS):
                rows += counts[end][1]
                end += 1
            found = con.sql("""SELECT article_id, list(band_hash) AS hashes FROM dedup_bands
                               WHERE seq BETWEEN ? AND ? GROUP BY article_id""",
                            params=[counts[start][0], counts[end - 1][0]]).to_arrow_table()
            if found.num_rows:
                self.add(found.column("article_id").to_pylist(), found.column("hashes").combine_chunks())
            self.seq = counts[end - 1][0]
            start = end

    def sharers(self, probe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(probe positions, article numbers) of every stored band hash equal to a probe."""
        positions, owners = [], []
        for hashes, numbers in self.runs:
            left = np.searchsorted(hashes, probe, "left")
            right = np.searchsorted(hashes, probe, "right")
            counts = right - left
            hit = np.flatnonzero(counts)
            if not len(hit):
                continue
            counts = counts[hit]
            # Each hit probe i repeated counts[i] times, against rows left[i] .. right[i] - 1.
            which = np.repeat(hit, counts)
            steps = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            positions.append(which)
            owners.append(numbers[left[which] + steps])
        if not positions:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        return np.concatenate(positions), np.concatenate(owners)


def merged(older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted runs as one, in linear time and with no index array of the whole (an
    argsort of the concatenation took 8 bytes a row more, at the peak, than the runs)."""
    (old_hashes, old_owners), (new_hashes, new_owners) = older, newer
    total = len(old_hashes) + len(new_hashes)
    at = np.searchsorted(old_hashes, new_hashes, side="right") + np.arange(len(new_hashes))
    from_old = np.ones(total, dtype=bool)
    from_old[at] = False
    hashes = np.empty(total, dtype=old_hashes.dtype)
    owners = np.empty(total, dtype=old_owners.dtype)
    hashes[at], owners[at] = new_hashes, new_owners
    hashes[from_old], owners[from_old] = old_hashes, old_owners
    return hashes, owners


# One BandIndex per warehouse file and banding, for the life of the process: a run opens
# connections per batch, and reading a million articles' bands again each time would cost
# what the index saves.
_band_indexes: dict[tuple[str, str], BandIndex] = {}
_band_indexes_lock = threading.Lock()


def database_path(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return rows[0][0] if rows and rows[0][0] else None


def band_index_for(con: duckdb.DuckDBPyConnection) -> BandIndex:
    """The process's band index of this warehouse, caught up with what is committed. Keyed
    by the file, the warehouse's own id (migration 009: another file at the same path is
    another index) and the banding (re-banding replaces every band row)."""
    config = dict(con.execute("SELECT key, value FROM dedup_config WHERE key IN ('banding', 'index_id')").fetchall())
    path = database_path(con)
    if path is None:  # an in-memory database: nothing outlives the connection
        index = BandIndex()
    else:
        key = (path, config.get("index_id", ""), config.get("banding", ""))
        with _band_indexes_lock:
            for other in [k for k in _band_indexes if k[0] == path and k != key]:
                del _band_indexes[other]
            index = _band_indexes.setdefault(key, BandIndex())
    with index.lock:
        index.catch_up(con)
    return index


def forget_band_index(con: duckdb.DuckDBPyConnection) -> None:
    path = database_path(con)
    with _band_indexes_lock:
        for key in [k for k in _band_indexes if k[0] == path]:
            del _band_indexes[key]


class WarehouseIndex:
    """Dedup's lookups of earlier runs' articles (tasks/dedup.py KnownArticles), and the
    pipeline's of finished inputs, on a connection or cursor of the warehouse."""

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
        """Distinct (probe row, stored article) pairs with an equal band hash (hashes are
        salted by band, so equal hashes are of one band), ordered by stored article."""
        index = band_index_for(self.con)
        with index.lock:
            positions, numbers = index.sharers(np.asarray(band_hashes, dtype=np.int64))
            ids = [index.ids[n] for n in numbers.tolist()]
        excluded = set(exclude_ids)
        pairs = sorted({(article_id, row) for article_id, row in zip(ids, np.asarray(rows)[positions].tolist())
                        if article_id not in excluded})
        return BandSharers(np.array([row for _, row in pairs], dtype=np.int64),
                           np.array([article_id for article_id, _ in pairs], dtype=object))

    def signatures_of(self, ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The stored signatures of ids, one row each, in the order of ids, and which of
        them are stored (a row of zeros for an id without one)."""
        stored = dict(self.con.execute("SELECT article_id, signature FROM dedup_signatures "
                                       "WHERE article_id IN (SELECT unnest(?))", [ids]).fetchall())
        width = len(next(iter(stored.values()))) // 4 if stored else 1
        empty = bytes(4 * width)
        return (np.stack([np.frombuffer(stored.get(i, empty), dtype=np.uint32) for i in ids]),
                np.array([i in stored for i in ids], dtype=bool))

    def site_lines(self, sites: list[str], line_hashes: list[int]) -> dict[tuple[str, int], StoredLine]:
        """(site, paragraph hash) -> its dedup_site_lines row: the first article and story
        (content hash) that printed it, and whether another story did too (template)."""
        probe = pa.table({"site": sites, "line_hash": pa.array(line_hashes, pa.int64())})
        self.con.register("probe_lines", probe)
        try:
            # Joined on the hash alone (one BIGINT column, filtered in the scan by the
            # probe's Bloom filter), the site compared on the few rows that match.
            rows = self.con.execute(
                """SELECT s.site, s.line_hash, s.article_id, s.content_hash, s.template
                   FROM (SELECT DISTINCT site, line_hash FROM probe_lines) p
                   JOIN dedup_site_lines s ON s.line_hash = p.line_hash
                   WHERE s.site = p.site""").fetchall()
        finally:
            self.con.unregister("probe_lines")
        return {(site, h): StoredLine(article_id, digest, template) for site, h, article_id, digest, template in rows}

    def stale_sketches(self, lines: list[tuple[str, int]], exclude_ids: list[str]) -> list[StoredSketch]:
        """Stored articles (not exclude_ids) whose signature still holds one of these site
        paragraphs, with their texts and paragraphs: to sketch them again."""
        self.con.register("newly_template", pa.table({
            "site": [s for s, _ in lines], "line_hash": pa.array([h for _, h in lines], pa.int64())}))
        try:
            rows = self.con.execute("""
                WITH stale AS (  -- joined on the hash alone, as site_lines is
                    SELECT DISTINCT l.article_id FROM newly_template n JOIN dedup_lines l ON l.line_hash = n.line_hash
                    WHERE l.site = n.site AND NOT l.template AND l.article_id NOT IN (SELECT unnest(?)))
                SELECT a.article_id, a.content_hash, a.text, any_value(l.site),
                       coalesce(list(l.line_hash) FILTER (WHERE s.template), [])
                FROM stale JOIN articles a USING (article_id) JOIN dedup_lines l USING (article_id)
                JOIN dedup_site_lines s USING (site, line_hash)
                GROUP BY ALL""", [exclude_ids]).fetchall()
        finally:
            self.con.unregister("newly_template")
        return [StoredSketch(article_id, digest, text, site, set(template))
                for article_id, digest, text, site, template in rows]

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


def hand_on_clusters(con: duckdb.DuckDBPyConnection, gone_kept_ids: list[str]) -> None:
    """The clusters of kept articles that are gone (retired by the batch's rejections, in
    the loader's transaction): the earliest remaining member (dedup's order: earliest
    published, ties first ingested) becomes kept and the others point at it, so no
    duplicate_of names a missing article and the story stays in unique_articles."""
    if not gone_kept_ids:
        return
    con.execute(f"""
        UPDATE articles SET duplicate_of = CASE WHEN articles.article_id = h.heir THEN NULL ELSE h.heir END
        FROM (SELECT duplicate_of AS gone, first(article_id ORDER BY {ORDER_SQL.format(t='articles')}, article_id)
                                          AS heir
              FROM articles WHERE duplicate_of IN (SELECT unnest(?)) GROUP BY duplicate_of) h
        WHERE articles.duplicate_of = h.gone""", [gone_kept_ids])


def band_seqs(con: duckdb.DuckDBPyConnection, articles: int, per_seq: int) -> np.ndarray:
    """A seq for each of `articles` articles' band rows: new numbers from dedup_band_seq,
    one per `per_seq` articles (a batch's rows share one; BandIndex reads one seq at once)."""
    count = max(1, -(-articles // per_seq))
    last = con.execute("SELECT max(nextval('dedup_band_seq')) FROM range(?)", [count]).fetchall()[0][0]
    return last - count + 1 + np.arange(articles, dtype=np.int64) // per_seq


def stored_banding(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int] | None:
    """(bands, rows, num_perm) the stored band hashes were computed with."""
    # fetchall: a half-read result would block the connection's next register().
    rows = con.execute("SELECT value FROM dedup_config WHERE key = 'banding'").fetchall()
    if not rows:
        return None
    shape, num_perm = rows[0][0].split("/")
    bands, rows = shape.split("x")
    return int(bands), int(rows), int(num_perm)


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
                "article_id": [article_id for article_id, _ in signatures for _ in range(bands)],
                "seq": np.repeat(band_seqs(con, len(signatures), REBAND_SEQ_ARTICLES), bands)}))
            try:
                con.execute("INSERT INTO dedup_bands BY NAME SELECT * FROM rebanded")
            finally:
                con.unregister("rebanded")
        con.execute("INSERT OR REPLACE INTO dedup_config VALUES ('banding', ?)", [f"{bands}x{rows}/{num_perm}"])
        con.execute("COMMIT")
    except BaseException as exc:  # an interrupt too: the batch is not half-written
        rollback_after(con, exc)
        raise
    forget_band_index(con)
    return len(signatures)
