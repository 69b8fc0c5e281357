"""`bbj-lint`: every lint rule on the staged examples, and their titles against the whole set
(as `bbj-dedupe` checks their content against it): a title taken by a committed example fails
the commit that adds the second one, not a later `bbj-curate check`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.example import Example
from curate.lint import LINT_FAMILIES, finalize, lint_paths, title_holders, unused_noqa
from curate.rules.base import is_enabled
from curate.rules.metadata import DuplicateTitle, title_key
from hooks._common import LINT_CODES, SET_TITLE_CODE, owned_by, run_hook


def titles_against_set(staged: list[Example], config: CurateConfig) -> list[Diagnostic]:
    """BBJ208 over the staged examples and the rest of the set, for pairs with a staged file."""
    if not staged or not is_enabled(SET_TITLE_CODE, config):
        return []
    staged_paths = {os.path.abspath(e.path) for e in staged}
    everyone = staged + title_holders({title_key(e.title) for e in staged}, config, staged_paths)
    rule = DuplicateTitle()
    found = []
    for blamed, owner in rule.duplicates(everyone):
        if os.path.abspath(blamed.path) in staged_paths or os.path.abspath(owner.path) in staged_paths:
            message = f"title {blamed.title!r} is already used by {owner.display_path}"
            found.extend(finalize([rule.diag(blamed, blamed.line_of_key("title"), message)], config, blamed))
    return found


def lint(files: list[Path], config: CurateConfig, budget: float) -> list[Diagnostic]:
    owned = owned_by(config, LINT_CODES)
    result = lint_paths(files, owned.replace(ignore=[*owned.ignore, SET_TITLE_CODE]), budget=budget)
    return result.diagnostics + titles_against_set(result.examples, owned) + unused_noqa(result.examples, owned, LINT_FAMILIES)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(argv, "bbj-lint", "Run the bbj-curate lint rules on example files.", lint)


if __name__ == "__main__":
    raise SystemExit(main())
