"""`bbj-dedupe`: staged examples against the whole corpus through the persisted MinHash index
(built on first use under the cache folder, then updated incrementally)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from hooks._common import run_hook


def dedupe(files: list[Path], config: CurateConfig, budget: float) -> list[Diagnostic]:
    """`budget` bounds the seconds of dedupe work (normalize, shingle, confirm) per file."""
    from curate.dedupe import check_against_corpus

    return check_against_corpus(files, config.root / config.data_root, config, budget)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(argv, "bbj-dedupe", "Reject examples that nearly duplicate one already in the corpus.", dedupe)


if __name__ == "__main__":
    raise SystemExit(main())
