"""The CPU executor: extraction runs in worker processes, one page at a time, each under a
time limit. A page that hangs or kills its worker costs only that page: the worker is
killed or replaced and the page ends as a rejection (`timeout` or `extractor crashed`).

concurrent.futures.ProcessPoolExecutor cannot kill one hung task (a dead worker breaks the
whole pool), hence this small pool: one process and one socket per worker. A worker is a
fresh interpreter (`python -I -c ...`), not a fork: it is safe to start while Prefect's
threads run, it never imports Prefect, and it does not re-import the caller's __main__ (as
multiprocessing's spawn and forkserver do). Nothing here imports Prefect.
"""
from __future__ import annotations

import atexit
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Callable, Protocol, Sequence, TypeVar

from tasks.errors import ZhnewsError
from tasks.models import DecodedPage, ExtractedPage, Rejection, StageResult

STAGE = "extract"
# Imported by each worker before it reports ready, so no page's time limit pays for them:
# by extraction workers, and by the worker that cleans and normalises (the "stages" pool).
PRELOAD = ["tasks.extract", "trafilatura"]
STAGES_PRELOAD = ["tasks.clean", "tasks.normalise", "opencc"]
READY = "ready"
# A worker that dies this many times in a row before becoming ready means a broken install.
MAX_START_FAILURES = 3
# Seconds a thread waits for the GIL before the holder must let it go (Python's default is
# 5 ms). The thread that hands workers their next page waits for the GIL while this
# process cleans and loads the previous batch; at the default, a worker could sit idle for
# 5 ms after each ~10 ms page. Forced switches happen only when a thread is waiting, so
# this costs nothing when none is.
DISPATCH_SWITCH_INTERVAL = 0.0005
_BOOTSTRAP = ("import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
              "from tasks.workers import worker_main; worker_main(int(sys.argv[2]), json.loads(sys.argv[3]))")


class Page(Protocol):
    url: str
    input_hash: str


P = TypeVar("P", bound=Page)
R = TypeVar("R")


class CpuExecutor(Protocol):
    """Runs a picklable top-level function over pages on other cores. Any page whose call
    raises, runs past `timeout` seconds or takes its worker down comes back as a Rejection
    in its place: the result list lines up with `pages`."""

    def map_pages(self, fn: Callable[[P], R], pages: Sequence[P], timeout: float) -> list[R | Rejection]: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class _Failure:
    """An exception raised in a worker (by the function, or while starting)."""

    reason: str


