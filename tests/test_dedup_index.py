"""Dedup's index on a real warehouse: its in-memory band lookup (tasks/dedup_index.py
BandIndex) answers what a join of dedup_bands answers, stays current as batches are
written by the same process, and never carries one warehouse's bands into another file
made at the same path."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa

from tasks.dedup import StoredLine, StoredSketch, deduplicate, keyed_paragraphs, tracked
from tasks.dedup_index import (DIRECTORY_MIN_ROWS, LINES_VERSION, ParagraphIndex, WarehouseIndex, band_index_for,
                               directory_of, last_band_seq, lines_version, lower_bounds, paragraph_index_for)
from tasks.load import load_batch
from tasks.models import Rejection
from tasks.normalise import normalise_articles
import warehouse.db as db
from tests.test_dedup import Warehouse, article, edit_share, story, template_parts, templated

ROOT = Path(__file__).resolve().parent.parent


def sharers_by_join(w: Warehouse, hashes: list[int]) -> list[tuple[int, str]]:
    """(probe position, article) pairs, by a plain join of the stored band rows."""
    return sorted(w.con.execute(
        """SELECT DISTINCT p.pos, b.article_id FROM (SELECT unnest(?) AS band_hash,
                  generate_subscripts(?, 1) - 1 AS pos) p JOIN dedup_bands b USING (band_hash)""",
        [hashes, hashes]).fetchall())


def sharers_by_index(w: Warehouse, hashes: list[int], exclude: list[str] = ()) -> list[tuple[int, str]]:
    found = WarehouseIndex(w.con).band_sharers(np.arange(len(hashes)), np.zeros(len(hashes), np.int64),
                                               np.array(hashes, dtype=np.int64), list(exclude))
    pairs = list(zip(found.article_ids.tolist(), found.rows.tolist()))
    assert pairs == sorted(set(pairs))  # distinct, ordered by stored article (stored_matches relies on it)
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


def test_a_directory_search_finds_what_a_whole_run_search_finds():
    rng = np.random.default_rng(5)
    lowest, highest = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    for rows in (DIRECTORY_MIN_ROWS, 5 * DIRECTORY_MIN_ROWS):
        # Hashes over the whole range, runs of equal ones, and the range's two ends.
        values = np.sort(np.concatenate([rng.integers(lowest, highest, rows, dtype=np.int64),
                                         np.repeat(rng.integers(-2**40, 2**40, 200), 6),
                                         np.full(30, lowest), np.full(30, highest)]))
        probe = np.concatenate([rng.integers(lowest, highest, 20_000, dtype=np.int64),
                                values[rng.integers(0, len(values), 5_000)], [lowest, highest, 0, -1]])
        assert directory_of(values) is not None
        assert np.array_equal(lower_bounds(values, probe, directory_of(values)),
                              np.searchsorted(values, probe, "left"))
    assert directory_of(np.arange(DIRECTORY_MIN_ROWS - 1)) is None  # small runs are searched whole


def test_the_band_index_takes_its_own_batches_in_without_reading_the_table(db_path: Path):
    w = Warehouse(db_path)
    try:
        w.run([article(f"https://s{n}.cn/a.html", story(n), "2024-01-01") for n in range(3)], "run1")
        index = band_index_for(w.con)
        w.run([article(f"https://s{n}.cn/a.html", story(n), "2024-01-01") for n in range(3, 6)], "run2")
        # The loader handed the batch's rows over after its commit: current without a query.
        assert index.seq == last_band_seq(w.con)
        probe = stored_hashes(w)
        assert sharers_by_index(w, probe) == sharers_by_join(w, probe)
        # So a row written past the loader and its sequence is not read (the index asks
        # the sequence, not the table, whether anything was written since).
        w.con.execute("INSERT INTO dedup_bands VALUES (0, 424242, 'past-the-loader', ?)", [index.seq + 1])
        assert sharers_by_index(w, [424242]) == []
        # A number the sequence handed out to a batch that rolled back: the next batch's
        # seq does not follow the index's, so the index reads the table instead.
        w.con.execute("BEGIN")
        w.con.execute("SELECT nextval('dedup_band_seq')").fetchall()
        w.con.execute("ROLLBACK")
        w.con.execute("DELETE FROM dedup_bands WHERE article_id = 'past-the-loader'")
        w.run([article(f"https://s{n}.cn/a.html", story(n), "2024-01-01") for n in range(6, 8)], "run3")
        assert index.seq < last_band_seq(w.con)
        probe = stored_hashes(w)
        assert sharers_by_index(w, probe) == sharers_by_join(w, probe)
        assert index.seq == last_band_seq(w.con) and len({a for _, a in sharers_by_index(w, probe)}) == 8
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


# The joins WarehouseIndex.site_lines and .stale_sketches made before the paragraph tables
# were held in memory: the reference the index must answer as.
def site_lines_by_join(con, sites: list[str], line_hashes: list[int]) -> dict[tuple[str, int], StoredLine]:
    con.register("probe_lines", pa.table({"site": sites, "line_hash": pa.array(line_hashes, pa.int64())}))
    try:
        rows = con.execute("""SELECT s.site, s.line_hash, s.article_id, s.content_hash, s.template
                              FROM (SELECT DISTINCT site, line_hash FROM probe_lines) p
                              JOIN dedup_site_lines s ON s.line_hash = p.line_hash WHERE s.site = p.site""").fetchall()
    finally:
        con.unregister("probe_lines")
    return {(site, h): StoredLine(a, c, t) for site, h, a, c, t in rows}


def stale_by_join(con, lines: list[tuple[str, int]], exclude_ids: list[str]) -> list[StoredSketch]:
    con.register("newly_template", pa.table({"site": [s for s, _ in lines],
                                             "line_hash": pa.array([h for _, h in lines], pa.int64())}))
    try:
        rows = con.execute("""
            WITH stale AS (
                SELECT DISTINCT l.article_id FROM newly_template n JOIN dedup_lines l ON l.line_hash = n.line_hash
                WHERE l.site = n.site AND NOT l.template AND l.article_id NOT IN (SELECT unnest(?)))
            SELECT a.article_id, a.content_hash, a.text, any_value(l.site),
                   coalesce(list(l.line_hash) FILTER (WHERE s.template), [])
            FROM stale JOIN articles a USING (article_id) JOIN dedup_lines l USING (article_id)
            JOIN dedup_site_lines s USING (site, line_hash)
            GROUP BY ALL ORDER BY a.article_id""", [exclude_ids]).fetchall()
    finally:
        con.unregister("newly_template")
    return [StoredSketch(a, c, text, site, set(template)) for a, c, text, site, template in rows]


def of_text(sketches: list[StoredSketch]) -> list[StoredSketch]:
    """The template paragraphs among those of the stored text (all that re-sketching uses)."""
    return [s._replace(template=s.template & set(tracked(keyed_paragraphs(s.text)[0]))) for s in sketches]


class JoinIndex(WarehouseIndex):
    """The warehouse lookups with the paragraph lookups made by the reference joins."""

    def site_lines(self, sites, line_hashes):
        return site_lines_by_join(self.con, sites, line_hashes)

    def stale_sketches(self, lines, exclude_ids):
        return stale_by_join(self.con, lines, exclude_ids)


class JoinWarehouse(Warehouse):
    def run(self, articles, run_id="run", script="hans"):
        normalised = normalise_articles(articles, target=script).items
        deduped = deduplicate(normalised, JoinIndex(self.con), self.config)
        load_batch(self.con, deduped.items, deduped.rejections, run_id, dedup_writes=deduped.writes)
        return deduped.items


def held_rows(index: ParagraphIndex) -> tuple[list[tuple], list[tuple]]:
    """Every row the in-memory index holds: (site paragraph rows, live article paragraph rows)."""
    sites = {number: site for site, number in index.site_numbers.items()}
    site_lines, lines = [], []
    for run in index.site_lines.runs:
        owners = run["owner"]
        site_lines += zip([sites[n] for n in index.owner_sites[owners].tolist()], run["line_hash"].tolist(),
                          index.owner_articles.get(owners), index.owner_contents.get(owners), run["template"].tolist())
    for run in index.lines.runs:
        live = ~index.dead[run["article"]]
        articles = run["article"][live]
        lines += zip([sites[n] for n in index.line_sites[articles].tolist()], run["line_hash"][live].tolist(),
                     index.line_articles.get(articles), run["template"][live].tolist())
    return sorted(site_lines), sorted(lines)


def table_rows(con) -> tuple[list[tuple], list[tuple]]:
    return (sorted(con.execute("SELECT site, line_hash, article_id, content_hash, template FROM dedup_site_lines").fetchall()),
            sorted(con.execute("SELECT site, line_hash, article_id, template FROM dedup_lines").fetchall()))


def site_batches() -> list[list]:
    """Batches on two sites with their templates: a site's first story (its template not
    yet known), a second story that makes the template known (the first is sketched
    again), a repost, the first story's page again with changed text, more stories."""
    header, footer = template_parts()
    other_header, other_footer = "\n".join(story(n, 6) for n in (25, 26)), story(27, 6)

    def page(site: str, n: int, text: str, day: int):
        return article(f"https://www.{site}/a/{n}.html", text, f"2024-03-{day:02d}")

    return [
        [page("one.cn", 1, templated(header, story(1, 5), footer), 1)],
        [page("one.cn", 2, templated(header, story(2, 5), footer), 2),
         page("two.cn", 1, templated(other_header, story(3, 5), other_footer), 2)],
        [page("two.cn", 2, templated(other_header, story(1, 5), other_footer), 3),  # story 1 again, on two.cn
         page("one.cn", 3, templated(header, story(4, 5), footer), 3)],
        [page("one.cn", 1, templated(header, edit_share(story(1, 5), 0.3), footer), 4),  # page 1 again, changed
         page("two.cn", 3, templated(other_header, story(5, 5), other_footer), 4)],
        [page("one.cn", 4, templated(header, story(6, 5), footer), 5),
         page("one.cn", 5, "另一家网站的页头\n" + story(7, 5), 5)],
    ]


