"""The set-level title check of `bbj-lint` (BBJ208 against the whole set) on a repository of N
examples: the titles of 3 staged files looked up among all of them.

    python bench/bench_titles.py [--count 10000] [--runs 5]

Measured: the first run (builds the title cache under .bbj-cache/), a run with the cache (what a
commit pays), and the baseline of parsing every example (what the hook would cost without it)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchlib import machine, median_seconds, table
from gen_examples import generate

from curate.config import load_config
from curate.discover import discover
from curate.example import load_example
from curate.lint import title_holders
from curate.rules.metadata import title_key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-titles-"))
    try:
        os.chdir(folder)
        (folder / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
        generate(folder / "training-data", args.count)
        config = load_config([folder / "training-data"])
        staged = sorted((folder / "training-data").rglob("*.md"))[:3]
        keys = {title_key(e.title) for f in staged if (e := load_example(f)[0]) is not None}

        def parse_all() -> list[object]:
            targets, _ = discover([config.root / config.data_root], config)
            return [e for t in targets if (e := load_example(t.path, t.display, t.topic)[0]) is not None and title_key(e.title) in keys]

        start = time.perf_counter()
        first = title_holders(keys, config)
        first_s = time.perf_counter() - start
        cached, _ = median_seconds(lambda: title_holders(keys, config), args.runs, warmup=0)
        baseline, _ = median_seconds(parse_all, max(1, args.runs // 2), warmup=0)
        assert len(first) == len(keys) == 3
        print(machine(), f"load average {os.getloadavg()[0]:.1f}")
        rows = [
            ("first run (builds the title cache)", f"{first_s:.3f}", f"{first_s / baseline:.2f}"),
            ("cached (a commit)", f"{cached:.3f}", f"{cached / baseline:.3f}"),
            ("baseline: parse every example", f"{baseline:.3f}", "1.00"),
        ]
        print(table(rows, ("case", "seconds", "ratio to parsing every example")))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
