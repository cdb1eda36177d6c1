"""A progress hook the CLI sets; flows report through it (Prefect parameters cannot carry
callbacks, and a flow run from a deployment simply has none)."""
from __future__ import annotations

from typing import Callable

Listener = Callable[[str, int, int], None]  # (what, done, total)
_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def report(what: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(what, done, total)
