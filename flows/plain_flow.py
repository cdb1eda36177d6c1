"""zhnews's flows: Prefect flows whose parameters, plain JSON values already, are recorded
as they are.

Prefect records a flow run's parameters through fastapi's jsonable_encoder, and importing
fastapi for it costs ~0.6 s of a run from the shell (a fifth of a one-page run against a
running server, which otherwise never needs fastapi in this process). zhnews's flow
parameters are strings, numbers, booleans, None and lists of strings, which that encoder
returns unchanged; anything else still goes through Prefect's own path.

Prefect also builds a flow's parameter schema when the flow is defined (~85 ms of every
command's start, half of it importing pydantic.v1); only deployments and `serve` read it,
never a run. Here it is built when first read.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import prefect.flows
from prefect import Flow
from prefect.utilities.callables import ParameterSchema, parameter_schema

_SCALARS = (str, int, float, bool, type(None))


def is_plain_json(value: Any) -> bool:
    """A value jsonable_encoder would return as it is: JSON scalars, lists and str-keyed
    dicts of them (no tuples or sets, which it turns into lists; no NaN, which stays a float)."""
    if isinstance(value, _SCALARS):
        return not (isinstance(value, float) and value != value)
    if type(value) is list:
        return all(is_plain_json(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and is_plain_json(item) for key, item in value.items())
    return False


@contextmanager
def _parameter_schema_deferred() -> Iterator[None]:
    """Flow.__init__ assigns self.parameters = parameter_schema(fn), through the name in
    prefect.flows; while this is open that name gives None, which the property below reads
    as 'not built yet'. Flows are defined at import, on one thread."""
    prefect.flows.parameter_schema = lambda fn: None
    try:
        yield
    finally:
        prefect.flows.parameter_schema = parameter_schema


class PlainParametersFlow(Flow):
    def __init__(self, fn: Callable[..., Any], **options: Any) -> None:
        with _parameter_schema_deferred():
            super().__init__(fn=fn, **options)

    @property
    def parameters(self) -> ParameterSchema:
        if self._parameter_schema is None:
            self._parameter_schema = parameter_schema(self.fn)
        return self._parameter_schema

    @parameters.setter
    def parameters(self, value: ParameterSchema | None) -> None:
        self._parameter_schema = value

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        if all(is_plain_json(value) for value in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)


def flow(**options: Any) -> Callable[[Callable[..., Any]], PlainParametersFlow]:
    """prefect.flow's keyword form, making a PlainParametersFlow."""
    def decorate(fn: Callable[..., Any]) -> PlainParametersFlow:
        return PlainParametersFlow(fn=fn, **options)
    return decorate
