"""The flows' parameters, typed from the settings (tasks/settings.py, the one place each
option's type, limits, description and default live). Prefect turns the types into the
flow's parameter schema: the UI's run form shows choices, limits, descriptions and
defaults, the server refuses a deployment run whose values do not fit it, and Prefect
refuses a bad value given to a flow call before the flow starts. Also the runs' names."""
from __future__ import annotations

import inspect
from datetime import datetime, timezone
from typing import Annotated, Any, Callable, TypeVar

from prefect.runtime import flow_run

from tasks.settings import Settings, effective_defaults

F = TypeVar("F", bound=Callable[..., Any])
# Flow parameters that are settings under another name (the rest share the setting's name).
SETTING_OF_PARAMETER = {"max_pages": "crawl_max_pages"}


def setting_type(name: str) -> Any:
    """The setting's type with its constraints (a Literal's choices, ge=1, ...)."""
    field = Settings.model_fields[name]
    return Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation


# A parameter's default is the setting's value where the flow is imported: its ZHNEWS_*
# variable, else the default in tasks/settings.py.
DEFAULTS = effective_defaults()
Script = setting_type("script")
BatchSize = setting_type("batch_size")
Workers = setting_type("workers")
Runner = setting_type("runner")
ExtractTimeout = setting_type("extract_timeout")
DedupThreshold = setting_type("dedup_threshold")
MaxPages = setting_type("crawl_max_pages")
WarehouseWait = setting_type("warehouse_wait")


def setting_parameters(fn: Callable[..., Any]) -> dict[str, str]:
    """The flow function's parameters that are settings: parameter name -> setting name."""
    return {name: SETTING_OF_PARAMETER.get(name, name) for name in inspect.signature(fn).parameters
            if SETTING_OF_PARAMETER.get(name, name) in Settings.model_fields}


def documented(fn: F) -> F:
    """Adds the settings' descriptions to the flow function's `Args:` docstring section, where
    Prefect reads each parameter's description for the parameter schema (the UI's form)."""
    lines = [f"    {parameter}: {Settings.model_fields[setting].description}"
             for parameter, setting in setting_parameters(fn).items()]
    fn.__doc__ = "\n".join([inspect.cleandoc(fn.__doc__ or "Args:"), *lines])
    return fn


def flow_settings(parameters: dict[str, Any]) -> Settings:
    """The run's settings: the ZHNEWS_* variables with the flow's setting parameters over
    them, checked (a bad value is one line naming the parameter)."""
    given = {SETTING_OF_PARAMETER.get(name, name): value for name, value in parameters.items()
             if SETTING_OF_PARAMETER.get(name, name) in Settings.model_fields}
    return Settings().with_overrides(**given)


def run_name(flow: str, inputs: str) -> str:
    """`FLOW-INPUTS-SCRIPT-YYYYMMDD-HHMMSS-RUNID`: the input, the script and the (scheduled)
    start in UTC say what the run is; the run id's first 8 characters (the CLI summary's
    `run` and the `runs` table's run_id) make the name unique."""
    script = flow_run.parameters.get("script") or DEFAULTS.script
    start = flow_run.scheduled_start_time
    when = (start if isinstance(start, datetime) else datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"{flow}-{inputs}-{script}-{when:%Y%m%d-%H%M%S}-{str(flow_run.id or '')[:8]}"


def parameter_error(exc: Exception) -> str:
    """Prefect's ParameterTypeError ("Flow run received invalid parameters:\n - script: Input
    should be ...") as one line: `script: input should be 'hans', 'hant' or 'keep'`."""
    reasons = [line.strip(" -") for line in str(exc).splitlines()[1:] if line.strip(" -")]
    return "; ".join(reasons) or str(exc)
