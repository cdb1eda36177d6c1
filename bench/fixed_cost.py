"""The fixed cost of a run: `zhnews ingest` of one page, timed from the shell, with Prefect's
temporary server (the default: no server to start) and with a running `prefect server`
(started here on 127.0.0.1). Targets: <= 12 s and <= 3 s. With the running server, each
repeat also runs this tree with heartbeats off (ZHNEWS_HEARTBEAT_SECONDS=0; on, 30 s, is the
default), interleaved, and prints what heartbeats cost: the difference and the ratio.

    .venv/bin/python bench/fixed_cost.py [--repeat 3] [--importtime] [--against REV] [--pause 3]
                                         [--server-only]

Each mode runs --repeat times on a fresh DuckDB file; the first temporary-server run also
creates Prefect's database in a fresh PREFECT_HOME (once per machine), reported apart.
Times are wall seconds from the shell; "CPU" is the user+system time of the whole process
tree (the CLI, its extraction worker, the temporary server), which moves less with the load.
--against REV runs the same measurements, interleaved run by run, on a git worktree of REV
(e.g. the commit before a change): a fair before/after on a shared, noisy machine.
--importtime prints the slowest imports of `zhnews ingest` in each mode (python -X importtime)
and how many prefect.server modules the CLI process imported.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.conftest import free_port, start_prefect_server, wait_healthy  # noqa: E402  (sets PREFECT_HOME to a temp dir)

ZHNEWS = Path(sys.executable).parent / "zhnews"
PAGE = sorted((ROOT / "seeds" / "texts").glob("*.txt"))[0]


class Tree:
    """The code a run uses: this checkout, or a worktree of another revision. On PYTHONPATH,
    which comes before the editable install's finder, so a worktree's own code runs."""

    def __init__(self, name: str, root: Path, pythonpath: bool):
        self.name, self.root, self.pythonpath = name, root, pythonpath

    def env(self, env: dict) -> dict:
        return {**env, "PYTHONPATH": str(self.root)} if self.pythonpath else env


def one_page_run(tree: Tree, env: dict, db: Path, python_flags: list[str] | None = None
                 ) -> tuple[float, float, str, str]:
    """(wall s, CPU s of the process tree, stdout, stderr)"""
    command = [sys.executable, *(python_flags or []), str(ZHNEWS), "ingest", str(PAGE), "--db", str(db)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=tree.env(env), cwd=tree.root)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"zhnews ingest ({tree.name}) failed:\n{done.stderr[-3000:]}")
    return seconds, cpu, done.stdout, done.stderr


def flow_seconds(stdout: str) -> str:
    found = re.search(r"seconds in the flow\s*│\s*([0-9.]+)", stdout)
    return found.group(1) if found else "?"


def slowest_imports(stderr: str, top: int = 12) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the slowest top-level imports in -X importtime output."""
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 1:
            rows.append((int(match.group(1)), match.group(3)))
    return sorted(rows, reverse=True)[:top]


def server_modules(stderr: str) -> int:
    return len(re.findall(r"^import time:.*\| *prefect\.server(\.\S+)?$", stderr, re.MULTILINE))


