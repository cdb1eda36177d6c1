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
import pickle
import random
import re
import resource
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
from tasks.load import WarehouseIndex, ensure_banding, load_batch  # noqa: E402
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


def generate(total: int, rng: random.Random) -> Corpus:
    maker = TextMaker(rng)
    sites = [f"site{i:03d}.cn" for i in range(200)]
    # Site templates: 150 to 4,000 characters of navigation and notices around every story
    # (long ones make unrelated short stories of one site look alike on their full text).
    templates = {}
    for site in sites:
        size = rng.choice([150, 400, 1000, 2500, 4000])
        header = maker.story(size // 3)
        footer = maker.story(2 * size // 3)
        templates[site] = (header, footer)

    def page(site: str, body: list[str]) -> str:
        header, footer = templates[site]
        return "\n".join([*header, *body, *footer])

    # Story formulas (market wraps, weather, bulletins): unrelated stories of one formula
    # repeat its skeleton sentences with other names and figures, beside their own text.
    # They are the hardest negatives: similar wording, different stories.
    formulas = [[formula_sentence(maker.sentence(rng.randint(20, 45)), rng) for _ in range(rng.randint(8, 14))]
                for _ in range(60)]

    def formula_story(skeleton: list[str]) -> list[str]:
        body = maker.story(rng.choice([300, 500, 800]))
        filled = [refill(sentence, maker, rng) for sentence in skeleton]
        # The skeleton is a third to two thirds of the story: interleave it with the story's own paragraphs.
        mixed = []
        for i, paragraph in enumerate(body):
            mixed.append(paragraph)
            mixed.append("".join(filled[i::len(body)]))
        return [p for p in mixed if p]

    corpus = Corpus()
    serial = 0

    def add(site: str, body: list[str], family: int, day: int, share: float = 0.0, formula: int = -1) -> None:
        nonlocal serial
        serial += 1
        query = rng.choice(["", "", "?utm_source=weixin", "?spm=a2c4.1", "?id=%d" % serial])
        corpus.docs.append(Doc(f"https://{site}/news/{serial:06d}.html{query}", page(site, body),
                               f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}", family, share, "\n".join(body),
                               formula))

    family = 0
    while len(corpus.docs) < total:
        site = rng.choice(sites)
        day = rng.randrange(0, 300)
        body = maker.story(rng.choice([200, 400, 800, 1500, 2500]))
        if rng.random() < 0.45:  # a single story, one in three written to a formula
            if rng.random() < 1 / 3:
                formula = rng.randrange(len(formulas))
                add(site, formula_story(formulas[formula]), -1, day, formula=formula)
            else:
                add(site, body, -1, day)
            continue
        add(site, body, family, day)
        for _ in range(min(rng.randint(1, 5), total - len(corpus.docs))):
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
        family += 1
    corpus.docs = corpus.docs[:total]
    rng.shuffle(corpus.docs)  # reposts often arrive before their original
    return corpus


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
            load_batch(con, deduped.items, [], "bench")
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
    args = parser.parse_args()
    if args.size:
        return worker(args)

    t0 = time.perf_counter()
    corpus = generate(args.docs, random.Random(SEED))
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

    sizes = [s for s in (args.docs // 4, args.docs // 2, args.docs) if s]
    print(f"\npipeline dedup + load (batches of {args.batch_size}, fresh DuckDB file, one process per size):")
    tmp = tempfile.TemporaryDirectory()
    corpus_file = Path(tmp.name) / "corpus.pickle"
    corpus_file.write_bytes(pickle.dumps(corpus.docs))

    def run_size(size: int, threshold: float) -> dict:
        out = subprocess.run([sys.executable, __file__, "--corpus", str(corpus_file), "--size", str(size),
                              "--threshold", str(threshold), "--batch-size", str(args.batch_size)],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    results = [run_size(size, args.threshold) for size in sizes]
    base = results[0]
    for r in results:
        total = r["dedup_s"] + r["load_s"]
        base_total = base["dedup_s"] + base["load_s"]
        print(f"  {r['docs']:6d} docs: {total:7.1f} s (dedup {r['dedup_s']:.1f} + load {r['load_s']:.1f}), "
              f"{r['docs'] / total:6.0f} docs/s, time x{total / base_total:4.2f} (CPU x{r['cpu_s'] / base['cpu_s']:4.2f}) "
              f"for docs x{r['docs'] / base['docs']:.0f}, "
              f"peak RSS {r['peak_rss_mb']:.0f} MB ({r['peak_rss_mb'] - r['rss_before_mb']:+.0f} MB in dedup+load), "
              f"DuckDB {r['db_mb']:.0f} MB")
    print("\nquality of the links (pairs in one cluster vs pairs in one family):")
    for r in results:
        buckets = ", ".join(f"{k}: {v:.3f} (n={n})" for k, (v, n) in r["by_edit"].items())
        print(f"  {r['docs']:6d} docs: precision {r['precision']:.4f} ({r['predicted_pairs']} linked pairs), "
              f"recall {r['recall_families']:.4f} of {r['true_pairs']} family pairs, "
              f"recall {r['recall_at_threshold']:.4f} of {r['pairs_at_threshold']} family pairs with true "
              f"Jaccard >= {args.threshold}")
        print(f"          recall of original/repost pairs by edited share: {buckets}")
    final = results[-1]
    growth = (final["dedup_s"] + final["load_s"]) / (base["dedup_s"] + base["load_s"])
    print(f"\ntargets at the threshold {args.threshold} ({final['docs']} docs): precision "
          f"{final['precision']:.4f} (>= 0.99: {'met' if final['precision'] >= 0.99 else 'NOT met'}); recall of all "
          f"family pairs {final['recall_families']:.4f} (>= 0.95: "
          f"{'met' if final['recall_families'] >= 0.95 else 'NOT met'}); growth: time x{growth:.2f} for docs "
          f"x{final['docs'] / base['docs']:.0f} ({'near-linear' if growth <= 1.25 * final['docs'] / base['docs'] else 'NOT near-linear'}: "
          f"within 1.25x of linear)")
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
