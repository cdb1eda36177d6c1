"""Dedup's index on a real warehouse: its in-memory band lookup (tasks/dedup_index.py
BandIndex) answers what a join of dedup_bands answers, stays current as batches are
written by the same process, and never carries one warehouse's bands into another file
made at the same path."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from tasks.dedup_index import WarehouseIndex
from tests.test_dedup import Warehouse, article, story


def sharers_by_join(w: Warehouse, hashes: list[int]) -> list[tuple[int, str]]:
    """(probe position, article) pairs, by a plain join of the stored band rows."""
    return sorted(w.con.execute(
        """SELECT DISTINCT p.pos, b.article_id FROM (SELECT unnest(?) AS band_hash,
                  generate_subscripts(?, 1) - 1 AS pos) p JOIN dedup_bands b USING (band_hash)""",
        [hashes, hashes]).fetchall())


def sharers_by_index(w: Warehouse, hashes: list[int], exclude: list[str] = ()) -> list[tuple[int, str]]:
    found = WarehouseIndex(w.con).band_sharers(np.arange(len(hashes)), np.zeros(len(hashes), np.int64),
                                               np.array(hashes, dtype=np.int64), list(exclude))
    return sorted(zip(found.rows.tolist(), found.article_ids.tolist()))


def stored_hashes(w: Warehouse) -> list[int]:
    return [h for (h,) in w.con.execute("SELECT band_hash FROM dedup_bands ORDER BY seq, article_id, band").fetchall()]


def test_band_index_answers_as_the_join_and_follows_new_batches(db_path: Path):
    w = Warehouse(db_path)
    try:
        w.run([article(f"https://s{n}.cn/a.html", story(n), "2024-01-01") for n in range(3)], "run1")
        probe = stored_hashes(w)[::5] + [12345, -67890]
        first = sharers_by_index(w, probe)
        assert first == sharers_by_join(w, probe) and len({a for _, a in first}) == 3
        # A later batch of this process: the index reads only what was written since.
        w.run([article(f"https://s{n}.cn/a.html", story(n), "2024-01-01") for n in range(3, 6)], "run2")
        probe = stored_hashes(w)[::3]
        later = sharers_by_index(w, probe)
        assert later == sharers_by_join(w, probe) and len({a for _, a in later}) == 6
        excluded = sorted({a for _, a in later})[:2]
        assert sharers_by_index(w, probe, excluded) == [p for p in later if p[1] not in excluded]
    finally:
        w.close()


def test_another_warehouse_at_the_same_path_gets_its_own_band_index(db_path: Path):
    w = Warehouse(db_path)
    try:
        w.run([article(f"https://s{n}.cn/a.html", story(n), "2024-01-01") for n in range(4)], "run1")
        old_probe = stored_hashes(w)
        assert sharers_by_index(w, old_probe)
    finally:
        w.close()
    # Another warehouse, of the same banding and band numbers, put where the first was
    # (copied in, say): nothing tells this process's index but the warehouse's own id.
    other_path = db_path.with_name("other.duckdb")
    other = Warehouse(other_path)
    try:
        other.run([article("https://t.cn/b.html", story(7), "2024-01-01")], "run1")
    finally:
        other.close()
    for file in db_path.parent.glob(db_path.name + "*"):
        file.unlink()
    other_path.rename(db_path)
    w = Warehouse(db_path)
    try:
        probe = stored_hashes(w)
        assert sharers_by_index(w, old_probe) == []
        assert sharers_by_index(w, probe) == sharers_by_join(w, probe) != []
    finally:
        w.close()
