"""Connections and migrations. The schema lives in warehouse/migrations/NNN_name.sql and is
applied in order, once, recorded in schema_migrations."""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.errors import ZhnewsError

MIGRATIONS = Path(__file__).parent / "migrations"


# Rows per row group of what this process writes. An INSERT of at least one row group goes
# straight to the database file, compressed, and its commit logs only a pointer
# ("optimistic write"); a smaller one is written to the WAL uncompressed and copied again
# at the next checkpoint. DuckDB's default (122,880 rows) is more than any batch, so every
# load went the slow way; 2,048 (its smallest, one vector) lets the articles of a batch of
# 2,048 or more, and the dedup rows of a batch of 100+ (32 bands and ~20 paragraph hashes
# an article at the default threshold) take the fast one. Not stored in the file: it
# applies to what is written through this connection.
ROW_GROUP_SIZE = 2048
CATALOG = "warehouse"
logger = logging.getLogger("zhnews.warehouse")


def rollback_after(con: duckdb.DuckDBPyConnection, error: BaseException) -> None:
    """ROLLBACK after `error` inside a transaction. When the ROLLBACK fails too (a failed
    COMMIT or an interrupted statement has already ended the transaction), its failure
    becomes a note on `error`, which the caller re-raises: the original error is the one a
    user can act on."""
    try:
        con.execute("ROLLBACK")
    except Exception as failed:  # noqa: BLE001 - never hide `error` behind it
        error.add_note(f"(the ROLLBACK after it failed too: {str(failed).splitlines()[0]})")
        logger.warning("ROLLBACK failed after %s: %s", type(error).__name__, failed)


# How long a reader (stats, query, export) retries while a writer commits a batch: a
# writer holds the file for a batch's lookups and commit only (a second or so).
READ_WAIT_SECONDS = 5.0
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.*?) \(PID (\d+)\)")


def connect(path: str | Path, read_only: bool = False, memory_limit: str | None = None,
            wait: float = 0.0, hint: str = "wait for it to finish or pass another --db"
            ) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. While another process holds the file (DuckDB lets one process
    open it read-write and then no other open it at all), try again for up to `wait`
    seconds; after that, one clear error naming the file, the other process and `hint`.
    memory_limit (e.g. "512MB", Settings.duckdb_memory_limit) caps a writable connection's
    DuckDB instance; None keeps DuckDB's default."""
    path = Path(path)
    if read_only and not path.exists():
        raise ZhnewsError(f"no warehouse at {path}: run `zhnews ingest` first", stage="warehouse")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    pause = 0.01
    while True:
        try:
            if read_only:
                return duckdb.connect(str(path), read_only=True)
            return _attach(path, memory_limit)
        except duckdb.IOException as exc:
            failure = str(exc)
        # Raised out here, not in the except block: the error then carries no context, whose
        # traceback would keep the failed attempt's frames (and its DuckDB connection) alive
        # as long as a failed run's state, until nanobind reports them "leaked" at exit.
        if "lock" not in failure.lower():
            raise ZhnewsError(f"cannot open the warehouse {path}: {failure}", stage="warehouse")
        left = deadline - time.monotonic()
        if left <= 0:
            holder = _LOCK_HOLDER.search(failure)
            who = f"PID {holder.group(2)}: {process_name(int(holder.group(2)), holder.group(1))}" \
                if holder else "another process"
            waited = f", still after {wait:g} s" if wait else ""
            raise ZhnewsError(f"the warehouse {path} is in use by another process ({who}){waited}; {hint}",
                              stage="warehouse")
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.1)  # short: a reader slips in between two of a writer's batches


def process_name(pid: int, fallback: str) -> str:
    """A process's command line (Linux /proc), else `fallback`."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return fallback
    line = " ".join(w.decode(errors="replace") for w in words if w)
    return line[:200] or fallback


def _attach(path: Path, memory_limit: str | None) -> duckdb.DuckDBPyConnection:
    """A writable connection whose only database is the file, attached with ROW_GROUP_SIZE
    (an ATTACH option, not a connect() one). Connections to one file in one process share
    one DuckDB instance (a named in-memory one, as duckdb.connect(path) shares its instance),
    which closes, checkpoints and unlocks the file when the last of them closes. Its
    in-memory database is detached, so cursors default to the file too."""
    resolved = str(path.resolve())
    con = duckdb.connect(f":memory:zhnews_{hashlib.sha1(resolved.encode()).hexdigest()[:16]}")
    try:
        quoted = resolved.replace("'", "''")
        con.execute(f"ATTACH IF NOT EXISTS '{quoted}' AS {CATALOG} (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute(f"USE {CATALOG}")
        con.execute("DETACH DATABASE IF EXISTS memory")
        if memory_limit is not None:
            con.execute("SET memory_limit = ?", [memory_limit])
    except BaseException:
        con.close()
        raise
    return con


def migrations() -> list[tuple[int, str, Path]]:
    found = []
    for file in sorted(MIGRATIONS.glob("*.sql")):
        version = int(file.name.split("_", 1)[0])
        found.append((version, file.stem, file))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, each in its own transaction; returns their names."""
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMPTZ DEFAULT now())""")
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, file in migrations():
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(file.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except BaseException as exc:
            rollback_after(con, exc)
            raise
        applied.append(name)
    return applied


def open_warehouse(path: str | Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    con = connect(path, memory_limit=memory_limit)
    migrate(con)
    return con


@dataclass(frozen=True)
class Warehouse:
    """The warehouse as a run writes it: opened for a batch's lookups and commit, closed in
    between, so that readers (stats, query, export) get in between two batches. Sessions
    at once in one process (the read-ahead thread's lookups, the flow's commit) share one
    DuckDB instance: the file is held while any of them is open. Migrations are not run
    here: a run checks them once, at its start."""

    path: Path
    memory_limit: str | None = None
    wait: float = 0.0  # seconds to wait for the file when a reader (or a crashed writer's exit) holds it

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(self.path, memory_limit=self.memory_limit, wait=self.wait,
                      hint="raise --wait (ZHNEWS_WAREHOUSE_WAIT), or pass another --db")
        try:
            yield con
        finally:
            con.close()


def lock_path(path: str | Path) -> Path:
    return Path(f"{path}.lock")


@contextmanager
def writer_lock(path: str | Path, wait: float) -> Iterator[None]:
    """The one writer of a warehouse: held for a whole run (the DuckDB file itself only per
    batch). Another run waits up to `wait` seconds, then fails naming the holder. A POSIX
    record lock on FILE.lock: the kernel drops it when its process ends, however it ends,
    and a forked child does not inherit it. The file holds the holder's PID and command."""
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        pause = 0.05
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                left = deadline - time.monotonic()
                if left <= 0:
                    holder = os.pread(fd, 300, 0).decode(errors="replace").strip() or "another process"
                    raise ZhnewsError(f"the warehouse {path} is being written by another run ({holder}); "
                                      f"waited {wait:g} s: raise --wait (ZHNEWS_WAREHOUSE_WAIT), or pass "
                                      "another --db", stage="warehouse") from None
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"PID {os.getpid()}: {process_name(os.getpid(), 'zhnews')}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
