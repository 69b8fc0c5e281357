"""The example scanner is linear: random and adversarial lines (long whitespace runs, unclosed
comments, long headings, fences with long info strings) go through the whole loader and every
lint rule, and through the ChatML block scanner of the import path, within a wall-clock budget
per kilobyte. The old patterns took ~19 s on one 3,000-space filename comment."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from curate.config import CurateConfig
from curate.lint import lint_paths
from curate.timebudget import OVER_BUDGET
from train.data.chatml import fenced_blocks

HEAD = "---\ntitle: Fuzz\ntype: completion\ngeneration: all\n---\n\n## Code\n\n```bbj\nprint 1\n```\n\n## Explanation\n\n"
PIECES = [" ", "\t", "#", "`", "~", "<!--", "-->", "filename:", "(", ")", "Before", "After", "x", "-", ":", "\\", "*"]
LINE_SHAPES = [
    lambda n: "<!-- filename:" + " " * n + "x",
    lambda n: "<!-- filename:" + " " * n + "-->" + " " * n + "y",
    lambda n: "#" * 3 + " " + " #" * (n // 2) + "x",
    lambda n: "## " + "a " * (n // 2),
    lambda n: "<!--" * (n // 4),
    lambda n: "```" + "a" * n + "`",
    lambda n: "```" + " " * n + "x`",
    lambda n: "### Before (" + "(" * n,
    lambda n: " " * n + "~~~",
]
BUDGET_S_PER_KB = 0.01  # linear code needs ~0.2 ms/KB; the old patterns needed seconds for 2 KB


def fuzz_text(rng: random.Random, size: int) -> str:
    lines = []
    while sum(map(len, lines)) < size:
        if rng.random() < 0.3:
            lines.append(rng.choice(LINE_SHAPES)(rng.randint(500, 20_000)))
        else:
            lines.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 400))))
    return HEAD + "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(4))
def test_scanner_time_is_linear(tmp_path: Path, seed: int) -> None:
    text = fuzz_text(random.Random(seed), 200_000)
    path = tmp_path / "fuzz.md"
    path.write_text(text, "utf-8")
    budget = 0.2 + BUDGET_S_PER_KB * len(text) / 1024
    start = time.perf_counter()
    result = lint_paths([path], CurateConfig(root=tmp_path), jobs=1)
    fenced_blocks(text)
    elapsed = time.perf_counter() - start
    assert elapsed < budget, f"{elapsed:.2f} s for {len(text) / 1024:.0f} KB (budget {budget:.2f} s)"
    assert result.files == 1


def test_hook_budget_stops_a_slow_file(tmp_path: Path) -> None:
    """The per-file budget itself: a file that takes longer than it is a BBJ007 finding."""
    path = tmp_path / "big.md"
    path.write_text(HEAD + ("print 1\n" * 400_000), "utf-8")
    result = lint_paths([path], CurateConfig(root=tmp_path), jobs=1, budget=0.001)
    assert [d.code for d in result.diagnostics] == [OVER_BUDGET]
