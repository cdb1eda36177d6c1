"""Connections and migrations. The schema lives in warehouse/migrations/NNN_name.sql and is
applied in order, once, recorded in schema_migrations."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tasks.errors import ZhnewsError

MIGRATIONS = Path(__file__).parent / "migrations"


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a lock held by another process becomes one clear error."""
    path = Path(path)
    if read_only and not path.exists():
        raise ZhnewsError(f"no warehouse at {path}: run `zhnews ingest` first", stage="warehouse")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise ZhnewsError(
                f"the warehouse {path} is in use by another process; wait for it to finish "
                f"or pass another --db ({str(exc).splitlines()[0]})", stage="warehouse") from None
        raise ZhnewsError(f"cannot open the warehouse {path}: {exc}", stage="warehouse") from None


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
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def open_warehouse(path: str | Path) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    migrate(con)
    return con
