"""Deduplication on a real DuckDB file: exact, near, cross-script, earliest kept with
re-pointing, upsert by canonical URL, site templates, threshold. Texts are built from the
sentences of seeds/texts/ (real Chinese news prose); stories never share a sentence."""
from __future__ import annotations

import hashlib
import os
import random
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest

from tasks import minhash
from tasks.dedup import (DedupConfig, article_id_for, canonical_url, dedup_key, deduplicate,
                         site_of)
from tasks.errors import ZhnewsError
from tasks.dedup_index import WarehouseIndex, ensure_banding
from tasks.load import load_batch
from tasks.models import Article, DedupedArticle
from tasks.normalise import normalise_articles, to_simplified, to_traditional
from tasks.settings import Settings
from warehouse.db import open_warehouse

SEED_TEXTS = Path(__file__).resolve().parent.parent / "seeds" / "texts"


@lru_cache(maxsize=1)
def sentences() -> list[str]:
    """Distinct Simplified sentences of the seed texts, in order."""
    seen: dict[str, None] = {}
    for file in sorted(SEED_TEXTS.glob("*.txt")):
        for part in re.split(r"(?<=[。！？!?])|\n", to_simplified(file.read_text(encoding="utf-8"))):
            part = part.strip()
            if len(re.findall(r"[\u4e00-\u9fff]", part)) >= 15 and "?" not in part:
                seen.setdefault(part)
    return list(seen)


def story(number: int, sentences_per_story: int = 10) -> str:
    """The number-th story: its own slice of seed sentences, three paragraphs."""
    start = number * sentences_per_story
    picked = sentences()[start:start + sentences_per_story]
    assert len(picked) == sentences_per_story, "not enough seed sentences for this story"
    third = len(picked) // 3
    return "\n".join("".join(p) for p in (picked[:third], picked[third:2 * third], picked[2 * third:]))


