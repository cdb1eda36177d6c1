"""Deduplication across runs: a later run finds an earlier run's article through the band
hashes and signatures stored in DuckDB (not its text), directly and through real ingest
flow runs on the session's Prefect server."""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from tasks import minhash
from tasks.dedup import dedup_key, deduplicate
from tasks.dedup_index import WarehouseIndex
from tasks.normalise import normalise_articles, to_traditional
from tests.conftest import run_cli
from tests.test_dedup import Warehouse, article, edit_share, similarity, story


def test_second_run_finds_first_runs_article_through_stored_bands(db_path: Path):
    original = story(0)
    # Close enough that the estimate alone decides (estimates near the threshold are
    # checked against the texts: see the next test).
    repost = to_traditional(edit_share(original, 0.02))
    first = Warehouse(db_path)
    first.run([article("https://a.cn/1", original, "2024-03-01"),
               article("https://b.cn/1", story(1), "2024-03-01")], run_id="r1")
    # Blank the stored texts: what run 2 finds, it finds through the dedup tables alone.
    first.con.execute("UPDATE articles SET text = ''")
    stored_bands = first.con.execute(
        "SELECT count(*), count(DISTINCT article_id) FROM dedup_bands").fetchone()
    first.close()
    assert stored_bands == (2 * first.config.banding.bands, 2)

    second = Warehouse(db_path)
    normalised = normalise_articles([article("https://tw.example.com/9", repost, "2024-03-04")]).items
    index = WarehouseIndex(second.con)
    deduped = deduplicate(normalised, index, second.config).items
    # The repost shares at least one whole band with the stored article, and no band with
    # the unrelated one.
    bands = deduped[0].sketch.band_hashes
    sharers = index.band_sharers(np.zeros(len(bands), dtype=np.int64), np.arange(len(bands)),
                                 np.array(bands, dtype=np.int64), [])
    assert set(sharers.rows.tolist()) == {0}
    found = set(sharers.article_ids.tolist())
    assert found == {second.id_of("https://a.cn/1")}
    assert deduped[0].duplicate_of == second.id_of("https://a.cn/1")
    second.close()


def test_close_calls_within_a_batch_are_decided_by_true_similarity(db_path: Path):
    original = story(7)
    above, below = edit_share(original, 0.08), edit_share(original, 0.12, offset=300)
    # Both within 2.5 standard deviations of the 0.8 threshold: the estimate cannot tell.
    assert 0.8 <= similarity(original, above) < 0.86 and 0.74 < similarity(original, below) < 0.8
    for name, copy, linked in (("above", above, True), ("below", below, False)):
        w = Warehouse(db_path.with_name(f"{name}.duckdb"))
        w.run([article("https://a.cn/1", original, "2024-03-01"), article("https://b.cn/1", copy, "2024-03-02")])
        assert w.duplicate_of()["https://b.cn/1"] == (w.id_of("https://a.cn/1") if linked else None)
        w.close()


def test_duplicates_within_one_batch_and_against_earlier_runs_together(db_path: Path):
    w = Warehouse(db_path)
    w.run([article("https://a.cn/1", story(2), "2024-03-01")], run_id="r1")
    w.run([article("https://b.cn/1", story(3), "2024-03-02"),
           article("https://c.cn/1", edit_share(story(3), 0.05), "2024-03-03"),  # of b, same batch
           article("https://d.cn/1", to_traditional(story(2)), "2024-03-03")], run_id="r2")  # of a, run 1
    assert w.duplicate_of() == {"https://a.cn/1": None, "https://b.cn/1": None,
                                "https://c.cn/1": w.id_of("https://b.cn/1"),
                                "https://d.cn/1": w.id_of("https://a.cn/1")}
    w.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def duplicates(db_path: Path) -> dict[str, str | None]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute("""SELECT a.url, k.url FROM articles a LEFT JOIN articles k
                              ON k.article_id = a.duplicate_of""").fetchall()
    finally:
        con.close()
    return {Path(url).name: (Path(kept).name if kept else None) for url, kept in rows}


def test_ingest_runs_link_reposts_across_runs_and_scripts(prefect_server, db_path: Path, tmp_path: Path):
    original = story(4)
    loose_copy = edit_share(original, 0.16)
    assert 0.6 < similarity(original, loose_copy) < 0.8  # linked at 0.6, not at 0.8
    write(tmp_path / "run1" / "original.txt", original)
    write(tmp_path / "run2" / "traditional_repost.txt", to_traditional(edit_share(original, 0.05)))
    write(tmp_path / "run2" / "loose_copy.txt", loose_copy)
    write(tmp_path / "run2" / "unrelated.txt", story(5))

    first = run_cli("ingest", str(tmp_path / "run1"), "--db", str(db_path), "--dedup-threshold", "0.8")
    assert first.returncode == 0, first.stderr
    second = run_cli("ingest", str(tmp_path / "run2"), "--db", str(db_path), "--dedup-threshold", "0.8")
    assert second.returncode == 0, second.stderr
    assert duplicates(db_path) == {"original.txt": None, "traditional_repost.txt": "original.txt",
                                   "loose_copy.txt": None, "unrelated.txt": None}

    # The same inputs again at a lower threshold: the stored bands are re-banded for it and
    # the loose copy now joins the cluster; nothing else changes.
    third = run_cli("ingest", str(tmp_path / "run2"), "--db", str(db_path), "--force", "--dedup-threshold", "0.6")
    assert third.returncode == 0, third.stderr
    assert duplicates(db_path) == {"original.txt": None, "traditional_repost.txt": "original.txt",
                                   "loose_copy.txt": "original.txt", "unrelated.txt": None}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        clusters = con.execute("SELECT size FROM duplicate_clusters").fetchall()
        banding = con.execute("SELECT value FROM dedup_config WHERE key = 'banding'").fetchone()[0]
    finally:
        con.close()
    assert clusters == [(3,)]
    expected = minhash.banding_for(0.6, 128)
    assert banding == f"{expected.bands}x{expected.rows}/128"

    bad = run_cli("ingest", str(tmp_path / "run1"), "--db", str(db_path), "--dedup-threshold", "1.5")
    assert bad.returncode == 2
    assert "--dedup-threshold" in bad.stderr and "Traceback" not in bad.stderr


def test_signature_of_stored_article_matches_a_fresh_one(db_path: Path):
    """Signatures are stable across processes and runs (fixed seeds): what run 1 stored
    equals what run 2 computes for the same text."""
    w = Warehouse(db_path)
    w.run([article("https://a.cn/1", story(6), "2024-03-01")])
    stored = w.con.execute("SELECT signature FROM dedup_signatures").fetchone()[0]
    w.close()
    fresh = minhash.signature(minhash.shingle_hashes(dedup_key(story(6))), 128)
    assert np.array_equal(np.frombuffer(stored, dtype=np.uint32), fresh)
