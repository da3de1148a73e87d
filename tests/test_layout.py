"""The layout the house style asks for: imports that run one way, modules that import in a
fresh process, and files short enough to read.

The import graph is built statically with ``ast`` over every module of ``opd``,
``magelang`` and ``targets`` (migrations left out): an edge for every ``import`` and
``from ... import``, those inside functions too, except under ``if TYPE_CHECKING:``
(never run). ``import a.b.c`` and ``from a.b import c`` point at the module ``a.b.c``
when it is one, else at ``a.b``; importing ``a.b.c`` also runs ``a/__init__.py``, but
that is no edge here, so a package's re-exports do not make every submodule look cyclic.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("opd", "magelang", "targets")
MAX_LINES = 450
# Where Python files are not ours, or are written by a tool.
SKIPPED_DIRS = {".venv", "node_modules", "migrations", "__pycache__", "var", "build", "staticfiles"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_files() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts
    }


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names ``node`` and its children import, skipping ``if TYPE_CHECKING:``."""
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        children: list[ast.AST] = list(node.orelse)
    else:
        children = list(ast.iter_child_nodes(node))
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        if node.level:  # relative: from the module's package, one level up per extra dot
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, *([node.module] if node.module else [])])
        else:
            base = node.module or ""
        for alias in node.names:
            yield f"{base}.{alias.name}"  # a submodule, or a name defined in ``base``
    for child in children:
        yield from _imported_names(child, module, is_package)


def _resolve(name: str, modules: set[str]) -> str | None:
    """The module ``name`` is, or the nearest module it lies in; None outside our packages."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def module_imports(source: str, module: str, *, is_package: bool, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that the source of ``module`` imports."""
    names = _imported_names(ast.parse(source), module, is_package)
    return {target for name in names if (target := _resolve(name, modules)) not in (None, module)}


def import_graph() -> dict[str, set[str]]:
    """Each module of ``opd``, ``magelang`` and ``targets`` and the modules of them it imports."""
    files = _module_files()
    modules = set(files)
    return {
        module: module_imports(
            path.read_text(), module, is_package=path.name == "__init__.py", modules=modules
        )
        for module, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules, as a closed path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_path_around(group, graph) for group in groups]


def _path_around(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest closed path through the group's first module, staying inside the group."""
    start = min(group)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target not in previous:
                    previous[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle in {sorted(group)}")  # a group of Tarjan's always has one


def reachable(graph: dict[str, set[str]], start: str) -> dict[str, list[str]]:
    """Every module ``start`` imports, directly or through others, with the path that does."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph.get(node, ())):
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return paths


# --- imports run one way ----------------------------------------------------------------------


def test_no_module_imports_one_that_imports_it_back():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "opd.engine.tasks" in graph["opd.engine.marking"]  # imported where it enqueues
    assert "opd.engine.compute" in graph["opd.engine.tasks"]
    assert {"opd.engine.inputs", "opd.engine.method", "opd.models"} <= graph["opd.engine.compute"]


def test_a_cycle_added_inside_a_function_is_found():
    """compute marking a pair dirty again would close compute -> marking -> tasks -> compute."""
    graph = import_graph()
    path = _module_files()["opd.engine.compute"]
    source = path.read_text() + (
        "\n\ndef mark_again(pairs):\n"
        "    from opd.engine.marking import mark_dirty\n\n"
        "    mark_dirty(pairs)\n"
    )
    graph["opd.engine.compute"] = module_imports(
        source, "opd.engine.compute", is_package=False, modules=set(graph)
    )
    assert any(
        {"opd.engine.compute", "opd.engine.marking"} <= set(cycle) for cycle in cycles(graph)
    )


@pytest.mark.parametrize(
    ("source", "imported"),
    [
        ("import opd.engine.marking", {"opd.engine.marking"}),
        ("from opd.engine import marking", {"opd.engine.marking"}),
        ("from opd.engine.marking import mark_dirty", {"opd.engine.marking"}),
        ("from opd import models as om", {"opd.models"}),
        ("from .marking import mark_dirty", {"opd.engine.marking"}),
        ("from ..models import WorkPlan", {"opd.models"}),
        ("import opd.engine", {"opd.engine"}),  # the package alone, not its modules
        ("import django.db, decimal", set()),  # not ours
        ("if TYPE_CHECKING:\n    from opd.engine import marking", set()),
        (
            "if typing.TYPE_CHECKING:\n    import opd.engine.marking\nelse:\n    import opd.models",
            {"opd.models"},
        ),
        (
            "def f():\n    class C:\n        def g(self):\n            import opd.engine.tasks",
            {"opd.engine.tasks"},
        ),
    ],
)
def test_what_counts_as_an_import(source, imported):
    modules = set(import_graph())
    assert module_imports(source, "opd.engine.compute", is_package=False, modules=modules) == (
        imported
    )


@pytest.mark.parametrize("lower", ["opd.engine.compute", "opd.engine.inputs", "opd.engine.method"])
def test_the_computation_never_reaches_up_to_marking_or_the_tasks(lower):
    """Services call marking, marking enqueues tasks, tasks call compute, compute calls inputs and
    the pure method; nothing calls back up, not even through another module."""
    paths = reachable(import_graph(), lower)
    for upper in ("opd.engine.marking", "opd.engine.tasks"):
        assert upper not in paths, f"{lower} imports {upper}: {' -> '.join(paths[upper])}"


def test_targets_never_imports_opd():
    """Not even through ``magelang``: the public resources of ``targets`` share the API's read
    helpers (``magelang.api.etags``), which must not reach the opd services."""
    graph = import_graph()
    crossing = sorted(
        " -> ".join(path)
        for module in graph
        if module.split(".")[0] == "targets"
        for target, path in reachable(graph, module).items()
        if target.split(".")[0] == "opd"
    )
    assert not crossing, "targets reaches opd:\n" + "\n".join(crossing)


# --- modules import in a fresh process -------------------------------------------------------


@pytest.mark.parametrize(
    "module", ["opd.engine.tasks", "opd.workplans.tasks", "opd.engine.marking"]
)
def test_module_imports_in_a_fresh_interpreter(module):
    """What a worker or a script does first: set Django up, then import the module alone."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "magelang.settings"}
    code = f"import django; django.setup(); import {module}"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# --- files short enough to read ---------------------------------------------------------------


def _python_files() -> Iterator[Path]:
    for directory, subdirectories, names in os.walk(ROOT):
        subdirectories[:] = sorted(
            name for name in subdirectories if name not in SKIPPED_DIRS and not name.startswith(".")
        )
        for name in sorted(names):
            if name.endswith(".py"):
                yield Path(directory) / name


def test_no_python_file_is_longer_than_450_lines():
    lengths = {
        path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines())
        for path in _python_files()
    }
    assert "tests/test_layout.py" in lengths  # the walk reaches the project's files
    too_long = sorted(f"{name} ({count})" for name, count in lengths.items() if count > MAX_LINES)
    assert not too_long, f"files over {MAX_LINES} lines, to split along a seam: {too_long}"
