"""`zhnews serve`: the crawl and ingest flows as Prefect deployments with the schedules of
one config file (flows/schedules.toml by default), run by this process until stopped."""
from __future__ import annotations

import importlib
import inspect
import logging
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from tasks.errors import ZhnewsError
from tasks.settings import PROJECT_ROOT, SEEDS_DIR

STAGE = "serve"
# Installed with the package (package data), so found without the checkout too.
DEFAULT_SCHEDULES = Path(__file__).resolve().parent / "schedules.toml"
# Flow name in the config -> module:function. A module path (not a file path) entrypoint,
# so runs start from the installed package whatever the working directory.
FLOWS = {"ingest": "flows.ingest:ingest", "crawl": "flows.crawl:crawl"}
# Parameters that name files: relative values are taken from the repository root (seeds/…
# from the bundled seeds, wherever they are installed), so the config means the same
# wherever `zhnews serve` is started.
PATH_PARAMETERS = {"paths", "db_path", "seeds", "url_files", "urls", "seed_file", "urls_file"}
DEPLOYMENT_KEYS = {"name", "flow", "interval_seconds", "cron", "timezone", "parameters", "tags", "description"}


@dataclass(frozen=True)
class ScheduledDeployment:
    name: str
    flow: str
    interval_seconds: float | None = None
    cron: str | None = None
    timezone: str = "UTC"
    parameters: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class ServeConfig:
    deployments: list[ScheduledDeployment]
    # Runs at once across all deployments: every flow writes the one DuckDB file.
    max_concurrent_runs: int = 1


