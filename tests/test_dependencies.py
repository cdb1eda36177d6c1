"""Every third-party package the code imports is declared in pyproject.toml, and every
declared test extra is imported by a test: a package that only arrives with another one
disappears the day that one stops depending on it."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = {"flows", "tasks", "warehouse", "tests", "bench"}


def requirement_names(requirements: list[str]) -> set[str]:
    return {normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_distributions(*folders: str) -> dict[str, set[str]]:
    """Distribution name -> the files that import it, over every import (top level or not)."""
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in OURS or top in sys.stdlib_module_names or top == "__future__":
                        continue
                    for distribution in owners.get(top, [top]):
                        found.setdefault(normalise(distribution), set()).add(str(path.relative_to(ROOT)))
    return found


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_packages_imported_by_the_pipeline_are_declared():
    declared = requirement_names(project()["dependencies"])
    missing = {d: sorted(files) for d, files in imported_distributions("flows", "tasks", "warehouse").items()
               if d not in declared}
    assert missing == {}


def test_packages_imported_by_tests_are_declared_and_test_extras_are_used():
    declared = requirement_names(project()["dependencies"])
    test_extra = requirement_names(project()["optional-dependencies"]["test"])
    used = imported_distributions("tests")
    missing = {d: sorted(files) for d, files in used.items() if d not in declared | test_extra}
    assert missing == {}
    assert sorted(test_extra - set(used)) == []
