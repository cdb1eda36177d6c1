"""Read-side of the warehouse: `zhnews stats`, `zhnews query` and `zhnews export`.

All three open the DuckDB file read-only; `query` also turns off file access, so SQL typed
by a user can read the tables but can write neither the warehouse nor any other file. During
a run they ask the run for the file (warehouse.db.read_request) and wait, up to
READ_WAIT_SECONDS, for the batch being committed."""
from __future__ import annotations

import os
import re
import stat
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from warehouse.errors import ZhnewsError
from warehouse.db import READ_WAIT_SECONDS, connect

ExportFormat = Literal["parquet", "jsonl"]

STATS_QUERIES: list[tuple[str, str]] = [
    ("Warehouse", """SELECT (SELECT count(*) FROM articles) AS articles,
                            (SELECT count(*) FROM unique_articles) AS unique_articles,
                            (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates,
                            (SELECT count(*) FROM rejections) AS rejections,
                            (SELECT count(*) FROM runs) AS runs"""),
    ("Articles by script", """SELECT source_script, count(*) AS articles,
                                     count(*) FILTER (WHERE duplicate_of IS NULL) AS "unique"
                              FROM articles GROUP BY 1 ORDER BY 2 DESC"""),
    ("Articles by day (published)", """SELECT left(published_at, 10) AS day, count(*) AS articles,
                                              count(*) FILTER (WHERE duplicate_of IS NULL) AS "unique"
                                       FROM articles GROUP BY 1 ORDER BY 1 DESC NULLS LAST LIMIT 20"""),
    ("Articles by source", """SELECT source, count(*) AS articles,
                                     count(*) FILTER (WHERE duplicate_of IS NULL) AS "unique"
                              FROM articles GROUP BY 1 ORDER BY 2 DESC LIMIT 20"""),
    ("Duplicates: most repeated articles", """
        SELECT k.article_id, left(k.title, 40) AS title, count(*) AS duplicates,
               count(*) FILTER (WHERE d.source_script IS DISTINCT FROM k.source_script) AS cross_script
        FROM articles d JOIN articles k ON d.duplicate_of = k.article_id
        GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10"""),
    ("Rejections by reason", """SELECT stage, reason, count(*) AS inputs FROM rejections
                                GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20"""),
    ("Recent runs", """SELECT left(run_id, 8) AS run, flow, status, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started,
                              inputs, articles, rejections
                       FROM runs ORDER BY started_at DESC LIMIT 5"""),
]

READER_HINT = "try again in a moment"
_READ_ONLY_REFUSAL = re.compile(r'Cannot execute statement of type "(\w+)"')


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    cut: bool = False  # more rows than max_rows: only the first max_rows are here


