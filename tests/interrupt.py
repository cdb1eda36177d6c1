"""Ctrl-C to a real `zhnews` process, as a terminal sends it (shared by the tests and
bench/faults.py; importing it has no side effects)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZHNEWS = Path(sys.executable).parent / "zhnews"


def interrupt_cli(args: list[str], ready: Callable[[], bool], env: dict | None = None,
                  ) -> tuple[subprocess.CompletedProcess, bool]:
    """Start `zhnews ARGS` in a session of its own (a signal to its group spares the caller),
    wait until ready() (at most 120 s), send SIGINT to its process group; the finished
    process, and whether it was still running when the signal went. env is the whole
    environment (default: this process's)."""
    proc = subprocess.Popen([str(ZHNEWS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=os.environ if env is None else env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not ready() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        running = proc.poll() is None
        if running:
            os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), running
