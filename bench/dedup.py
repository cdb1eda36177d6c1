"""Deduplication benchmark: quality, speed, memory and growth on a generated corpus.

    .venv/bin/python bench/dedup.py                 # 20,000 articles (5k, 10k, 20k runs)
    .venv/bin/python bench/dedup.py --docs 4000     # a quick look

The corpus: story families (an original and its reposts on other sites: a new site header
and footer, a source line, a paragraph dropped or added, 5-20% of the characters rewritten
in sentence-sized runs, punctuation changed, and four in ten converted to Traditional with
OpenCC) and unrelated single stories, a third of them written to one of 60 story formulas
(market wraps, bulletins: a frame of fixed sentences with new names and figures in its
slots, a third to two thirds of the story), every article wrapped in its site's template
(header and footer paragraphs shared by all the site's stories). Text is recombined from the words
of seeds/texts/ with random order, so unrelated stories share words but not passages.

It runs the pipeline's own code: normalise (not timed), then deduplicate + load_batch per
batch into a fresh DuckDB file (signatures, bands, paragraph hashes stored there), each size
in its own process so peak memory is that size's. Ratios are against numbers measured in
the same run (the 5k run; datasketch's signatures/s).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks import minhash  # noqa: E402
from tasks.dedup import DedupConfig, dedup_key, deduplicate  # noqa: E402
from tasks.dedup_index import LINES_VERSION, WarehouseIndex, band_seqs, ensure_banding, release_freed_memory  # noqa: E402
from tasks.load import load_batch  # noqa: E402
from tasks.models import Article  # noqa: E402
from tasks.normalise import normalise_articles, to_simplified, to_traditional  # noqa: E402
from tasks.settings import Settings  # noqa: E402
from warehouse.db import open_warehouse  # noqa: E402

SEED = 20240601
PUNCT_SWAPS = [("，", ","), ("。", "."), ("“", "\""), ("”", "\""), ("：", ":"), ("；", ";"), ("！", "!")]


@dataclass
class Doc:
    url: str
    text: str
    published_at: str
    family: int  # -1: a single story
    edit_share: float = 0.0
    body: str = ""  # the story as this site printed it, without the site template
    formula: int = -1  # a single story written to this story formula (-1: none)


@dataclass
class Corpus:
    docs: list[Doc] = field(default_factory=list)


class TextMaker:
    """Chinese-looking prose from the seeds' words (2-4 character pieces between punctuation),
    recombined at random: unrelated stories share words but not 5-character runs."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        pieces: set[str] = set()
        for file in sorted((ROOT / "seeds" / "texts").glob("*.txt")):
            for run in re.findall(r"[\u4e00-\u9fff]+", to_simplified(file.read_text(encoding="utf-8"))):
                for size in (2, 3, 4):
                    pieces.update(run[i:i + size] for i in range(0, len(run) - size + 1, size))
        self.words = sorted(pieces)
        self.names = [a + b for a in "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗" for b in "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"]

    def sentence(self, chars: int) -> str:
        out, length = [], 0
        while length < chars:
            word = self.rng.choice(self.words)
            out.append(word)
            length += len(word)
            if self.rng.random() < 0.12:
                out.append("，")
        if self.rng.random() < 0.2:
            out.insert(self.rng.randrange(len(out)), f"{self.rng.randint(2, 2024)}年")
        return "".join(out) + "。"

    def paragraph(self, chars: int) -> str:
        out = []
        while sum(map(len, out)) < chars:
            out.append(self.sentence(self.rng.randint(12, 40)))
        return "".join(out)

    def story(self, chars: int) -> list[str]:
        paragraphs = self.rng.randint(3, 7)
        return [self.paragraph(chars // paragraphs) for _ in range(paragraphs)]

    def name(self) -> str:
        return self.rng.choice(self.names)


def rewrite(text: str, share: float, maker: TextMaker, rng: random.Random) -> str:
    """Rewrite about share of text's characters in sentence-sized runs (8-30 characters)."""
    chars = list(text)
    budget = int(len(chars) * share)
    while budget > 0:
        size = min(budget, rng.randint(8, 30))
        start = rng.randrange(0, max(1, len(chars) - size))
        chars[start:start + size] = list(maker.sentence(size)[:size])
        budget -= size
    return "".join(chars)


def formula_sentence(sentence: str, rng: random.Random) -> list[str]:
    """A formula sentence cut into its fixed pieces: a slot (name, figure) every 10-30 characters."""
    pieces, i = [], 0
    while i < len(sentence):
        step = rng.randint(10, 30)
        pieces.append(sentence[i:i + step])
        i += step
    return pieces


def refill(pieces: list[str], maker: TextMaker, rng: random.Random) -> str:
    """A formula sentence with its slots filled anew."""
    slot = lambda: rng.choice([maker.name(), f"{rng.randint(1, 9999)}", f"{rng.uniform(0, 100):.2f}%"])  # noqa: E731
    return "".join(piece + slot() for piece in pieces)


class CorpusStream:
    """The corpus in chunks: site templates and story formulas are made once, then each
    chunk() is the next `size` articles (whole families, shuffled within the chunk: reposts
    often arrive before their original). Family numbers and URLs run on across chunks, so a
    million articles are generated a chunk at a time and never held at once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.maker = maker = TextMaker(rng)
        self.sites = [f"site{i:03d}.cn" for i in range(200)]
        # Site templates: 150 to 4,000 characters of navigation and notices around every story
        # (long ones make unrelated short stories of one site look alike on their full text).
        self.templates = {}
        for site in self.sites:
            size = rng.choice([150, 400, 1000, 2500, 4000])
            header = maker.story(size // 3)
            footer = maker.story(2 * size // 3)
            self.templates[site] = (header, footer)
        # Story formulas (market wraps, weather, bulletins): unrelated stories of one formula
        # repeat its skeleton sentences with other names and figures, beside their own text.
        # They are the hardest negatives: similar wording, different stories.
        self.formulas = [[formula_sentence(maker.sentence(rng.randint(20, 45)), rng)
                          for _ in range(rng.randint(8, 14))] for _ in range(60)]
        self.serial = 0
        self.family = 0

    def page(self, site: str, body: list[str]) -> str:
        header, footer = self.templates[site]
        return "\n".join([*header, *body, *footer])

    def formula_story(self, skeleton: list[str]) -> list[str]:
        maker, rng = self.maker, self.rng
        body = maker.story(rng.choice([300, 500, 800]))
        filled = [refill(sentence, maker, rng) for sentence in skeleton]
        # The skeleton is a third to two thirds of the story: interleave it with the story's own paragraphs.
        mixed = []
        for i, paragraph in enumerate(body):
            mixed.append(paragraph)
            mixed.append("".join(filled[i::len(body)]))
        return [p for p in mixed if p]

    def chunk(self, total: int) -> list[Doc]:
        maker, rng, sites = self.maker, self.rng, self.sites
        docs: list[Doc] = []

        def add(site: str, body: list[str], family: int, day: int, share: float = 0.0, formula: int = -1) -> None:
            self.serial += 1
            query = rng.choice(["", "", "?utm_source=weixin", "?spm=a2c4.1", "?id=%d" % self.serial])
            docs.append(Doc(f"https://{site}/news/{self.serial:06d}.html{query}", self.page(site, body),
                            f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}", family, share, "\n".join(body),
                            formula))

        while len(docs) < total:
            site = rng.choice(sites)
            day = rng.randrange(0, 300)
            body = maker.story(rng.choice([200, 400, 800, 1500, 2500]))
            if rng.random() < 0.45:  # a single story, one in three written to a formula
                if rng.random() < 1 / 3:
                    formula = rng.randrange(len(self.formulas))
                    add(site, self.formula_story(self.formulas[formula]), -1, day, formula=formula)
                else:
                    add(site, body, -1, day)
                continue
            family = self.family
            add(site, body, family, day)
            for _ in range(min(rng.randint(1, 5), total - len(docs))):
                repost = list(body)
                if len(repost) > 3 and rng.random() < 0.3:
                    del repost[rng.randrange(len(repost))]
                if rng.random() < 0.3:
                    repost.insert(rng.randrange(len(repost) + 1), maker.paragraph(rng.randint(40, 150)))
                share = rng.uniform(0.05, 0.20)
                repost = rewrite("\n".join(repost), share, maker, rng).split("\n")
                repost = [f"来源：{rng.choice(sites)[:-3]}网 记者{maker.name()}", *repost,
                          f"（责任编辑：{maker.name()}）"]
                other = rng.choice([s for s in sites if s != site])
                text = "\n".join(repost)
                for a, b in rng.sample(PUNCT_SWAPS, 3):
                    text = text.replace(a, b)
                if rng.random() < 0.4:
                    text = to_traditional(text)
                add(other, text.split("\n"), family, day + rng.randint(0, 5), share)
            self.family += 1
        docs = docs[:total]
        rng.shuffle(docs)
        return docs


def generate(total: int, rng: random.Random) -> Corpus:
    """The whole corpus at once (one chunk): for the sizes that fit in memory."""
    return Corpus(CorpusStream(rng).chunk(total))


def articles_of(docs: list[Doc]) -> list[Article]:
    return [Article(url=d.url, text=d.text, title=None, published_at=d.published_at, source=None,
                    author=None, encoding="utf-8", input_hash=d.url) for d in docs]


def run_pipeline(docs: list[Doc], config: DedupConfig, batch_size: int) -> dict:
    """normalise (untimed), then dedup + load per batch into a fresh DuckDB file."""
    normalised = normalise_articles(articles_of(docs)).items
    gc.collect()
    rss_before = reset_peak_rss()
    with tempfile.TemporaryDirectory() as tmp:
        con = open_warehouse(Path(tmp) / "bench.duckdb")
        ensure_banding(con, config.banding.bands, config.banding.rows, config.num_perm)
        dedup_s = load_s = 0.0
        cpu_start = time.process_time()
        for start in range(0, len(normalised), batch_size):
            batch = normalised[start:start + batch_size]
            t0 = time.perf_counter()
            deduped = deduplicate(batch, WarehouseIndex(con), config)
            t1 = time.perf_counter()
            load_batch(con, deduped.items, [], "bench", dedup_writes=deduped.writes)
            t2 = time.perf_counter()
            dedup_s += t1 - t0
            load_s += t2 - t1
        cpu_s = time.process_time() - cpu_start
        links = con.execute("SELECT url, coalesce(duplicate_of, article_id) FROM articles").fetchall()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).glob("bench.duckdb*"))
        con.close()
    return {"docs": len(docs), "dedup_s": dedup_s, "load_s": load_s, "cpu_s": cpu_s, "links": links,
            "peak_rss_mb": status_kb("VmHWM") / 1024, "rss_before_mb": rss_before / 1024,
            "db_mb": db_bytes / 2 ** 20}


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak_rss() -> int:
    """Current RSS in kB, after resetting the peak (VmHWM) so it counts from here."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # not Linux: the peak then includes corpus generation
    return status_kb("VmRSS")


def content_shingles(doc: Doc) -> set:
    return set(minhash.shingle_hashes(dedup_key(doc.body)).tolist())


def quality(docs: list[Doc], links: list[tuple[str, str]], threshold: float) -> dict:
    """Pair precision and recall of the clusters against the families."""
    cluster_of = dict(links)
    by_cluster: dict[str, list[Doc]] = {}
    for d in docs:
        by_cluster.setdefault(cluster_of[d.url], []).append(d)
    predicted = [(a, b) for members in by_cluster.values() for a, b in combinations(members, 2)]
    true_predicted = sum(1 for a, b in predicted if a.family == b.family != -1)
    families: dict[int, list[Doc]] = {}
    for d in docs:
        if d.family != -1:
            families.setdefault(d.family, []).append(d)
    true_pairs = [(a, b) for members in families.values() for a, b in combinations(members, 2)]
    found = [cluster_of[a.url] == cluster_of[b.url] for a, b in true_pairs]
    shingles = {d.url: content_shingles(d) for members in families.values() for d in members}

    def jaccard(a: Doc, b: Doc) -> float:
        sa, sb = shingles[a.url], shingles[b.url]
        return len(sa & sb) / len(sa | sb)

    similar = [(f, jaccard(a, b)) for (a, b), f in zip(true_pairs, found)]
    above = [f for f, j in similar if j >= threshold]
    buckets = {}
    for low, high in ((0.05, 0.10), (0.10, 0.15), (0.15, 0.201)):
        # Original-repost pairs by the repost's edited share.
        picked = [f for (a, b), f in zip(true_pairs, found)
                  if (a.edit_share == 0) != (b.edit_share == 0) and low <= max(a.edit_share, b.edit_share) < high]
        buckets[f"{low:.2f}-{min(high, 0.2):.2f}"] = (sum(picked) / len(picked) if picked else float("nan"), len(picked))
    return {"predicted_pairs": len(predicted), "true_pairs": len(true_pairs),
            "precision": true_predicted / len(predicted) if predicted else 1.0,
            "recall_families": sum(found) / len(found) if found else 1.0,
            "recall_at_threshold": sum(above) / len(above) if above else 1.0, "pairs_at_threshold": len(above),
            "by_edit": buckets}


def separation(docs: list[Doc], sample: int = 4000) -> dict[str, list[float]]:
    """True Jaccard of the stories' 5-grams (site templates left out, as dedup leaves them
    out) for pairs that are one story and for the most alike pairs that are not: unrelated
    stories written to one formula. The threshold has to fall between the two."""
    picked = docs[:sample]
    keys = {d.url: set(minhash.shingle_hashes(dedup_key(d.body)).tolist()) for d in picked
            if d.family != -1 or d.formula != -1}

    def jaccard(a: Doc, b: Doc) -> float:
        sa, sb = keys[a.url], keys[b.url]
        return len(sa & sb) / len(sa | sb)

    groups: dict[tuple[str, int], list[Doc]] = {}
    for d in picked:
        if d.family != -1:
            groups.setdefault(("family", d.family), []).append(d)
        elif d.formula != -1:
            groups.setdefault(("formula", d.formula), []).append(d)
    out: dict[str, list[float]] = {"original/repost": [], "repost/repost": [], "one formula, unrelated": []}
    for (kind, _), members in groups.items():
        for a, b in combinations(members, 2):
            if kind == "formula":
                out["one formula, unrelated"].append(jaccard(a, b))
            elif (a.edit_share == 0) != (b.edit_share == 0):
                out["original/repost"].append(jaccard(a, b))
            else:
                out["repost/repost"].append(jaccard(a, b))
    return out


def template_pressure(docs: list[Doc], threshold: float, sample: int = 3000) -> tuple[int, int]:
    """Unrelated same-site pairs whose full texts (template included) reach the threshold:
    what template removal has to keep apart."""
    by_site: dict[str, list[Doc]] = {}
    for d in docs[:sample]:
        by_site.setdefault(d.url.split("/")[2], []).append(d)
    pairs = hits = 0
    for members in by_site.values():
        keys = [set(minhash.shingle_hashes(dedup_key(d.text)).tolist()) for d in members]
        for (a, ka), (b, kb) in combinations(zip(members, keys), 2):
            if a.family == b.family != -1:
                continue
            pairs += 1
            hits += len(ka & kb) / len(ka | kb) >= threshold
    return pairs, hits


def library_speed(docs: list[Doc], num_perm: int) -> list[tuple[str, float, float | None]]:
    """Signatures per second of the same keys, and mean |estimate - true Jaccard| on
    original/repost pairs, for each MinHash implementation available."""
    keys = [dedup_key(to_simplified(d.text)) for d in docs]
    hashes = [minhash.shingle_hashes(k) for k in keys]
    results = []

    def measure(name, make, estimate):
        t0 = time.perf_counter()
        sigs = make()
        rate = len(keys) / (time.perf_counter() - t0)
        results.append((name, rate, accuracy(sigs, estimate)))

    pairs = [(i, j) for i, j in combinations(range(len(docs)), 2)
             if docs[i].family == docs[j].family != -1][:400]
    truth = [minhash.true_jaccard(hashes[i], hashes[j]) for i, j in pairs]

    def accuracy(sigs, estimate):
        return sum(abs(estimate(sigs[i], sigs[j]) - t) for (i, j), t in zip(pairs, truth)) / len(pairs)

    measure("zhnews NumPy one-permutation (tasks/minhash.py)",
            lambda: [minhash.signature(minhash.shingle_hashes(k), num_perm) for k in keys], minhash.similarity)
    try:
        import datasketch

        def datasketch_sigs():
            out = []
            for k in keys:
                m = datasketch.MinHash(num_perm=num_perm, seed=1)
                m.update_batch([k[i:i + 5].encode() for i in range(len(k) - 4)])
                out.append(m)
            return out
        measure("datasketch MinHash (update_batch)", datasketch_sigs, lambda a, b: a.jaccard(b))
    except ImportError:
        results.append(("datasketch: not installed", 0.0, None))
    try:
        import numpy as np
        import rensa

        def rensa_tokens():
            return [np.array(r) for r in rensa.RMinHash.digests_from_token_sets(
                [[k[i:i + 5] for i in range(len(k) - 4)] for k in keys], num_perm, 1)]

        def rensa_flat():  # our NumPy 5-gram hashing (timed too), rensa's Rust MinHash
            fresh = [minhash.shingle_hashes(k) for k in keys]
            offsets = np.cumsum([0] + [len(h) for h in fresh]).astype(np.uint64)
            flat = np.concatenate(fresh)
            matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, num_perm, 1)
            return [np.asarray(row, dtype=np.uint32) for row in matrix.to_rows()]
        measure("rensa RMinHash (Python 5-gram strings)", rensa_tokens, minhash.similarity)
        try:
            measure("rensa RMinHash (flat NumPy 5-gram hashes)", rensa_flat, minhash.similarity)
        except Exception as exc:  # API differences between rensa versions
            results.append((f"rensa flat: {type(exc).__name__}", 0.0, None))
    except ImportError:
        results.append(("rensa: not installed", 0.0, None))
    return results


IN_MEMORY_DOCS = 20_000  # the corpus statistics, library comparison and sweep use the first ones
STREAM_CHUNK = 10_000  # articles generated (and held) at a time in the streamed run
FILLED_DOCS = 10_000  # real articles streamed on top of the filler (--at)
STREAM_WINDOW = 5_000  # a checkpoint's cost: the articles deduplicated and loaded just before it


class TimedIndex(WarehouseIndex):
    """The warehouse lookups dedup makes, each timed (what grows with the stored articles)."""

    LOOKUPS = ("kept_by_hash", "clusters_of", "band_sharers", "signatures_of", "site_lines", "stale_sketches",
               "stored_urls")

    def __init__(self, con, seconds: dict[str, float]):
        super().__init__(con)
        self.seconds = seconds

    def __getattribute__(self, name):
        value = super().__getattribute__(name)
        if name in TimedIndex.LOOKUPS:
            seconds = super().__getattribute__("seconds")

            def timed(*args, **kwargs):
                t0 = time.perf_counter()
                try:
                    return value(*args, **kwargs)
                finally:
                    seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t0
            return timed
        return value


class TimedConnection:
    """The loader's connection with each statement it executes timed, by statement (its first
    words): which of the loader's joins grows with the warehouse."""

    def __init__(self, con, seconds: dict[str, float]):
        self._con, self._seconds = con, seconds

    def __getattr__(self, name):
        return getattr(self._con, name)

    def _timed(self, method, sql, *args):
        label = " ".join(sql.split())[:48]
        t0 = time.perf_counter()
        try:
            return method(sql, *args)
        finally:
            self._seconds[label] = self._seconds.get(label, 0.0) + time.perf_counter() - t0

    def execute(self, sql, *args):
        return self._timed(self._con.execute, sql, *args)

    def executemany(self, sql, *args):
        return self._timed(self._con.executemany, sql, *args)


def serial_of_url(url: str) -> int:
    return int(url.split("/news/")[1][:url.split("/news/")[1].index(".")])


def stream_quality(con, families: "np.ndarray") -> tuple[float, float, int, int]:
    """(precision, recall, linked pairs, family pairs) of the stored clusters against the
    families, computed in DuckDB: pairs in one cluster vs pairs in one family."""
    import numpy as np
    import pyarrow as pa

    truth = pa.table({"serial": pa.array(np.arange(len(families), dtype=np.int32)),
                      "family": pa.array(families)})
    con.register("bench_truth", truth)
    try:
        predicted, true_predicted, true_pairs = con.execute("""
            WITH a AS (SELECT t.family, coalesce(duplicate_of, article_id) AS cluster FROM articles
                       JOIN bench_truth t ON t.serial = TRY_CAST(regexp_extract(url, '/news/([0-9]+)[.]', 1) AS INTEGER)),
                 clusters AS (SELECT count(*) AS n FROM a GROUP BY cluster),
                 found AS (SELECT count(*) AS n FROM a WHERE family <> -1 GROUP BY cluster, family),
                 fams AS (SELECT count(*) AS n FROM a WHERE family <> -1 GROUP BY family)
            SELECT (SELECT sum(n * (n - 1) // 2) FROM clusters), (SELECT sum(n * (n - 1) // 2) FROM found),
                   (SELECT sum(n * (n - 1) // 2) FROM fams)""").fetchall()[0]
    finally:
        con.unregister("bench_truth")
    predicted, true_predicted, true_pairs = int(predicted or 0), int(true_predicted or 0), int(true_pairs or 0)
    return (true_predicted / predicted if predicted else 1.0, true_predicted / true_pairs if true_pairs else 1.0,
            predicted, true_pairs)


def stream_checkpoints(docs: int) -> list[int]:
    marks = [n for n in (10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000) if n < docs]
    return [*marks, docs]


FILL_BANDS = 32  # as the default threshold's banding (checked against it)
FILL_LINES = 12  # tracked paragraphs an article of the corpus has, about


def fill_warehouse(con, count: int, bands: int, num_perm: int, seed: int = 7) -> float:
    """Store `count` unrelated filler articles with the sketches dedup keeps (a signature,
    `bands` band hashes, FILL_LINES paragraph hashes on one of the corpus' 200 sites), in
    chunks, through the loader's own tables: what a warehouse of that many articles makes each
    lookup and join scan. Their texts are short (the file is smaller than a real one's); their
    hashes random, so they are never a real article's candidates. Returns the seconds taken."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    for start in range(0, count, 50_000):
        n = min(50_000, count - start)
        ids = np.array([f"z{i:015x}" for i in range(start, start + n)], dtype=object)
        sites = np.array([f"site{i % 200:03d}.cn" for i in range(start, start + n)], dtype=object)
        tables = {
            "articles": pa.table({
                "article_id": ids, "url": [f"https://filler.example.cn/{i}.html" for i in range(start, start + n)],
                "published_at": [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(start, start + n)],
                "text": [f"填充{i}" for i in range(start, start + n)],
                "content_hash": [f"{i:040x}" for i in range(start, start + n)],
                "canonical_url": [f"https://filler.example.cn/{i}.html" for i in range(start, start + n)],
                "run_id": ["fill"] * n, "chars": pa.array(np.full(n, 3000, np.int32))}),
            "dedup_signatures": pa.table({
                "article_id": ids, "signature": pa.array([rng.bytes(4 * num_perm) for _ in range(n)], pa.binary())}),
            "dedup_bands": pa.table({
                "band": np.tile(np.arange(bands, dtype=np.int16), n),
                "band_hash": rng.integers(-2**62, 2**62, n * bands), "article_id": np.repeat(ids, bands),
                "seq": np.repeat(band_seqs(con, 1, 1), n * bands)}),
        }
        lines = rng.integers(-2**62, 2**62, n * FILL_LINES)
        tables["dedup_lines"] = pa.table({
            "site": np.repeat(sites, FILL_LINES), "line_hash": lines, "article_id": np.repeat(ids, FILL_LINES),
            "content_hash": np.repeat(np.array(tables["articles"]["content_hash"].to_pylist(), dtype=object),
                                      FILL_LINES), "template": np.zeros(n * FILL_LINES, bool)})
        tables["dedup_site_lines"] = tables["dedup_lines"]
        con.execute("BEGIN")
        for name, table in tables.items():
            con.register("fill", table)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM fill")
            con.unregister("fill")
        con.execute("COMMIT")
    # Written past the loader: a new version of the paragraph tables (dedup's index reads them again).
    con.execute("INSERT OR REPLACE INTO dedup_config VALUES (?, uuid()::VARCHAR)", [LINES_VERSION])
    con.execute("CHECKPOINT")
    return time.perf_counter() - started


def streamed(args: argparse.Namespace) -> None:
    """Dedup + load of args.docs articles into one warehouse, generated STREAM_CHUNK at a time
    (normalised untimed, as in run_pipeline). At each checkpoint: seconds per 1,000 articles
    over the last STREAM_WINDOW articles (dedup against about that many stored), split into
    dedup's warehouse lookups, the rest of dedup, and the loader's statements; RSS; the
    DuckDB file's size; precision and recall so far."""
    import numpy as np

    config = DedupConfig(args.threshold, Settings().dedup_num_perm)
    stream = CorpusStream(random.Random(SEED))
    checkpoints = stream_checkpoints(args.docs)
    families = np.empty(0, dtype=np.int32)
    tmp = Path(args.stream_dir or tempfile.mkdtemp(prefix="zhnews-dedup-"))
    path = tmp / "stream.duckdb"
    con = open_warehouse(path, Settings().duckdb_memory_limit)  # as the pipeline opens it
    ensure_banding(con, config.banding.bands, config.banding.rows, config.num_perm)
    filled = 0
    if args.fill:
        seconds = fill_warehouse(con, args.fill, config.banding.bands, config.num_perm)
        filled = args.fill
        # The filler is the bench's, not the pipeline's: peak memory counts from here (the
        # run's first batch reads the filled tables into dedup's in-memory indexes).
        print(f"filled with {args.fill} unrelated stored articles (sketches only, short texts) in {seconds:.0f} s; "
              f"peak RSS while filling {status_kb('VmHWM') / 1024:.0f} MB, counted from here on",
              flush=True)
        release_freed_memory()  # what the filler's Arrow tables freed, kept by the allocators
        reset_peak_rss()
    lookups: dict[str, float] = {}
    statements: dict[str, float] = {}
    index = TimedIndex(con, lookups)
    timed_con = TimedConnection(con, statements)
    window: list[tuple] = []  # per batch: articles, dedup s, load s, CPU s, lookups, statements
    stored, since_mark, first_cost, first_cpu, started = 0, 0, None, None, time.perf_counter()
    print(f"streamed: {args.docs} articles in chunks of {STREAM_CHUNK}, batches of {args.batch_size}, one warehouse "
          f"({path}); cost at N = seconds (wall, and CPU of this process: the machine is shared) per 1,000 articles over the {STREAM_WINDOW} before N; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"  {'stored':>9} {'s/1k':>6} {'x10k':>5} {'CPU/1k':>6} {'x10k':>5} {'dedup':>6} {'lookups':>7} {'bands':>6} {'load':>6} "
          f"{'RSS MB':>7} {'peak':>6} {'DB MB':>7} {'precision':>9} {'recall':>7} {'wall s':>7} {'load avg':>8}",
          flush=True)
    results = []
    while stored < args.docs:
        docs = stream.chunk(min(STREAM_CHUNK, args.docs - stored))
        top = max(serial_of_url(d.url) for d in docs)
        if top >= len(families):
            families = np.concatenate([families, np.full(top + 1 - len(families) + STREAM_CHUNK, -2, np.int32)])
        for d in docs:
            families[serial_of_url(d.url)] = d.family
        normalised = normalise_articles(articles_of(docs)).items
        del docs
        for start in range(0, len(normalised), args.batch_size):
            batch = normalised[start:start + args.batch_size]
            before_l, before_s = dict(lookups), dict(statements)
            c0 = time.process_time()
            t0 = time.perf_counter()
            deduped = deduplicate(batch, index, config)
            t1 = time.perf_counter()
            load_batch(timed_con, deduped.items, [], "bench", dedup_writes=deduped.writes)
            t2 = time.perf_counter()
            window.append((len(batch), t1 - t0, t2 - t1, time.process_time() - c0,
                           {k: v - before_l.get(k, 0.0) for k, v in lookups.items()},
                           {k: v - before_s.get(k, 0.0) for k, v in statements.items()}))
            stored += len(batch)
            since_mark += len(batch)
            if checkpoints and stored >= checkpoints[0]:
                mark = checkpoints.pop(0)
                recent, count = [], 0
                for entry in reversed(window):
                    if count >= STREAM_WINDOW:
                        break
                    recent.append(entry)
                    count += entry[0]
                window.clear()
                per_k = 1000 / count
                dedup_s = sum(e[1] for e in recent) * per_k
                load_s = sum(e[2] for e in recent) * per_k
                lookup_s = {k: sum(e[4].get(k, 0.0) for e in recent) * per_k for k in TimedIndex.LOOKUPS}
                statement_s: dict[str, float] = {}
                for e in recent:
                    for k, v in e[5].items():
                        statement_s[k] = statement_s.get(k, 0.0) + v * per_k
                # The checkpoint of what was written since the last mark, counted in the
                # window's cost: the loader's commits leave it to DuckDB's threshold, which
                # a window may not reach (warehouse/db.py CHECKPOINT_THRESHOLD).
                c0, t0 = time.process_time(), time.perf_counter()
                con.execute("CHECKPOINT")
                per_written = 1000 / since_mark  # the checkpoint wrote every batch since the last mark
                checkpoint_s = (time.perf_counter() - t0) * per_written
                checkpoint_cpu = (time.process_time() - c0) * per_written
                since_mark = 0
                statement_s["CHECKPOINT at the mark"] = checkpoint_s
                load_s += checkpoint_s
                cost = dedup_s + load_s
                cpu = sum(e[3] for e in recent) * per_k + checkpoint_cpu
                first_cost = first_cost or cost
                first_cpu = first_cpu or cpu
                db_mb = sum(p.stat().st_size for p in tmp.glob("stream.duckdb*")) / 2**20
                precision, recall, linked, pairs = stream_quality(con, families)
                row = {"stored": stored + filled, "cost": cost, "cpu": cpu, "dedup": dedup_s, "load": load_s, "lookups": lookup_s,
                       "statements": statement_s, "rss_mb": status_kb("VmRSS") / 1024,
                       "peak_rss_mb": status_kb("VmHWM") / 1024, "db_mb": db_mb, "precision": precision,
                       "recall": recall, "linked": linked, "pairs": pairs}
                results.append(row)
                print(f"  {stored + filled:>9} {cost:>6.2f} {cost / first_cost:>5.2f} {cpu:>6.2f} {cpu / first_cpu:>5.2f} {dedup_s:>6.2f} "
                      f"{sum(lookup_s.values()):>7.2f} {lookup_s['band_sharers']:>6.2f} {load_s:>6.2f} "
                      f"{row['rss_mb']:>7.0f} {row['peak_rss_mb']:>6.0f} {db_mb:>7.0f} {precision:>9.4f} "
                      f"{recall:>7.4f} {time.perf_counter() - started:>7.0f} {os.getloadavg()[0]:>8.1f}", flush=True)
                slowest = sorted([*(("lookup " + k, v) for k, v in lookup_s.items()),
                                  *(("load: " + k, v) for k, v in statement_s.items())], key=lambda kv: -kv[1])[:5]
                print("            s/1k by step: " + "; ".join(f"{k} {v:.3f}" for k, v in slowest), flush=True)
    con.close()
    base, final = results[0], results[-1]
    growth = final["cpu"] / base["cpu"]
    print(f"\nstreamed {args.docs} articles in {time.perf_counter() - started:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"target cost per article at {final['stored']} stored <= 1.5x that at {base['stored']} (CPU s per 1,000 "
          f"articles: {final['cpu']:.2f} against {base['cpu']:.2f}; wall {final['cost']:.2f} against {base['cost']:.2f}, "
          f"{final['cost'] / base['cost']:.2f}x): {growth:.2f}x {'MET' if growth <= 1.5 else 'NOT MET'}")
    print(f"target peak RSS <= 2 GB: {final['peak_rss_mb']:.0f} MB {'MET' if final['peak_rss_mb'] <= 2048 else 'NOT MET'}"
          f"; DuckDB file {final['db_mb']:.0f} MB ({final['db_mb'] * 1024 / final['stored']:.1f} KB an article)")
    print(f"target precision >= 0.99: {final['precision']:.4f} {'MET' if final['precision'] >= 0.99 else 'NOT MET'} "
          f"({final['linked']} linked pairs); recall >= 0.95: {final['recall']:.4f} "
          f"{'MET' if final['recall'] >= 0.95 else 'NOT MET'} (of {final['pairs']} family pairs)")
    print("json: " + json.dumps({k: v for k, v in final.items() if k not in ("lookups", "statements")}), flush=True)
    if not args.stream_dir:
        shutil.rmtree(tmp, ignore_errors=True)


def worker(args: argparse.Namespace) -> None:
    """One size in its own process; prints a JSON line."""
    with open(args.corpus, "rb") as f:
        docs = pickle.load(f)[:args.size]
    config = DedupConfig(args.threshold, Settings().dedup_num_perm)
    result = run_pipeline(docs, config, args.batch_size)
    result.update(quality(docs, result.pop("links"), args.threshold))
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--threshold", type=float, default=Settings().dedup_threshold)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--sweep", type=float, nargs="*", default=[0.3, 0.5, 0.6, 0.8],
                        help="other thresholds to score on the smallest size")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # worker mode
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--stream", action="store_true", help="only the streamed growth run")
    parser.add_argument("--stream-dir", help="keep the streamed run's warehouse in this directory")
    parser.add_argument("--at", help="comma-separated stored sizes (e.g. 10000,100000,1000000): the same "
                        "10,000 articles on top of filler articles, instead of streaming --docs")
    parser.add_argument("--repeat", type=int, default=1,
                        help="with --at: runs of each size, alternated; the least CPU of each counts")
    parser.add_argument("--fill", type=int, default=0,
                        help="with --stream: first store this many unrelated filler articles (sketches)")
    args = parser.parse_args()
    if args.size:
        return worker(args)
    if args.stream:
        return streamed(args)

    t0 = time.perf_counter()
    corpus = generate(min(args.docs, IN_MEMORY_DOCS), random.Random(SEED))
    config = DedupConfig(args.threshold, Settings().dedup_num_perm)
    families = len({d.family for d in corpus.docs if d.family != -1})
    print(f"corpus: {len(corpus.docs)} articles, {families} families, "
          f"{sum(d.family == -1 for d in corpus.docs)} single stories, 200 site templates, "
          f"mean {sum(len(d.text) for d in corpus.docs) / len(corpus.docs):.0f} chars "
          f"(generated in {time.perf_counter() - t0:.1f} s)")
    print(f"threshold {config.threshold}, {config.num_perm} slots, LSH {config.banding.bands} bands x "
          f"{config.banding.rows} rows (P(candidate) at the threshold "
          f"{config.banding.candidate_probability(config.threshold):.3f}, at +0.05 "
          f"{config.banding.candidate_probability(min(1, config.threshold + 0.05)):.3f})")
    pairs, hits = template_pressure(corpus.docs, config.threshold)
    print(f"template pressure: {hits} of {pairs} unrelated same-site pairs (first 3,000 articles) reach "
          f"Jaccard {config.threshold} on their full text, template included")

    print("\ntrue Jaccard of the stories' 5-grams without site templates (first 4,000 articles):")
    for name, values in separation(corpus.docs).items():
        values.sort()
        if values:
            q = [values[min(len(values) - 1, int(p * len(values)))] for p in (0.0, 0.01, 0.05, 0.5, 0.99)]
            print(f"  {name:24s} {len(values):6d} pairs: min {q[0]:.3f}, 1% {q[1]:.3f}, 5% {q[2]:.3f}, "
                  f"median {q[3]:.3f}, 99% {q[4]:.3f}, max {values[-1]:.3f}")

    print("\nMinHash implementations, same 2,000 keys, one process:")
    speeds = library_speed(corpus.docs[:2000], config.num_perm)
    base = next((rate for name, rate, _ in speeds if name.startswith("datasketch") and rate), None)
    for name, rate, error in speeds:
        ratio = f"{rate / base:6.1f}x datasketch" if base and rate else ""
        err = f"mean |est-true| {error:.3f}" if error is not None else ""
        print(f"  {name:50s} {rate:9.0f} signatures/s  {ratio}  {err}")

    # The growth runs stream (never the corpus in memory), each in its own process: its peak RSS is its own.
    command = [sys.executable, __file__, "--stream", "--threshold", str(args.threshold),
               "--batch-size", str(args.batch_size)]
    if args.at:
        # The same 10,000 real articles deduplicated and loaded into warehouses already holding
        # N - 10,000 filler articles: the cost at N stored in minutes, where streaming N real
        # articles takes hours on this machine.
        sizes = [int(n) for n in args.at.split(",")]
        print(f"\nthe same {FILLED_DOCS} articles on top of filler articles, one process and warehouse per size "
              f"(cost over the last {STREAM_WINDOW}):", flush=True)
        runs: dict[int, list[dict]] = {size: [] for size in sizes}
        for round_ in range(args.repeat):  # sizes alternated: the machine's load moves under all alike
            for size in sizes:
                out = subprocess.run(command + ["--docs", str(FILLED_DOCS), "--fill", str(max(0, size - FILLED_DOCS))],
                                     capture_output=True, text=True, check=True).stdout
                print("\n".join("    " + line for line in out.splitlines() if line.strip()), flush=True)
                runs[size].append(json.loads(out.strip().splitlines()[-1].split("json: ", 1)[1]))
        if args.repeat > 1:
            print(f"  of {args.repeat} runs a size: the least CPU counts (noise only adds), the highest peak RSS")
        rows = []
        for size in sizes:
            best = dict(min(runs[size], key=lambda r: r["cpu"]))
            best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs[size])
            rows.append(best)
        base = rows[0]
        for r in rows:
            print(f"  {r['stored']:>9} stored: {r['cpu']:.2f} CPU s per 1,000 articles ({r['cpu'] / base['cpu']:.2f}x), "
                  f"wall {r['cost']:.2f} s ({r['cost'] / base['cost']:.2f}x), peak RSS {r['peak_rss_mb']:.0f} MB, "
                  f"precision {r['precision']:.4f}, recall {r['recall']:.4f}")
        final = rows[-1]
        growth = final["cpu"] / base["cpu"]
        print(f"target cost per article at {final['stored']} stored <= 1.5x that at {base['stored']} (filled "
              f"warehouses, CPU): {growth:.2f}x {'MET' if growth <= 1.5 else 'NOT MET'}")
    else:
        print(flush=True)
        subprocess.run(command + ["--docs", str(args.docs)] + (["--stream-dir", args.stream_dir] if args.stream_dir else []),
                       check=True)

    sizes = [min(args.docs, IN_MEMORY_DOCS) // 4]
    tmp = tempfile.TemporaryDirectory()
    corpus_file = Path(tmp.name) / "corpus.pickle"
    corpus_file.write_bytes(pickle.dumps(corpus.docs))

    def run_size(size: int, threshold: float) -> dict:
        out = subprocess.run([sys.executable, __file__, "--corpus", str(corpus_file), "--size", str(size),
                              "--threshold", str(threshold), "--batch-size", str(args.batch_size)],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    if args.sweep:
        print(f"\nother thresholds, {sizes[0]} docs (what --dedup-threshold trades):")
        for threshold in args.sweep:
            r = run_size(sizes[0], threshold)
            print(f"  {threshold:.2f}: precision {r['precision']:.4f} ({r['predicted_pairs']} linked pairs), recall "
                  f"{r['recall_families']:.4f} of family pairs, {r['docs'] / (r['dedup_s'] + r['load_s']):.0f} docs/s; "
                  "by edited share: " + ", ".join(f"{k}: {v:.3f}" for k, (v, _) in r["by_edit"].items()))
    tmp.cleanup()


if __name__ == "__main__":
    main()
