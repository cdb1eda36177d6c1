"""Prefect's temporary API server, started by zhnews itself when no server is configured.

Without PREFECT_API_URL, Prefect 3.8 starts a temporary server at the flow's first API
call: it imports its whole server API in this process (fastapi, sqlalchemy, docket, ...;
seconds of CPU) only to launch a subprocess that imports it all again, and waits for it.
zhnews launches that same subprocess (`uvicorn prefect.server.api.server:create_app`,
as Prefect does) before its own imports, points this process at it with PREFECT_API_URL,
and waits for it only just before the flow starts: the server's start-up overlaps the
CLI's imports, and this process never imports the server. Runs, task runs, logs and
artifacts land in the same database as before (PREFECT_HOME's), so a later
`prefect server start` shows them.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from tasks.errors import ZhnewsError

STAGE = "prefect"
# Start-up work of the temporary server that a run does not need; the user's environment
# wins. Block registration imports every installed Prefect collection (prefect-dask pulls in
# distributed, ~1 s) to register block types: a full `prefect server start` registers them.
SERVER_DEFAULTS = {
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}
# What the flow's first call imports, imported while the temporary server is still starting.
FIRST_CALL_IMPORTS = ("prefect.flow_engine", "prefect.task_engine")
FALSE = {"0", "false", "no", "off"}
DEFAULT_STARTUP_TIMEOUT = 120.0  # seconds; PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS overrides
UVICORN_PORT_IN_USE = 3  # uvicorn's exit code when it cannot start (Prefect retries on it too)

# The server process: what `uvicorn --factory prefect.server.api.server:create_app` runs
# (Prefect's SubprocessASGIServer command), plus: the port is bound first, so a taken port
# fails at once rather than after the start-up; no garbage collection during the start-up
# (imports allocate much and free little, so the collector's passes over the growing heap
# only cost time), then what start-up made is frozen out of later passes; and it stops
# when this process is gone, even killed (Prefect's is left running then).
SERVER_MAIN = """
import os, signal, socket, sys, threading, time
sock = socket.socket()
try:
    sock.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(3)
