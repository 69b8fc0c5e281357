"""`bbj-validate`: front matter against the JSON Schema (and files that cannot be read at all)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.lint import lint_paths
from hooks._common import VALIDATE_CODES, owned_by, run_hook


def validate(files: list[Path], config: CurateConfig, budget: float) -> list[Diagnostic]:
    return lint_paths(files, owned_by(config, VALIDATE_CODES), budget=budget).diagnostics


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(argv, "bbj-validate", "Validate example front matter against schema/example.schema.json.", validate)


if __name__ == "__main__":
    raise SystemExit(main())
