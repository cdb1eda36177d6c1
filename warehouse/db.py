"""Connections and migrations. The schema lives in warehouse/migrations/NNN_name.sql and is
applied in order, once, recorded in schema_migrations."""
from __future__ import annotations

import hashlib
import logging
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


def connect(path: str | Path, read_only: bool = False,
            memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a lock held by another process becomes one clear error.
    memory_limit (e.g. "512MB", Settings.duckdb_memory_limit) caps a writable connection's
    DuckDB instance; None keeps DuckDB's default."""
    path = Path(path)
    if read_only and not path.exists():
        raise ZhnewsError(f"no warehouse at {path}: run `zhnews ingest` first", stage="warehouse")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if read_only:
            return duckdb.connect(str(path), read_only=True)
        return _attach(path, memory_limit)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise ZhnewsError(
                f"the warehouse {path} is in use by another process; wait for it to finish "
                f"or pass another --db ({str(exc).splitlines()[0]})", stage="warehouse") from None
        raise ZhnewsError(f"cannot open the warehouse {path}: {exc}", stage="warehouse") from None


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
