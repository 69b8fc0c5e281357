"""The compile check: every example's BBj code goes through one checker, BASIS's `bbjcpl` when
it is installed or the built-in pure-Python checker otherwise, behind a verdict cache.
See docs/compile-check.md. `--checker bbjcpl` without a bbjcpl raises
`curate.compile.errors.CheckerUnavailable` (a click usage error, exit 2)."""

from curate.compile.checkers import BuiltinChecker, Checker
from curate.compile.program import Finding, Program, SourceFile, programs_of_example
from curate.compile.runner import check_examples, check_programs, open_cache, select_checker

__all__ = [
    "BuiltinChecker",
    "Checker",
    "Finding",
    "Program",
    "SourceFile",
    "check_examples",
    "check_programs",
    "open_cache",
    "programs_of_example",
    "select_checker",
]
