"""The dependency points from the apps to their screens: a screen module imports neither app,
not even for type checking; screens reach the app through the protocols in screens/host.py."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tui_helpers import make_app

import curate.tui.screens
from curate.tui.screens.host import ReviewHost

SCREENS = sorted(Path(curate.tui.screens.__file__).parent.glob("*.py"))
APPS = {"curate.tui.app", "curate.tui.rating_app"}

PROBE = """
import importlib, json, sys
apps = set(sys.argv[2:])
found = {}
for name in sys.argv[1].split(","):
    importlib.import_module(name)
    found[name] = sorted(apps & set(sys.modules))
print(json.dumps(found))
"""


def module_name(path: Path) -> str:
    return f"curate.tui.screens.{path.stem}"


def test_the_screens_are_all_found() -> None:
    assert {"browser", "example", "duplicates", "stats", "forms", "host", "help"} <= {p.stem for p in SCREENS}


def test_importing_a_screen_does_not_import_an_app() -> None:
    """Each screen module is imported in a fresh interpreter; after each one no app module is loaded."""
    names = [module_name(p) for p in SCREENS if p.stem != "__init__"]
    argv = [sys.executable, "-c", PROBE, ",".join(names), *sorted(APPS)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert set(found) == set(names)
    assert {name: apps for name, apps in found.items() if apps} == {}


def imported_modules(node: ast.AST) -> set[str]:
    """The modules an import statement names (`from curate.tui import app` names curate.tui.app)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.module:
        return {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return set()


def test_no_screen_names_an_app_even_for_type_checking() -> None:
    offenders = [
        f"{path.name}:{getattr(node, 'lineno', 0)}"
        for path in SCREENS
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if imported_modules(node) & APPS
    ]
    assert offenders == []


def test_the_review_app_is_a_review_host(review_data: Path) -> None:
    assert isinstance(make_app(), ReviewHost)
