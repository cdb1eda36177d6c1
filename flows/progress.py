"""A progress hook the CLI sets; flows report through it (Prefect parameters cannot carry
callbacks, and a flow run from a deployment simply has none). And the CLI's Ctrl-C, which
flows check between batches."""
from __future__ import annotations

import threading
from typing import Callable

Listener = Callable[[str, int, int], None]  # (what, done, total)
_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def report(what: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(what, done, total)


# Ctrl-C as the CLI's signal handler saw it. The handler raises KeyboardInterrupt, but DuckDB
# loses one raised inside a statement now and then (2 of 172 in a loop of INSERTs): the run
# would then go on to its end. So the pipeline also checks this between batches.
_interrupted = threading.Event()


def note_interrupt() -> None:
    _interrupted.set()


def interrupt_noted() -> bool:
    return _interrupted.is_set()


def stop_if_interrupted() -> None:
    """KeyboardInterrupt if Ctrl-C came, whether or not its first KeyboardInterrupt got through."""
    if _interrupted.is_set():
        raise KeyboardInterrupt
