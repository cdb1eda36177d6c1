"""The import graph of flows/, tasks/ and warehouse/ (read with ast, nothing imported): the
layers cli → flows → tasks → warehouse point one way, the leaf (models, settings, errors)
imports nothing of ours, no two modules import each other round a circle, and no flow
imports another flow. See docs/architecture.md."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("flows", "tasks", "warehouse")
# Shared by every layer, importing nothing of ours but each other. Models and settings live
# in tasks/, the error class in warehouse/errors.py (the lowest layer raises it too; tasks/
# errors.py re-exports it); both packages' __init__ (run by every import of them) import
# nothing, so importing one loads no stage and no warehouse code.
LEAF = {"tasks", "tasks.errors", "tasks.models", "tasks.options", "tasks.settings", "warehouse", "warehouse.errors"}
CLI = {"flows.cli"}
# Layer ranks: a module may import its own layer or one below, never one above.
RANK = {"cli": 4, "flows": 3, "tasks": 2, "warehouse": 1, "leaf": 0}
# The flows users run: they share flows/pipeline.py and import none of each other.
FLOWS = {"flows.ingest", "flows.crawl", "flows.reprocess"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> dict[str, int]:
    """The modules of ours that `name` imports, anywhere in it (top level, functions,
    TYPE_CHECKING blocks), each with the line of its first import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        # Importing a.b.c runs a/__init__ and a/b/__init__ first: edges to those packages
        # too, but for the module's own ones (already being imported when it runs).
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            into = ".".join(parts[:end])
            if into in known and into != name and not name.startswith(into + "."):
                found.setdefault(into, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from .y import z
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from tasks import clean` imports the module tasks.clean; `from tasks.models
                # import Article` imports tasks.models.
                add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base, node.lineno)
    return found


def layer_of(name: str) -> str:
    if name in LEAF:
        return "leaf"
    if name in CLI:
        return "cli"
    return name.split(".")[0]


def import_graph() -> dict[str, dict[str, int]]:
    modules = our_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph, as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_is_read_from_every_module():
    graph = import_graph()
    # The reader sees the imports that matter: a module-level one, a function-level one,
    # one of a module through its package (`from tasks import clean`), a TYPE_CHECKING one.
    assert "tasks.load" in graph["flows.stages"] and "tasks.clean" in graph["flows.stages"]
    assert "tasks.extract" in graph["tasks.workers"]  # imported inside a function
    assert "warehouse.queries" in graph["flows.cli"]  # ditto
    assert len(graph) >= 30 and LEAF <= set(graph) and FLOWS <= set(graph)


def test_no_cycle_between_modules():
    graph = {name: set(targets) for name, targets in import_graph().items()}
    cycle = find_cycle(graph)
    assert cycle is None, "modules import each other in a circle: " + " → ".join(cycle or [])


def test_no_cycle_between_packages():
    """flows, tasks and warehouse (the leaf its own node) import one another one way only."""
    graph: dict[str, set[str]] = {}
    for name, targets in import_graph().items():
        source = "leaf" if name in LEAF else name.split(".")[0]
        for target in targets:
            into = "leaf" if target in LEAF else target.split(".")[0]
            if into != source:
                graph.setdefault(source, set()).add(into)
    cycle = find_cycle(graph)
    assert cycle is None, "packages import each other in a circle: " + " → ".join(cycle or [])


def test_imports_point_down_the_layers():
    """cli → flows → tasks → warehouse → leaf: an import may skip layers downwards, never
    go up. The leaf imports only the leaf."""
    upward = [f"{name}:{line} imports {target} ({layer_of(name)} → {layer_of(target)})"
              for name, targets in import_graph().items() for target, line in targets.items()
              if RANK[layer_of(target)] > RANK[layer_of(name)]]
    assert not upward, "imports against cli → flows → tasks → warehouse → leaf:\n" + "\n".join(upward)


def test_importing_the_leaf_loads_nothing_else_of_ours():
    graph = import_graph()
    assert graph["tasks"] == {}, "tasks/__init__.py must import nothing: every leaf import runs it"
    assert graph["warehouse"] == {}, "warehouse/__init__.py must import nothing: every leaf import runs it"
    for name in LEAF:
        assert set(graph[name]) <= LEAF, f"{name} imports {sorted(set(graph[name]) - LEAF)}: not a leaf"


def test_no_flow_imports_another():
    graph = import_graph()
    crossing = [f"{name} imports {target}" for name in FLOWS for target in graph.get(name, {}) if target in FLOWS]
    assert not crossing, "flows share flows/pipeline.py instead: " + ", ".join(crossing)


@pytest.mark.parametrize("source, expected", [
    ("from tasks import clean, models\nfrom tasks.settings import Settings\n", {"tasks", "tasks.clean",
                                                                             "tasks.models", "tasks.settings"}),
    ("def f():\n    from . import crawl\n    import warehouse.db\n", {"flows.crawl", "warehouse", "warehouse.db"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from flows.ingest import x\n", {"flows.ingest"}),
])
def test_the_reader_finds_each_form_of_import(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    known = {"tasks", "tasks.clean", "tasks.models", "tasks.settings", "flows", "flows.crawl",
             "flows.ingest", "warehouse", "warehouse.db"}
    assert set(imports_of("flows.probe", path, known)) == expected


def test_a_cycle_is_found_and_named():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_warehouse_imports_nothing_of_tasks():
    """The bottom layer: no package cycle tasks <-> warehouse, the leaf included."""
    graph = import_graph()
    upward = [f"{name} imports {target}" for name, targets in graph.items() if name.startswith("warehouse")
              for target in targets if not target.startswith("warehouse")]
    assert not upward, "\n".join(upward)
