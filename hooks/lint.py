"""`bbj-lint`: every lint rule on the staged examples (project rules see only these files)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.lint import lint_paths
from hooks._common import run_hook


def lint(files: list[Path], config: CurateConfig, budget: float) -> list[Diagnostic]:
    return lint_paths(files, config, budget=budget).diagnostics


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(argv, "bbj-lint", "Run the bbj-curate lint rules on example files.", lint)


if __name__ == "__main__":
    raise SystemExit(main())