def print_imports(label: str, tree: Tree, env: dict, db: Path) -> None:
    _, _, _, err = one_page_run(tree, env, db, ["-X", "importtime"])
    print(f"slowest imports of `zhnews ingest`, {label} ({tree.name}; cumulative; "
          f"the CLI process imported {server_modules(err)} prefect.server modules):")
    for micros, module in slowest_imports(err):
        print(f"  {micros / 1e6:6.2f} s  {module}")


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--against", metavar="REV", help="also measure this git revision, interleaved")
    parser.add_argument("--pause", type=float, default=3.0, metavar="SECONDS",
                        help="wait before each timed run: the server (and a previous run's worker) "
                             "finish the previous run's work first, as they would between a user's runs")
    parser.add_argument("--server-only", action="store_true",
                        help="skip the temporary-server runs (e.g. for the heartbeat figure alone)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zhnews-fixed-"))
    trees = [Tree("this tree", ROOT, True)]
    if args.against:
        worktree = tmp / "against"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.against],
                       check=True, capture_output=True)
        trees.insert(0, Tree(args.against, worktree, True))
    base = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    base.pop("PREFECT_API_URL", None)
    base.pop("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", None)
    for tree in trees:
        # Bytecode for zhnews's own modules, as a first run writes it (and pip writes it for the
        # installed packages): here PYTHONDONTWRITEBYTECODE=1 would make every run compile them.
        subprocess.run([sys.executable, "-m", "compileall", "-q", "flows", "tasks", "warehouse"],
                       cwd=tree.root, check=True, capture_output=True)
    print(f"one page ({PAGE.name}); {os.cpu_count()} cores, {load()}; {args.pause:g} s pause before each run; "
          f"bytecode compiled first")
    temp_runs: dict[str, list[tuple[float, float]]] = {t.name: [] for t in trees}
    server_runs: dict[str, list[tuple[float, float]]] = {t.name: [] for t in trees}
    no_heartbeat_runs: list[tuple[float, float]] = []
    server = None
    try:
        for tree in [] if args.server_only else trees:
            env = {**base, "PREFECT_HOME": str(tmp / f"home-temp-{trees.index(tree)}")}
            seconds, cpu, out, _ = one_page_run(tree, env, tmp / f"first-{trees.index(tree)}.duckdb")
            print(f"temporary server, first run on a fresh PREFECT_HOME (creates Prefect's DB), {tree.name}: "
                  f"{seconds:.1f} s, CPU {cpu:.1f} s (flow {flow_seconds(out)} s); {load()}")
        for n in range(0 if args.server_only else args.repeat):
            for i, tree in enumerate(trees):
                env = {**base, "PREFECT_HOME": str(tmp / f"home-temp-{i}")}
                time.sleep(args.pause)
                seconds, cpu, out, _ = one_page_run(tree, env, tmp / f"temp-{i}-{n}.duckdb")
                temp_runs[tree.name].append((seconds, cpu))
                print(f"  temporary server run {n + 1}, {tree.name}: {seconds:.1f} s, CPU {cpu:.1f} s "
                      f"(flow {flow_seconds(out)} s); {load()}")
        if args.importtime:
            for i, tree in enumerate(trees):
                print_imports("temporary server", tree, {**base, "PREFECT_HOME": str(tmp / f"home-temp-{i}")},
                              tmp / f"importtime-temp-{i}.duckdb")

        home = tmp / "home-server"
        home.mkdir()
        port = free_port()
        server = start_prefect_server(home, port)
        url = f"http://127.0.0.1:{port}/api"
        wait_healthy(url, server)
        for n in range(args.repeat + 1):
            for i, tree in enumerate(trees):
                env = {**base, "PREFECT_HOME": str(tmp / f"home-client-{i}"), "PREFECT_API_URL": url}
                time.sleep(args.pause)
                seconds, cpu, out, _ = one_page_run(tree, env, tmp / f"server-{i}-{n}.duckdb")
                if n > 0:  # the first registers the flow with the server
                    server_runs[tree.name].append((seconds, cpu))
                print(f"  running server run {n}, {tree.name}: {seconds:.1f} s, CPU {cpu:.1f} s "
                      f"(flow {flow_seconds(out)} s); {load()}{' (first: registers the flow)' if n == 0 else ''}")
            if n > 0:
                env = {**base, "PREFECT_HOME": str(tmp / "home-client-nohb"), "PREFECT_API_URL": url,
                       "ZHNEWS_HEARTBEAT_SECONDS": "0"}
                time.sleep(args.pause)
                seconds, cpu, out, _ = one_page_run(trees[-1], env, tmp / f"server-nohb-{n}.duckdb")
                no_heartbeat_runs.append((seconds, cpu))
                print(f"  running server run {n}, {trees[-1].name}, heartbeats off: {seconds:.1f} s, CPU "
                      f"{cpu:.1f} s (flow {flow_seconds(out)} s); {load()}")
        if args.importtime:
            for i, tree in enumerate(trees):
                print_imports("running server", tree,
                              {**base, "PREFECT_HOME": str(tmp / f"home-client-{i}"), "PREFECT_API_URL": url},
                              tmp / f"importtime-server-{i}.duckdb")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.against:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "against")],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    for label, runs, target in (("temporary server", temp_runs, 12), ("running prefect server", server_runs, 3)):
        for tree in trees if runs[trees[0].name] else []:
            wall = statistics.median(s for s, _ in runs[tree.name])
            cpu = statistics.median(c for _, c in runs[tree.name])
            ratio = ""
            if args.against and tree is trees[-1]:
                before = statistics.median(s for s, _ in runs[trees[0].name])
                ratio = f", {wall / before:.2f}x {trees[0].name}"
            print(f"fixed cost, {label}, {tree.name} (median of {len(runs[tree.name])}): {wall:.1f} s, "
                  f"CPU {cpu:.1f} s{ratio} {'MET' if wall <= target else 'NOT MET'} (target {target} s)")
    on = server_runs[trees[-1].name]
    on_wall, on_cpu = statistics.median(s for s, _ in on), statistics.median(c for _, c in on)
    off_wall = statistics.median(s for s, _ in no_heartbeat_runs)
    off_cpu = statistics.median(c for _, c in no_heartbeat_runs)
    print(f"heartbeats, running prefect server, {trees[-1].name} (medians of {len(on)}): on (30 s) "
          f"{on_wall:.1f} s, CPU {on_cpu:.1f} s; off {off_wall:.1f} s, CPU {off_cpu:.1f} s; "
          f"on - off {on_wall - off_wall:+.2f} s wall, {on_cpu - off_cpu:+.2f} s CPU; "
          f"{on_wall / off_wall:.2f}x wall")
    print(f"{load()} now")


if __name__ == "__main__":
    main()