def test_paragraph_index_holds_what_the_tables_hold_and_answers_as_the_joins(db_path: Path):
    w = Warehouse(db_path)
    try:
        flips = 0
        for number, batch in enumerate(site_batches()):
            before = site_lines_by_join(w.con, *zip(*w.con.execute(
                "SELECT site, line_hash FROM dedup_site_lines").fetchall())) if number else {}
            w.run(batch, f"run{number}")
            index = paragraph_index_for(w.con)
            assert held_rows(index) == table_rows(w.con)
            keys = w.con.execute("SELECT site, line_hash FROM dedup_lines UNION ALL SELECT 'nowhere.cn', 1").fetchall()
            sites, hashes = [s for s, _ in keys], [h for _, h in keys]
            assert WarehouseIndex(w.con).site_lines(sites, hashes) == site_lines_by_join(w.con, sites, hashes)
            flips += sum(1 for key, line in before.items() if line.template is False
                         and site_lines_by_join(w.con, [key[0]], [key[1]])[key].template)
            # Probed with every site paragraph: every article holding one not yet template.
            every = w.con.execute("SELECT site, line_hash FROM dedup_site_lines").fetchall()
            for exclude in ([], [w.id_of("https://www.one.cn/a/2.html")]):
                found = WarehouseIndex(w.con).stale_sketches(every + [("nowhere.cn", 1)], exclude)
                assert found == of_text(stale_by_join(w.con, every, exclude)) != []
        # Rows were inserted, template flipped, content hashes followed their article, an
        # article's rows were replaced: and nothing was read again from the tables.
        assert flips and index.version == lines_version(w.con)
        assert w.con.execute("SELECT count(*) FROM dedup_site_lines WHERE template").fetchone()[0]
        # A retired article's paragraph rows go, in memory too.
        gone = w.id_of("https://www.two.cn/a/2.html")
        load_batch(w.con, [], [Rejection("https://www.two.cn/a/2.html", "fetch", "HTTP 410", retires=True)], "run9")
        assert gone not in {r[2] for r in held_rows(index)[1]} and held_rows(index) == table_rows(w.con)
        assert index.version == lines_version(w.con)
    finally:
        w.close()


