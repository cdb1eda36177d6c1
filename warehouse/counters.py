"""A run's counters: pages per stage and what each cleaning rule removed, written once when
the run ends (the flow gathers them while it runs: flows/artifacts.RunMetrics)."""
from __future__ import annotations

from collections.abc import Sequence

import duckdb

from warehouse.db import rollback_after


def write_run_counters(con: duckdb.DuckDBPyConnection, run_id: str,
                       stages: Sequence[tuple[str, int, int, int, int, float]],
                       rules: Sequence[tuple[str, int, int]]) -> None:
    """The run's stage_counts rows, (stage, batches, pages_in, pages_out, rejected, seconds),
    and rule_hits rows, (rule, chars, pages), in one transaction; written again, they replace
    the run's earlier ones."""
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM stage_counts WHERE run_id = ?", [run_id])
        con.execute("DELETE FROM rule_hits WHERE run_id = ?", [run_id])
        if stages:
            con.executemany("INSERT INTO stage_counts VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [[run_id, *row] for row in stages])
        if rules:
            con.executemany("INSERT INTO rule_hits VALUES (?, ?, ?, ?)", [[run_id, *row] for row in rules])
        con.execute("COMMIT")
    except BaseException as exc:
        rollback_after(con, exc)
        raise