def run_query(db_path: str | Path, sql: str, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
    """Column names and (at most max_rows) rows of one SQL statement on a read-only
    connection, interrupted after timeout seconds."""
    if not sql.strip():
        raise ZhnewsError("no SQL given: pass one statement, e.g. \"SELECT count(*) FROM articles\"",
                          stage="query")
    con = connect(db_path, read_only=True, wait=READ_WAIT_SECONDS, hint=READER_HINT)
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        con.interrupt()

    def run() -> QueryResult:
        # No file access either: COPY TO, ATTACH or INSTALL could write outside the warehouse.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        cursor = con.execute(sql)
        if cursor is None:  # only comments: DuckDB runs nothing
            raise ZhnewsError("no SQL statement to run (only comments or blanks)", stage="query")
        columns = [d[0] for d in cursor.description] if cursor.description else []
        if max_rows is None:
            return QueryResult(columns, cursor.fetchall())
        rows = cursor.fetchmany(max_rows + 1)
        return QueryResult(columns, rows[:max_rows], cut=len(rows) > max_rows)

    timer = threading.Timer(timeout, interrupt) if timeout else None
    try:
        if timer:
            timer.start()
        return _interruptible(run, con)
    except (duckdb.Error, RuntimeError) as exc:
        if timed_out.is_set():
            raise ZhnewsError(f"the query took longer than {timeout:g} s and was stopped "
                              "(raise --timeout, or narrow the query)", stage="query") from None
        if _interrupted(exc):  # Ctrl-C while DuckDB ran: the CLI's "interrupted", exit 130
            raise KeyboardInterrupt from None
        if not isinstance(exc, duckdb.Error):
            raise
        raise ZhnewsError(_query_error(exc), stage="query") from None
    finally:
        if timer:
            timer.cancel()
        con.close()


def _interruptible(run, con):
    """run() on a thread of its own while this one waits: Python's Ctrl-C handler runs only
    between bytecodes of the main thread, which DuckDB's execute() never returns to until
    the query ends. A Ctrl-C here interrupts the connection at once."""
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = run()
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="zhnews-query", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        con.interrupt()
        worker.join(5)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _interrupted(exc: BaseException) -> bool:
    """DuckDB turns a Ctrl-C during a query into RuntimeError("Query interrupted"), or an
    InterruptException when con.interrupt() stopped it."""
    return isinstance(exc, duckdb.InterruptException) or (
        isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower())


def _query_error(exc: duckdb.Error) -> str:
    message = str(exc).splitlines()[0]
    refused = _READ_ONLY_REFUSAL.search(message)
    if refused:
        return (f"{refused.group(1)} refused: `zhnews query` is read-only "
                "(the warehouse changes only through `zhnews ingest`)")
    if isinstance(exc, duckdb.PermissionException):
        return f"refused: `zhnews query` reads the warehouse's tables only, no files ({message})"
    return message


# One record per unique article: id and text at the top (what corpus tools such as
# datatrove or dolma read by default), everything else under metadata. URLs lose any
# user:password@ (rows loaded before the loader stripped them may still hold one).
EXPORT_SQL = r"""
SELECT article_id AS id, text,
       {'url': regexp_replace(url, '^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]*@', '\1'),
        'title': title, 'published_at': published_at, 'source': source,
        'author': author, 'source_script': source_script, 'language': 'zh', 'chars': chars,
        'content_hash': content_hash, 'encoding': encoding, 'run_id': run_id,
        'ingested_at': ingested_at::VARCHAR} AS metadata
FROM unique_articles ORDER BY article_id"""

_COPY_OPTIONS = {"parquet": "FORMAT parquet, COMPRESSION zstd", "jsonl": "FORMAT json"}


def export_articles(db_path: str | Path, out: str | Path, fmt: ExportFormat, force: bool = False) -> int:
    """Write every unique article to `out`; returns the number of records. The file appears
    whole or not at all (written to a temporary file beside it, then renamed). `out` must
    not be the warehouse or its WAL, nor an existing non-regular file; an existing file is
    replaced only with force."""
    if fmt not in _COPY_OPTIONS:
        raise ZhnewsError(f"unknown export format {fmt!r} (use parquet or jsonl)", stage="export")
    out = export_target(Path(db_path), Path(out), force)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    partial = Path(name)
    try:
        con = connect(db_path, read_only=True, wait=READ_WAIT_SECONDS, hint=READER_HINT)
        try:
            count = con.execute(f"SELECT count(*) FROM ({EXPORT_SQL})").fetchone()[0]
            con.execute(f"COPY ({EXPORT_SQL}) TO '{_sql_string(partial)}' ({_COPY_OPTIONS[fmt]})")
        finally:
            con.close()
        os.chmod(partial, 0o666 & ~_umask())  # mkstemp makes it 0600; a new file gets the usual mode
        os.replace(partial, out)
        return count
    except duckdb.Error as exc:
        raise ZhnewsError(str(exc).splitlines()[0], stage="export") from None
    finally:
        partial.unlink(missing_ok=True)


def export_target(db_path: Path, out: Path, force: bool) -> Path:
    """Where the export may be written (symlinks resolved), or a one-line refusal: never the
    warehouse or its WAL (replacing either loses the articles), never a directory, FIFO or
    device (it would be replaced by a regular file), never an existing file without force,
    never a file the user may not write."""
    target = out.expanduser().resolve()
    warehouse = db_path.expanduser().resolve()
    if target in (warehouse, warehouse.with_name(warehouse.name + ".wal")) or _same_file(target, warehouse):
        raise ZhnewsError(f"refusing to export onto the warehouse itself ({out}): name another file",
                          stage="export")
    if target.exists():
        mode = target.stat().st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            raise ZhnewsError(f"refusing to export onto {out}: it is {kind}", stage="export")
        if not force:
            raise ZhnewsError(f"{out} exists: pass --force to replace it", stage="export")
        if not os.access(target, os.W_OK):
            raise ZhnewsError(f"refusing to replace {out}: it is read-only", stage="export")
    if not target.parent.is_dir():
        raise ZhnewsError(f"no directory {target.parent} to write the export into", stage="export")
    return target


def _same_file(a: Path, b: Path) -> bool:
    """One file under two names (a hard link): the same device and inode."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # either does not exist
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sql_string(path: Path) -> str:
    return str(path).replace("'", "''")
