"""Shared fixtures: a real Prefect server on 127.0.0.1 for the whole session (so flow runs
skip the 10-20 s temporary-server start-up), temporary PREFECT_HOME, real DuckDB files."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
_HOME = Path(tempfile.mkdtemp(prefix="zhnews-prefect-home-"))
# Set before anything imports prefect: tests never touch the user's ~/.prefect.
os.environ["PREFECT_HOME"] = str(_HOME)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
# A run that fails in a test is still retried once (the users' default), but at once, not
# after the 30 s users wait: tests of the retry itself set their own delay.
os.environ.setdefault("ZHNEWS_FLOW_RETRY_DELAY", "0")

from flows.temporary_server import free_port  # noqa: E402  (imports no prefect; re-exported for bench/)


def start_prefect_server(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_HOME": str(home),
           "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home}/server.db",
           "PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "wb")
    return subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 300) -> None:
    # 300: on a busy 2-core machine a fresh server (its database migrated first) took 108 s.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("prefect server did not become healthy")


@pytest.fixture(scope="session")
def prefect_server() -> str:
    """URL of a real `prefect server start` on 127.0.0.1; PREFECT_API_URL points at it."""
    home = _HOME / "server"
    home.mkdir(exist_ok=True)
    port = free_port()
    proc = start_prefect_server(home, port)
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_healthy(url, proc)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "zhnews.duckdb"


def run_cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The installed `zhnews` console script, as a user runs it."""
    exe = Path(sys.executable).parent / "zhnews"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def rows(db_path, sql: str) -> list[tuple]:
    """The rows of a query on a DuckDB file, read-only (the file is closed again)."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
