"""Extraction settings compared on bench/real's pages: text F1 and seconds, in one run.

    .venv/bin/python bench/real/extraction.py [--pages TEXT ...]

Each variant extracts the decoded page in this process and hands its text to zhnews' own
clean stage (so only the extraction differs); metadata, article-or-not and scoring are
zhnews' and score.py's. Seconds are the extraction calls alone, summed over the pages.
Forum threads are left out, as in score.py's targets.

Variants: trafilatura's default settings on the whole page; zhnews' settings (favor_recall,
tables, captions) with fast=True and with fast=False (trafilatura's fallback extractors);
readability-lxml; zhnews' settings inside the article's container (tasks/pagekind.py); and
what tasks/extract.py does (the container, then fast=False on the whole page when the
page's longest paragraph is missing).
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT)]

spec = importlib.util.spec_from_file_location("real_score", HERE / "score.py")
S = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = S
spec.loader.exec_module(S)

from tasks import extract as E  # noqa: E402
from tasks.clean import clean_pages  # noqa: E402
from tasks.decode import decode_bytes  # noqa: E402
from tasks.metadata import html_metadata  # noqa: E402
from tasks.models import ExtractedPage  # noqa: E402
from tasks.pagekind import judge_page  # noqa: E402


def trafilatura_default(tree, kind, url):
    import trafilatura

    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False)
    return doc.text if doc else ""


def settings(fast: bool, container: bool):
    def run(tree, kind, url):
        where = E.within(kind.container) if container and kind.container is not None else tree
        doc = E.run_trafilatura(where, url, fast=fast)
        return doc.text if doc else ""
    return run


def readability(tree, kind, url):
    import lxml.html
    from readability import Document

    return S.html_to_text(Document(lxml.html.tostring(tree, encoding="unicode")).summary(html_partial=True))


def as_built(tree, kind, url):
    doc = E.run_trafilatura(E.within(kind.container) if kind.container is not None else tree, url, fast=True)
    if kind.longest_prose and not E.holds(doc, kind.longest_prose):
        doc = E.run_trafilatura(tree, url, fast=False)
    return doc.text if doc else ""


VARIANTS = {
    "trafilatura defaults, whole page": trafilatura_default,
    "zhnews settings, fast, whole page": settings(True, False),
    "zhnews settings, fallbacks, whole page": settings(False, False),
    "readability-lxml, whole page": readability,
    "zhnews settings, fast, container": settings(True, True),
    "tasks/extract.py (container, then fallbacks)": as_built,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", metavar="TEXT")
    args = parser.parse_args()
    golds = [g for g in S.load_gold(args.pages) if g["is_article"] and g["kind"] != "forum"]
    prepared = []
    for gold in golds:
        content, codec, _ = decode_bytes(S.page_bytes(gold))
        url = f"file:///{gold['id']}.html"
        tree = E.parse_html(content)
        found = html_metadata(tree, url)
        kind = judge_page(tree, found.headline_element)
        E.keep_captions(tree)
        E.unwrap_layout_tables(tree)
        prepared.append((gold, url, tree, found, kind, codec))
    print(f"{len(prepared)} article pages of bench/real (forum threads left out)")
    print(f"{'variant':46} {'text F1':>8} {'10th pct':>8} {'recall<0.9':>10} {'noisy':>6} {'seconds':>8}")
    for name, extract in VARIANTS.items():
        scores, seconds = [], 0.0
        for gold, url, tree, found, kind, codec in prepared:
            started = time.perf_counter()
            try:
                text = extract(tree, kind, url) or ""
            except Exception:  # a variant failing on a page loses that page
                text = ""
            seconds += time.perf_counter() - started
            text = E.table_cells_as_lines(E._IMAGE.sub("", text))
            page = ExtractedPage(url, "html", text, found.title, found.published_at, found.source, found.author,
                                 codec, gold["id"])
            cleaned = clean_pages([page])
            out = S.Output(cleaned.items[0].text, found.title, found.published_at) if cleaned.items else S.Output(
                rejected="too short")
            scores.append(S.score_page(gold, out))
        f1s = sorted(p.f1 for p in scores)
        print(f"{name:46} {sum(f1s) / len(f1s):8.3f} {f1s[int(0.1 * (len(f1s) - 1))]:8.3f} "
              f"{sum(p.recall < 0.9 for p in scores):10} {sum(bool(p.noise_left) for p in scores):6} {seconds:8.1f}")


if __name__ == "__main__":
    main()
