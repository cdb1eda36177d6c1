"""How a flow run ended, in Prefect and in the warehouse's `runs` table, told the same way:
heartbeats (so a killed run can be caught), the status a run ends with, and the Prefect
side of reconciling a run whose process died."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from flows import progress

# Prefect's states for a run that is not over; a run found so after its process died crashed.
UNFINISHED = {"RUNNING", "PENDING", "SCHEDULED", "PAUSED"}
CRASH_MESSAGE = "zhnews: the process running this flow run is gone (found when the next run started)"


@contextmanager
def heartbeats(seconds: int) -> Iterator[None]:
    """Flow runs started inside send Prefect a `prefect.flow-run.heartbeat` event every
    `seconds` (Settings.heartbeat_seconds; 0: none). Prefect reads the interval when the run
    starts, from the settings in force where the flow is called."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: seconds or None}):
        yield


def is_interrupt(exc: BaseException | None) -> bool:
    """Ctrl-C, however it surfaced: KeyboardInterrupt itself, or an error it caused (DuckDB
    turns it into its InterruptException inside a statement, or into another error when it
    came while DuckDB read an Arrow table; a task run re-raises that). Once the CLI noted a
    Ctrl-C, any error is one: the run must end, not be retried."""
    if progress.interrupt_noted():
        return True
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (KeyboardInterrupt, duckdb.InterruptException)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def ending_status(exc: BaseException, run_id: str) -> str:
    """The runs table's status for a run that raised exc, as Prefect will record it: an
    error is `failed` (FAILED); Ctrl-C is `crashed` (Prefect: CRASHED, "aborted by an
    interrupt signal"); a termination signal is `cancelled` when Prefect is cancelling the
    run (a cancel from the UI or API: the runner sends SIGTERM), else `crashed`; any error
    while Prefect is cancelling the run is the cancel's doing, so `cancelled` too."""
    from prefect.exceptions import TerminationSignal

    # A cancel's SIGTERM goes to the run's whole process group, so it surfaces in many forms:
    # TerminationSignal, DuckDB's error when it came inside a statement, or a broken process
    # pool when the extraction workers died first. Whatever the error, a run Prefect is
    # cancelling ends Cancelled there (the runner sees to it), so its row says `cancelled`.
    if (not progress.interrupt_noted() and isinstance(exc, (TerminationSignal, Exception))
            and prefect_state(run_id) in {"CANCELLING", "CANCELLED"}):
        return "cancelled"
    if is_interrupt(exc) or isinstance(exc, TerminationSignal):
        return "crashed"
    return "failed" if isinstance(exc, Exception) else "crashed"


def prefect_state(run_id: str) -> str | None:
    """The flow run's state type in Prefect (e.g. "RUNNING"), None if it cannot be read."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            state = client.read_flow_run(run_id).state
    except Exception:  # noqa: BLE001 - no API, or a run this API never saw
        return None
    return state.type.value if state is not None else None


def crash_in_prefect(run_ids: list[str], logger) -> None:
    """Runs the warehouse found dead (tasks.load.reconcile_runs): in Prefect, the flow run
    still unfinished becomes CRASHED, and so do its task runs left RUNNING or PENDING (a
    heartbeat automation crashes only the flow run). Best effort: a run this API never saw,
    or no API at all, is left to the automation."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (FlowRunFilter, FlowRunFilterId, TaskRunFilter,
                                                TaskRunFilterState, TaskRunFilterStateType)
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    try:
        with get_client(sync_client=True) as client:
            for run_id in run_ids:
                try:
                    flow_run = client.read_flow_run(run_id)
                except Exception:  # noqa: BLE001 - not a run of this API
                    continue
                if flow_run.state is not None and flow_run.state.type.value in UNFINISHED:
                    client.set_flow_run_state(run_id, Crashed(message=CRASH_MESSAGE), force=True)
                left = client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])),
                    task_run_filter=TaskRunFilter(state=TaskRunFilterState(type=TaskRunFilterStateType(
                        any_=[StateType.RUNNING, StateType.PENDING]))))
                for task_run in left:
                    client.set_task_run_state(task_run.id, Crashed(message=CRASH_MESSAGE), force=True)
                logger.warning("run %s had crashed (its process is gone): recorded as crashed, "
                               "%d task runs with it", run_id, len(left))
    except Exception as exc:  # noqa: BLE001 - bookkeeping must not stop the new run
        logger.warning("could not mark crashed runs %s in Prefect: %s", run_ids, exc)