def test_a_stale_sketch_is_found_in_memory_as_by_the_join(db_path: Path):
    w = Warehouse(db_path)
    try:
        header, footer = template_parts()
        w.run([article("https://www.one.cn/a/1.html", templated(header, story(1, 5), footer), "2024-03-01")], "r1")
        # The header and footer are the first story's own paragraphs until another story has them.
        keys = w.con.execute("SELECT site, line_hash FROM dedup_lines").fetchall()
        assert not any(line.template for line in WarehouseIndex(w.con).site_lines(*map(list, zip(*keys))).values())
        found = WarehouseIndex(w.con).stale_sketches(keys, [])
        assert [s.article_id for s in found] == [w.id_of("https://www.one.cn/a/1.html")]
        assert found == of_text(stale_by_join(w.con, keys, []))
        assert WarehouseIndex(w.con).stale_sketches(keys, [found[0].article_id]) == []
    finally:
        w.close()


def test_another_process_writing_makes_the_index_read_the_tables_again(db_path: Path):
    w = Warehouse(db_path)
    header, footer = template_parts()
    try:
        w.run([article("https://www.one.cn/a/1.html", templated(header, story(1, 5), footer), "2024-03-01")], "r1")
        index = paragraph_index_for(w.con)
        held = held_rows(index)
        version = index.version
    finally:
        w.close()
    # Another process (the next run) writes a batch that makes the template known.
    script = ("import sys; from pathlib import Path; from tests.test_dedup import Warehouse, article, story, "
              "templated, template_parts\n"
              "header, footer = template_parts()\n"
              "w = Warehouse(Path(sys.argv[1]))\n"
              "w.run([article('https://www.one.cn/a/2.html', templated(header, story(2, 5), footer), '2024-03-02')], 'r2')\n"
              "w.close()\n")
    subprocess.run([sys.executable, "-c", script, str(db_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    w = Warehouse(db_path)
    try:
        assert lines_version(w.con) != version and held_rows(index) == held  # not seen yet
        keys = w.con.execute("SELECT site, line_hash FROM dedup_site_lines").fetchall()
        sites, hashes = [s for s, _ in keys], [h for _, h in keys]
        answer = WarehouseIndex(w.con).site_lines(sites, hashes)
        assert paragraph_index_for(w.con) is index and index.version == lines_version(w.con)
        assert held_rows(index) == table_rows(w.con) != held
        assert answer == site_lines_by_join(w.con, sites, hashes) and any(line.template for line in answer.values())
        # This process's next batch is taken in as written, from the version read.
        w.run([article("https://www.one.cn/a/3.html", templated(header, story(3, 5), footer), "2024-03-03")], "r3")
        assert index.version == lines_version(w.con) and held_rows(index) == table_rows(w.con)
    finally:
        w.close()


def test_a_migration_or_a_write_past_the_loader_makes_the_index_read_again(db_path: Path, tmp_path: Path,
                                                                          monkeypatch):
    w = Warehouse(db_path)
    try:
        w.run([article("https://www.one.cn/a/1.html", story(1), "2024-03-01")], "r1")
        index = paragraph_index_for(w.con)
        w.con.execute("INSERT INTO dedup_site_lines VALUES ('www.x.cn', 5, 'x', 'c', false)")
        assert WarehouseIndex(w.con).site_lines(["www.x.cn"], [5]) == {}  # nothing said the tables changed
        # A writer past the loader (bench/dedup.py's filler) gives them a new version.
        w.con.execute("INSERT OR REPLACE INTO dedup_config VALUES (?, uuid()::VARCHAR)", [LINES_VERSION])
        assert WarehouseIndex(w.con).site_lines(["www.x.cn"], [5]) == {("www.x.cn", 5): StoredLine("x", "c", False)}
    finally:
        w.close()
    # A migration that changes the paragraph tables: the migration runner versions them.
    migration = tmp_path / "099_test.sql"
    migration.write_text("UPDATE dedup_site_lines SET template = true WHERE site = 'www.x.cn';")
    every = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: [*every, (99, migration.stem, migration)])
    con = db.open_warehouse(db_path)
    try:
        assert WarehouseIndex(con).site_lines(["www.x.cn"], [5]) == {("www.x.cn", 5): StoredLine("x", "c", True)}
        assert paragraph_index_for(con) is index and held_rows(index) == table_rows(con)
    finally:
        con.close()


def test_dedup_with_the_paragraph_index_decides_as_with_the_joins(tmp_path: Path):
    """The same batches, deduplicated with the in-memory lookups and with the joins: the
    same links and the same rows in every dedup table."""
    results = []
    for name, kind in (("memory", Warehouse), ("joins", JoinWarehouse)):
        w = kind(tmp_path / f"{name}.duckdb")
        try:
            for number, batch in enumerate(site_batches()):
                w.run(batch, f"run{number}")
            results.append({table: sorted(w.con.execute(f"SELECT * EXCLUDE ({drop}) FROM {table}").fetchall())
                            for table, drop in (("articles", "ingested_at, updated_at, run_id"), ("dedup_lines", "site"),
                                                ("dedup_site_lines", "site"), ("dedup_signatures", "article_id"),
                                                ("dedup_bands", "seq"))})
        finally:
            w.close()
    memory, joins = results
    assert memory == joins
    assert any(r[-1] for r in memory["dedup_site_lines"]) and any(r[9] for r in memory["articles"])
