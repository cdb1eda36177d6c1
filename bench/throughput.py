"""Throughput: zhnews end to end against bare extraction loops, on the same pages, in one run.

    .venv/bin/python bench/throughput.py                 # 2,000 pages: every run below
    .venv/bin/python bench/throughput.py --pages 20000 --runs w2   # peak memory on 20,000 pages

Baselines, in this process on the same files (the machine is shared: every figure is a
ratio against them, measured in the same run, before and after the zhnews runs; the faster
of each pair counts):
- own: a bare loop of the trafilatura call tasks/extract.py makes (its keywords read from
  that file, its config), on each page's text as zhnews' decoder gives it (UTF-8 copies made
  beforehand): extraction alone, so zhnews' rate against it is what the rest of the
  pipeline costs;
- defaults: `trafilatura.extract(bytes, with_metadata=True)`, what a user writes;
- pool: `own` in a 2-process pool (multiprocessing, workers warmed first): the most this
  machine's 2 cores give that extraction.
zhnews runs are the installed `zhnews ingest` command on a fresh DuckDB file, timed from
the shell command's start to its exit, talking to a `prefect server` this script starts on
127.0.0.1 (as a scheduled deployment would; --prefect temp: the temporary server each run
starts). For each: the processes it used, their CPU (all of the command's process tree, as
reaped), the Prefect server's CPU during it, peak RSS of the tree. Then, in this process on
the same pages in batches of 250, each stage's CPU (read, decode, extract, clean, normalise,
dedup, load); what the `--workers 2` run spent beyond them is Prefect and the main process's
own work. `--runner dask` on a `dask scheduler` and two `dask worker` processes on 127.0.0.1
(tests/dask_cluster.py) runs beside it. The load stage is measured alone on synthetic
articles, against DuckDB's own INSERT of the same batches. `reopen` measures what a run
pays for letting readers in: batches of 250 sketched articles (a lookup of finished inputs,
dedup's lookups, the load) on one connection held throughout, in the run's sessions
(warehouse.db.Warehouse) with no reader asking, and with the file closed after every batch
(a reader asking between every two), alternated in this run.
"""
from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bench.pages import generate  # noqa: E402
from tests.conftest import free_port, start_prefect_server, wait_healthy  # noqa: E402  (sets PREFECT_HOME to a temp dir)

ZHNEWS = Path(sys.executable).parent / "zhnews"
POOL_PROCESSES = 2
TARGET_W2_OF_POOL = 0.60
TARGET_LOAD_OF_INSERT = 0.8
STAGE_BATCH = 250


def tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return [proc]


def tree_rss(procs: list[psutil.Process]) -> int:
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


