"""Run the built-in checker over a folder of held-out BBj files and list the files with findings.

Why: the conformance measurement (docs/syntax-conformance.md, "Held-out check") runs the checker
on public BBj source that is kept OUTSIDE the repository (its licences do not allow copying it
in). This script only reads the folder given on the command line and prints a table: files with
error findings (each finding with line, code and message), then the warning count, then totals.

    .venv/bin/python bench/heldout_check.py /work/heldout
    .venv/bin/python bench/heldout_check.py /work/heldout --warnings   # list warnings too
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from curate.bbjsyntax import CHECKER_NAME, CHECKER_VERSION, check_source
from curate.source_text import decode_source

SUFFIXES = frozenset([".bbj", ".aon", ".src", ".bbx", ".bbjt", ".txt", ".bbl", ""])


def sample_files(folder: Path) -> list[Path]:
    """Every regular file under `folder` that may hold BBj source, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--warnings", action="store_true", help="list warning findings as well")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"not a folder: {args.folder}")
    files = sample_files(args.folder)
    codes: Counter[str] = Counter()
    flagged = warned = lines = 0
    for path in files:
        text, _ = decode_source(path.read_bytes())
        lines += text.count("\n") + 1
        issues = check_source(text)
        errors = [i for i in issues if i.severity == "error"]
        shown = issues if args.warnings else errors
        codes.update(i.code for i in issues)
        flagged += bool(errors)
        warned += any(i.severity == "warning" for i in issues)
        if shown:
            print(path.relative_to(args.folder))
            for i in shown:
                print(f"    {i.line}:{i.col} {i.code} [{i.severity}] {i.message}")
    print(f"\n{CHECKER_NAME} {CHECKER_VERSION}: {len(files)} files, {lines:,} lines")
    print(f"files with error findings: {flagged}; files with warnings only or also: {warned}")
    print("findings by code: " + (", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
