"""zhnews's flows: Prefect flows whose parameters, plain JSON values already, are recorded
as they are.

Prefect records a flow run's parameters through fastapi's jsonable_encoder, and importing
fastapi for it costs ~0.6 s of a run from the shell (a fifth of a one-page run against a
running server, which otherwise never needs fastapi in this process). zhnews's flow
parameters are strings, numbers, booleans, None and lists of strings, which that encoder
returns unchanged; anything else still goes through Prefect's own path.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect import Flow

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


class PlainParametersFlow(Flow):
    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        if all(is_plain_json(value) for value in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)


def flow(**options: Any) -> Callable[[Callable[..., Any]], PlainParametersFlow]:
    """prefect.flow's keyword form, making a PlainParametersFlow."""
    def decorate(fn: Callable[..., Any]) -> PlainParametersFlow:
        return PlainParametersFlow(fn=fn, **options)
    return decorate
