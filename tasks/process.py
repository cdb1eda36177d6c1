"""Which process runs a flow run, and whether a recorded one is still alive: the runs
table's truth when a run was killed before it could say how it ended."""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone

import psutil

# psutil's process start times are in whole clock ticks (1/100 s on Linux) from a boot
# time rounded to the second: the same process reads the same time again within this.
SAME_START_SECONDS = 1.0


@dataclass(frozen=True)
class RunProcess:
    pid: int
    host: str
    started_at: datetime  # when the process started (UTC): tells a reused pid from the original


def this_process() -> RunProcess:
    return RunProcess(os.getpid(), socket.gethostname(), process_started_at(os.getpid()))


def process_started_at(pid: int) -> datetime:
    return datetime.fromtimestamp(psutil.Process(pid).create_time(), tz=timezone.utc)


def is_gone(process: RunProcess) -> bool | None:
    """Whether the recorded process has ended: its pid is not running, or runs a process
    started at another time (the pid was reused). None when it ran on another host, where
    this host cannot tell."""
    if process.host != socket.gethostname():
        return None
    try:
        started = process_started_at(process.pid)
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return True
    except psutil.AccessDenied:  # another user's live process
        return False
    return abs((started - process.started_at).total_seconds()) > SAME_START_SECONDS