def worker_main(fd: int, preload: list[str] = PRELOAD) -> None:
    """A worker's life: import the extractor, say ready; then take a function (loading its
    module) and say ready again, or take a page and send back fn(page); until told to stop
    or the parent goes away. Imports happen outside any page's time limit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    conn = Connection(fd)
    try:
        for module in preload:
            __import__(module)
    except Exception as exc:
        conn.send(_Failure(f"cannot import {module}: {type(exc).__name__}: {exc}"))
        return
    conn.send(READY)
    fn = None
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            message = pickle.loads(data)
        except Exception as exc:  # e.g. the function's module does not import here
            conn.send(_Failure(f"cannot unpickle: {type(exc).__name__}: {exc}"[:500]))
            continue
        if message is None:
            # Nothing to flush or clean up: skip the interpreter's teardown (~0.1 s with
            # lxml and trafilatura loaded), which the parent waits for at the end of a run.
            os._exit(0)
        kind, payload = message
        if kind == "fn":
            fn = payload
            conn.send(READY)
            continue
        try:
            result = fn(payload)
        except Exception as exc:
            result = _Failure(f"{type(exc).__name__}: {exc}"[:500])
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return
        except Exception as exc:  # an unpicklable result
            conn.send(_Failure(f"result not transferable: {type(exc).__name__}: {exc}"[:500]))


class _Worker:
    def __init__(self, preload: list[str]) -> None:
        parent_end, child_end = socket.socketpair()
        fd = child_end.fileno()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOTSTRAP, json.dumps(sys.path), str(fd), json.dumps(preload)],
            pass_fds=(fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)  # Ctrl-C goes to the parent only
        child_end.close()
        self.conn = Connection(parent_end.detach())
        self.ready = False
        self.fn: Callable | None = None  # the function it has loaded

    @property
    def pid(self) -> int:
        return self.process.pid

    def ask_to_stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass

    def stop(self, kill: bool, asked: bool = False) -> None:
        if not kill:
            try:
                if not asked:
                    self.conn.send(None)
                self.process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.conn.close()

    def exit_reason(self) -> str:
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "worker process stopped answering"
        if code < 0:
            try:
                return f"worker process killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"worker process killed by signal {-code}"
        return f"worker process exited with code {code}"


class ProcessPool:
    """Up to `workers` worker processes, used by one map_pages call at a time. `prestart`
    of them start at construction without waiting for them (their imports overlap the
    caller's own start-up); the rest start when a batch has pages for them, so a run of one
    page never pays for more."""

    def __init__(self, workers: int, prestart: int | None = None, preload: list[str] = PRELOAD) -> None:
        if workers < 1:
            raise ZhnewsError(f"--workers must be at least 1 (got {workers})", stage=STAGE)
        self.size = workers
        self.preload = preload
        self._lock = threading.Lock()  # one map_pages at a time
        self._closed = False
        self._start_failures = 0
        self._workers = [_Worker(preload) for _ in range(min(workers, workers if prestart is None else prestart))]
        if sys.getswitchinterval() > DISPATCH_SWITCH_INTERVAL:
            sys.setswitchinterval(DISPATCH_SWITCH_INTERVAL)

    @property
    def pids(self) -> list[int]:
        """Worker process ids (the fault tests kill one mid-batch)."""
        return [w.pid for w in self._workers]

    def _replace(self, worker: _Worker, kill: bool) -> None:
        worker.stop(kill=kill)
        self._workers[self._workers.index(worker)] = _Worker(self.preload)

    def _starting_failed(self, worker: _Worker, why: str) -> None:
        """A worker died before it was ready: replace it, unless the install is broken."""
        self._start_failures += 1
        if self._start_failures >= MAX_START_FAILURES:
            raise ZhnewsError(f"worker processes fail to start: {why}", stage=STAGE)
        self._replace(worker, kill=True)

    def map_pages(self, fn: Callable[[P], R], pages: Sequence[P], timeout: float) -> list[R | Rejection]:
        with self._lock:
            if self._closed:
                raise ZhnewsError("the worker pool is closed", stage=STAGE)
            return self._map(fn, pages, timeout)

    def _map(self, fn: Callable[[P], R], pages: Sequence[P], timeout: float) -> list[R | Rejection]:
        while len(self._workers) < min(self.size, len(pages)):
            self._workers.append(_Worker(self.preload))
        results: list[R | Rejection | None] = [None] * len(pages)
        todo = deque(range(len(pages)))
        busy: dict[_Worker, tuple[int, float]] = {}  # worker -> (page index, deadline)

        def reject(index: int, reason: str) -> None:
            page = pages[index]
            results[index] = Rejection(getattr(page, "url", ""), STAGE, reason, getattr(page, "input_hash", None))

        while todo or busy:
            for worker in list(self._workers):
                if not worker.ready or worker in busy or not todo:
                    continue
                if worker.fn is not fn:  # load it first: its module's import is no page's time
                    try:
                        worker.conn.send(("fn", fn))
                    except OSError:
                        self._replace(worker, kill=True)
                        continue
                    worker.fn, worker.ready = fn, False
                    continue
                index = todo.popleft()
                try:
                    worker.conn.send(("page", pages[index]))
                except OSError:
                    # It died after its last page, before taking this one: not this page's fault.
                    todo.appendleft(index)
                    self._replace(worker, kill=True)
                    continue
                # The clock starts when the worker has the page: a big page's transfer is not its time.
                busy[worker] = (index, time.monotonic() + timeout)
            starting = [w for w in self._workers if not w.ready]
            deadlines = [deadline for _, deadline in busy.values()]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([w.conn for w in [*busy, *starting]], timeout=wait_for))
            now = time.monotonic()
            for worker in starting:
                if worker.conn in ready:
                    try:
                        hello = worker.conn.recv()
                    except (EOFError, OSError):
                        hello = _Failure(worker.exit_reason())
                    if hello == READY:
                        worker.ready = True
                        self._start_failures = 0
                    else:
                        self._starting_failed(worker, getattr(hello, "reason", repr(hello)))
            for worker, (index, deadline) in list(busy.items()):
                if worker.conn in ready:
                    del busy[worker]
                    try:
                        outcome = worker.conn.recv()
                    except (EOFError, OSError):  # the worker died on this page
                        reject(index, f"extractor crashed ({worker.exit_reason()})")
                        self._replace(worker, kill=True)
                        continue
                    if isinstance(outcome, _Failure):
                        reject(index, f"extractor crashed ({outcome.reason})")
                    else:
                        results[index] = outcome
                elif now >= deadline:
                    del busy[worker]
                    reject(index, f"timeout (no result after {timeout:g} s; the worker was replaced)")
                    self._replace(worker, kill=True)
        return results  # type: ignore[return-value]  # every slot is filled by now

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for worker in self._workers:  # all at once, then wait for each
            if worker.ready:
                worker.ask_to_stop()
        for worker in self._workers:
            worker.stop(kill=not worker.ready, asked=True)
        self._workers.clear()
        with _pools_lock:
            for key, pool in list(_pools.items()):
                if pool is self:
                    del _pools[key]

    def run_batch(self, fn: Callable[[P], R], batch: P, timeout: float) -> R | None:
        """fn(batch) on one worker; None if that worker crashed or ran out of time (the
        caller then runs it itself: a batch stage has no per-page isolation to lose)."""
        outcome = self.map_pages(fn, [batch], timeout)[0]
        return None if isinstance(outcome, Rejection) else outcome

    def __enter__(self) -> "ProcessPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_pools: dict[tuple[str, int], ProcessPool] = {}
_pools_lock = threading.Lock()


def pool_for(workers: int, prestart: int | None = None) -> ProcessPool:
    """This process's pool of `workers` extraction workers, created on first use. The CLI
    calls it before importing Prefect so a worker starts while Prefect does; the flow then
    finds it ready (and closes the pool when it ends)."""
    return _pool("extract", workers, prestart, PRELOAD)


def stages_pool() -> ProcessPool:
    """This process's one worker for clean and normalise. They are 3-4 ms of a page's CPU;
    in the flow's process they held the GIL that the threads feeding the extraction
    workers and reading ahead need, so the flow's process, not the CPU, set the pace."""
    return _pool("stages", 1, None, STAGES_PRELOAD)


def _pool(purpose: str, workers: int, prestart: int | None, preload: list[str]) -> ProcessPool:
    with _pools_lock:
        pool = _pools.get((purpose, workers))
        if pool is None or pool._closed:
            pool = _pools[(purpose, workers)] = ProcessPool(workers, prestart, preload)
        return pool


@atexit.register
def close_pools() -> None:
    """Stop every worker this process started (a flow run's end)."""
    for pool in list(_pools.values()):
        pool.close()


# Smaller batches are cleaned and normalised in the flow's process: starting the worker
# and shipping pages to it would cost more than the work.
STAGES_POOL_MIN_PAGES = 32
# A batch stage's worker gets this long per page (it needs ~2 ms) before it is taken as hung.
BATCH_SECONDS_PER_PAGE = 1.0


def run_stage(executor: "ProcessPool | None", fn: Callable[[list], R], batch: list) -> R:
    """fn(batch) on the executor's worker when given, else (or if that worker died) here."""
    if executor is not None and batch:
        result = executor.run_batch(fn, batch, timeout=10 + BATCH_SECONDS_PER_PAGE * len(batch))
        if result is not None:
            return result
    return fn(batch)


def extract_with(executor: CpuExecutor, pages: list[DecodedPage], timeout: float,
                 fn: Callable[[DecodedPage], ExtractedPage | Rejection] | None = None) -> StageResult[ExtractedPage]:
    """The extract stage over a batch, on the executor's workers. `fn` defaults to
    tasks.extract.extract_one, with .txt pages (already text: nothing to parse, nothing to
    time out) passed through here, so a run of text files never waits for a worker to
    start; tests pass a function that hangs or crashes."""
    outcomes: list[ExtractedPage | Rejection | None] = [None] * len(pages)
    if fn is None:
        from tasks.extract import extract_one, extract_text

        fn = extract_one
        for index, page in enumerate(pages):
            if page.kind == "text":
                outcomes[index] = extract_text(page)
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    if todo:
        for index, outcome in zip(todo, executor.map_pages(fn, [pages[i] for i in todo], timeout)):
            outcomes[index] = outcome
    result: StageResult[ExtractedPage] = StageResult()
    for outcome in outcomes:
        if isinstance(outcome, Rejection):
            result.rejections.append(outcome)
        else:
            result.items.append(outcome)
    return result