@lru_cache(maxsize=1)
def own_extraction_keywords() -> dict:
    """The constant keywords of the `trafilatura.bare_extraction` call in tasks/extract.py,
    read from its source: the bare loop follows that file as other engineers change it."""
    source = (ROOT / "tasks" / "extract.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "bare_extraction":
            return {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
    raise SystemExit("tasks/extract.py no longer calls trafilatura.bare_extraction: update bench/throughput.py")


def utf8_copies(paths: list[Path], out: Path) -> list[Path]:
    """The pages decoded by zhnews' decoder (tasks/decode.py), written again as UTF-8. zhnews
    decodes before it extracts (its decode stage is counted in its runs); trafilatura given
    GBK or Big5 bytes would guess their encoding itself, which costs more than its extraction
    and is no part of the extraction the baseline stands for."""
    from tasks.decode import decode_bytes

    out.mkdir()
    copies = []
    for path in paths:
        text, _, _ = decode_bytes(path.read_bytes())
        copy = out / path.name
        copy.write_text(text, encoding="utf-8")
        copies.append(copy)
    return copies


def own_extract(path: str) -> bool:
    """One page through zhnews' trafilatura call (its keywords and config), on its decoded text
    (a UTF-8 copy, see utf8_copies)."""
    import trafilatura

    from tasks.extract import trafilatura_config

    doc = trafilatura.bare_extraction(Path(path).read_text(encoding="utf-8"), url=None, config=trafilatura_config(),
                                      **own_extraction_keywords())
    return doc is not None and bool((doc.text or "").strip())


def default_extract(path: str) -> bool:
    import trafilatura

    return bool(trafilatura.extract(Path(path).read_bytes(), with_metadata=True))


def bare_loop(fn, paths: list[Path]) -> tuple[float, int, int, float]:
    """(seconds, pages with text, peak RSS, CPU seconds) of fn over the files in this process."""
    fn(str(paths[0]))  # warm: imports, caches
    me = psutil.Process()
    peak, found = 0, 0
    started, cpu = time.perf_counter(), time.process_time()
    for n, path in enumerate(paths):
        found += fn(str(path))
        if n % 50 == 0:
            peak = max(peak, me.memory_info().rss)
    return time.perf_counter() - started, found, peak, time.process_time() - cpu


def _warm(_: int) -> int:
    own_extract(_WARM_PAGE)
    return os.getpid()


_WARM_PAGE = ""


def _init(page: str) -> None:
    global _WARM_PAGE
    _WARM_PAGE = page


def pool_loop(paths: list[Path], processes: int = POOL_PROCESSES) -> tuple[float, int, int, float]:
    """(seconds, pages with text, processes) of own_extract in a pool of warmed workers."""
    context = multiprocessing.get_context("forkserver")
    with context.Pool(processes, initializer=_init, initargs=(str(paths[0]),)) as pool:
        pids = set()
        while len(pids) < processes:  # every worker has imported trafilatura and run a page
            pids |= set(pool.map(_warm, range(processes * 4), chunksize=1))
        started = time.perf_counter()
        found = sum(pool.imap_unordered(own_extract, [str(p) for p in paths], chunksize=4))
        seconds = time.perf_counter() - started
    return seconds, found, len(pids), float("nan")


def process_cpu(proc: psutil.Process | None) -> float:
    if proc is None:
        return 0.0
    try:
        times = proc.cpu_times()
        return times.user + times.system
    except psutil.Error:
        return 0.0


def zhnews_ingest(pages_dir: Path, db: Path, args: list[str], env: dict, server: psutil.Process | None) -> dict:
    """One `zhnews ingest` from the shell: wall seconds, CPU seconds of its process tree
    (every process in it is reaped by its parent, so RUSAGE_CHILDREN holds them all), the
    Prefect server's CPU meanwhile, the most processes alive at once, peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = process_cpu(server)
    started = time.perf_counter()
    proc = subprocess.Popen([str(ZHNEWS), "ingest", str(pages_dir), "--db", str(db), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    watched = psutil.Process(proc.pid)
    peak, most, seen = 0, 0, set()
    last_cpu: dict[int, tuple[str, float]] = {}  # pid -> (role, CPU seconds when last seen)
    while proc.poll() is None:
        procs = tree(watched)
        peak = max(peak, tree_rss(procs))
        most = max(most, len(procs))
        seen |= {p.pid for p in procs}
        for p in procs:
            role, cpu = last_cpu.get(p.pid, ("?", 0.0))
            if role == "?":  # a process seen while it starts has no command line yet
                role = role_of(p, proc.pid)
            last_cpu[p.pid] = (role, process_cpu(p) or cpu)
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    out, errors = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"zhnews ingest failed ({proc.returncode}):\n{errors[-3000:]}\n{out[-3000:]}")
    flow = re.search(r"seconds in the flow\s*│\s*([0-9.]+)", out)
    articles = re.search(r"articles loaded\s*│\s*([0-9]+)", out)
    return {"seconds": seconds, "flow_seconds": float(flow.group(1)) if flow else float("nan"),
            "articles": int(articles.group(1)) if articles else -1, "peak": peak,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "server_cpu": process_cpu(server) - server_before, "processes": most, "pids": len(seen),
            "by_role": by_role(last_cpu)}


def role_of(p: psutil.Process, main_pid: int) -> str:
    if p.pid == main_pid:
        return "flow's process"
    try:
        line = " ".join(p.cmdline())
    except psutil.Error:
        return "?"
    if "tasks.clean" in line:
        return "clean/normalise worker"
    if "tasks.extract" in line:
        return "extraction workers"
    return "other (" + Path(line.split()[0]).name + ")" if line else "?"


def by_role(last_cpu: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds by kind of process, as last sampled (up to 0.2 s before each one ended)."""
    roles: dict[str, float] = {}
    for role, cpu in last_cpu.values():
        roles[role] = roles.get(role, 0.0) + cpu
    return roles


def stage_cpu(paths: list[Path], tmp: Path) -> dict[str, float]:
    """CPU seconds of each stage function, in this process, over the pages in batches of
    STAGE_BATCH (the pipeline's default): read, decode, extract, clean, normalise, dedup, load
    into a fresh warehouse. The stages as the pipeline calls them, without Prefect or workers."""
    from tasks.clean import clean_pages
    from tasks.decode import decode_pages
    from tasks.dedup import DedupConfig, deduplicate
    from tasks.extract import extract_pages
    from tasks.dedup_index import WarehouseIndex, ensure_banding
    from tasks.load import load_batch
    from tasks.normalise import normalise_articles
    from tasks.read import discover_inputs, read_files
    from tasks.settings import Settings
    from warehouse.db import open_warehouse

    settings, config = Settings(), DedupConfig()
    refs = discover_inputs(list(paths)).items
    extract_pages(decode_pages(read_files(refs[:1]).items).items)  # warm: imports, caches
    con = open_warehouse(tmp / "stages.duckdb")
    ensure_banding(con, config.banding.bands, config.banding.rows, config.num_perm)
    cpu = dict.fromkeys(["read", "decode", "extract", "clean", "normalise", "dedup", "load"], 0.0)

    def timed(stage, fn, *a, **k):
        t0 = time.process_time()
        out = fn(*a, **k)
        cpu[stage] += time.process_time() - t0
        return out

    try:
        for i in range(0, len(refs), STAGE_BATCH):
            raw = timed("read", read_files, refs[i:i + STAGE_BATCH])
            decoded = timed("decode", decode_pages, raw.items)
            extracted = timed("extract", extract_pages, decoded.items)
            cleaned = timed("clean", clean_pages, extracted.items, min_chars=settings.min_article_chars,
                            warn_share=settings.rule_warn_share)
            normalised = timed("normalise", normalise_articles, cleaned.items, target=settings.script)
            deduped = timed("dedup", deduplicate, normalised.items, WarehouseIndex(con), config)
            rejections = [*raw.rejections, *decoded.rejections, *extracted.rejections, *cleaned.rejections,
                          *normalised.rejections, *deduped.rejections]
            timed("load", load_batch, con, deduped.items, rejections, "bench", dedup_writes=deduped.writes)
    finally:
        con.close()
    return cpu


def dask_ingest(pages_dir: Path, db: Path, env: dict, tmp: Path, server: psutil.Process | None) -> dict:
    """`zhnews ingest --runner dask` on a `dask scheduler` and two `dask worker` processes."""
    from tests.dask_cluster import dask_cluster

    with dask_cluster(POOL_PROCESSES, env, tmp / "dask-logs") as cluster:
        return zhnews_ingest(pages_dir, db, ["--runner", "dask", "--dask-address", cluster.address], env, server)


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


def batch_sessions(rows: list, batch_size: int, tmp: Path, mode: str) -> float:
    """Seconds for the batches as a run's flow thread and read-ahead thread do them: the
    finished-inputs lookup, dedup's lookups (kept by hash, band sharers), the load. `held`:
    on one connection opened once; `sessions`: each in its session as pipeline.py opens them
    (the lookup in one, dedup and load in another) under the run's hold on the file, with no
    reader asking; `reopen`: the same with the file closed after every batch, as when a
    reader asks for it between every two batches (the worst case). Migrations run once."""
    import numpy as np

    from tasks.dedup_index import WarehouseIndex
    from tasks.load import load_batch
    from warehouse.db import Warehouse, open_warehouse

    path = tmp / f"sessions-{mode}-{time.perf_counter_ns()}.duckdb"
    started = time.perf_counter()
    held = open_warehouse(path)
    warehouse = Warehouse(path, memory_limit="512MB")
    if mode != "held":
        held.close()

    def batch(con_for_lookup, con_for_load, part: list) -> None:
        WarehouseIndex(con_for_lookup).finished_inputs([a.article.url for a in part])
        index = WarehouseIndex(con_for_load)
        index.kept_by_hash([a.content_hash for a in part], [])
        bands = np.array([a.sketch.band_hashes for a in part], dtype=np.int64)
        index.band_sharers(np.repeat(np.arange(len(part)), bands.shape[1]), np.tile(np.arange(bands.shape[1]),
                           len(part)), bands.reshape(-1), [])
        load_batch(con_for_load, part, [], "bench")

    def in_sessions(part: list) -> None:
        with warehouse.session() as lookup:
            WarehouseIndex(lookup).finished_inputs([a.article.url for a in part])
        with warehouse.session() as con:
            batch(con, con, part)

    try:
        with warehouse.held():
            for i in range(0, len(rows), batch_size):
                part = rows[i:i + batch_size]
                if mode == "reopen":
                    with warehouse.held():
                        in_sessions(part)
                elif mode == "sessions":
                    in_sessions(part)
                else:
                    batch(held, held, part)
    finally:
        if mode == "held":
            held.close()
    return time.perf_counter() - started


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
    parser.add_argument("--runs", default="own,defaults,pool,w1,w2,stages,dask,load,reopen",
                        help="comma-separated: own, defaults, pool, w1, w2, stages, dask, load, reopen")
    parser.add_argument("--reopen-articles", type=int, default=20_000,
                        help="sketched articles for the reopen run, in batches of 250 (default 20000)")
    parser.add_argument("--prefect", choices=["server", "temp"], default="server")
    parser.add_argument("--load-articles", type=int, default=50_000)
    parser.add_argument("--against", metavar="REV", help="also run --workers 2 of this git revision (a worktree of "
                        "it first on PYTHONPATH), just before this tree's: a change's before and after in one run")
    args = parser.parse_args()
    runs = args.runs.split(",")
    if "dask" in runs and args.prefect != "server":
        raise SystemExit("--runner dask needs a running Prefect server: drop --prefect temp or the dask run")

    tmp = Path(tempfile.mkdtemp(prefix="zhnews-bench-"))
    started = time.perf_counter()
    paths = generate(tmp / "pages", args.pages)
    decoded = utf8_copies(paths, tmp / "pages-utf8")
    sizes = [p.stat().st_size for p in paths]
    print(f"{len(paths)} pages generated in {time.perf_counter() - started:.1f} s: "
          f"{min(sizes) // 1024}-{max(sizes) // 1024} KB, {sum(sizes) / 2**20:.0f} MB in all; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"zhnews' trafilatura call (tasks/extract.py): bare_extraction(..., "
          + ", ".join(f"{k}={v!r}" for k, v in own_extraction_keywords().items()) + ", config=trafilatura_config())")

    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server = server_proc = None
    if args.prefect == "server" and any(r in runs for r in ("w1", "w2", "dask")):
        home = tmp / "prefect-server"
        home.mkdir()
        port = free_port()
        server = start_prefect_server(home, port)
        wait_healthy(f"http://127.0.0.1:{port}/api", server)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
        server_proc = psutil.Process(server.pid)
    else:
        env.pop("PREFECT_API_URL", None)

    baselines: dict[str, list[tuple[float, int, int, float]]] = {"own": [], "defaults": [], "pool": []}

    def measure_baselines(when: str) -> None:
        for name, measure in (("own", lambda: bare_loop(own_extract, decoded)),
                              ("defaults", lambda: bare_loop(default_extract, paths)),
                              ("pool", lambda: pool_loop(decoded))):
            if name in runs and (when == "before" or name != "defaults"):
                baselines[name].append(measure())
                print(f"  {name} ({when}): {len(paths) / baselines[name][-1][0]:.1f} pages/s; "
                      f"load average {os.getloadavg()[0]:.1f}", flush=True)

    results: dict[str, dict] = {}
    against_env = None
    if args.against:
        worktree = tmp / "against"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.against],
                       check=True, capture_output=True)
        against_env = {**env, "PYTHONPATH": str(worktree)}
    try:
        print("\nbaselines before the zhnews runs:")
        measure_baselines("before")
        for run in ("w1", "w2"):
            if run == "w2" and against_env and run in runs:
                results["w2-against"] = zhnews_ingest(tmp / "pages", tmp / "w2-against.duckdb", ["--workers", "2"],
                                                      against_env, server_proc)
                print(f"  zhnews --workers 2 at {args.against}: {len(paths) / results['w2-against']['seconds']:.1f} "
                      f"pages/s; load average {os.getloadavg()[0]:.1f}", flush=True)
            if run in runs:
                results[run] = zhnews_ingest(tmp / "pages", tmp / f"{run}.duckdb", ["--workers", run[1:]], env,
                                             server_proc)
                print(f"  zhnews --workers {run[1:]}: {len(paths) / results[run]['seconds']:.1f} pages/s; "
                      f"load average {os.getloadavg()[0]:.1f}", flush=True)
        if "dask" in runs:
            results["dask"] = dask_ingest(tmp / "pages", tmp / "dask.duckdb", env, tmp, server_proc)
            print(f"  zhnews --runner dask: {len(paths) / results['dask']['seconds']:.1f} pages/s; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
        if results:
            print("baselines after the zhnews runs:")
            measure_baselines("after")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.against:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "against")],
                           capture_output=True)

    best = {name: min(values) for name, values in baselines.items() if values}
    own = best.get("own")
    rate = lambda seconds: len(paths) / seconds  # noqa: E731
    print(f"\nPrefect: {'a running prefect server' if server else 'temporary server per run'}; "
          f"load average now {os.getloadavg()[0]:.1f}; the faster of each baseline's runs counts")
    print(f"{'run':<40}{'pages/s':>9}{'x own':>7}{'x pool':>8}{'procs':>7}{'CPU ms/page':>13}{'peak RSS':>10}{'articles':>10}")
    names = {"own": "bare loop, zhnews' trafilatura settings", "defaults": "bare loop, trafilatura defaults",
             "pool": f"{POOL_PROCESSES}-process pool, zhnews' settings", "w1": "zhnews --workers 1",
             "w2": "zhnews --workers 2", "w2-against": f"zhnews --workers 2 at {args.against}", "dask": f"zhnews --runner dask ({POOL_PROCESSES} dask workers)"}
    rows = {**{k: {"seconds": v[0], "articles": v[1], "processes": v[2] if k == "pool" else 1,
                   "cpu": v[3], "peak": v[2] if k != "pool" else 0}
               for k, v in best.items()}, **results}
    for run, r in rows.items():
        x_own = f"{rate(r['seconds']) / rate(own[0]):.2f}" if own else "-"
        x_pool = f"{rate(r['seconds']) / rate(best['pool'][0]):.2f}" if "pool" in best else "-"
        # The pool's and the Dask workers' CPU is not in a process tree this script reaps.
        cpu = r["cpu"] + r.get("server_cpu", 0.0)
        cpu = f"{cpu / len(paths) * 1000:>13.1f}" if run not in ("pool", "dask") else f"{'-':>13}"
        peak = f"{r['peak'] / 2**20:>8.0f}MB" if r["peak"] else f"{'-':>10}"
        procs = r["processes"] if run != "dask" else f"1+{POOL_PROCESSES}"
        print(f"{names[run]:<40}{rate(r['seconds']):>9.1f}{x_own:>7}{x_pool:>8}{procs:>7}{cpu}{peak}{r['articles']:>10}")
    for run in ("w1", "w2-against", "w2"):
        if run in results:
            r = results[run]
            print(f"{names[run]} used {r['processes']} processes at once ({r['pids']} in all: the "
                  f"flow's, {run[1]} extraction worker(s), the clean/normalise worker); CPU {r['cpu']:.1f} s in "
                  f"its process tree + {r['server_cpu']:.1f} s in the Prefect server; "
                  f"{r['flow_seconds']:.1f} s in the flow, {r['seconds'] - r['flow_seconds']:.1f} s start-up and exit")
            print("  CPU ms per page by process (sampled): " + ", ".join(
                f"{role} {cpu / len(paths) * 1000:.2f}" for role, cpu in sorted(r["by_role"].items()))
                  + f", Prefect server {r['server_cpu'] / len(paths) * 1000:.2f}")

    if "stages" in runs:
        cpu = stage_cpu(paths, tmp)
        per_page = {k: v / len(paths) * 1000 for k, v in cpu.items()}
        print(f"\nCPU ms per page by stage, in this process, batches of {STAGE_BATCH}; load average "
              f"{os.getloadavg()[0]:.1f}:")
        print("  " + ", ".join(f"{k} {v:.2f}" for k, v in per_page.items()) + f"; stages in all {sum(per_page.values()):.2f}")
        if own:
            print(f"  extraction alone (the bare loop, zhnews' settings): {own[3] / len(paths) * 1000:.2f} CPU ms per page")
        if own and "w2" in results:
            # On 2 busy cores the runs are CPU-bound: no pipeline on them beats the pool by more
            # than the ratio of CPU per page, whatever its parallelism.
            whole = (results["w2"]["cpu"] + results["w2"]["server_cpu"]) / len(paths) * 1000
            print(f"  bound for --workers 2 against the pool when CPU-bound: extraction's CPU / zhnews' CPU per page = "
                  f"{own[3] / len(paths) * 1000:.2f} / {whole:.2f} = {own[3] / len(paths) * 1000 / whole:.2f}x")
        for run in ("w1", "w2"):
            if run in results:
                r = results[run]
                whole = (r["cpu"] + r["server_cpu"]) / len(paths) * 1000
                rest = whole - sum(per_page.values())
                print(f"  zhnews --workers {run[1:]}: {whole:.2f} ms per page in all; beyond the stages "
                      f"{rest:.2f} (Prefect server {r['server_cpu'] / len(paths) * 1000:.2f}; Prefect client, the "
                      f"main process's own work, workers' start-up and page transfer {rest - r['server_cpu'] / len(paths) * 1000:.2f})")

    load_line = None
    if "load" in runs:
        print(f"\ndisk: {disk_write_rate(tmp):.0f} MB/s written and fsynced; an article is ~4 KB of UTF-8 text")
        texts = synthetic_texts(args.load_articles)
        plain, sketched = synthetic_articles(texts), synthetic_articles(texts, sketches=True)
        loaded = {}
        for batch_size in (1000, 10_000):
            loaded[batch_size] = load_stage(plain, batch_size, tmp)
            print(f"load stage alone, {args.load_articles} articles in batches of {batch_size}: "
                  f"{loaded[batch_size]:,.0f} articles/s; load average {os.getloadavg()[0]:.1f}")
        ceiling = {}
        for compression in ("ZSTD", "UNCOMPRESSED"):
            ceiling[compression], cpu = duckdb_insert_ceiling(plain, 10_000, tmp, compression)
            print(f"DuckDB INSERT alone (Arrow built beforehand), text {compression.lower()}, batches of 10000: "
                  f"{ceiling[compression]:,.0f} articles/s, {cpu:.2f} CPU s per 1,000 articles; "
                  f"load average {os.getloadavg()[0]:.1f}")
        for batch_size in (1000, 10_000):
            rate_ = load_stage(sketched, batch_size, tmp)
            print(f"load stage with dedup sketches, {args.load_articles} articles in batches of {batch_size}: "
                  f"{rate_:,.0f} articles/s; load average {os.getloadavg()[0]:.1f}")
        ratio = loaded[10_000] / ceiling["ZSTD"]
        load_line = (f"load stage: {loaded[10_000]:,.0f} articles/s = {ratio:.2f} x DuckDB's own INSERT in this run "
                     f"({'MET' if ratio >= TARGET_LOAD_OF_INSERT else 'NOT MET'}: target {TARGET_LOAD_OF_INSERT}x)")

    if "reopen" in runs:
        texts = synthetic_texts(args.reopen_articles, seed=7)
        sketched = synthetic_articles(texts, sketches=True)
        timings: dict[str, list[float]] = {"held": [], "sessions": [], "reopen": []}
        for _ in range(2):  # alternated: the machine's load moves under all alike
            for mode in timings:
                timings[mode].append(batch_sessions(sketched, STAGE_BATCH, tmp, mode))
        held, sessions, reopened = (min(timings[mode]) for mode in ("held", "sessions", "reopen"))
        batches = -(-len(sketched) // STAGE_BATCH)
        print(f"\nbatches of {STAGE_BATCH} sketched articles to {len(sketched)} (lookups, dedup lookups, load): "
              f"one connection held {held:.2f} s; a run's sessions, no reader {sessions:.2f} s: "
              f"{sessions / held:.2f}x; the file closed after every batch (a reader asking each time) "
              f"{reopened:.2f} s: {reopened / held:.2f}x, {(reopened - held) / batches * 1000:.1f} ms a batch; "
              f"load average {os.getloadavg()[0]:.1f}")

    print()
    if "w2" in results and "w2-against" in results:
        print(f"zhnews --workers 2: {rate(results['w2']['seconds']):.1f} pages/s, {args.against} "
              f"{rate(results['w2-against']['seconds']):.1f} pages/s in the same run: "
              f"{results['w2-against']['seconds'] / results['w2']['seconds']:.2f}x; CPU per page "
              f"{(results['w2']['cpu'] + results['w2']['server_cpu']) / len(paths) * 1000:.1f} against "
              f"{(results['w2-against']['cpu'] + results['w2-against']['server_cpu']) / len(paths) * 1000:.1f} ms")
    if "w2" in results and "pool" in best:
        ratio = rate(results["w2"]["seconds"]) / rate(best["pool"][0])
        print(f"target w2 >= {TARGET_W2_OF_POOL:.2f}x {POOL_PROCESSES}-process pool: {ratio:.2f}x "
              f"{'MET' if ratio >= TARGET_W2_OF_POOL else 'NOT MET'}")
    if load_line:
        print(load_line)


if __name__ == "__main__":
    main()
