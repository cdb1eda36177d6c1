"""The Prefect automations zhnews ships: a zhnews flow run whose heartbeats stop (its
process was killed: SIGKILL, OOM, a lost machine) is marked CRASHED, as Prefect documents
for zombie runs. `zhnews automations install` creates them on the server, or updates them
to this definition; running it again changes nothing."""
from __future__ import annotations

from datetime import timedelta

from tasks.settings import PREFECT_MIN_HEARTBEAT_SECONDS

ZOMBIE_AUTOMATION = "zhnews: crash flow runs whose heartbeats stopped"
ZHNEWS_FLOWS = ("ingest", "crawl", "reprocess")
# Events that end a heartbeat's wait: the next heartbeat, or a state after which the run
# sends none for a while (it ended, or waits for a retry or a resume).
STILL_ACCOUNTED_FOR = ("heartbeat", "Completed", "Failed", "Cancelled", "Crashed", "Cancelling",
                       "AwaitingRetry", "Paused", "Suspended")
MISSED_HEARTBEATS = 3  # a busy API or a long GIL hold may delay one heartbeat, not three
DEFAULT_HEARTBEAT_SECONDS = 30


def zombie_within(heartbeat_seconds: int, within: float | None = None) -> timedelta:
    """How long after a heartbeat a run with no next one counts as dead: within if given,
    else three heartbeat intervals, at least 90 s."""
    if within is not None:
        return timedelta(seconds=within)
    interval = heartbeat_seconds or DEFAULT_HEARTBEAT_SECONDS
    return timedelta(seconds=max(MISSED_HEARTBEATS * interval, MISSED_HEARTBEATS * PREFECT_MIN_HEARTBEAT_SECONDS))


def zombie_automation(within: timedelta):
    """A proactive trigger per zhnews flow run: after a `prefect.flow-run.heartbeat`, expect
    another one (or an end) within `within`; if none comes, set the run CRASHED."""
    from prefect.automations import AutomationCore
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.client.schemas.objects import StateType

    return AutomationCore(
        name=ZOMBIE_AUTOMATION,
        description=(f"A zhnews flow run ({', '.join(ZHNEWS_FLOWS)}) that sent no heartbeat for "
                     f"{within.total_seconds():g} s is marked Crashed (installed by "
                     "`zhnews automations install`)."),
        enabled=True,
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={"prefect.resource.role": "flow", "prefect.resource.name": list(ZHNEWS_FLOWS)},
            after={"prefect.flow-run.heartbeat"},
            expect={f"prefect.flow-run.{name}" for name in STILL_ACCOUNTED_FOR},
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=within,
        ),
        actions=[ChangeFlowRunState(
            state=StateType.CRASHED,
            message=f"zhnews: no heartbeat for {within.total_seconds():g} s; the process running "
                    "this flow run is gone")],
    )


def install_automations(heartbeat_seconds: int, within: float | None = None) -> list[tuple[str, str]]:
    """Create the automations on the Prefect API in force, or update ones of the same name;
    (name, "created" | "updated" | "unchanged") for each."""
    from prefect.client.orchestration import get_client

    wanted = zombie_automation(zombie_within(heartbeat_seconds, within))
    done = []
    with get_client(sync_client=True) as client:
        found = client.read_automations_by_name(wanted.name)
        if not found:
            client.create_automation(wanted)
            done.append((wanted.name, "created"))
        else:
            first, *duplicates = found
            for duplicate in duplicates:  # one automation per name
                client.delete_automation(duplicate.id)
            fields = set(type(wanted).model_fields)
            if not duplicates and comparable(first.model_dump(include=fields, mode="json")) == \
                    comparable(wanted.model_dump(mode="json")):
                done.append((wanted.name, "unchanged"))
            else:
                client.update_automation(first.id, wanted)
                done.append((wanted.name, "updated"))
    return done


def comparable(value):
    """A model dump with its sets (serialised as lists, in any order) sorted."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [comparable(item) for item in value]
        return sorted(items, key=repr) if all(isinstance(item, str) for item in items) else items
    return value
