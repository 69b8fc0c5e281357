"""`bbj-validate`: front matter against the JSON Schema (and files that cannot be read at all)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.lint import lint_paths
from hooks._common import run_hook

SCHEMA_CODES = ("BBJ0", "BBJ1", "BBJ2")


def validate(files: list[Path], config: CurateConfig, budget: float) -> list[Diagnostic]:
    return lint_paths(files, config.replace(select=list(SCHEMA_CODES)), budget=budget).diagnostics


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(argv, "bbj-validate", "Validate example front matter against schema/example.schema.json.", validate)


if __name__ == "__main__":
    raise SystemExit(main())
