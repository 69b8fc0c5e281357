"""`bbj-fix` (opt-in): the safe fixes of `bbj-curate lint --fix` (byte order mark, CRLF line
ends, fence language; never code content) on the staged examples. Like pre-commit-hooks'
fixers it FAILS when it rewrote a file, so the contributor reviews the change and stages it
again; it reports nothing else (`bbj-lint` reports what is left)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from curate.errors import ExitCode
from hooks._common import staged_examples

MODIFIED = "files were modified by this hook: review the change, `git add` the files and commit again"


def main(argv: Sequence[str] | None = None) -> int:
    from curate.fix import fix_paths

    staged = staged_examples(argv, "Apply the safe fixes to example files; fail when a file was rewritten.")
    if isinstance(staged, int):
        return staged
    _, config, files = staged
    result = fix_paths(files, config)
    for display, _, _ in result.changes:
        print(f"Fixing {display}")
    if not result.changes:
        return ExitCode.OK
    print(f"{result.fixed} finding{'s' if result.fixed != 1 else ''} fixed; {MODIFIED}", file=sys.stderr)
    return ExitCode.FINDINGS


if __name__ == "__main__":
    raise SystemExit(main())
