"""Render the readable benchmark source (`src/bbj-bench-v1.toml`) into the shipped JSONL.

Why a source file: references are whole BBj programs, and a TOML literal string keeps them
readable and diffable, while the JSONL (one case per line) is what tools read. Ids follow
the order of the source (`bbj-bench-v1-001`, ...): append new cases at the end and never
reorder, so an id always names the same case within a version.

    python benchmark/build.py            # rewrite benchmark/bbj-bench-v1.jsonl
    python benchmark/build.py --check    # exit 1 when the JSONL is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

VERSION = "v1"
HERE = Path(__file__).resolve().parent
SOURCE = HERE / "src" / f"bbj-bench-{VERSION}.toml"
TARGET = HERE / f"bbj-bench-{VERSION}.jsonl"
# Key order of every JSONL line (the contract's order); optional keys are left out when empty.
FIELDS = ("id", "prompt", "generation", "type", "difficulty", "topic", "from_generation", "reference", "must_call")


def load_cases(source: Path = SOURCE) -> list[dict[str, object]]:
    """The cases of the source file, in order, each with its id and trimmed text fields."""
    with source.open("rb") as handle:
        raw = tomllib.load(handle).get("case", [])
    cases: list[dict[str, object]] = []
    for number, entry in enumerate(raw, start=1):
        case: dict[str, object] = {"id": f"bbj-bench-{VERSION}-{number:03d}"}
        for key in FIELDS[1:]:
            value = entry.get(key)
            if isinstance(value, str):
                value = value.strip("\n")
            if value not in (None, "", []):
                case[key] = value
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise ValueError(f"{source}: case {number} has unknown keys {unknown}")
        cases.append(case)
    return cases


def render(cases: list[dict[str, object]]) -> str:
    """One compact JSON object per line, UTF-8 kept readable (no ASCII escapes)."""
    return "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the JSONL is current")
    args = parser.parse_args(argv)
    text = render(load_cases())
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{TARGET.name} is out of date: run python benchmark/build.py", file=sys.stderr)
            return 1
        return 0
    tmp = TARGET.with_suffix(".jsonl.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(TARGET)
    print(f"wrote {TARGET.name}: {text.count(chr(10))} cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
