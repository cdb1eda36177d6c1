"""End to end through the CLI on seeds/ into a temporary DuckDB file."""
from __future__ import annotations

from collections import Counter

import duckdb

from tasks.clean import clean_pages
from tasks.decode import decode_pages
from tasks.extract import extract_pages
from tasks.normalise import to_simplified
from tasks.read import discover_inputs, read_files
from tasks.settings import SEEDS_DIR, Settings
from tests.conftest import run_cli


def test_ingest_seeds_end_to_end_and_rerun_changes_nothing(prefect_server, db_path):
    first = run_cli("ingest", "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    assert "articles loaded" in first.stdout

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        articles = con.execute("SELECT url, title, text FROM articles").fetchall()
        rejections = con.execute("SELECT url, stage, reason FROM rejections").fetchall()
        counts = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM rejections), (SELECT count(*) FROM runs)"
        ).fetchone()
    finally:
        con.close()

    texts = {url.rsplit("/", 1)[-1]: (title, text) for url, title, text in articles}
    seed_texts = [name for name in texts if name.endswith(".txt")]
    assert len(seed_texts) == 5  # one article per seed text
    for name, (title, text) in texts.items():
        assert title, f"{name} has no title"
        assert to_simplified(text) == text, f"{name} is not all Simplified"
        assert to_simplified(title) == title

    check_run_counters(db_path)

    second = run_cli("ingest", "--db", str(db_path))
    assert second.returncode == 0, second.stderr
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        again = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM rejections), (SELECT count(*) FROM runs)"
        ).fetchone()
    finally:
        con.close()
    assert again[:2] == counts[:2]
    assert again[2] == counts[2] + 1  # one more run recorded, nothing else changed
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (second_run,) = con.execute("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
        cleaned = con.execute("SELECT pages_in FROM stage_counts WHERE run_id = ? AND stage = 'clean'",
                              [second_run]).fetchall()
        second_hits = con.execute("SELECT count(*) FROM rule_hits WHERE run_id = ?", [second_run]).fetchone()[0]
    finally:
        con.close()
    assert cleaned in ([], [(0,)]) and second_hits == 0  # every input unchanged: nothing cleaned, no hits


def check_run_counters(db_path) -> None:
    """The first run's rule_hits are what the clean stage removes from the seeds, rule by rule
    (the stages run here in-process on the same files), and its stage_counts add up: each
    stage takes what the one before handed on, and every input is an article or a rejection."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (run_id, inputs, articles, rejected), = con.execute(
            "SELECT run_id, inputs, articles, rejections FROM runs").fetchall()
        stored = {rule: (chars, pages) for rule, chars, pages in con.execute(
            "SELECT rule, chars, pages FROM rule_hits WHERE run_id = ?", [run_id]).fetchall()}
        stages = {stage: (pages_in, pages_out, stage_rejected) for stage, pages_in, pages_out, stage_rejected in
                  con.execute("SELECT stage, pages_in, pages_out, rejected FROM stage_counts WHERE run_id = ?",
                              [run_id]).fetchall()}
        rejection_rows = con.execute("SELECT count(*) FROM rejections").fetchone()[0]
        article_rows = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()

    settings = Settings()
    refs = discover_inputs([SEEDS_DIR])
    pages = extract_pages(decode_pages(read_files(refs.items).items).items)
    cleaned = clean_pages(pages.items, settings.min_article_chars, settings.rule_warn_share)
    expected_chars, expected_pages = Counter(), Counter()
    for rule, hits in cleaned.rule_hits.items():
        expected_chars[rule] += hits.chars
        expected_pages[rule] += hits.pages
    assert sum(expected_chars.values()) > 500 and len(expected_chars) >= 10  # the seeds are noisy
    assert {rule: chars for rule, (chars, _) in stored.items()} == dict(expected_chars)
    assert {rule: pages for rule, (_, pages) in stored.items()} == dict(expected_pages)

    order = ["read", "decode", "extract", "clean", "normalise", "dedup"]
    assert order[0] in stages and all(stage in stages for stage in order)
    assert stages["read"][0] == inputs == article_rows + rejection_rows
    for before, after in zip(order, order[1:]):
        assert stages[after][0] == stages[before][1], (before, after)
    assert stages["clean"][0] == len(pages.items)
    assert sum(stages[stage][2] for stage in order) == rejected == rejection_rows
    assert stages["load"][1] == articles == article_rows

    shown = run_cli("query", f"select rule, chars from rule_hits where run_id = '{run_id}' order by rule",
                    "--db", str(db_path))
    assert shown.returncode == 0, shown.stderr
    for rule, (chars, _) in stored.items():
        assert rule in shown.stdout
