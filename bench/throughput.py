"""Throughput: zhnews end to end against a bare trafilatura loop, on the same pages, in one run.

    .venv/bin/python bench/throughput.py                 # 2,000 pages: bare loop, --workers 1, --workers 2
    .venv/bin/python bench/throughput.py --pages 20000 --runs w2   # peak memory on 20,000 pages

The bare loop is `trafilatura.extract(bytes, with_metadata=True)` over the files in this
process. Each zhnews run is the installed `zhnews ingest` command on a fresh DuckDB file,
timed from the shell command's start to its exit (Prefect, read, decode, extract, clean,
normalise, dedup, load: nothing excluded); its own "seconds in the flow" is reported too.
Peak RSS is the sum over the whole process tree (zhnews, its workers, Prefect's temporary
server if any), sampled every 0.2 s. By default zhnews talks to a `prefect server` this
script starts on 127.0.0.1 (as a scheduled deployment would); --prefect temp uses the
temporary server each run starts instead (its fixed cost: see bench/fixed_cost.py).
The load stage is also measured alone, on synthetic deduplicated articles.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bench.pages import generate  # noqa: E402
from tests.conftest import free_port, start_prefect_server, wait_healthy  # noqa: E402  (sets PREFECT_HOME to a temp dir)

ZHNEWS = Path(sys.executable).parent / "zhnews"
TARGETS = {"w1": 0.8, "w2": 1.5}


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def bare_loop(paths: list[Path]) -> tuple[float, int, int]:
    """(seconds, pages with text, peak RSS) of trafilatura alone in this process."""
    import trafilatura

    trafilatura.extract(paths[0].read_bytes(), with_metadata=True)  # warm: imports, caches
    me = psutil.Process()
    peak, found = 0, 0
    started = time.perf_counter()
    for n, path in enumerate(paths):
        if trafilatura.extract(path.read_bytes(), with_metadata=True):
            found += 1
        if n % 50 == 0:
            peak = max(peak, me.memory_info().rss)
    return time.perf_counter() - started, found, peak


def zhnews_ingest(pages_dir: Path, db: Path, workers: int, env: dict) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen([str(ZHNEWS), "ingest", str(pages_dir), "--db", str(db), "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    watched = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(watched))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    out, errors = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"zhnews ingest failed ({proc.returncode}):\n{errors[-3000:]}\n{out[-3000:]}")
    flow = re.search(r"seconds in the flow\s*│\s*([0-9.]+)", out)
    articles = re.search(r"articles loaded\s*│\s*([0-9]+)", out)
    return {"seconds": seconds, "flow_seconds": float(flow.group(1)) if flow else float("nan"),
            "articles": int(articles.group(1)) if articles else -1, "peak": peak, "out": out}


def synthetic_texts(count: int, chars: int = 1400, seed: int = 6) -> list[str]:
    """Distinct Chinese-looking texts (~4 KB of UTF-8 each): the seed texts' 2-4 character
    words in random order with commas and full stops, seven paragraphs. Compressors see
    about what real news gives them (zlib: 2.3x on the seeds, 1.9x on these), unlike
    recombined sentences or one repeated text."""
    import re

    import numpy as np

    pieces: set[str] = set()
    for file in sorted((ROOT / "seeds" / "texts").glob("*.txt")):
        for run in re.findall(r"[\u4e00-\u9fff]+", file.read_text(encoding="utf-8")):
            for size in (2, 3, 4):
                pieces.update(run[i:i + size] for i in range(0, len(run) - size + 1, size))
    words = sorted(pieces)
    vocab = np.array(words + ["，"] * (len(words) // 9) + ["。"] * (len(words) // 18), dtype=object)
    tokens = chars * 10 // 26  # a word is ~2.6 characters with the punctuation
    picks = np.random.default_rng(seed).integers(0, len(vocab), size=(count, tokens))
    cut = tokens // 7
    return ["\n".join("".join(vocab[row[i:i + cut]].tolist()) for i in range(0, tokens, cut)) for row in picks]


def synthetic_articles(texts: list[str], sketches: bool = False) -> list:
    """Deduplicated articles as the loader gets them, one per text; with sketches, each
    also carries what dedup stores (a 128-slot signature, 18 band hashes, 20 paragraph
    hashes on one of 20 sites, two of them template)."""
    import numpy as np

    from tasks.models import Article, DedupedArticle, DedupSketch

    rng = np.random.default_rng(6)
    rows = []
    for n, text in enumerate(texts):
        sketch = None
        if sketches:
            lines = rng.integers(-2**62, 2**62, 20).tolist()
            sketch = DedupSketch(site=f"news{n % 20}.example.cn",
                                 signature=rng.integers(0, 2**32, 128, dtype=np.uint32).tobytes(),
                                 band_hashes=rng.integers(-2**62, 2**62, 18).tolist(),
                                 line_hashes=lines, template_hashes=lines[:2])
        rows.append(DedupedArticle(
            Article(url=f"https://news.example.cn/{n}.html", text=text, title=f"标题{n}",
                    published_at="2024-05-01", source="新华社", author=None, encoding="utf-8",
                    input_hash=f"{n:040x}", source_script="hans"),
            article_id=f"{n:016x}", content_hash=f"{n:040x}", duplicate_of=None,
            canonical_url=f"https://news.example.cn/{n}.html", sketch=sketch))
    return rows


def load_stage(rows: list, batch_size: int, tmp: Path) -> float:
    """Articles per second of tasks.load.load_batch alone, from opening a fresh warehouse
    to closing it (its last checkpoint included). The articles are built beforehand."""
    from tasks.load import load_batch
    from warehouse.db import open_warehouse

    path = tmp / f"load-{batch_size}-{len(rows)}-{rows[0].sketch is not None}.duckdb"
    started = time.perf_counter()
    con = open_warehouse(path)
    try:
        for i in range(0, len(rows), batch_size):
            load_batch(con, rows[i:i + batch_size], [], "bench")
    finally:
        con.close()
    seconds = time.perf_counter() - started
    con = open_warehouse(path)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(rows)
    finally:
        con.close()
    return len(rows) / seconds


def duckdb_insert_ceiling(rows: list, batch_size: int, tmp: Path, text_compression: str) -> tuple[float, float]:
    """What DuckDB alone allows on this machine: the batches of load_stage, built as Arrow
    beforehand, each sent as one INSERT into the warehouse's articles table (its text column
    stored `text_compression`: the warehouse's ZSTD, or UNCOMPRESSED to see what zstd
    costs), timed to the file's close; no Python between the statements.
    Returns (articles/s, CPU seconds of this process per 1,000 articles)."""
    from tasks.load import articles_table, in_row_groups
    from warehouse.db import open_warehouse

    tables = [in_row_groups(articles_table(rows[i:i + batch_size], "bench")) for i in range(0, len(rows), batch_size)]
    con = open_warehouse(tmp / f"ceiling-{text_compression}-{batch_size}.duckdb")
    ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'articles'").fetchone()[0]
    con.execute("DROP TABLE articles CASCADE")
    con.execute(ddl.replace("USING COMPRESSION ZSTD", f"USING COMPRESSION {text_compression}"))
    cpu_before, started = time.process_time(), time.perf_counter()
    for table in tables:
        con.register("batch_articles", table)
        con.execute("INSERT INTO articles BY NAME SELECT * FROM batch_articles")
        con.unregister("batch_articles")
    con.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    return len(rows) / seconds, cpu / len(rows) * 1000


def disk_write_rate(tmp: Path, megabytes: int = 200) -> float:
    """MB/s of a plain write + fsync to the bench's disk: the ceiling a loader works under."""
    target = tmp / "disk-probe"
    block = os.urandom(2**20)
    started = time.perf_counter()
    with open(target, "wb") as out:
        for _ in range(megabytes):
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    seconds = time.perf_counter() - started
    target.unlink()
    return megabytes / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", default="bare,w1,w2", help="comma-separated: bare, w1, w2, load")
    parser.add_argument("--prefect", choices=["server", "temp"], default="server")
    parser.add_argument("--load-articles", type=int, default=50_000)
    args = parser.parse_args()
    runs = args.runs.split(",")

    tmp = Path(tempfile.mkdtemp(prefix="zhnews-bench-"))
    started = time.perf_counter()
    paths = generate(tmp / "pages", args.pages)
    sizes = [p.stat().st_size for p in paths]
    print(f"{len(paths)} pages generated in {time.perf_counter() - started:.1f} s: "
          f"{min(sizes) // 1024}-{max(sizes) // 1024} KB, {sum(sizes) / 2**20:.0f} MB in all; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server = None
    if args.prefect == "server" and any(r.startswith("w") for r in runs):
        home = tmp / "prefect-server"
        home.mkdir()
        port = free_port()
        server = start_prefect_server(home, port)
        wait_healthy(f"http://127.0.0.1:{port}/api", server)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    else:
        env.pop("PREFECT_API_URL", None)

    results: dict[str, dict] = {}
    try:
        # The bare loop runs before and after the zhnews runs; the faster of the two is the
        # baseline (the conservative choice on a machine whose load changes while it runs).
        bare_runs = []
        if "bare" in runs:
            bare_runs.append(bare_loop(paths))
        for run in runs:
            if run in ("w1", "w2"):
                results[run] = zhnews_ingest(tmp / "pages", tmp / f"{run}.duckdb", int(run[1:]), env)
        if "bare" in runs and len(results) > 0:
            bare_runs.append(bare_loop(paths))
        if bare_runs:
            seconds, found, peak = min(bare_runs)
            print("bare loop runs (before, after the zhnews runs): "
                  + ", ".join(f"{len(paths) / s:.1f} pages/s" for s, _, _ in bare_runs) + "; the faster is the baseline")
            results = {"bare": {"seconds": seconds, "flow_seconds": seconds, "peak": peak, "articles": found}, **results}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    bare = results.get("bare")
    print(f"\nPrefect: {'a running prefect server' if server else 'temporary server per run'}; "
          f"load average now {os.getloadavg()[0]:.1f}")
    print(f"{'run':<22}{'pages/s':>9}{'× bare':>8}{'in-flow p/s':>13}{'× bare':>8}{'peak RSS':>10}{'articles':>10}")
    names = {"bare": "bare trafilatura loop", "w1": "zhnews --workers 1", "w2": "zhnews --workers 2"}
    for run, r in results.items():
        rate, flow_rate = len(paths) / r["seconds"], len(paths) / r["flow_seconds"]
        ratio = f"{rate / (len(paths) / bare['seconds']):.2f}" if bare else "-"
        flow_ratio = f"{flow_rate / (len(paths) / bare['seconds']):.2f}" if bare else "-"
        print(f"{names[run]:<22}{rate:>9.1f}{ratio:>8}{flow_rate:>13.1f}{flow_ratio:>8}"
              f"{r['peak'] / 2**20:>8.0f}MB{r['articles']:>10}")
    for run, target in TARGETS.items():
        if bare and run in results:
            ratio = results[run]["seconds"] and bare["seconds"] / results[run]["seconds"]
            print(f"target {names[run]} >= {target}x bare (from the shell): {ratio:.2f}x "
                  f"{'MET' if ratio >= target else 'NOT MET'}")
    for run in ("w1", "w2"):
        if run in results:
            peak = results[run]["peak"] / 2**20
            print(f"peak RSS {names[run]} on {len(paths)} pages: {peak:.0f} MB "
                  f"({'within' if peak <= 1024 else 'OVER'} 1 GB)")

    if "load" in runs or runs == ["bare", "w1", "w2"]:
        print(f"disk: {disk_write_rate(tmp):.0f} MB/s written and fsynced; an article is ~4 KB of UTF-8 text")
        texts = synthetic_texts(args.load_articles)
        plain, sketched = synthetic_articles(texts), synthetic_articles(texts, sketches=True)
        for batch_size in (100, 1000, 10_000):
            rate = load_stage(plain, batch_size, tmp)
            print(f"load stage alone, {args.load_articles} articles in batches of {batch_size}: "
                  f"{rate:,.0f} articles/s {'MET' if rate >= 50_000 else 'NOT MET'} (target 50,000); "
                  f"load average {os.getloadavg()[0]:.1f}")
        # The ceiling: DuckDB's own INSERT of the same batches, with no Python around it.
        for compression in ("ZSTD", "UNCOMPRESSED"):
            rate, cpu = duckdb_insert_ceiling(plain, 10_000, tmp, compression)
            print(f"DuckDB INSERT alone (Arrow built beforehand), text {compression.lower()}, batches of 10000: "
                  f"{rate:,.0f} articles/s, {cpu:.2f} CPU s per 1,000 articles; load average {os.getloadavg()[0]:.1f}")
        for batch_size in (1000, 10_000):
            rate = load_stage(sketched, batch_size, tmp)
            print(f"load stage with dedup sketches, {args.load_articles} articles in batches of {batch_size}: "
                  f"{rate:,.0f} articles/s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