def edit_share(text: str, share: float, offset: int = 0, at: float = 0.5) -> str:
    """text with a contiguous run of about share of its characters rewritten (a passage
    reworded by the reposting site), centred at `at` (a fraction of the text). The new
    wording comes from seed sentences no story uses (from `offset` on)."""
    n = max(1, int(len(text) * share))
    start = max(0, min(len(text) - n, int(len(text) * at) - n // 2))
    replacement = "".join(sentences()[160:])[offset:offset + n]
    assert len(replacement) == n
    return text[:start] + replacement + text[start + n:]


def article(url: str, text: str, published_at: str | None = None) -> Article:
    return Article(url=url, text=text, title=None, published_at=published_at, source=None, author=None,
                   encoding="utf-8", input_hash=f"h-{hash((url, text))}")


def similarity(a: str, b: str) -> float:
    """True Jaccard similarity of two texts' 5-gram sets, as dedup sees them."""
    return minhash.true_jaccard(minhash.shingle_hashes(dedup_key(a)), minhash.shingle_hashes(dedup_key(b)))


def formula_story(frame: str, own: str, seed: int) -> str:
    """A story written to a formula (market wrap, bulletin): the formula's frame with new
    names and figures every 12-24 characters, then the story's own text."""
    slots, figures = random.Random(0), random.Random(seed)  # the formula's slots are fixed
    out, i = [], 0
    while i < len(frame):
        step = slots.randint(12, 24)
        out += [frame[i:i + step], str(figures.randint(10, 9999))]
        i += step + 2  # the figure takes the place of two characters of the frame
    return "".join(out) + "\n" + own


# The mechanism tests below build their texts around 0.8 (edits of a few percent);
# the default threshold's own tests pass DedupConfig() explicitly.
STRICT = DedupConfig(threshold=0.8)


class Warehouse:
    """A real DuckDB warehouse and the dedup → load steps the pipeline runs per batch."""

    def __init__(self, path: Path, config: DedupConfig = STRICT):
        self.con = open_warehouse(path)
        self.config = config
        ensure_banding(self.con, config.banding.bands, config.banding.rows, config.num_perm)

    def run(self, articles: list[Article], run_id: str = "run", script: str = "hans") -> list[DedupedArticle]:
        normalised = normalise_articles(articles, target=script).items
        deduped = deduplicate(normalised, WarehouseIndex(self.con), self.config)
        load_batch(self.con, deduped.items, deduped.rejections, run_id, dedup_writes=deduped.writes)
        return deduped.items

    def duplicate_of(self) -> dict[str, str | None]:
        return dict(self.con.execute("SELECT url, duplicate_of FROM articles").fetchall())

    def id_of(self, url: str) -> str:
        return article_id_for(url)

    def close(self) -> None:
        self.con.close()


@pytest.fixture
def warehouse(db_path: Path):
    w = Warehouse(db_path)
    yield w
    w.close()


def test_canonical_url_drops_tracking_and_fragment_keeps_meaningful_params():
    url = "HTTPS://News.Example.cn:443/a/2024/01.html?utm_source=wx&id=42&spm=a1.b2&from=timeline&page=2#comments"
    assert canonical_url(url) == "https://news.example.cn/a/2024/01.html?id=42&page=2"
    assert article_id_for(url) == article_id_for("https://news.example.cn/a/2024/01.html?page=2&id=42")
    assert article_id_for(url) != article_id_for("https://news.example.cn/a/2024/01.html?id=43&page=2")
    assert canonical_url("http://x.cn:8080/p?share_token=abc&isappinstalled=0") == "http://x.cn:8080/p"
    assert site_of("https://www.example.cn/x") == "example.cn"
    assert site_of("file:///tmp/a.txt") is None


def test_spellings_of_one_page_share_an_article_id():
    """courlan's normal form: a punycode or Unicode host, a raw or percent-encoded path,
    doubled slashes, user info: one page, one article_id."""
    page = "https://中国.cn/%E6%96%B0%E9%97%BB/2024/01.html?id=42"
    for spelling in ["https://xn--fiqs8s.cn/新闻/2024/01.html?id=42",
                     "https://user:secret@XN--FIQS8S.CN:443/新闻//2024/01.html?id=42&utm_medium=wx#top"]:
        assert canonical_url(spelling) == page
        assert article_id_for(spelling) == article_id_for(page)
    # Given as a string, courlan would read "&lt" in a path as "<"; the path is kept as written.
    assert canonical_url("http://x.cn/a&lt;b.html") == "http://x.cn/a%26lt%3Bb.html"


def test_parameters_that_name_pages_are_kept_where_courlan_would_drop_them():
    """courlan's own query cleaning drops cid=, gallery= and bare queries: different
    articles of Chinese sites would share one article_id."""
    for first, second in [("http://x.cn/show.php?cid=1001", "http://x.cn/show.php?cid=1002"),
                          ("http://x.cn/show.asp?12345", "http://x.cn/show.asp?12346"),
                          ("http://x.cn/photo.html?gallery=3", "http://x.cn/photo.html?gallery=4")]:
        assert article_id_for(first) != article_id_for(second)
    # courlan's unambiguous ad-click names are tracking parameters too.
    assert canonical_url("http://x.cn/a.html?id=1&gbraid=x&mtm_campaign=y") == "http://x.cn/a.html?id=1"


def test_article_ids_of_plain_urls_are_those_stored_before():
    """Stored articles keep their ids: for an ASCII URL without doubled slashes the
    canonical form, and so the id, is the one the hand-written canonicaliser gave."""
    stored = {"https://news.example.cn/a/2024/01.html?id=42&page=2": "https://news.example.cn/a/2024/01.html?id=42&page=2",
              "HTTP://Www.Example.CN:80/news/2024-03-01/c_1130.htm?spm=a&from=share": "http://www.example.cn/news/2024-03-01/c_1130.htm",
              "http://x.cn:8080/show.asp?12345": "http://x.cn:8080/show.asp?12345=",
              "http://x.cn": "http://x.cn/"}
    for url, canonical in stored.items():
        assert article_id_for(url) == hashlib.sha1(canonical.encode()).hexdigest()[:16]


def test_sites_are_registrable_domains_from_the_bundled_suffix_list(tmp_path: Path):
    """Each github.io user is a site; subdomains of one newspaper are one site. Read from
    the suffix list tldextract ships: no connection and no cache file (run where any
    connection fails and the cache directory is an empty temp dir)."""
    probe = """
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("no network in this test")
socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse
from tasks.dedup import site_of
print(" ".join(site_of(u) for u in sys.argv[1:]), f"connections={len(attempts)}")
"""
    urls = ["https://alice.github.io/2024/post.html", "https://bob.github.io/2024/post.html",
            "http://news.sina.com.cn/c/2024-03-01/doc-1.shtml", "http://finance.sina.com.cn/a.shtml",
            "https://www.bbc.co.uk/zhongwen/simp/a", "http://127.0.0.1:8080/a.html"]
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "XDG_CACHE_HOME": str(cache),
           "HOME": str(tmp_path), "TLDEXTRACT_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", probe, *urls], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["alice.github.io", "bob.github.io", "sina.com.cn", "sina.com.cn",
                                   "bbc.co.uk", "127.0.0.1", "connections=0"]
    assert list(cache.iterdir()) == []
    assert site_of("file:///tmp/a.txt") is None


def test_exact_repost_is_a_duplicate_and_unrelated_stories_are_not(warehouse: Warehouse):
    original, other = story(0), story(1)
    rows = warehouse.run([
        article("https://a.cn/1", original, "2024-03-01"),
        # Same words, other spacing and punctuation, full-width digits: the same content hash.
        article("https://b.cn/2", original.replace("，", ", ").replace("。", ".\n"), "2024-03-02"),
        article("https://c.cn/3", other, "2024-03-01"),
    ])
    assert rows[0].content_hash == rows[1].content_hash != rows[2].content_hash
    assert warehouse.duplicate_of() == {"https://a.cn/1": None, "https://b.cn/2": warehouse.id_of("https://a.cn/1"),
                                        "https://c.cn/3": None}


@pytest.mark.parametrize("share", [0.05, 0.08])
def test_near_duplicate_with_edited_sentence_is_linked(warehouse: Warehouse, share: float):
    original = story(2)
    edited = edit_share(original, share)
    assert dedup_key(edited) != dedup_key(original)
    assert similarity(original, edited) >= 0.8  # what the threshold promises to link
    warehouse.run([article("https://a.cn/1", original, "2024-03-01"),
                   article("https://b.cn/9", edited, "2024-03-02"),
                   article("https://c.cn/5", story(3), "2024-03-02")])
    assert warehouse.duplicate_of() == {"https://a.cn/1": None, "https://b.cn/9": warehouse.id_of("https://a.cn/1"),
                                        "https://c.cn/5": None}


@pytest.mark.parametrize("script", ["hans", "hant"])
def test_traditional_repost_of_simplified_article_is_linked(warehouse: Warehouse, script: str):
    simplified = story(4)
    traditional = to_traditional(edit_share(simplified, 0.04))
    assert to_simplified(traditional) != traditional  # really in the other script
    rows = warehouse.run([article("https://a.cn/s", simplified, "2024-03-01"),
                          article("https://tw.example.com/t", traditional, "2024-03-02")], script=script)
    assert rows[1].article.source_script == "hant"
    assert rows[1].duplicate_of == warehouse.id_of("https://a.cn/s")
    stored_text = warehouse.con.execute("SELECT text FROM articles WHERE url = 'https://tw.example.com/t'").fetchone()[0]
    assert (to_simplified(stored_text) == stored_text) == (script == "hans")  # output script as asked


def test_earliest_published_is_kept_and_an_earlier_newcomer_takes_over_the_cluster(warehouse: Warehouse):
    text = story(5)
    # Run 1: within one batch the earlier published wins although it comes second.
    warehouse.run([article("https://late.cn/1", edit_share(text, 0.03), "2024-05-03"),
                   article("https://mid.cn/1", text, "2024-05-02")], run_id="r1")
    mid, late = warehouse.id_of("https://mid.cn/1"), warehouse.id_of("https://late.cn/1")
    assert warehouse.duplicate_of() == {"https://mid.cn/1": None, "https://late.cn/1": mid}
    # Run 2: an even earlier copy arrives; the whole cluster re-points to it.
    warehouse.run([article("https://early.cn/1", edit_share(text, 0.05, offset=200), "2024-05-01")],
                  run_id="r2")
    early = warehouse.id_of("https://early.cn/1")
    assert warehouse.duplicate_of() == {"https://early.cn/1": None, "https://mid.cn/1": early,
                                        "https://late.cn/1": early}
    clusters = warehouse.con.execute("SELECT article_id, size, members FROM duplicate_clusters").fetchall()
    assert clusters == [(early, 3, [early, mid, late])]
    # Run 3: a later copy joins the cluster under the new kept article.
    warehouse.run([article("https://later.cn/1", text + "\n（完）", "2024-06-01")], run_id="r3")
    assert warehouse.duplicate_of()["https://later.cn/1"] == early


def test_an_article_matching_two_clusters_merges_them_under_the_earliest(warehouse: Warehouse):
    text = story(12)
    head_edit, tail_edit = edit_share(text, 0.07, at=0.15), edit_share(text, 0.07, offset=100, at=0.85)
    assert similarity(head_edit, tail_edit) < 0.8 <= min(similarity(text, head_edit), similarity(text, tail_edit))
    warehouse.run([article("https://a.cn/1", head_edit, "2024-05-02"),
                   article("https://b.cn/1", tail_edit, "2024-05-03")], run_id="r1")
    assert set(warehouse.duplicate_of().values()) == {None}  # two clusters so far
    warehouse.run([article("https://c.cn/1", text, "2024-05-01")], run_id="r2")
    kept = warehouse.id_of("https://c.cn/1")
    assert warehouse.duplicate_of() == {"https://a.cn/1": kept, "https://b.cn/1": kept, "https://c.cn/1": None}


def test_ties_in_published_date_go_to_the_first_ingested(warehouse: Warehouse):
    text = story(6)
    warehouse.run([article("https://first.cn/1", text, "2024-05-02")], run_id="r1")
    warehouse.run([article("https://second.cn/1", edit_share(text, 0.04), "2024-05-02")], run_id="r2")
    assert warehouse.duplicate_of()["https://second.cn/1"] == warehouse.id_of("https://first.cn/1")


def test_same_url_with_changed_text_updates_its_row(warehouse: Warehouse):
    url = "https://a.cn/news?id=7&utm_source=feed"
    warehouse.run([article(url, story(7), "2024-03-01")], run_id="r1")
    first = warehouse.con.execute("SELECT article_id, ingested_at, updated_at, text FROM articles").fetchall()
    warehouse.run([article(url, story(7), "2024-03-01")], run_id="r2")
    unchanged = warehouse.con.execute("SELECT article_id, ingested_at, updated_at, text FROM articles").fetchall()
    assert unchanged == first and first[0][2] is None  # same text: no update recorded
    warehouse.run([article(url, story(7) + "\n" + story(8), "2024-03-01")], run_id="r3")
    rows = warehouse.con.execute("SELECT article_id, ingested_at, updated_at, text, run_id FROM articles").fetchall()
    assert len(rows) == 1
    article_id, ingested_at, updated_at, text, run_id = rows[0]
    assert article_id == first[0][0] and ingested_at == first[0][1]
    assert updated_at is not None and updated_at > ingested_at
    assert story(8) in text and run_id == "r3"
    # Its stored sketch is the new text's: one signature row, bands of one article.
    assert warehouse.con.execute("SELECT count(*) FROM dedup_signatures").fetchone() == (1,)


def test_kept_article_seen_again_as_a_duplicate_takes_its_cluster_along(warehouse: Warehouse):
    text = story(13)
    earlier = edit_share(text, 0.08, offset=500, at=0.2)  # another site's copy, published first
    kept_before = edit_share(text, 0.06, offset=900, at=0.8)
    copy_of_kept = edit_share(kept_before, 0.02, offset=1200, at=0.5)
    # The kept page's first version is too far from the earlier copy; its corrected version
    # (the plain text) is near both it and the copy of the kept page.
    assert similarity(kept_before, earlier) < 0.8 and similarity(copy_of_kept, earlier) < 0.8
    assert min(similarity(text, earlier), similarity(text, copy_of_kept), similarity(kept_before, copy_of_kept)) >= 0.8
    warehouse.run([article("https://k.cn/1", kept_before, "2024-03-05"),
                   article("https://m.cn/1", copy_of_kept, "2024-03-06"),
                   article("https://r.cn/1", earlier, "2024-03-01")], run_id="r1")
    assert warehouse.duplicate_of() == {"https://k.cn/1": None, "https://m.cn/1": warehouse.id_of("https://k.cn/1"),
                                        "https://r.cn/1": None}
    warehouse.run([article("https://k.cn/1", text, "2024-03-05")], run_id="r2")
    first = warehouse.id_of("https://r.cn/1")
    assert warehouse.duplicate_of() == {"https://k.cn/1": first, "https://m.cn/1": first, "https://r.cn/1": None}
    chained = warehouse.con.execute("""SELECT count(*) FROM articles d JOIN articles k ON d.duplicate_of = k.article_id
                                       WHERE k.duplicate_of IS NOT NULL""").fetchone()
    assert chained == (0,)  # duplicate_of always names a kept article


def templated(site_header: str, body: str, site_footer: str) -> str:
    return f"{site_header}\n{body}\n{site_footer}"


def template_parts() -> tuple[str, str]:
    """A long site header and footer (navigation, notices): real seed prose too."""
    header = "\n".join(story(n, 6) for n in (20, 21))
    footer = "\n".join(story(n, 6) for n in (22, 23, 24))
    return header, footer


@pytest.mark.parametrize("across_runs", [False, True])
def test_different_stories_in_one_site_template_are_not_linked(warehouse: Warehouse, across_runs: bool):
    header, footer = template_parts()
    one = templated(header, story(9, 5), footer)
    two = templated(header, story(10, 5), footer)
    # The shared template makes the two pages look like one story by 5-gram Jaccard...
    assert similarity(one, two) >= 0.8
    pages = [article("https://www.site.cn/a/1.html", one, "2024-03-01"),
             article("https://www.site.cn/a/2.html", two, "2024-03-02")]
    if across_runs:
        warehouse.run(pages[:1], run_id="r1")
        warehouse.run(pages[1:], run_id="r2")
    else:
        warehouse.run(pages)
    # ...but they are two stories.
    assert set(warehouse.duplicate_of().values()) == {None}
    # A real repost of story one on another site is still found.
    warehouse.run([article("https://other.cn/x", "转载自某网\n" + story(9, 5), "2024-03-03")], run_id="r3")
    assert warehouse.duplicate_of()["https://other.cn/x"] == warehouse.id_of("https://www.site.cn/a/1.html")


def test_default_threshold_links_a_reworded_repost_but_not_another_story_of_one_formula(db_path: Path):
    w = Warehouse(db_path, DedupConfig())
    assert w.config.threshold == Settings().dedup_threshold
    original = story(13)
    # A fifth of the characters reworded in two passages, a source line and a paragraph
    # added, other punctuation, Traditional script: as far as the reposts go.
    repost = edit_share(edit_share(original, 0.1, at=0.25), 0.1, offset=400, at=0.75)
    repost = to_traditional("来源：某某网 记者王伟\n" + repost.replace("，", ",") + "\n" + story(15, 3))
    # Two different stories written to one formula share its frame, not their news.
    frame = story(14, 8)  # the frame is two thirds of each story
    first, second = formula_story(frame, story(0, 4), seed=1), formula_story(frame, story(1, 4), seed=2)
    assert similarity(original, repost) < 0.8  # missed at 0.8
    assert 0.15 < similarity(first, second) < w.config.threshold < similarity(original, repost)
    w.run([article("https://a.cn/1", original, "2024-03-01"), article("https://tw.b.com/2", repost, "2024-03-02"),
           article("https://c.cn/1", first, "2024-03-01"), article("https://c.cn/2", second, "2024-03-02")])
    assert w.duplicate_of() == {"https://a.cn/1": None, "https://tw.b.com/2": w.id_of("https://a.cn/1"),
                                "https://c.cn/1": None, "https://c.cn/2": None}
    w.close()


def test_threshold_is_configurable(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    original = story(11)
    edited = edit_share(original, 0.16)
    true = similarity(original, edited)
    assert 0.6 < true < 0.75
    pages = [article("https://a.cn/1", original, "2024-03-01"), article("https://b.cn/1", edited, "2024-03-02")]

    strict = Warehouse(db_path, DedupConfig(threshold=0.8))
    strict.run(pages)
    assert strict.duplicate_of()["https://b.cn/1"] is None
    strict.close()

    # The same warehouse at 0.6: stored bands are re-banded for the new threshold, and
    # the copy seen again now links to the article of the earlier run.
    loose = Warehouse(db_path, DedupConfig(threshold=0.6))
    assert loose.config.banding != strict.config.banding
    loose.run(pages[1:])
    assert loose.duplicate_of()["https://b.cn/1"] == loose.id_of("https://a.cn/1")
    loose.close()

    monkeypatch.setenv("ZHNEWS_DEDUP_THRESHOLD", "0.65")
    assert Settings().dedup_threshold == 0.65
    with pytest.raises(ZhnewsError, match="threshold"):
        DedupConfig(threshold=1.5)


def test_banding_is_chosen_for_the_threshold():
    for threshold in (0.4, 0.6, 0.8, 0.9):
        banding = minhash.banding_for(threshold, 128)
        assert banding.bands * banding.rows <= 128
        # Pairs at the threshold are nearly always candidates (misses cost more than the
        # verification of extra candidates), pairs far below it rarely.
        assert banding.candidate_probability(threshold) > 0.97
        assert banding.candidate_probability(threshold - 0.4) < 0.06
        assert banding.candidate_probability(threshold - 0.4) < banding.candidate_probability(threshold - 0.2)


def test_minhash_estimates_jaccard():
    texts = [dedup_key(story(n)) for n in range(12, 16)]
    pairs = [(t, edit_share(t, share)) for t in texts for share in (0.02, 0.1, 0.25)]
    pairs += [(texts[0], texts[1]), (texts[2], texts[3])]
    errors = []
    for a, b in pairs:
        ha, hb = minhash.shingle_hashes(a), minhash.shingle_hashes(b)
        est = minhash.similarity(minhash.signature(ha, 128), minhash.signature(hb, 128))
        errors.append(abs(est - minhash.true_jaccard(ha, hb)))
    # One standard deviation at J=0.5 with 128 slots is 0.044.
    assert max(errors) < 0.15 and sum(errors) / len(errors) < 0.06


def test_tracking_parameter_twins_are_one_article_and_a_rejection_each(warehouse: Warehouse):
    """URLs that differ only by tracking parameters name one page: the input stored first
    keeps the article, every other input is a rejection naming it, in a batch and across
    runs; a re-run changes nothing."""
    page = "https://a.cn/news?id=7"
    twins = [f"{page}&utm_source=feed", f"{page}&spm=a.b", f"{page}&from=timeline#top"]
    other = "https://a.cn/news?id=8"
    warehouse.run([article(url, story(7), "2024-03-01") for url in [page, *twins[:2]]]
                  + [article(other, story(8), "2024-03-02"), article(f"{other}&share_token=x", story(8), "2024-03-02")],
                  run_id="r1")
    warehouse.run([article(twins[2], story(7) + "\n" + story(9), "2024-03-01")], run_id="r2")

    def state():
        return (sorted(warehouse.con.execute("SELECT url, text FROM articles").fetchall()),
                sorted(warehouse.con.execute("SELECT url, stage, reason FROM rejections").fetchall()))
    articles, rejections = state()
    assert [url for url, _ in articles] == [page, other]
    assert dict(articles)[page] == story(7)  # a twin's different text did not replace the page
    assert rejections == sorted([(url, "dedup", f"same page as {page}") for url in twins]
                                + [(f"{other}&share_token=x", "dedup", f"same page as {other}")])
    # Again, in another order: the stored input keeps the page.
    warehouse.run([article(url, story(7), "2024-03-01") for url in [*reversed(twins), page]], run_id="r3")
    assert state() == (articles, rejections)
