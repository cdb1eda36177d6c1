"""This tree's `zhnews ingest` against another revision's, on the same pages, in one run.

    .venv/bin/python bench/against.py REV [--pages 2000] [--workers 2] [--repeat 2]

REV is checked out into a temporary git worktree and run with this venv's Python and
`PYTHONPATH=<worktree>` (its own code, this venv's packages), so only the code differs.
Both run against one `prefect server` on 127.0.0.1, on fresh DuckDB files, alternating
run by run (the machine is shared: alternation spreads its noise over both). Prints pages
per second from the shell command's start to its exit, and the ratio this tree / REV.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bench.pages import generate  # noqa: E402
from tests.conftest import free_port, start_prefect_server, wait_healthy  # noqa: E402  (PREFECT_HOME: a temp dir)

ZHNEWS = Path(sys.executable).parent / "zhnews"


def run(tree: Path, pages: Path, db: Path, workers: int, api: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree), "PREFECT_API_URL": api}
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(ZHNEWS), "ingest", str(pages), "--db", str(db),
                           "--workers", str(workers)], cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"zhnews in {tree} failed ({done.returncode}): {(done.stderr or done.stdout)[-500:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="zhnews-against-") as tmp:
        tmp = Path(tmp)
        other = tmp / "rev"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.rev],
                       check=True, capture_output=True)
        server = start_prefect_server(tmp, port := free_port())
        try:
            api = f"http://127.0.0.1:{port}/api"
            wait_healthy(api, server)
            pages = tmp / "pages"
            generate(pages, args.pages)
            times: dict[str, list[float]] = {"this tree": [], args.rev: []}
            for i in range(args.repeat):
                for name, tree in (("this tree", ROOT), (args.rev, other)):
                    times[name].append(run(tree, pages, tmp / f"{i}-{tree.name}.duckdb", args.workers, api))
            load = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], capture_output=True)
            shutil.rmtree(other, ignore_errors=True)
    rates = {name: args.pages / statistics.median(values) for name, values in times.items()}
    for name, rate in rates.items():
        runs = ", ".join(f"{args.pages / t:.1f}" for t in times[name])
        print(f"{name:12} {rate:7.1f} pages/s (median of {args.repeat}: {runs}), --workers {args.workers}")
    print(f"this tree / {args.rev}: {rates['this tree'] / rates[args.rev]:.2f}x on {args.pages} pages "
          f"(load average {load:.1f})")


if __name__ == "__main__":
    main()
