"""The loader's write path on a real DuckDB file: upserts of new and stored ids in one batch,
the dedup rows that go with an article, site paragraphs, and migration 004 of a warehouse
written under migration 003."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import warehouse.db as db
from tasks import load
from tasks.dedup import DedupConfig, article_id_for, planned_writes
from tasks.dedup_index import WarehouseIndex
from tasks.models import Article, DedupedArticle, DedupSketch, Rejection
from tests.test_dedup import Warehouse, article as dedup_article, edit_share, story
from warehouse.db import connect, open_warehouse

BANDS = 4


def row(n: int, text: str = "正文", site: str | None = "news.example.cn", lines: tuple[int, ...] = (),
        template: tuple[int, ...] = (), content_hash: str | None = None) -> DedupedArticle:
    url = f"https://news.example.cn/{n}.html"
    sketch = DedupSketch(site=site, signature=bytes([n % 256]) * 16, band_hashes=[n * 10 + b for b in range(BANDS)],
                         line_hashes=list(lines), template_hashes=list(template))
    return DedupedArticle(Article(url=url, text=text * 20, title=f"标题{n}", published_at="2024-05-01", source=None,
                                  author=None, encoding="utf-8", input_hash=f"in-{n}-{text}", source_script="hans"),
                          article_id=f"id-{n}", content_hash=content_hash or f"c-{n}-{text}", duplicate_of=None,
                          canonical_url=url, sketch=sketch)


def load_batch(con: duckdb.DuckDBPyConnection, rows: list[DedupedArticle], rejections: list[Rejection],
               run_id: str) -> load.LoadCounts:
    """The loader, given what dedup decides for these rows (site paragraphs, re-sketches)."""
    index = WarehouseIndex(con)
    keys = [(r.sketch.site, h) for r in rows if r.sketch and r.sketch.site for h in r.sketch.line_hashes]
    stored = index.site_lines([s for s, _ in keys], [h for _, h in keys]) if keys else {}
    return load.load_batch(con, rows, rejections, run_id,
                           dedup_writes=planned_writes(rows, stored, index, DedupConfig()))


def table(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall())


def sketch_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: table(con, f"SELECT * FROM {name}") for name in
            ("dedup_signatures", "dedup_bands", "dedup_lines", "dedup_site_lines")}


def test_batch_of_new_and_stored_ids_upserts_each_once(db_path: Path):
    con = open_warehouse(db_path)
    try:
        load_batch(con, [row(1), row(2)], [], "run1")
        first = dict(con.execute("SELECT article_id, ingested_at FROM articles").fetchall())
        # id-2 again with other text, id-3 new: one batch, both paths.
        load_batch(con, [row(2, "改写"), row(3)], [], "run2")
        rows = {r[0]: r[1:] for r in con.execute(
            "SELECT article_id, run_id, ingested_at, updated_at, text, content_hash FROM articles").fetchall()}
        bands = table(con, "SELECT article_id, count(*) FROM dedup_bands GROUP BY 1")
        signatures = table(con, "SELECT article_id, count(*) FROM dedup_signatures GROUP BY 1")
        # The same batch again changes nothing but run_id (idempotent).
        load_batch(con, [row(2, "改写"), row(3)], [], "run3")
        again = {r[0]: r[2:] for r in con.execute(
            "SELECT article_id, run_id, ingested_at, updated_at, text, content_hash FROM articles").fetchall()}
        counts = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
        bands_again = table(con, "SELECT article_id, count(*) FROM dedup_bands GROUP BY 1")
    finally:
        con.close()
    assert set(rows) == {"id-1", "id-2", "id-3"}
    assert rows["id-1"][:3] == ("run1", first["id-1"], None)
    run_id, ingested, updated, text, digest = rows["id-2"]
    assert (run_id, ingested, text, digest) == ("run2", first["id-2"], "改写" * 20, "c-2-改写")
    assert updated is not None and updated > ingested
    assert rows["id-3"][0] == "run2" and rows["id-3"][2] is None
    assert bands == [("id-1", BANDS), ("id-2", BANDS), ("id-3", BANDS)]
    assert signatures == [("id-1", 1), ("id-2", 1), ("id-3", 1)]
    assert counts == (3, 3)
    assert again == {i: r[1:] for i, r in rows.items()}
    assert bands_again == bands


def test_article_turned_rejection_takes_its_dedup_rows_and_can_come_back(db_path: Path):
    con = open_warehouse(db_path)
    try:
        load_batch(con, [row(1, lines=(11, 12)), row(2, lines=(21,))], [], "run1")
        load_batch(con, [], [Rejection(row(1).article.url, "clean", "not an article: too short", "in-x",
                                       retires=True)], "run2")
        after_rejection = sketch_rows(con)
        after_rejection["owners"] = table(con, """SELECT article_id FROM dedup_signatures UNION
                                                  SELECT article_id FROM dedup_bands UNION
                                                  SELECT article_id FROM dedup_lines""")
        articles = table(con, "SELECT article_id FROM articles")
        load_batch(con, [row(1, lines=(11, 12))], [], "run3")
        back = sketch_rows(con)
        rejections = table(con, "SELECT url FROM rejections")
    finally:
        con.close()
    assert articles == [("id-2",)]
    assert after_rejection["owners"] == [("id-2",)]
    # Site paragraphs are per site, not per article: they stay.
    assert len(after_rejection["dedup_site_lines"]) == 3
    assert len(back["dedup_signatures"]) == 2 and len(back["dedup_bands"]) == 2 * BANDS
    assert len(back["dedup_lines"]) == 3
    assert rejections == []


def test_site_paragraphs_become_template_on_another_story_and_follow_their_article(db_path: Path):
    con = open_warehouse(db_path)
    try:
        load_batch(con, [row(1, lines=(100, 200))], [], "run1")
        # Another story of the site prints paragraph 200: template now.
        load_batch(con, [row(2, lines=(200, 300))], [], "run2")
        marked = table(con, "SELECT line_hash, article_id, content_hash, template FROM dedup_site_lines")
        # Story 1 again with changed text: the paragraphs it owns follow its new content hash
        # (the same article is not another story, so 100 stays content).
        load_batch(con, [row(1, "改写", lines=(100, 200))], [], "run3")
        followed = table(con, "SELECT line_hash, article_id, content_hash, template FROM dedup_site_lines")
    finally:
        con.close()
    assert marked == [(100, "id-1", "c-1-正文", False), (200, "id-1", "c-1-正文", True),
                      (300, "id-2", "c-2-正文", False)]
    assert followed == [(100, "id-1", "c-1-改写", False), (200, "id-1", "c-1-改写", True),
                        (300, "id-2", "c-2-正文", False)]


def test_cursors_of_a_connection_see_the_warehouse(db_path: Path):
    con = open_warehouse(db_path)
    try:
        load_batch(con, [row(1)], [], "run1")
        cursor = con.cursor()
        try:
            assert cursor.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        finally:
            cursor.close()
    finally:
        con.close()
    reader = connect(db_path, read_only=True)
    try:
        assert reader.execute("SELECT article_id FROM articles").fetchall() == [("id-1",)]
    finally:
        reader.close()


def test_migration_004_keeps_a_003_warehouse_rows(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    every = db.migrations()
    up_to_003 = [m for m in every if m[0] <= 3]
    monkeypatch.setattr(db, "migrations", lambda: up_to_003)
    w = Warehouse(db_path)
    # Today's loader numbers band rows (009): give the 003 table that column while it
    # writes, and take it away before 004 (a 003 loader wrote the same rows without it).
    w.con.execute("CREATE SEQUENCE dedup_band_seq; ALTER TABLE dedup_bands ADD COLUMN seq BIGINT")
    try:
        texts = [story(n) for n in range(4)]
        w.run([dedup_article(f"https://a.example.cn/{n}.html", text, "2024-05-0" + str(n + 1))
               for n, text in enumerate(texts)], "run1")
        w.run([dedup_article("https://b.example.cn/repost.html", texts[0], "2024-05-09")], "run2")
        # What the loader before 004 left behind: the sketches of an article that became a rejection.
        w.con.execute("INSERT INTO dedup_signatures VALUES ('gone', '\\x00'::BLOB)")
        w.con.execute("INSERT INTO dedup_bands VALUES (0, 7, 'gone', nextval('dedup_band_seq'))")
        w.con.execute("INSERT INTO dedup_lines VALUES ('a.example.cn', 7, 'gone', 'c', false)")
        w.con.execute("INSERT INTO rejections VALUES ('https://c.example.cn/x', 'extract', 'not an article', 'r', now(), 'h')")
        before = {name: table(w.con, f"SELECT * FROM {name}") for name in
                  ("articles", "rejections", "runs", "dedup_config", "unique_articles", "duplicate_clusters")}
        before_sketches = sketch_rows(w.con)
        assert w.con.execute("SELECT max(version) FROM schema_migrations").fetchone() == (3,)
        w.con.execute("ALTER TABLE dedup_bands DROP COLUMN seq; DROP SEQUENCE dedup_band_seq")
        before_sketches["dedup_bands"] = [r[:3] for r in before_sketches["dedup_bands"]]
        # Today's loader versions the paragraph tables, and a migration gives them a new
        # version (dedup's in-memory index of them reads them again): compared apart.
        before_version = w.con.execute("SELECT value FROM dedup_config WHERE key = 'lines_version'").fetchone()
        before["dedup_config"] = [r for r in before["dedup_config"] if r[0] != "lines_version"]
    finally:
        w.close()
    monkeypatch.setattr(db, "migrations", lambda: [m for m in every if m[0] <= 4])
    con = open_warehouse(db_path)  # applies 004 (only: later ones add columns)
    monkeypatch.undo()
    try:
        after = {name: table(con, f"SELECT * FROM {name}") for name in before}
        after_version = con.execute("SELECT value FROM dedup_config WHERE key = 'lines_version'").fetchone()
        after["dedup_config"] = [r for r in after["dedup_config"] if r[0] != "lines_version"]
        after_sketches = sketch_rows(con)
        con.execute("CHECKPOINT")
        text_compression = {r[0] for r in con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('articles') WHERE column_name = 'text' "
            "AND segment_type = 'VARCHAR' AND compression <> 'Constant'").fetchall()}
        keys = table(con, "SELECT table_name, constraint_type FROM duckdb_constraints() "
                          "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO articles (article_id, url, text, content_hash) "
                        "SELECT article_id, url, text, content_hash FROM articles LIMIT 1")
        # The migrated warehouse takes the next run: the repost's cluster is found again.
    finally:
        con.close()
    w = Warehouse(db_path)
    try:
        deduped = w.run([dedup_article("https://d.example.cn/again.html", texts[1], "2024-05-10")], "run3")
        signatures = w.con.execute("SELECT count(*), count(DISTINCT article_id) FROM dedup_signatures").fetchone()
    finally:
        w.close()

    assert after == before and before_version is not None and after_version not in (None, before_version)
    assert all(len(before[name]) for name in ("articles", "unique_articles", "duplicate_clusters"))
    for name in ("dedup_signatures", "dedup_bands", "dedup_lines"):
        orphans = [r for r in before_sketches[name] if "gone" in r]
        assert len(orphans) == 1 and after_sketches[name] == [r for r in before_sketches[name] if "gone" not in r]
    assert after_sketches["dedup_site_lines"] == before_sketches["dedup_site_lines"]
    assert text_compression == {"ZSTD"}
    assert ("articles", "PRIMARY KEY") in keys
    assert not [k for k in keys if k[0] in ("dedup_signatures", "dedup_site_lines")]
    assert deduped[0].duplicate_of == w.id_of("https://a.example.cn/1.html")
    assert signatures[0] == signatures[1] == 6


def test_migration_009_upgrades_a_warehouse_of_the_schema_before_and_dedups_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A warehouse written before 009 (band rows without seq), upgraded, links the next
    run's reposts as a warehouse made at 009 does: its stored bands are found."""
    texts = [story(n) for n in range(5)]
    first = [dedup_article(f"https://a.example.cn/{n}.html", text, "2024-05-0" + str(n + 1))
             for n, text in enumerate(texts)]
    # A near copy (found through the stored band rows only) and an exact one.
    second = [dedup_article("https://b-news.cn/repost0.html", edit_share(texts[0], 0.02), "2024-05-09"),
              dedup_article("https://c-news.cn/early3.html", texts[3], "2024-04-01"),
              dedup_article("https://c-news.cn/new.html", story(9), "2024-05-09")]
    every = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: [m for m in every if m[0] < 9])
    old = Warehouse(tmp_path / "old.duckdb")
    # Today's loader numbers band rows: give the table that column while it writes, then take
    # it away (the loader before 009 wrote the same rows without it).
    old.con.execute("CREATE SEQUENCE dedup_band_seq; ALTER TABLE dedup_bands ADD COLUMN seq BIGINT")
    try:
        old.run(first, "run1")
        old.con.execute("ALTER TABLE dedup_bands DROP COLUMN seq; DROP SEQUENCE dedup_band_seq")
        assert old.con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] < 9
        bands_before = table(old.con, "SELECT * FROM dedup_bands")
    finally:
        old.close()
    monkeypatch.undo()
    upgraded = Warehouse(tmp_path / "old.duckdb")  # applies 009
    fresh = Warehouse(tmp_path / "fresh.duckdb")
    try:
        bands_after = table(upgraded.con, "SELECT band, band_hash, article_id FROM dedup_bands")
        seqs = upgraded.con.execute("SELECT min(seq), max(seq) FROM dedup_bands").fetchone()
        fresh.run(first, "run1")
        linked = [[(d.article_id, d.duplicate_of) for d in w.run(second, "run2")] for w in (upgraded, fresh)]
        clusters = [table(w.con, "SELECT article_id, duplicate_of FROM articles") for w in (upgraded, fresh)]
    finally:
        upgraded.close()
        fresh.close()
    assert bands_after == bands_before and seqs[1] < 0
    assert linked[0] == linked[1]
    ids = {a.url: article_id_for(a.url) for a in first + second}
    assert dict(linked[0])[ids["https://b-news.cn/repost0.html"]] == ids["https://a.example.cn/0.html"]
    # The earlier-published repost of story 3 took its cluster over: the stored one re-points.
    assert dict(clusters[0])[ids["https://a.example.cn/3.html"]] == ids["https://c-news.cn/early3.html"]
    assert clusters[0] == clusters[1]
