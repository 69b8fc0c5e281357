"""`bbj-validate`: front matter against the JSON Schema (and files that cannot be read at all)."""

from __future__ import annotations

from collections.abc import Sequence

from curate.lint import lint_paths
from hooks._common import example_files, load, parse_args, report

SCHEMA_CODES = ("BBJ0", "BBJ1", "BBJ2")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Validate example front matter against schema/example.schema.json.")
    config = load(args)
    if config is None:
        return 2
    files = example_files(args.filenames, config)
    if not files:
        return 0
    config = config.replace(select=list(SCHEMA_CODES))
    return report(lint_paths(files, config).diagnostics, config, "bbj-validate")


if __name__ == "__main__":
    raise SystemExit(main())
