"""Where the CPU-bound stages (extract, clean, normalise) run: here (`--runner local`: this
machine's extraction worker processes) or on a Dask cluster (`--runner dask`), submitted
as Prefect task runs through prefect-dask's DaskTaskRunner. DuckDB stays with the flow:
dedup and load always run here, the one writer."""
from __future__ import annotations

import os
import threading
from typing import Any, Callable

from tasks.errors import ZhnewsError
from tasks.settings import Settings

STAGE = "dask"
CONNECT_TIMEOUT_SECONDS = 10  # Dask waits 30 s by default; a reachable scheduler answers in ms


class CpuStages:
    """Calls a CPU stage's Prefect task: directly, or on Dask and waits for its result."""

    def __init__(self, runner: Any = None, where: str = "local"):
        self._runner = runner  # an entered DaskTaskRunner, or None to run here
        self.where = where

    @property
    def remote(self) -> bool:
        return self._runner is not None

    def call(self, task) -> Callable[..., Any]:
        if self._runner is None:
            return task
        from prefect.utilities.callables import get_call_parameters

        def on_dask(*args: Any, **kwargs: Any) -> Any:
            return self._runner.submit(task, get_call_parameters(task.fn, args, kwargs)).result()

        return on_dask


LOCAL = CpuStages()
_runs: dict[str, CpuStages] = {}
_runs_lock = threading.Lock()


def for_run(run_id: str) -> CpuStages:
    """The CPU stages of a run (flows pass their run_id down to the batches); local unless
    the run started a Dask runner."""
    with _runs_lock:
        return _runs.get(run_id, LOCAL)


def start(run_id: str, settings: Settings) -> CpuStages:
    """Connect to (or, without an address, start) the Dask cluster for this run."""
    if settings.runner == "local":
        return LOCAL
    from flows.temporary_server import started_here

    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url or started_here(api_url):
        # Dask workers would each start a temporary Prefect server of their own; the one
        # this process started (flows.temporary_server) is on 127.0.0.1 and lives for one run.
        raise ZhnewsError("--runner dask needs a running Prefect server: start `prefect server start` "
                          "and set PREFECT_API_URL", stage=STAGE)
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        runner = DaskTaskRunner(address=settings.dask_address,
                                client_kwargs={"timeout": CONNECT_TIMEOUT_SECONDS})
        where = settings.dask_address
    else:  # a cluster of this machine's cores, for trying the runner out
        runner = DaskTaskRunner(cluster_kwargs={
            "n_workers": settings.workers, "threads_per_worker": 1, "processes": True,
            "host": "127.0.0.1", "dashboard_address": None})
        where = f"a local Dask cluster of {settings.workers} processes"
    try:
        runner.__enter__()
        runner.client  # connects (or starts the cluster) now, not in the first batch
    except (OSError, TimeoutError) as exc:
        raise ZhnewsError(f"cannot reach the Dask scheduler at {where}: {exc}", stage=STAGE) from None
    stages = CpuStages(runner, where)
    with _runs_lock:
        _runs[run_id] = stages
    return stages


def stop(run_id: str) -> None:
    with _runs_lock:
        stages = _runs.pop(run_id, None)
    if stages is not None and stages._runner is not None:
        stages._runner.__exit__(None, None, None)
