"""Errors a user can act on (defined in warehouse/errors.py, the lowest layer: the stages and
the warehouse raise the same class, and the warehouse imports nothing of tasks/)."""
from __future__ import annotations

from warehouse.errors import ZhnewsError

__all__ = ["ZhnewsError"]
