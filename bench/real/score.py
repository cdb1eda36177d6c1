"""Score zhnews and the extractors a user would pick instead, on bench/real's pages, in one run.

    .venv/bin/python bench/real/score.py                    # every system, every page
    .venv/bin/python bench/real/score.py --by-site          # and a table per source repository
    .venv/bin/python bench/real/score.py --page ID          # one page: each system's diff
    .venv/bin/python bench/real/score.py --systems zhnews trafilatura --pages twparser
    .venv/bin/python bench/real/score.py --rules            # characters each cleaning rule removed

zhnews runs as a user runs it: `zhnews ingest DIR --db FRESH.duckdb` in a subprocess on the
pages' bytes as stored (it finds the encoding itself); its rows are read back from DuckDB.
The peers (a `[bench]` extra: trafilatura with its default settings, gne, readability-lxml,
newspaper4k with language zh, goose3 with its Chinese stop words) run in this process on
the page decoded with the gold's encoding, so they are never hurt by a charset guess.

Text F1 is the longest common subsequence of characters after NFKC, OpenCC t2s and removing
whitespace and control characters (precision over the system's text, recall over the gold's); the gold's
`optional` lines are taken out of both texts first (keeping or dropping them costs nothing). A lost article (rejected, or no
text) scores 0. A non-article page is "loaded" when a system returns text for it (zhnews:
an `articles` row). Titles are exact after the same normalisation; dates compare the day.
Forum threads get a table of their own; the targets and the closing `real:` line are on
the other pages (news, government, blog, WeChat, encyclopedia articles and non-articles).
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLD = HERE / "gold"
PAGES = HERE / "pages"
PEERS = ("trafilatura", "gne", "readability", "newspaper4k", "goose3")
PEER_SECONDS = 20  # a peer that takes longer on one page has lost it

# Issue 16's targets.
TARGET_F1, TARGET_P10, TARGET_RECALL = 0.95, 0.85, 0.90
TARGET_DATES, TARGET_TITLES, TARGET_NOISY = 0.97, 0.97, 0.05


def _load_quality_scorer():
    """bench/quality/score.py's text measures (NFKC, LCS, t2s), so both benches use one yardstick."""
    spec = importlib.util.spec_from_file_location("quality_score", HERE.parent / "quality" / "score.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


Q = _load_quality_scorer()


def simple(text: str | None) -> str:
    """The comparison form: Simplified, NFKC, no whitespace."""
    return Q.normalise(Q.to_simplified(text or ""))


# --- gold ---------------------------------------------------------------------------------------

def load_gold(filters: list[str] | None) -> list[dict]:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    if filters:
        golds = [g for g in golds if any(f in g["id"] for f in filters)]
    return golds


def page_bytes(gold: dict) -> bytes:
    return gzip.decompress((PAGES / f"{gold['id']}.html.gz").read_bytes())


def site_of(gold: dict) -> str:
    return gold["id"].split("--")[0]


# --- systems ------------------------------------------------------------------------------------

# What a system made of one page: bench/quality's record (text, title, published_at, …,
# rejected); run_peer adds the seconds the page took.
Output = Q.Output


def run_zhnews(golds: list[dict], workdir: Path) -> tuple[dict[str, Output], float]:
    """`zhnews ingest` on the pages' bytes as stored (bench/quality's runner); outputs by id."""
    pages = workdir / "pages"
    pages.mkdir()
    for gold in golds:
        (pages / f"{gold['id']}.html").write_bytes(page_bytes(gold))
    return Q.zhnews_outputs({g["id"]: pages / f"{g['id']}.html" for g in golds}, workdir)


def html_to_text(fragment: str) -> str:
    """An HTML fragment's text, a line per block element (readability returns HTML)."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "section",
              "article", "table", "ul", "ol", "dd", "dt", "figcaption"}
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in blocks:
            element.tail = "\n" + (element.tail or "")
    return "\n".join(line.strip() for line in root.text_content().split("\n") if line.strip())


def as_date(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    found = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", str(value))
    if found:
        y, m, d = found.groups()
        return f"{y}-{int(m):02d}-{int(d):02d}"
    return str(value)


def peer_extractors():
    """name -> function(html str) -> Output, each imported when first used."""

    def trafilatura_default(html: str) -> Output:
        import trafilatura

        doc = trafilatura.bare_extraction(html, with_metadata=True)
        if doc is None:
            return Output()
        return Output(doc.text, doc.title, as_date(doc.date))

    def gne(html: str) -> Output:
        # The extractor of the `gne` package from PyPI, run as a peer (issue 16); no page of
        # its repository's test set is read here or anywhere in bench/real.
        from gne import GeneralNewsExtractor

        found = GeneralNewsExtractor().extract(html)
        return Output(found.get("content"), found.get("title"), as_date(found.get("publish_time")))

    def readability(html: str) -> Output:
        from readability import Document

        doc = Document(html)
        return Output(html_to_text(doc.summary(html_partial=True)), doc.short_title(), None)

    def newspaper4k(html: str) -> Output:
        import newspaper

        # fetch_images off: it would download every image it finds to size them up
        article = newspaper.Article(url="http://example.com/article.html", language="zh", fetch_images=False)
        article.download(input_html=html)
        article.parse()
        return Output(article.text, article.title, as_date(article.publish_date))

    def goose3(html: str) -> Output:
        from goose3 import Goose
        from goose3.text import StopWordsChinese

        with Goose({"stopwords_class": StopWordsChinese, "enable_image_fetching": False}) as goose:
            article = goose.extract(raw_html=html)
        return Output(article.cleaned_text, article.title, as_date(article.publish_date))

    return {"trafilatura": trafilatura_default, "gne": gne, "readability": readability,
            "newspaper4k": newspaper4k, "goose3": goose3}


class _PageTimeout(Exception):
    pass


def run_peer(name: str, extract, golds: list[dict]) -> dict[str, Output]:
    def on_alarm(signum, frame):
        raise _PageTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outputs = {}
    try:
        for gold in golds:
            html = page_bytes(gold).decode(gold["encoding"], errors="replace")
            started = time.perf_counter()
            signal.alarm(PEER_SECONDS)
            try:
                output = extract(html)
            except _PageTimeout:
                output = Output(rejected=f"over {PEER_SECONDS} s")
            except Exception as error:  # a peer failing on one page loses that page, not the run
                output = Output(rejected=f"{type(error).__name__}: {error}"[:200])
            finally:
                signal.alarm(0)
            output.seconds = time.perf_counter() - started
            outputs[gold["id"]] = output
    finally:
        signal.signal(signal.SIGALRM, previous)
    return outputs


# --- scoring ------------------------------------------------------------------------------------

@dataclass
class PageScore:
    id: str
    site: str
    kind: str
    is_article: bool
    loaded: bool
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    title_ok: bool = False
    date_shown: bool = False
    date_ok: bool = False
    date: str | None = None
    noise_left: list[str] = field(default_factory=list)
    note: str = ""


def without_optional(text: str, optional: list[str]) -> str:
    squashed = simple(text)
    for line in optional:
        piece = simple(line)
        if piece:
            squashed = squashed.replace(piece, "")
    return squashed


def score_page(gold: dict, output: Output) -> PageScore:
    text = (output.text or "").strip()
    loaded = bool(text) and not output.rejected
    page = PageScore(gold["id"], site_of(gold), gold["kind"], gold["is_article"], loaded)
    if not gold["is_article"]:
        page.note = output.rejected or ("loaded" if loaded else "")
        return page
    if loaded:
        out, ref = without_optional(text, gold["optional"]), without_optional(gold["text"], gold["optional"])
        common = Q.lcs_length(out, ref)
        page.precision = common / len(out) if out else 0.0
        page.recall = common / len(ref) if ref else 0.0
        both = page.precision + page.recall
        page.f1 = 2 * page.precision * page.recall / both if both else 0.0
        page.noise_left = [n for n in gold["noise"] if simple(n) and simple(n) in simple(text)]
        page.note = Q.diff_hint(Q.to_simplified(text), Q.to_simplified(gold["text"]))
    else:
        page.note = output.rejected or "no text"
    page.title_ok = bool(output.title) and simple(output.title) == simple(gold["title"])
    page.date_shown = bool(gold["published"])
    page.date = (output.published_at or "")[:10] or None
    page.date_ok = page.date_shown and page.date == gold["published"][:10]
    return page


@dataclass
class SystemScore:
    name: str
    pages: list[PageScore]
    seconds: float

    def articles(self) -> list[PageScore]:
        return [p for p in self.pages if p.is_article]

    def summary(self) -> dict:
        arts = self.articles()
        f1s = sorted(p.f1 for p in arts)
        others = [p for p in self.pages if not p.is_article]
        dated = [p for p in arts if p.date_shown]
        return {
            "articles": len(arts), "mean_f1": statistics.fmean(f1s) if f1s else 0.0,
            "p10_f1": f1s[int(0.1 * (len(f1s) - 1))] if f1s else 0.0,
            "below_08": sum(f < 0.8 for f in f1s),
            "recall_below_09": sum(p.recall < TARGET_RECALL for p in arts),
            "noisy": sum(bool(p.noise_left) for p in arts),
            "titles": sum(p.title_ok for p in arts), "dates": sum(p.date_ok for p in dated),
            "dated": len(dated), "lost": sum(not p.loaded for p in arts),
            "non_articles": len(others), "non_articles_loaded": sum(p.loaded for p in others),
            "seconds": self.seconds,
        }


def wrong_where_peer_right(zh: SystemScore, peers: list[SystemScore]) -> list[str]:
    """Pages where zhnews' date is wrong or missing and trafilatura's or gne's is right."""
    right = {p.id for s in peers if s.name in ("trafilatura", "gne") for p in s.pages if p.date_ok}
    return [p.id for p in zh.articles() if p.date_shown and not p.date_ok and p.id in right]


# --- report -------------------------------------------------------------------------------------

COLUMNS = ("system", "text F1", "10th pct", "F1<0.8", "recall<0.9", "noisy", "titles", "dates",
           "lost", "non-articles loaded", "s")


def row(s: SystemScore) -> list[str]:
    m = s.summary()
    return [s.name, f"{m['mean_f1']:.3f}", f"{m['p10_f1']:.3f}", str(m["below_08"]), str(m["recall_below_09"]),
            str(m["noisy"]), f"{m['titles']}/{m['articles']}", f"{m['dates']}/{m['dated']}", str(m["lost"]),
            f"{m['non_articles_loaded']}/{m['non_articles']}", f"{m['seconds']:.0f}"]


def print_table(title: str, systems: list[SystemScore]) -> None:
    rows = [list(COLUMNS), *(row(s) for s in systems)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    print(title)
    for r in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    print()


def print_targets(zh: SystemScore, peers: list[SystemScore]) -> None:
    m = zh.summary()
    best = max(peers, key=lambda s: s.summary()["mean_f1"], default=None)
    arts = zh.articles()
    checks = [
        (f"text F1 mean >= {TARGET_F1}", f"{m['mean_f1']:.3f}", m["mean_f1"] >= TARGET_F1),
        ("text F1 above every peer", f"best peer {best.name} {best.summary()['mean_f1']:.3f}" if best else "no peers",
         best is None or m["mean_f1"] > best.summary()["mean_f1"]),
        (f"10th percentile F1 >= {TARGET_P10}", f"{m['p10_f1']:.3f}", m["p10_f1"] >= TARGET_P10),
        (f"no article under {TARGET_RECALL} recall", str(m["recall_below_09"]), m["recall_below_09"] == 0),
        ("non-articles loaded = 0", f"{m['non_articles_loaded']}/{m['non_articles']}", m["non_articles_loaded"] == 0),
        ("real articles rejected = 0", str(m["lost"]), m["lost"] == 0),
        (f"dates exact >= {TARGET_DATES:.0%}", f"{m['dates']}/{m['dated']}",
         m["dated"] == 0 or m["dates"] / m["dated"] >= TARGET_DATES),
        ("no wrong date where trafilatura's or gne's is right", str(len(wrong_where_peer_right(zh, peers))),
         not wrong_where_peer_right(zh, peers)),
        (f"titles exact >= {TARGET_TITLES:.0%}", f"{m['titles']}/{m['articles']}",
         not arts or m["titles"] / len(arts) >= TARGET_TITLES),
        (f"pages with noise left <= {TARGET_NOISY:.0%}", f"{m['noisy']}/{m['articles']}",
         not arts or m["noisy"] / len(arts) <= TARGET_NOISY),
    ]
    print("issue 16 targets (zhnews)")
    for name, measured, ok in checks:
        print(f"  {'MET    ' if ok else 'NOT MET'}  {name}: {measured}")
    print()


def print_weak(zh: SystemScore) -> None:
    weak = [p for p in zh.pages if (p.is_article and (p.f1 < 0.9 or p.recall < TARGET_RECALL or p.noise_left
                                                       or not p.title_ok or (p.date_shown and not p.date_ok)))
            or (not p.is_article and p.loaded)]
    if not weak:
        return
    print("zhnews pages below F1 0.9 or recall 0.9, with noise left, a wrong title or date, or a non-article loaded")
    for p in sorted(weak, key=lambda p: (p.is_article, p.f1)):
        if not p.is_article:
            print(f"  {p.id}: non-article loaded")
            continue
        flags = [f"F1 {p.f1:.3f} P {p.precision:.3f} R {p.recall:.3f}"]
        if not p.title_ok:
            flags.append("title WRONG")
        if p.date_shown and not p.date_ok:
            flags.append(f"date {p.date or 'none'}")
        if p.noise_left:
            flags.append("noise: " + " | ".join(p.noise_left))
        print(f"  {p.id}: {'; '.join(flags)}; {p.note}")
    print()


def print_page(page_id: str, golds: list[dict], outputs: dict[str, dict[str, Output]]) -> None:
    import difflib

    gold = next(g for g in golds if g["id"] == page_id)
    print(f"{page_id}: title {gold['title']!r}, published {gold['published']!r}, article={gold['is_article']}")
    for name, by_id in outputs.items():
        out = by_id.get(page_id, Output(rejected="no row"))
        scored = score_page(gold, out)
        print(f"\n== {name}: F1 {scored.f1:.3f} P {scored.precision:.3f} R {scored.recall:.3f}; "
              f"title {out.title!r}; date {out.published_at!r}; {out.rejected or ''}")
        ref = [Q.to_simplified(line) for line in gold["text"].split("\n") if line.strip()]
        got = [Q.to_simplified(line) for line in (out.text or "").split("\n") if line.strip()]
        for line in difflib.unified_diff(ref, got, "gold", name, n=0, lineterm=""):
            print(line[:160])


def print_rules(golds: list[dict]) -> None:
    """Characters each cleaning rule removed from zhnews' extracted text on the article pages
    (in this process, the same stages the CLI runs), and how many of them were gold text
    (a removed piece found in the gold; repeated_line and title_repeated remove copies of
    kept text, so theirs match gold without losing any)."""
    sys.path.insert(0, str(ROOT))
    from tasks.cleaning.engine import removals_by_rule
    from tasks.decode import decode_bytes
    from tasks.extract import extract_one
    from tasks.models import DecodedPage

    removed: dict[str, int] = defaultdict(int)
    gold_chars: dict[str, int] = defaultdict(int)
    pages: dict[str, int] = defaultdict(int)
    for gold in golds:
        if not gold["is_article"]:
            continue
        content, codec, bad = decode_bytes(page_bytes(gold))
        extracted = extract_one(DecodedPage(f"file:///{gold['id']}.html", "html", content, codec, bad, gold["id"]))
        if not hasattr(extracted, "text"):
            continue
        ref = simple(gold["text"])
        for rule, pieces in removals_by_rule(extracted.text, extracted.title).items():
            pages[rule] += 1
            for piece in pieces:
                squashed = simple(piece)
                removed[rule] += len(squashed)
                if squashed and squashed in ref:
                    gold_chars[rule] += len(squashed)
    print("rule                      pages   chars removed   of them gold text")
    for rule in sorted(removed, key=removed.get, reverse=True):
        print(f"{rule:24}  {pages[rule]:5}   {removed[rule]:13,}   {gold_chars[rule]:17,}")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", nargs="+", default=["zhnews", *PEERS], choices=["zhnews", *PEERS])
    parser.add_argument("--pages", nargs="+", metavar="TEXT", help="only pages whose id contains one of these")
    parser.add_argument("--by-site", action="store_true", help="also a table per source repository")
    parser.add_argument("--page", metavar="ID", help="one page: each system's title, date and text diff")
    parser.add_argument("--rules", action="store_true", help="characters removed by each cleaning rule")
    parser.add_argument("--weak", action="store_true", help="list zhnews' weak pages")
    parser.add_argument("--json", metavar="FILE", help="also write every page's scores as JSON")
    args = parser.parse_args(argv)

    golds = load_gold([args.page] if args.page else args.pages)
    if not golds:
        sys.exit("no gold pages match")
    outputs: dict[str, dict[str, Output]] = {}
    seconds: dict[str, float] = {}
    if "zhnews" in args.systems:
        with tempfile.TemporaryDirectory(prefix="zhnews-real-") as tmp:
            outputs["zhnews"], seconds["zhnews"] = run_zhnews(golds, Path(tmp))
    extractors = peer_extractors()
    for name in args.systems:
        if name != "zhnews":
            started = time.monotonic()
            outputs[name] = run_peer(name, extractors[name], golds)
            seconds[name] = time.monotonic() - started
    if args.page:
        print_page(args.page, golds, outputs)
        return

    every = [SystemScore(name, [score_page(g, by_id.get(g["id"], Output(rejected="no row"))) for g in golds],
                         seconds[name]) for name, by_id in outputs.items()]
    # Forum threads (users' posts) are reported on their own: zhnews is a news pipeline, and
    # the targets are about news, government, blog, WeChat and encyclopedia articles.
    systems = [SystemScore(s.name, [p for p in s.pages if p.kind != "forum"], s.seconds) for s in every]
    forum = [SystemScore(s.name, [p for p in s.pages if p.kind == "forum"], s.seconds) for s in every]
    articles = sum(p.is_article for p in systems[0].pages)
    print_table(f"bench/real: {articles} articles, {len(systems[0].pages) - articles} non-article pages "
                f"(load average {os.getloadavg()[0]:.1f}; s: seconds for all {len(golds)} pages)", systems)
    if forum[0].pages:
        print_table(f"forum threads ({len(forum[0].pages)}, not in the targets)", forum)
        print_table(f"every page ({len(golds)})", every)
    if args.by_site:
        for site in sorted({site_of(g) for g in golds}):
            print_table(f"-- {site}", [SystemScore(s.name, [p for p in s.pages if p.site == site], 0) for s in every])
    zh = next((s for s in systems if s.name == "zhnews"), None)
    peers = [s for s in systems if s.name != "zhnews"]
    if zh:
        if args.weak:
            print_weak(next(s for s in every if s.name == "zhnews"))
        if args.rules:
            print_rules(golds)
        print_targets(zh, peers)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {s.name: [p.__dict__ for p in s.pages] for s in every}, ensure_ascii=False, indent=1), encoding="utf-8")
    if zh:
        m = zh.summary()
        best = max(peers, key=lambda s: s.summary()["mean_f1"], default=None)
        best_text = f"{best.name}:{best.summary()['mean_f1']:.3f}" if best else "none"
        print(f"real: zhnews f1={m['mean_f1']:.3f} best_peer={best_text} titles={m['titles']}/{m['articles']} "
              f"dates={m['dates']}/{m['dated']} noisy={m['noisy']} lost={m['lost']} "
              f"non_articles_loaded={m['non_articles_loaded']}/{m['non_articles']}")


if __name__ == "__main__":
    main()
