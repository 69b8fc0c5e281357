"""`bbj-lint`: every lint rule on the staged examples (project rules see only these files)."""

from __future__ import annotations

from collections.abc import Sequence

from curate.lint import lint_paths
from hooks._common import example_files, load, parse_args, report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Run the bbj-curate lint rules on example files.")
    config = load(args)
    if config is None:
        return 2
    files = example_files(args.filenames, config)
    if not files:
        return 0
    return report(lint_paths(files, config).diagnostics, config, "bbj-lint")


if __name__ == "__main__":
    raise SystemExit(main())
