"""The checker's modules import one way: the statement parser dispatches to the per-verb handlers
through a typed table (`handler.Handler`), and no handler module imports the parser back."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "curate" / "bbjsyntax"


def local_imports(module: Path) -> set[str]:
    """Sibling modules `module` imports (`from .x import ...`, `from . import x`), at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle of `graph`, each as the path that closes it."""
    found, state = [], dict.fromkeys(graph, 0)  # 0 unvisited, 1 on the path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], name, target] if target in path else [name, target])
            elif state.get(target) == 0:
                visit(target, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if state[name] == 0:
            visit(name, [])
    return found


def test_bbjsyntax_has_no_import_cycle() -> None:
    graph = {module.stem: local_imports(module) for module in PACKAGE.glob("*.py")}
    assert "statements" in graph["checker"] and "handler" in graph["control"], "the graph was read"
    assert cycles(graph) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"statements": {"control"}, "control": {"handler", "statements"}, "handler": set()}) == [["control", "statements", "control"]]
