"""Connections and migrations. The schema lives in warehouse/migrations/NNN_name.sql and is
applied in order, once, recorded in schema_migrations."""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.errors import ZhnewsError

MIGRATIONS = Path(__file__).parent / "migrations"


# Rows per row group of what this process writes: DuckDB's default. With 2,048 (until
# 2026-12-07) an INSERT of 2,048 rows or more went straight to the file, compressed, instead
# of through the WAL: twice as fast for loads in batches of 10,000 articles. But each batch
# left a few small row groups behind (a batch of 250 has 8,000 band rows), a warehouse of a
# million articles held ~28,000 of them, and every checkpoint, scan and UPDATE paid per row
# group: dedup and load cost 1.5x at a million stored articles what they cost at 10,000, and
# DuckDB's row-group metadata took ~300 MB more memory (bench/README.md, dedup at a million).
# Not stored in the file: it applies to what is written through this connection.
ROW_GROUP_SIZE = 122_880
# WAL size at which DuckDB checkpoints. A batch's rows, fewer than a row group, go through
# the WAL (2-8 MB a batch of 250 articles): DuckDB's default of 16MB checkpointed every few
# batches, and a checkpoint's cost grows with the tables it touches. At 128MB a run
# checkpoints a tenth as often; its close checkpoints the rest, and a crash replays at
# most this much WAL at the next open.
CHECKPOINT_THRESHOLD = "128MB"
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


# How long a reader (stats, query, export) waits while a run writes: the run lets go of the
# file at the end of the batch it is committing when it sees the reader's request.
READ_WAIT_SECONDS = 15.0
# dedup_config's key for the version of dedup's paragraph tables (tasks/dedup_index.py).
LINES_VERSION_KEY = "lines_version"
# A read request older than this is a reader that died waiting: the writer ignores it.
READ_REQUEST_STALE_SECONDS = 60.0
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
    with read_request(path) if read_only and wait > 0 else nullcontext():
        return _open_waiting(path, read_only, memory_limit, wait, hint)


def _open_waiting(path: Path, read_only: bool, memory_limit: str | None, wait: float,
                  hint: str) -> duckdb.DuckDBPyConnection:
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


def read_request_path(path: str | Path) -> Path:
    return Path(f"{path}.read-request")


@contextmanager
def read_request(path: str | Path) -> Iterator[None]:
    """A reader's request to a run holding the file: FILE.read-request, there while the
    reader waits to open it (the run lets go at the end of its batch and waits for the
    request to go before it opens the file again)."""
    request = read_request_path(path)
    try:
        request.touch()
    except OSError:  # a read-only directory: no run writes there either
        pass
    try:
        yield
    finally:
        request.unlink(missing_ok=True)


def reader_waiting(path: str | Path) -> bool:
    try:
        age = time.time() - read_request_path(path).stat().st_mtime
    except OSError:
        return False
    return age < READ_REQUEST_STALE_SECONDS


def let_reader_in(path: str | Path, longest: float = READ_WAIT_SECONDS) -> None:
    """Before a run opens the file again after letting go of it for a reader: wait (up to
    `longest`) until the reader has opened it (its request is gone); the run's own open
    then waits for the reader to close it."""
    deadline = time.monotonic() + longest
    while reader_waiting(path) and time.monotonic() < deadline:
        time.sleep(0.02)


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
        con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
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
    if applied and con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'dedup_config'").fetchone()[0]:
        # A migration may change dedup's paragraph tables: a new version of them makes a
        # process's in-memory index of them (tasks/dedup_index.py ParagraphIndex) read them again.
        con.execute("INSERT OR REPLACE INTO dedup_config VALUES (?, uuid()::VARCHAR)", [LINES_VERSION_KEY])
    return applied


def open_warehouse(path: str | Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    con = connect(path, memory_limit=memory_limit)
    migrate(con)
    return con


class _HeldFile:
    """A run's open DuckDB instance of one file, shared by the run's sessions (the
    read-ahead thread's lookups, the flow's commit): each session is a cursor of it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.sessions = 0


_HELD: dict[Path, _HeldFile] = {}
_HELD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Warehouse:
    """The warehouse as a run writes it. The run keeps the file open between batches
    (opening a DuckDB file and checkpointing it at close cost a second a batch on a large
    warehouse: bench/README.md) unless a reader (stats, query, export) asks for it: then
    it lets go at the end of the session in flight and opens again once the reader is in,
    so readers answer during a run. Migrations are not run here: a run checks them once,
    at its start. `held()` closes the file at the run's end."""

    path: Path
    memory_limit: str | None = None
    wait: float = 0.0  # seconds to wait for the file when a reader (or a crashed writer's exit) holds it

    def _held(self) -> _HeldFile:
        with _HELD_LOCK:
            return _HELD.setdefault(Path(self.path).resolve(), _HeldFile())

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        held = self._held()
        with held.lock:
            if held.con is None:
                let_reader_in(self.path)
                held.con = connect(self.path, memory_limit=self.memory_limit, wait=self.wait,
                                   hint="raise --wait (ZHNEWS_WAREHOUSE_WAIT), or pass another --db")
            held.sessions += 1
            con = held.con.cursor()
        try:
            yield con
        finally:
            con.close()
            with held.lock:
                held.sessions -= 1
                if held.sessions == 0 and reader_waiting(self.path):
                    held.con.close()  # the file is free for the reader until the next session
                    held.con = None

    @contextmanager
    def held(self) -> Iterator["Warehouse"]:
        """The run's hold on the file: closed when the run ends, however it ends."""
        try:
            yield self
        finally:
            held = self._held()
            with held.lock:
                if held.con is not None and held.sessions == 0:
                    held.con.close()
                    held.con = None


def lock_path(path: str | Path) -> Path:
    return Path(f"{path}.lock")


@contextmanager
def writer_lock(path: str | Path, wait: float) -> Iterator[None]:
    """The one writer of a warehouse: held for a whole run (the DuckDB file itself is let go
    when a reader asks: Warehouse). Another run waits up to `wait` seconds, then fails naming the holder. A POSIX
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
