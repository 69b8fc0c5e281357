"""The check pipeline (`curate.checks`) sits above the checkers it runs: `curate.compile` and
`curate.dedupe` take examples and return diagnostics, and never import the pipeline, not even
for a type (an import cycle that made a checker unusable without a `CheckRun`)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKERS = ("compile", "dedupe")
PROBE = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
print("curate.checks" in sys.modules)
"""


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any level (under TYPE_CHECKING and in functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("checker", CHECKERS)
def test_checkers_never_name_the_pipeline(checker: str) -> None:
    offenders = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "curate" / checker).rglob("*.py")) if "curate.checks" in imported_modules(path)]
    assert offenders == []


@pytest.mark.parametrize("checker", CHECKERS)
def test_importing_a_checker_leaves_the_pipeline_unloaded(checker: str) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, f"curate.{checker}"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
