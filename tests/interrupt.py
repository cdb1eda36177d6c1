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


def interrupt_cli(args: list[str], ready: Callable[[], bool], env: dict | None = None, times: int = 1,
                  sig: int = signal.SIGINT) -> tuple[subprocess.CompletedProcess, bool]:
    """Start `zhnews ARGS` in a session of its own (a signal to its group spares the caller),
    wait until ready() (at most 120 s), send SIGINT (or sig) to its process group `times`
    times, 0.2 s apart (a user pressing Ctrl-C twice); the finished process, and whether it
    was still running when the signal went. env is the whole environment (default: this
    process's)."""
    proc = subprocess.Popen([str(ZHNEWS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=os.environ if env is None else env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not ready() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        running = proc.poll() is None
        for n in range(times if running else 0):
            if n:
                time.sleep(0.2)
            if proc.poll() is None:
                os.killpg(proc.pid, sig)
        if sig == signal.SIGKILL:
            proc.wait(timeout=60)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), running


def many_text_pages(folder: Path, count: int = 3000) -> Path:
    """count distinct .txt articles (~1.5 kB of random CJK each) in folder: an ingest of
    3,000 with --batch-size 40 lasts several seconds, loading all the while."""
    import random

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    for n in range(count):
        text = "\n".join("".join(rng.choice(chars) for _ in range(120)) + "。" for _ in range(12))
        (folder / f"t{n}.txt").write_text(f"标题{n}\n{text}\n", encoding="utf-8")
    return folder


def wal_growing(db: Path, since_bytes: int = 256 * 1024, then_seconds: float = 0.5) -> Callable[[], bool]:
    """ready() for interrupt_cli: true `then_seconds` after the warehouse's WAL passed
    since_bytes (the first batches, ~180 kB each, are loading)."""
    wal = Path(f"{db}.wal")
    since: list[float] = []

    def loading() -> bool:
        if not since and wal.exists() and wal.stat().st_size > since_bytes:
            since.append(time.monotonic())
        return bool(since) and time.monotonic() - since[0] > then_seconds

    return loading
