"""The fixed cost of a run: `zhnews ingest` of one page, timed from the shell, with Prefect's
temporary server (the default: no server to start) and with a running `prefect server`
(started here on 127.0.0.1). Targets: <= 12 s and <= 3 s.

    .venv/bin/python bench/fixed_cost.py [--repeat 3] [--importtime]

Each mode runs --repeat times on a fresh DuckDB file; the first temporary-server run also
creates Prefect's database in a fresh PREFECT_HOME (once per machine), reported apart.
--importtime prints the slowest imports of `zhnews ingest` (python -X importtime).
"""
from __future__ import annotations

import argparse
import os
import re
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


def one_page_run(env: dict, db: Path, python_flags: list[str] | None = None) -> tuple[float, str, str]:
    command = [sys.executable, *(python_flags or []), str(ZHNEWS), "ingest", str(PAGE), "--db", str(db)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"zhnews ingest failed:\n{done.stderr[-3000:]}")
    return seconds, done.stdout, done.stderr


def flow_seconds(stdout: str) -> str:
    found = re.search(r"seconds in the flow\s*│\s*([0-9.]+)", stdout)
    return found.group(1) if found else "?"


def slowest_imports(stderr: str, top: int = 15) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the slowest top-level imports in -X importtime output."""
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 1:
            rows.append((int(match.group(1)), match.group(3)))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zhnews-fixed-"))
    base = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    base.pop("PREFECT_API_URL", None)
    base.pop("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", None)
    print(f"one page ({PAGE.name}); {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

    temp_env = {**base, "PREFECT_HOME": str(tmp / "home-temp")}
    first, out, _ = one_page_run(temp_env, tmp / "first.duckdb")
    print(f"temporary server, first run on this PREFECT_HOME (creates Prefect's DB): {first:.1f} s "
          f"(flow {flow_seconds(out)} s)")
    temp_runs = []
    for n in range(args.repeat):
        seconds, out, _ = one_page_run(temp_env, tmp / f"temp-{n}.duckdb")
        temp_runs.append(seconds)
        print(f"  temporary server run {n + 1}: {seconds:.1f} s (flow {flow_seconds(out)} s)")

    home = tmp / "home-server"
    home.mkdir()
    port = free_port()
    server = start_prefect_server(home, port)
    try:
        url = f"http://127.0.0.1:{port}/api"
        wait_healthy(url, server)
        server_env = {**base, "PREFECT_HOME": str(tmp / "home-client"), "PREFECT_API_URL": url}
        server_runs = []
        for n in range(args.repeat + 1):
            seconds, out, _ = one_page_run(server_env, tmp / f"server-{n}.duckdb")
            if n > 0:  # the first registers the flow with the server
                server_runs.append(seconds)
            print(f"  running server run {n}: {seconds:.1f} s (flow {flow_seconds(out)} s)"
                  f"{' (first: registers the flow)' if n == 0 else ''}")
        if args.importtime:
            _, _, err = one_page_run(server_env, tmp / "importtime.duckdb", ["-X", "importtime"])
            print("slowest imports of `zhnews ingest` (cumulative):")
            for micros, module in slowest_imports(err):
                print(f"  {micros / 1e6:6.2f} s  {module}")
    finally:
        server.terminate()
        server.wait(timeout=30)

    temp, running = statistics.median(temp_runs), statistics.median(server_runs)
    print(f"\nfixed cost, temporary server (median of {len(temp_runs)}): {temp:.1f} s "
          f"{'MET' if temp <= 12 else 'NOT MET'} (target 12 s)")
    print(f"fixed cost, running prefect server (median of {len(server_runs)}): {running:.1f} s "
          f"{'MET' if running <= 3 else 'NOT MET'} (target 3 s)")
    print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
