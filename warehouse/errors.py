"""Errors a user can act on: the page URL (if any), the stage and the reason. Defined in the
lowest layer, so the warehouse raises them without importing tasks/ (tasks/errors.py
re-exports the class for the stages)."""
from __future__ import annotations


class ZhnewsError(Exception):
    def __init__(self, reason: str, *, stage: str, url: str | None = None):
        self.reason, self.stage, self.url = reason, stage, url
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" {self.url}" if self.url else ""
        return f"[{self.stage}]{where}: {self.reason}"