def load_config(path: Path = DEFAULT_SCHEDULES) -> ServeConfig:
    """Parse and check the schedule file; every mistake is one error naming the entry."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ZhnewsError(f"no schedule file {path}", stage=STAGE) from None
    except tomllib.TOMLDecodeError as exc:
        raise ZhnewsError(f"{path} is not valid TOML: {exc}", stage=STAGE) from None
    unknown = sorted(raw.keys() - {"deployment", "max_concurrent_runs"})
    if unknown:
        raise ZhnewsError(f"{path}: unknown top-level keys {unknown} (known: deployment, "
                          "max_concurrent_runs)", stage=STAGE)
    entries = raw.get("deployment", [])
    if not entries:
        raise ZhnewsError(f"{path} defines no [[deployment]]", stage=STAGE)
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ZhnewsError(f"{path}: deployments must be [[deployment]] tables", stage=STAGE)
    limit = raw.get("max_concurrent_runs", 1)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ZhnewsError(f"{path}: max_concurrent_runs must be a whole number of at least 1, "
                          f"got {limit!r}", stage=STAGE)
    deployments = [_deployment(entry, path) for entry in entries]
    names = [d.name for d in deployments]
    if len(set(names)) != len(names):
        raise ZhnewsError(f"{path}: deployment names must be unique, got {names}", stage=STAGE)
    return ServeConfig(deployments, limit)


def _deployment(entry: dict[str, Any], path: Path) -> ScheduledDeployment:
    name = entry.get("name")
    where = f"{path}: deployment {name!r}"
    if not name or not isinstance(name, str):
        raise ZhnewsError(f"{path}: every [[deployment]] needs a name (a string)", stage=STAGE)
    unknown = sorted(entry.keys() - DEPLOYMENT_KEYS)
    if unknown:
        raise ZhnewsError(f"{where}: unknown keys {unknown} (known: {', '.join(sorted(DEPLOYMENT_KEYS))})",
                          stage=STAGE)
    for key, kind, what in (("parameters", dict, "a table"), ("timezone", str, "a string"),
                            ("description", str, "a string"), ("cron", str, "a string")):
        if key in entry and not isinstance(entry[key], kind):
            raise ZhnewsError(f"{where}: {key} must be {what}, got {entry[key]!r}", stage=STAGE)
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ZhnewsError(f"{where}: tags must be a list of strings, got {tags!r}", stage=STAGE)
    if entry.get("flow") not in FLOWS:
        raise ZhnewsError(f"{where}: flow must be one of {sorted(FLOWS)}, got {entry.get('flow')!r}",
                          stage=STAGE)
    interval, cron = entry.get("interval_seconds"), entry.get("cron")
    if (interval is None) == (cron is None):
        raise ZhnewsError(f"{where}: give exactly one of interval_seconds or cron", stage=STAGE)
    if interval is not None and not (isinstance(interval, (int, float)) and not isinstance(interval, bool)
                                     and 0 < interval < float("inf")):
        raise ZhnewsError(f"{where}: interval_seconds must be a positive number", stage=STAGE)
    if cron is not None:
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=cron, timezone=entry.get("timezone", "UTC"))
        except ValueError as exc:  # pydantic's message spans lines: keep its first error only
            detail = exc.errors()[0]["msg"] if hasattr(exc, "errors") else str(exc)
            raise ZhnewsError(f"{where}: bad cron {cron!r} ({detail})", stage=STAGE) from None
    check_parameters(entry["flow"], entry.get("parameters", {}), where)
    return ScheduledDeployment(
        name=name, flow=entry["flow"], interval_seconds=interval, cron=cron,
        timezone=entry.get("timezone", "UTC"),
        parameters=resolve_paths(dict(entry.get("parameters", {}))),
        tags=tuple(entry.get("tags", ())), description=entry.get("description"))


def check_parameters(flow_name: str, parameters: dict[str, Any], where: str) -> None:
    """Parameter names the flow takes, and values its typed parameters and the settings
    accept: a mistyped config fails here, in one line, not in every scheduled run."""
    from prefect.exceptions import ParameterTypeError

    from flows.parameters import flow_settings, parameter_error

    flow = load_flow(flow_name)
    accepted = inspect.signature(flow.fn).parameters
    unknown = sorted(parameters.keys() - accepted.keys())
    if unknown:
        raise ZhnewsError(f"{where}: the {flow_name} flow has no parameters {unknown} "
                          f"(it takes: {', '.join(accepted)})", stage=STAGE)
    prefect_flows_log = logging.getLogger("prefect.flows")
    level = prefect_flows_log.level
    prefect_flows_log.setLevel(logging.CRITICAL)  # it logs the failure too: the one line below says it
    try:
        flow_settings(parameters)  # first: its one line shows the value (`--batch-size -5: ...`)
        flow.validate_parameters(parameters)  # the types of the rest (paths a list, force a bool)
    except ParameterTypeError as exc:
        raise ZhnewsError(f"{where}: parameters: {parameter_error(exc)}", stage=STAGE) from None
    except ZhnewsError as exc:
        raise ZhnewsError(f"{where}: parameters: {exc.reason}", stage=STAGE) from None
    finally:
        prefect_flows_log.setLevel(level)


def resolve_paths(parameters: dict[str, Any]) -> dict[str, Any]:
    def absolute(value: Any) -> Any:
        if not isinstance(value, str) or "://" in value or Path(value).is_absolute():
            return value
        first, _, rest = Path(value).as_posix().partition("/")
        return str((SEEDS_DIR / rest if first == "seeds" else PROJECT_ROOT / value).resolve())

    for key in PATH_PARAMETERS & parameters.keys():
        value = parameters[key]
        parameters[key] = [absolute(v) for v in value] if isinstance(value, list) else absolute(value)
    return parameters


def load_flow(flow_name: str):
    module_name, function = FLOWS[flow_name].split(":")
    try:
        return getattr(importlib.import_module(module_name), function)
    except (ImportError, AttributeError) as exc:
        raise ZhnewsError(f"the {flow_name} flow is not available here ({exc})", stage=STAGE) from None


def runner_deployments(config: ServeConfig):
    """Prefect RunnerDeployments for the config, each with its schedule, tags and parameters."""
    from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule
    from prefect.deployments.runner import EntrypointType

    built = []
    for entry in config.deployments:
        flow = load_flow(entry.flow)
        schedule = (IntervalSchedule(interval=timedelta(seconds=entry.interval_seconds))
                    if entry.interval_seconds is not None
                    else CronSchedule(cron=entry.cron, timezone=entry.timezone))
        deployment = flow.to_deployment(
            name=entry.name, schedules=[schedule], parameters=entry.parameters,
            description=entry.description, tags=["zhnews", entry.flow, *entry.tags],
            entrypoint_type=EntrypointType.MODULE_PATH)
        built.append(deployment)
    return built


def serve(config_path: Path = DEFAULT_SCHEDULES, heartbeat_seconds: int = 0) -> None:
    """Register the deployments and run their scheduled runs until interrupted; each run
    sends a heartbeat every heartbeat_seconds (0: Prefect's own interval,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY, applies: a served run is a process of its own)."""
    from prefect import serve as prefect_serve

    config = load_config(config_path)
    prefect_serve(*runner_deployments(config), limit=config.max_concurrent_runs,
                  heartbeat_seconds=heartbeat_seconds or None)
