"""A hook must start in a fraction of a second: none imports the training stack, the TUI, or
multiprocessing (10 ms a hook; only a parallel lint of many files needs it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hookrepo import valid_example

PROBE = """
import runpy, sys
module, files = sys.argv[1], sys.argv[2:]
sys.argv = [module, *files]
try:
    runpy.run_module(module, run_name="__main__")
except SystemExit as exc:
    code = exc.code
print(sorted(m for m in ("torch", "transformers", "trl", "peft", "datasets", "textual", "multiprocessing") if m in sys.modules))
print(code)
"""


@pytest.mark.parametrize("hook", ["validate", "lint", "compile", "dedupe"])
def test_hook_runs_without_heavy_imports(hook: str, tmp_path: Path) -> None:
    example = tmp_path / "training-data" / "strings" / "greet-a-person.md"
    example.parent.mkdir(parents=True)
    example.write_text(valid_example("Greet a person by name", "Ada"), "utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.bbj-curate]\nchecker = "builtin"\n', "utf-8")
    result = subprocess.run([sys.executable, "-c", PROBE, f"hooks.{hook}", "training-data/strings/greet-a-person.md"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    heavy, code = result.stdout.strip().split("\n")[-2:]
    assert heavy == "[]", result.stdout + result.stderr
    assert code == "0", result.stdout + result.stderr
