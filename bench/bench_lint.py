"""Lint speed: `bbj-curate lint` over 10,000 generated examples, and on one file, each as a
whole process (import time included). Targets: <= 10 s and <= 0.4 s on 2 cores."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchlib import machine, median_seconds, run_process, table
from gen_examples import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tool = str(Path(sys.executable).parent / "bbj-curate")
    work = Path(tempfile.mkdtemp(prefix="bench-lint-"))
    try:
        data = work / "training-data"
        paths = generate(data, args.count)
        (work / "pyproject.toml").write_text('[tool.bbj-curate]\nselect = ["BBJ"]\n')
        many, _ = median_seconds(run_process([tool, "lint", "training-data"], cwd=str(work)), runs=args.runs)
        one, _ = median_seconds(run_process([tool, "lint", str(paths[0].relative_to(work))], cwd=str(work)), runs=args.runs * 2)
        bare, _ = median_seconds(run_process([sys.executable, "-c", "pass"]), runs=args.runs * 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print(
        table(
            [
                (f"bbj-curate lint training-data ({args.count:,} files)", f"{many:.2f} s", "10 s", f"{many / 10:.2f}"),
                ("bbj-curate lint one-file.md", f"{one:.3f} s", "0.4 s", f"{one / 0.4:.2f}"),
                ("python -c pass (interpreter start, for scale)", f"{bare:.3f} s", "", ""),
            ],
            ("command (whole process)", "median", "target", "ratio to target"),
        )
    )


if __name__ == "__main__":
    main()
