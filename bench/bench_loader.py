"""The example loader on 1 MB pathological examples (issue 19's target: <= 1 s each): one per
line shape that made an old scanner pattern backtrack (a filename comment followed by a long
whitespace run, a 1 MB heading of ` #`, unclosed `<!--` runs, a fence with a long info string),
loaded and linted with every rule, median of runs:
`python bench/bench_loader.py --runs 5` (`--kb 2` shows the old patterns' cost on 2 KB)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchlib import machine, median_seconds, table

from curate.config import CurateConfig
from curate.example import load_example
from curate.lint import lint_paths

HEAD = "---\ntitle: Pathological\ntype: completion\ngeneration: all\n---\n\n## Code\n\n```bbj\nprint 1\n```\n\n## Explanation\n\n"
SHAPES = {
    "filename comment + whitespace run": lambda n: "<!-- filename:" + " " * n + "x",
    "heading of ' #'": lambda n: "### " + " #" * (n // 2) + "x",
    "unclosed '<!--' run": lambda n: "<!--" * (n // 4),
    "fence with a long info string": lambda n: "```" + "a" * n + "`",
    "many short hostile lines": lambda n: "\n".join(["<!-- filename:    x", "## a #  ", "```bbj `", "<!--"] * (n // 40)),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", type=int, default=1024, help="size of each example in KB (default 1 MB)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = CurateConfig(root=folder)
        for name, shape in SHAPES.items():
            path = folder / "case.md"
            path.write_text(HEAD + shape(args.kb * 1024) + "\n", "utf-8")
            load, _ = median_seconds(lambda p=path: load_example(p), args.runs)
            lint, _ = median_seconds(lambda p=path: lint_paths([p], config, jobs=1), args.runs)
            rows.append((name, f"{path.stat().st_size / 1e6:.2f} MB", f"{load:.3f} s", f"{lint:.3f} s", f"{lint / 1.0:.2f}"))
    print(machine())
    print(table(rows, ("line shape", "size", "load (median)", "load + every rule", "ratio to 1 s")))


if __name__ == "__main__":
    main()
