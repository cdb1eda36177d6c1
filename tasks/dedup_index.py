"""Dedup's index of what is stored: the lookups tasks/dedup.py makes (its `KnownArticles`),
answered from the warehouse and from what this process holds of it in memory, and the
banding of the stored band hashes.

The tables are dedup's (migrations 003, 004, 009): dedup_signatures, dedup_bands,
dedup_lines, dedup_site_lines, dedup_config. Dedup decides every row that goes into them
(tasks/models.py DedupWrites); the loader writes those rows in the batch's transaction.

Band lookups are keyed: a batch probes ~8,000 band hashes, and a join of those against
dedup_bands scans the whole table (32 rows an article; DuckDB has no index join, and its
ART indexes answer only literal IN lists, at ~2 s a batch). So the band hashes are held
in this process as sorted NumPy arrays (`BandIndex`, 12 bytes a band row), found by
binary search, and kept current without scanning the table: every batch's band rows
carry one `seq` from a sequence, the loader hands its batch's rows to the index after the
commit (`BandWrites`, when their seq follows the highest the index holds), and the index
reads the table (`seq >` the highest it holds) only when the sequence has handed out a
number it has not seen: another process wrote, or a batch rolled back. Rows of deleted
or re-sketched articles may linger in memory: a stale candidate is dropped when its
signature is missing or fails verification, so they cost a comparison, never a link.

The paragraph lookups are keyed too, for the same reason (a join scans the whole table: 12
rows an article in each of dedup_site_lines and dedup_lines). `ParagraphIndex` holds both
tables in this process, exactly: rows keyed by paragraph hash in sorted NumPy runs, 13
bytes a row, whose numbers name an article (or first article and content hash) and its
site, their strings kept once in Arrow arrays (~390 bytes an article for both tables). Rows are inserted and updated (template, content hash) and an
article's dedup_lines rows deleted, so a `seq` catch-up would not do; instead the tables
have a version, `lines_version` in dedup_config, which the loader replaces in the
transaction of every batch that writes them. After the commit, the writing process applies
the batch's own writes (`ParagraphWrites`) to its index if the index held the version
before; a process that finds another version (another process wrote, a migration ran: the
migration runner writes a new one too) reads both tables again, once. Anything else that
writes these tables must write a new version (bench/dedup.py's filler does).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading
import uuid
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from tasks import minhash
from tasks.decode import without_credentials
from tasks.dedup import NO_DATE, BandSharers, ClusterInfo, StoredLine, StoredSketch, keyed_paragraphs, tracked
from tasks.errors import ZhnewsError
from warehouse.db import LINES_VERSION_KEY, rollback_after

STAGE = "dedup"
# An article's place in 'earliest published, then first ingested' (see tasks/dedup.py).
ORDER_SQL = "coalesce({t}.published_at, '" + NO_DATE + "'), coalesce({t}.ingested_at::VARCHAR, '')"
# Runs of band rows stop merging at this size: a merge holds both runs and the result, so
# an unbounded one would hold the whole index twice at its peak; more runs of this size cost
# little (a probe's binary search in each, probes in order).
MAX_BAND_RUN_ROWS = 4_000_000
# Band rows read into memory per query when the index catches up (bounded memory: ~40 MB).
CATCH_UP_ROWS = 2_000_000
# Articles per seq when every signature is banded again (CATCH_UP_ROWS / 32 bands, about).
REBAND_SEQ_ARTICLES = 50_000


class BandIndex:
    """Stored band hashes -> the articles that have them, in memory: sorted runs of
    (hash, article number), merged as they grow (each new run merges into the previous
    while it is at least half its size, so a row is merged O(log n) times)."""

    def __init__(self) -> None:
        self.ids = Strings()  # article number -> article_id
        # (sorted int64 hashes, int32 article numbers, the hashes' directory_of)
        self.runs: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        self.seq = -(2**62)  # the highest seq read (migration 009 numbered earlier rows below 0)
        self.lock = threading.Lock()  # the read-ahead thread and the flow's thread may share it

    def add(self, article_ids: pa.Array, hashes: pa.ListArray) -> None:
        # An article sketched again gets a second number: its older rows stay until they
        # fail verification (a dict of every id to find the first would cost ~100 bytes an
        # article).
        first = self.ids.extend(article_ids)
        offsets = hashes.offsets.to_numpy()
        values = hashes.values.to_numpy()[offsets[0]:offsets[-1]]
        owners = np.repeat(np.arange(first, len(self.ids), dtype=np.int32), np.diff(offsets))
        order = np.argsort(values, kind="stable")
        run = (values[order], owners[order])
        while (self.runs and len(run[0]) * 2 >= len(self.runs[-1][0])
               and len(self.runs[-1][0]) < MAX_BAND_RUN_ROWS):
            run = merged(self.runs.pop()[:2], run)
        self.runs.append((*run, directory_of(run[0])))

    def catch_up(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read the band rows written since the last call (seq above the highest read).
        Nothing to read when the sequence has handed out no number since: asking the
        sequence is a catalog lookup, while the count below scans every seq once loads
        have rewritten the table's row groups."""
        if last_band_seq(con) == self.seq:
            return
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
                self.add(found.column("article_id").combine_chunks(), found.column("hashes").combine_chunks())
            self.seq = counts[end - 1][0]
            start = end
        if sum(rows for _, rows in counts) >= CATCH_UP_ROWS:
            release_freed_memory()

    def sharers(self, probe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(probe positions, article numbers) of every stored band hash equal to a probe."""
        positions, owners = [], []
        # Probes in order: NumPy's binary search starts each from the last one's place, so
        # sorted probes walk a large run once instead of jumping about it (fewer cache misses).
        order = np.argsort(probe, kind="stable")
        probe = probe[order]
        for hashes, numbers, directory in self.runs:
            hit, left, counts = equal_ranges(hashes, probe, directory)
            if not len(hit):
                continue
            # Each hit probe repeated counts times, against its rows left .. left + count - 1.
            which = np.repeat(hit, counts)
            steps = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            positions.append(order[which])
            owners.append(numbers[np.repeat(left, counts) + steps])
        if not positions:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        return np.concatenate(positions), np.concatenate(owners)


    def take_written(self, writes: "BandWrites") -> None:
        """After the commit of a batch's band rows: take them in when they are the only
        rows written since the index last read (their seq follows the highest read), so
        no query is needed; otherwise the next catch_up reads them."""
        with self.lock:
            if writes.seq == self.seq + 1:
                self.add(writes.article_ids, writes.hashes)
                self.seq = writes.seq


def release_freed_memory() -> None:
    """Give back to the system what reading a large index freed: Arrow's allocator and
    glibc's keep freed memory for reuse, and after the reads of a million articles' rows
    that is ~100 MB the run never uses again (bench/README.md, dedup at a million)."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (macOS, musl): nothing to trim
        return None


_LIBC = _glibc()


# Hashes spread evenly over the int64 range: a large run's rows, grouped by the top bits of
# their hash into buckets of about BUCKET_ROWS, give each probe a range of a few rows to
# search instead of millions (a binary search of a whole run is ~22 cache misses a probe).
# The directory costs 4 bytes a bucket.
BUCKET_ROWS = 16
DIRECTORY_MIN_ROWS = 1 << 16


def directory_of(sorted_values: np.ndarray) -> np.ndarray | None:
    """Where each bucket of hashes (by their top bits) starts in a sorted run, and the run's
    end: None for a run small enough to search whole."""
    if len(sorted_values) < DIRECTORY_MIN_ROWS:
        return None
    bits = min(24, int(np.log2(len(sorted_values) / BUCKET_ROWS)))
    starts = (np.arange(1 << bits, dtype=np.int64) - (1 << (bits - 1))) << (64 - bits)
    offsets = np.append(np.searchsorted(sorted_values, starts, "left"), len(sorted_values))
    return offsets.astype(np.int32 if len(sorted_values) < 2**31 else np.int64)


def lower_bounds(sorted_values: np.ndarray, probe: np.ndarray, directory: np.ndarray | None) -> np.ndarray:
    """np.searchsorted(sorted_values, probe, "left"): with a directory, a binary search of
    every probe at once, each within its bucket."""
    if directory is None:
        return np.searchsorted(sorted_values, probe, "left")
    bits = (len(directory) - 1).bit_length() - 1
    bucket = (probe >> (64 - bits)) + (1 << (bits - 1))
    low, high = directory[bucket].astype(np.int64), directory[bucket + 1].astype(np.int64)
    searching = np.flatnonzero(low < high)
    while len(searching):
        middle = (low[searching] + high[searching]) >> 1
        above = sorted_values[middle] < probe[searching]
        low[searching[above]] = middle[above] + 1
        high[searching[~above]] = middle[~above]
        searching = searching[low[searching] < high[searching]]
    return low


def equal_ranges(sorted_values: np.ndarray, probe: np.ndarray, directory: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(positions in probe, first row, rows) of the probes found in sorted_values. One binary
    search a probe: most find nothing, so the end of a range is searched for the hits only."""
    left = lower_bounds(sorted_values, probe, directory)
    inside = np.flatnonzero(left < len(sorted_values))
    hit = inside[sorted_values[left[inside]] == probe[inside]]
    first = left[hit]
    counts = np.searchsorted(sorted_values, probe[hit], "right") - first
    return hit, first, counts


def merged(older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted (hashes, owners) runs as one (merged_columns)."""
    out = merged_columns({"hash": older[0], "owner": older[1]}, {"hash": newer[0], "owner": newer[1]}, key="hash")
    return out["hash"], out["owner"]


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


@dataclass
class BandWrites:
    """The band rows a batch wrote (one seq for the batch; load_batch gathers them): the
    band index of the process that wrote them takes them in after the commit."""

    seq: int
    article_ids: pa.Array
    hashes: pa.ListArray  # each article's band hashes, in band order


def last_band_seq(con: duckdb.DuckDBPyConnection) -> int | None:
    """The last number dedup_band_seq handed out (None before the first)."""
    rows = con.execute("SELECT last_value FROM duckdb_sequences() WHERE sequence_name = 'dedup_band_seq' "
                       "AND database_name = current_database()").fetchall()
    return rows[0][0] if rows else None


def apply_band_writes(con: duckdb.DuckDBPyConnection, writes: BandWrites | None) -> None:
    """After the commit of a batch: the process's band index of this warehouse takes in
    the batch's band rows (BandIndex.take_written)."""
    path = database_path(con) if writes is not None else None
    if path is None:
        return
    with _band_indexes_lock:
        indexes = [index for key, index in _band_indexes.items() if key[0] == path]
    for index in indexes:
        index.take_written(writes)


# Rows read at a time when a paragraph index is read from its table (bounded memory).
READ_ROWS = 250_000
# Rows of a paragraph index's run past which it takes no more merges (runs of 1-2 million rows).
MAX_RUN_ROWS = 1_000_000
# dedup_config key of the paragraph tables' version: a new value with every change to
# dedup_lines or dedup_site_lines (load_batch writes it in the batch's transaction).
LINES_VERSION = LINES_VERSION_KEY  # dedup_config's key (warehouse/db.py writes it after migrations)


class Strings:
    """Strings by number, as Arrow arrays (their UTF-8 bytes and an offset each: a Python
    list of a million article ids and content hashes would take three times as much). A
    value may have several numbers."""

    def __init__(self) -> None:
        self.chunks: list[pa.Array] = []
        self.starts: list[int] = [0]  # number of each chunk's first value, then the count

    def __len__(self) -> int:
        return self.starts[-1]

    def extend(self, values: pa.Array) -> int:
        """Number the values; returns the first one's number."""
        first = len(self)
        if len(values):
            self.chunks.append(values.cast(pa.large_string()))
            self.starts.append(first + len(values))
        # A chunk a batch, joined as they grow (as KeyedRuns' runs): few arrays to take from.
        while (len(self.chunks) > 1 and len(self.chunks[-1]) * 2 >= len(self.chunks[-2])
               and len(self.chunks[-2]) < MAX_RUN_ROWS):
            newer = self.chunks.pop()
            self.chunks[-1] = pa.concat_arrays([self.chunks[-1], newer])
            del self.starts[-2]
        return first

    def get(self, numbers: np.ndarray) -> list[str]:
        numbers = np.asarray(numbers, dtype=np.int64)
        found: list[str] = [""] * len(numbers)
        which = np.searchsorted(np.array(self.starts), numbers, "right") - 1
        for chunk in np.unique(which).tolist():
            at = np.flatnonzero(which == chunk)
            values = self.chunks[chunk].take(pa.array(numbers[at] - self.starts[chunk])).to_pylist()
            for i, value in zip(at.tolist(), values):
                found[i] = value
        return found

    def numbers_of(self, values: list[str]) -> np.ndarray:
        """Every number of any of these values."""
        import pyarrow.compute as pc

        wanted = pa.array(values, pa.large_string())
        hits = [np.flatnonzero(pc.is_in(chunk, value_set=wanted).to_numpy(zero_copy_only=False)) + start
                for chunk, start in zip(self.chunks, self.starts)]
        return np.concatenate(hits) if hits else np.empty(0, np.int64)


class KeyedRuns:
    """Rows keyed by paragraph hash, in memory: sorted runs of columns (NumPy arrays,
    sorted by hash), merged as they grow as BandIndex's are, up to MAX_RUN_ROWS: a merge
    holds both runs and the merged one, and a batch's run must not set off a cascade
    through the whole table."""

    def __init__(self) -> None:
        self.runs: list[dict[str, np.ndarray]] = []
        self.directories: list[np.ndarray | None] = []  # each run's line hashes' directory_of

    def __len__(self) -> int:
        return sum(len(run["line_hash"]) for run in self.runs)

    def add(self, columns: dict[str, np.ndarray]) -> None:
        if not len(columns["line_hash"]):
            return
        order = np.argsort(columns["line_hash"], kind="stable")
        # Column by column, each freed as it is sorted: the peak is one column over the rows.
        self.runs.append({name: columns.pop(name)[order] for name in list(columns)})
        while (len(self.runs) > 1 and len(self.runs[-1]["line_hash"]) * 2 >= len(self.runs[-2]["line_hash"])
               and len(self.runs[-2]["line_hash"]) < MAX_RUN_ROWS):
            newer, older = self.runs.pop(), self.runs.pop()
            self.runs.append(merged_columns(older, newer))
        del self.directories[len(self.runs) - 1:]
        self.directories.append(directory_of(self.runs[-1]["line_hash"]))

    def find(self, line_hashes: np.ndarray) -> list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]:
        """Per run: (the run, probe positions, row positions) of the rows of a probe's hash
        (the caller compares sites: the runs hold a number that has one)."""
        found = []
        order = np.argsort(line_hashes, kind="stable")  # sorted probes: see BandIndex.sharers
        line_hashes = np.asarray(line_hashes)[order]
        for run, directory in zip(self.runs, self.directories):
            hit, left, counts = equal_ranges(run["line_hash"], line_hashes, directory)
            if not len(hit):
                continue
            which = np.repeat(hit, counts)
            found.append((run, order[which],
                          np.repeat(left, counts) + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)))
        return found


