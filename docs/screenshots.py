"""Screenshots of the Prefect UI for the docs, taken with headless Chromium.

    .venv/bin/python docs/screenshots.py                    # docs/ui-run-form.png
    .venv/bin/python docs/screenshots.py --flow-run ID --api-url http://127.0.0.1:4200/api \\
        --out docs/crashed-run.png                          # a run's page, e.g. a crashed run

Without --api-url it starts a `prefect server` of its own (UI on, 127.0.0.1, a temporary
PREFECT_HOME), creates the `zhnews` process work pool and runs `prefect deploy --all` from
the repository root, then photographs the custom-run form of --deployment (the parameters'
choices, descriptions and defaults). With --flow-run it photographs that run's page instead.
Needs Chromium (`apt-get install chromium`).
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    # PREFECT_UI_API_URL: where the UI's pages call the API (else :4200)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_UI_ENABLED": "true",
           "PREFECT_UI_API_URL": api_url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=open(home / "server.log", "wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"prefect server exited; see {home / 'server.log'}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return server, api_url
        except httpx.HTTPError:
            pass
        time.sleep(1)
    server.terminate()
    sys.exit("prefect server did not start in 5 minutes")


def prefect(*args: str, api_url: str, home: Path | None = None) -> None:
    env = {**os.environ, "PREFECT_API_URL": api_url, **({"PREFECT_HOME": str(home)} if home else {})}
    subprocess.run([str(BIN / "prefect"), "--no-prompt", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def deployment_id(api_url: str, name: str) -> str:
    flow, deployment = name.split("/", 1)
    response = httpx.get(f"{api_url}/deployments/name/{flow}/{deployment}", timeout=30)
    response.raise_for_status()
    return response.json()["id"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    sys.exit("no Chromium found: apt-get install chromium")


def screenshot(url: str, out: Path, size: str, wait_ms: int) -> None:
    with tempfile.TemporaryDirectory(prefix="zhnews-chromium-") as profile:
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--window-size={size}",
                        f"--virtual-time-budget={wait_ms}", f"--screenshot={out}", url],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    print(f"{out}: {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-url", help="an existing Prefect server's API (default: start one)")
    parser.add_argument("--deployment", default="ingest/seeds-hourly", help="FLOW/DEPLOYMENT whose run form to show")
    parser.add_argument("--flow-run", metavar="ID", help="photograph this flow run's page instead")
    parser.add_argument("--out", type=Path, help="PNG file (default docs/ui-run-form.png, or docs/flow-run.png)")
    parser.add_argument("--window-size", default="1400,2200", help="WIDTH,HEIGHT in pixels")
    parser.add_argument("--wait-ms", type=int, default=20000, help="virtual time the page gets to render")
    args = parser.parse_args()
    out = args.out or ROOT / "docs" / ("flow-run.png" if args.flow_run else "ui-run-form.png")

    server, home = None, None
    api_url = args.api_url
    try:
        if api_url is None:
            home = Path(tempfile.mkdtemp(prefix="zhnews-screenshots-"))
            server, api_url = start_server(home)
            if not args.flow_run:
                prefect("work-pool", "create", "zhnews", "--type", "process", api_url=api_url, home=home)
                prefect("deploy", "--all", api_url=api_url, home=home)
        ui_url = api_url.rstrip("/").removesuffix("/api")
        if args.flow_run:
            url = f"{ui_url}/runs/flow-run/{args.flow_run}"
        else:
            url = f"{ui_url}/deployments/deployment/{deployment_id(api_url, args.deployment)}/run"
        screenshot(url, out, args.window_size, args.wait_ms)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
