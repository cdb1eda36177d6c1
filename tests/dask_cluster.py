"""A Dask cluster as users run one across machines: a `dask scheduler` process and
`dask worker` processes, each its own OS process on 127.0.0.1, started from the shell
commands Dask installs. Used by tests/test_dask_cluster.py and bench/throughput.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from flows.temporary_server import free_port

DASK = Path(sys.executable).parent / "dask"


@dataclass
class DaskCluster:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30)

    def kill_worker(self, n: int = 0) -> None:
        """SIGKILL one worker process group (its nanny and the worker under it), as a machine lost."""
        os.killpg(self.workers[n].pid, signal.SIGKILL)
        self.workers[n].wait(timeout=30)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


@contextmanager
def dask_cluster(workers: int, env: dict[str, str], logs: Path) -> Iterator[DaskCluster]:
    """`dask scheduler` and `workers` x `dask worker` (one thread each) on 127.0.0.1; the
    workers get `env` (PREFECT_API_URL: they report their task runs to that server)."""
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = {"stdin": subprocess.DEVNULL, "start_new_session": True, "env": env}
    scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=open(logs / "scheduler.log", "wb"),
                                 stderr=subprocess.STDOUT, **common)
    cluster = DaskCluster(address, scheduler)
    try:
        for n in range(workers):
            cluster.workers.append(subprocess.Popen(
                [str(DASK), "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard", "--name", f"worker-{n}"],
                stdout=open(logs / f"worker-{n}.log", "wb"), stderr=subprocess.STDOUT, **common))
        client = cluster.client()
        try:
            client.wait_for_workers(workers, timeout=60)
        finally:
            client.close()
        yield cluster
    finally:
        for proc in [*cluster.workers, scheduler]:
            _stop(proc)


def wait_for(predicate, seconds: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