def merged_columns(older: dict[str, np.ndarray], newer: dict[str, np.ndarray],
                   key: str = "line_hash") -> dict[str, np.ndarray]:
    """Two runs sorted by `key` as one, in linear time and with no index array of the whole
    (an argsort of the concatenation took 8 bytes a row more, at the peak, than the runs);
    each input column is freed as its merged one is made."""
    at = np.searchsorted(older[key], newer[key], side="right") + np.arange(len(newer[key]))
    total = len(older[key]) + len(at)
    from_old = np.ones(total, dtype=bool)
    from_old[at] = False
    out = {}
    for name in list(older):
        column = np.empty(total, dtype=older[name].dtype)
        column[at] = newer.pop(name)
        column[from_old] = older.pop(name)
        out[name] = column
    return out


class ParagraphIndex:
    """dedup_site_lines and dedup_lines in memory, keyed by (site, paragraph hash): what
    WarehouseIndex.site_lines and .stale_sketches answer without a join of either table.
    13 bytes a row (hash, a number, template) and the strings once per article:

    - site paragraphs: hash -> owner number (its first article, content hash and site);
    - article paragraphs: hash -> article number (an article id and its site), and whether
      it was template in that sketch. An article's rows are deleted and written again
      together, so a deletion marks its numbers dead and its new rows get new ones.

    It holds the tables as they were at `version` (lines_version: None is a warehouse no
    loader of this code wrote yet) when `current`; when not, it is read again."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.current = False
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.site_numbers: dict[str, int] = {}
        self.site_lines = KeyedRuns()  # columns: line_hash, owner, template
        self.owner_articles, self.owner_contents = Strings(), Strings()
        self.owner_sites = np.zeros(0, dtype=np.int32)
        self.lines = KeyedRuns()  # columns: line_hash, article, template
        self.line_articles = Strings()
        self.line_sites = np.zeros(0, dtype=np.int32)
        self.dead = np.zeros(0, dtype=bool)  # by article number

    def numbered(self, rows: pa.Table | pa.RecordBatch, names: list[str]) -> tuple[list[pa.Array], np.ndarray, np.ndarray]:
        """The distinct combinations of the string columns `names` and site in rows (as
        columns), their site numbers, and each row's combination."""
        parts = [column_of(rows, name).dictionary_encode() for name in [*names, "site"]]
        combined = np.zeros(len(rows), dtype=np.int64)
        for part in parts:  # < 2**63: at most 2 * READ_ROWS distinct values in each of 3 columns
            combined = combined * len(part.dictionary) + part.indices.to_numpy(zero_copy_only=False)
        distinct, which = np.unique(combined, return_inverse=True)
        values = []
        for part in reversed(parts):
            values.append(part.dictionary.take(pa.array(distinct % len(part.dictionary))))
            distinct = distinct // len(part.dictionary)
        sites = values.pop(0)
        numbers = np.array([self.site_numbers.setdefault(s, len(self.site_numbers)) for s in sites.to_pylist()],
                           dtype=np.int32)
        return values[::-1], numbers, which.reshape(-1)

    def add_site_lines(self, rows: pa.Table | pa.RecordBatch) -> None:
        """dedup_site_lines rows (site, line_hash, article_id, content_hash, template)."""
        if len(rows) > 2 * READ_ROWS:  # (numbered counts combinations in an int64)
            for part in (rows.slice(0, len(rows) // 2), rows.slice(len(rows) // 2)):
                self.add_site_lines(part)
            return
        if not len(rows):
            return
        (articles, contents), sites, which = self.numbered(rows, ["article_id", "content_hash"])
        first = self.owner_articles.extend(articles)
        self.owner_contents.extend(contents)
        self.owner_sites = np.concatenate([self.owner_sites, sites])
        self.site_lines.add({"line_hash": column_of(rows, "line_hash").to_numpy().astype(np.int64),
                             "owner": (first + which).astype(np.int32),
                             "template": column_of(rows, "template").to_numpy(zero_copy_only=False).astype(bool)})

    def add_lines(self, rows: pa.Table | pa.RecordBatch) -> None:
        """dedup_lines rows (site, line_hash, article_id, template)."""
        if len(rows) > 2 * READ_ROWS:
            for part in (rows.slice(0, len(rows) // 2), rows.slice(len(rows) // 2)):
                self.add_lines(part)
            return
        if not len(rows):
            return
        (articles,), sites, which = self.numbered(rows, ["article_id"])
        first = self.line_articles.extend(articles)
        self.line_sites = np.concatenate([self.line_sites, sites])
        self.dead = np.concatenate([self.dead, np.zeros(len(sites), dtype=bool)])
        self.lines.add({"line_hash": column_of(rows, "line_hash").to_numpy().astype(np.int64),
                        "article": (first + which).astype(np.int32),
                        "template": column_of(rows, "template").to_numpy(zero_copy_only=False).astype(bool)})

    def read(self, con: duckdb.DuckDBPyConnection, version: str | None) -> None:
        """Both tables, read again: one scan each, about READ_ROWS rows at a time."""
        self.current = False
        self.clear()
        for sql, add in (("SELECT site, line_hash, article_id, content_hash, template FROM dedup_site_lines",
                          self.add_site_lines),
                         ("SELECT site, line_hash, article_id, template FROM dedup_lines", self.add_lines)):
            pending: list[pa.RecordBatch] = []  # the reader's batches are small: taken in together
            for piece in con.sql(sql).to_arrow_reader(READ_ROWS):
                pending.append(piece)
                if sum(p.num_rows for p in pending) >= READ_ROWS:
                    add(pa.Table.from_batches(pending))
                    pending = []
            if pending:
                add(pa.Table.from_batches(pending))
        self.version, self.current = version, True
        release_freed_memory()

    def probes(self, sites: list[str], line_hashes: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(hashes, site numbers) of probes; a site never stored gets -1 (matches nothing)."""
        return (np.asarray(line_hashes, dtype=np.int64),
                np.array([self.site_numbers.get(s, -1) for s in sites], dtype=np.int32))

    def site_line_matches(self, sites: list[str], line_hashes: list[int]
                          ) -> list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]:
        """Per run: (the run, probe positions, row positions) of the stored site paragraphs."""
        hashes, numbers = self.probes(sites, line_hashes)
        found = []
        for run, probes, rows in self.site_lines.find(hashes):
            same_site = self.owner_sites[run["owner"][rows]] == numbers[probes]
            found.append((run, probes[same_site], rows[same_site]))
        return found

    def site_line_rows(self, sites: list[str], line_hashes: list[int]) -> list[tuple[int, str, str, bool]]:
        """(probe position, article_id, content_hash, template) of each stored site paragraph."""
        found = []
        for run, probes, rows in self.site_line_matches(sites, line_hashes):
            owners = run["owner"][rows]
            found += zip(probes.tolist(), self.owner_articles.get(owners), self.owner_contents.get(owners),
                         run["template"][rows].tolist())
        return found

    def line_holders(self, sites: list[str], line_hashes: list[int]) -> list[tuple[int, int, bool]]:
        """(probe position, article number, template) of each live article paragraph row."""
        hashes, numbers = self.probes(sites, line_hashes)
        found = []
        for run, probes, rows in self.lines.find(hashes):
            articles = run["article"][rows]
            keep = ~self.dead[articles] & (self.line_sites[articles] == numbers[probes])
            found += zip(probes[keep].tolist(), articles[keep].tolist(), run["template"][rows][keep].tolist())
        return found

    def apply(self, changes: "ParagraphWrites") -> None:
        """A committed batch's writes, as the loader made them: deletions, then inserts."""
        if changes.deleted_ids and len(self.line_articles):
            self.dead[self.line_articles.numbers_of(sorted(set(changes.deleted_ids)))] = True
        if changes.lines is not None and changes.lines.num_rows:
            self.add_lines(changes.lines)
        if changes.new_site_lines is not None and changes.new_site_lines.num_rows:
            self.add_site_lines(changes.new_site_lines)
        if changes.changed_site_lines:
            changed = changes.changed_site_lines
            for run, probes, rows in self.site_line_matches([c[0] for c in changed], [c[1] for c in changed]):
                # The row's new content hash: a new owner of the same article and site.
                owners = run["owner"][rows]
                first = self.owner_articles.extend(pa.array(self.owner_articles.get(owners), pa.large_string()))
                self.owner_contents.extend(pa.array([changed[p][3] for p in probes.tolist()], pa.large_string()))
                self.owner_sites = np.concatenate([self.owner_sites, self.owner_sites[owners]])
                run["owner"][rows] = first + np.arange(len(rows), dtype=np.int32)
                run["template"][rows] = np.array([changed[p][2] for p in probes.tolist()], dtype=bool)


def column_of(rows: pa.Table | pa.RecordBatch, name: str) -> pa.Array:
    column = rows.column(name)
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


@dataclass
class ParagraphWrites:
    """What a batch wrote to dedup_lines and dedup_site_lines (load_batch gathers it):
    the index of the process that wrote it applies it after the commit."""

    deleted_ids: list[str] = field(default_factory=list)  # articles whose dedup_lines rows went
    lines: pa.Table | None = None  # dedup_lines rows inserted
    new_site_lines: pa.Table | None = None  # dedup_site_lines rows inserted
    changed_site_lines: list[tuple[str, int, bool, str]] = field(default_factory=list)  # (site, hash, template, content)


# One ParagraphIndex per warehouse file, for the life of the process (as the band indexes).
_paragraph_indexes: dict[str, ParagraphIndex] = {}
_paragraph_indexes_lock = threading.Lock()


def lines_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The warehouse's id and the paragraph tables' version, as one token (None until a
    loader of this code or a migration first wrote one)."""
    config = dict(con.execute("SELECT key, value FROM dedup_config WHERE key IN ('index_id', ?)",
                              [LINES_VERSION]).fetchall())
    version = config.get(LINES_VERSION)
    return None if version is None else f"{config.get('index_id', '')}/{version}"


def paragraph_index_for(con: duckdb.DuckDBPyConnection) -> ParagraphIndex:
    """The process's paragraph index of this warehouse, read again when the tables'
    version is not the one it holds (another process wrote, or nothing says which)."""
    path = database_path(con)
    if path is None:  # an in-memory database: nothing outlives the connection
        index = ParagraphIndex()
    else:
        with _paragraph_indexes_lock:
            index = _paragraph_indexes.setdefault(path, ParagraphIndex())
    version = lines_version(con)
    with index.lock:
        if not index.current or index.version != version:
            index.read(con, version)
    return index


def next_lines_version(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str]:
    """In a transaction that changes dedup_lines or dedup_site_lines: a new version of
    them. Returns (the version before, the new one) for apply_paragraph_writes."""
    before = lines_version(con)
    version = uuid.uuid4().hex
    con.execute("INSERT OR REPLACE INTO dedup_config VALUES (?, ?)", [LINES_VERSION, version])
    return before, lines_version(con)


def apply_paragraph_writes(con: duckdb.DuckDBPyConnection, versions: tuple[str | None, str],
                           changes: ParagraphWrites) -> None:
    """After the commit of a batch's writes: the process's index takes them in when it
    held the version they were written on; otherwise it is read again when next asked."""
    path = database_path(con)
    index = _paragraph_indexes.get(path) if path is not None else None
    if index is None:
        return
    before, after = versions
    with index.lock:
        if not index.current or index.version != before:
            index.current = False
            return
        index.current = False  # half applied (an error, an interrupt): read again
        index.apply(changes)
        index.version, index.current = after, True


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
            distinct, owner = np.unique(numbers, return_inverse=True)
            ids = index.ids.get(distinct)
        if not len(positions):
            return BandSharers(np.empty(0, np.int64), np.empty(0, dtype=object))
        # In NumPy, not as a set of Python tuples (a batch has tens of thousands of hits):
        # each hit a key (rank of its article id, probe row), distinct keys in sorted order.
        names, rank = np.unique(np.array(ids, dtype=object), return_inverse=True)  # an id may have two numbers
        probe_rows = np.asarray(rows, dtype=np.int64)[positions]
        width = int(probe_rows.max()) + 1
        keys = np.unique(rank.astype(np.int64)[owner] * width + probe_rows)
        excluded = set(exclude_ids)
        kept = np.array([name not in excluded for name in names.tolist()], dtype=bool)
        keys = keys[kept[keys // width]]
        return BandSharers(keys % width, names[keys // width])

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
        index = paragraph_index_for(self.con)
        with index.lock:
            found = index.site_line_rows(sites, line_hashes)
        return {(sites[p], line_hashes[p]): StoredLine(article_id, digest, template)
                for p, article_id, digest, template in found}

    def stale_sketches(self, lines: list[tuple[str, int]], exclude_ids: list[str]) -> list[StoredSketch]:
        """Stored articles (not exclude_ids) whose signature still holds one of these site
        paragraphs, with their texts and those of their paragraphs that are template: to
        sketch them again. The template paragraphs are given for the paragraphs of the
        stored text (all resketch uses), from both paragraph tables in memory."""
        index = paragraph_index_for(self.con)
        with index.lock:
            holders = [(p, n) for p, n, template in index.line_holders([s for s, _ in lines], [h for _, h in lines])
                       if not template]
            ids = index.line_articles.get(np.array([n for _, n in holders], dtype=np.int64))
        excluded = set(exclude_ids)
        site_of_stale = {article_id: lines[p][0] for (p, _), article_id in zip(holders, ids) if article_id not in excluded}
        if not site_of_stale:
            return []
        # By id, as clusters_of: a scan of the id column, the texts of the few found only.
        rows = self.con.execute("""SELECT article_id, content_hash, text FROM articles
                                   WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id""",
                                [sorted(site_of_stale)]).fetchall()
        sketches = []
        for article_id, digest, text in rows:
            site = site_of_stale[article_id]
            hashes = sorted(set(tracked(keyed_paragraphs(text)[0])))
            with index.lock:
                template = sorted({hashes[p] for p, _, _, is_template in index.site_line_rows([site] * len(hashes), hashes)
                                   if is_template})
                # Of those, the ones its own dedup_lines rows hold (as the stored sketch had them).
                held = [(p, n) for p, n, _ in index.line_holders([site] * len(template), template)]
                holder_ids = index.line_articles.get(np.array([n for _, n in held], dtype=np.int64))
            sketches.append(StoredSketch(article_id, digest, text, site,
                                         {template[p] for (p, _), holder in zip(held, holder_ids) if holder == article_id}))
        return sketches

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