parent = os.getppid()
def stop_with_parent():
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)
threading.Thread(target=stop_with_parent, daemon=True).start()
import gc
gc.disable()
import uvicorn
from prefect.server.api.server import create_app
config = uvicorn.Config(create_app, factory=True, log_level="error", lifespan="on")
config.load()
gc.freeze()
gc.enable()
uvicorn.Server(config).run(sockets=[sock])
"""


def needed(env: os._Environ | dict = os.environ, cwd: Path | None = None) -> bool:
    """Whether Prefect would start a temporary server: no API URL in the environment or
    the active profile, and temporary servers not switched off. Where a settings file we do
    not read could say otherwise (.env, prefect.toml, [tool.prefect]), Prefect decides."""
    if env.get("PREFECT_API_URL") or _off(env.get("PREFECT_SERVER_EPHEMERAL_ENABLED")):
        return False
    cwd = cwd or Path.cwd()
    if (cwd / ".env").exists() or (cwd / "prefect.toml").exists():
        return False
    try:
        if "prefect" in _toml(cwd / "pyproject.toml").get("tool", {}):
            return False
        profiles = _toml(profiles_path(env))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    active = env.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    profile = profiles.get("profiles", {}).get(active, {})
    switches = ("PREFECT_SERVER_EPHEMERAL_ENABLED", "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE")
    return not profile.get("PREFECT_API_URL") and not any(_off(profile.get(key)) for key in switches)


def profiles_path(env) -> Path:
    if env.get("PREFECT_PROFILES_PATH"):
        return Path(env["PREFECT_PROFILES_PATH"])
    home = Path(env["PREFECT_HOME"]) if env.get("PREFECT_HOME") else Path.home() / ".prefect"
    return home / "profiles.toml"


def _off(value: object) -> bool:
    return str(value).strip().lower() in FALSE if value is not None else False


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TemporaryServer:
    """One `uvicorn prefect.server.api.server:create_app` subprocess on 127.0.0.1."""

    def __init__(self, env: dict[str, str]):
        self.env = {**env, **{k: env.get(k, v) for k, v in SERVER_DEFAULTS.items()},
                    # as Prefect's SubprocessASGIServer: no UI, ephemeral services only
                    "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        self.env.pop("PREFECT_API_URL", None)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        # -P: the user's working directory is not on the server's sys.path (Prefect's own
        # command puts site-packages first with --app-dir for the same reason).
        # Its own session: Ctrl-C interrupts the CLI, which then sends the server what the
        # run still holds and stops it, rather than the server dying first.
        self.process = subprocess.Popen([sys.executable, "-P", "-c", SERVER_MAIN, str(self.port)],
                                        env=self.env, stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_healthy(self, timeout: float) -> None:
        """Block until /health answers; a taken port (another process won the race for
        it) restarts the server on another one, with a new api_url."""
        import httpx  # here, not at the top: the server starts before this process imports

        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=5) as client:
            while time.monotonic() < deadline:
                code = self.process.poll()
                if code == UVICORN_PORT_IN_USE:
                    self.port = free_port()
                    self.start()
                    continue
                if code is not None:
                    home = self.env.get("PREFECT_HOME", "~/.prefect")
                    raise ZhnewsError(f"Prefect's temporary server exited with code {code} before it "
                                      f"answered (its messages are above; PREFECT_HOME {home})", stage=STAGE)
                try:
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        self.stop()
        raise ZhnewsError(f"Prefect's temporary server did not answer within {timeout:.0f} s: raise "
                          "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or run `prefect server start` "
                          "and set PREFECT_API_URL", stage=STAGE)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()  # uvicorn shuts down gracefully: services stop, the DB closes
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def drain_prefect_clients() -> None:
    """Send what Prefect's background workers still hold (task-run events, log lines) to
    the server before it stops, as Prefect's own test harness does."""
    if "prefect.events.worker" not in sys.modules and "prefect.logging.handlers" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (EventsWorker, APILogWorker):
        try:
            worker.drain_all(timeout=30)
        except Exception:  # noqa: BLE001 - best effort, the run itself is done
            pass


_ours: str | None = None  # the URL of the server this process started, while it runs


def started_here(url: str | None) -> bool:
    """Whether url is a temporary server this process started (not a user's server)."""
    return url is not None and url == _ours


@contextmanager
def api_for_run() -> Iterator[callable]:
    """Around a CLI command that runs a flow: without a configured Prefect API, start the
    temporary server now and point PREFECT_API_URL at it; yields `ready()`, to call just
    before the flow (it waits for the server). With an API configured, does nothing."""
    global _ours
    if not needed():
        yield lambda: None
        return
    server = TemporaryServer(dict(os.environ))
    server.start()
    previous = use_api_url(server.api_url)
    _ours = server.api_url

    def ready() -> None:
        for module in FIRST_CALL_IMPORTS:  # imported anyway: now, while the server starts
            import_module(module)
        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")
                        or DEFAULT_STARTUP_TIMEOUT)
        server.wait_healthy(timeout)
        global _ours
        if server.api_url != _ours:  # restarted on another port
            _ours = server.api_url
            use_api_url(server.api_url)

    try:
        yield ready
    finally:
        try:
            drain_prefect_clients()
        finally:
            server.stop()
            _ours = None
            use_api_url(previous)


def use_api_url(url: str | None) -> str | None:
    """Set (or, with None, remove) PREFECT_API_URL for this process, also where Prefect
    has already read its settings; returns the previous value."""
    previous = os.environ.get("PREFECT_API_URL")
    if url is None:
        os.environ.pop("PREFECT_API_URL", None)
    else:
        os.environ["PREFECT_API_URL"] = url
    if "prefect.context" in sys.modules:
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()
    return previous
