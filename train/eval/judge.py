"""Judging model output with the compile check the curation gate uses: BASIS's `bbjcpl -N` when
it is found, the built-in checker otherwise (`curate.compile.select_checker`), through
`check_programs`, which checks identical code once and spreads large batches over processes.

A verdict's status follows MultiPL-E's taxonomy adapted to a language we only compile:
`ok` (the checker finds no error; warnings such as BBJ506 compile), `syntax-error`, `no-code`
(nothing to check: a failure), and the generation failures `timeout` / `error` passed through.
`flags` are the built-in checker's BBJ510 (fabricated construct) and BBJ511 (unknown BBj API
method) findings, counted even when bbjcpl is the judge (bbjcpl does not name them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.compile.checkers import BuiltinChecker, Checker
from curate.compile.program import Program, block_source
from curate.diagnostics import Diagnostic, Severity

FABRICATED = "BBJ510"
UNKNOWN_API = "BBJ511"
FLAG_CODES = frozenset({FABRICATED, UNKNOWN_API})
STATUSES = ("ok", "syntax-error", "no-code", "timeout", "error")
FILE_NAME = "answer.bbj"


@dataclass(frozen=True)
class Verdict:
    status: str
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    flags: frozenset[str] = frozenset()

    @property
    def passed(self) -> bool:
        return self.status == "ok"


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"line": diagnostic.line, "col": diagnostic.col, "code": diagnostic.code, "severity": diagnostic.severity.value, "message": diagnostic.message}


class Judge:
    """Checks extracted code; `describe()` -> {"name", "version"} for the report."""

    def __init__(self, checker: Checker | None = None, jobs: int | None = None) -> None:
        self.checker = checker or default_checker()
        self.flagger = self.checker if isinstance(self.checker, BuiltinChecker) else BuiltinChecker()
        self.jobs = jobs

    @classmethod
    def for_repository(cls, root: Path | None = None, requested: str | None = None) -> Judge:
        """The checker the repository's `[tool.bbj-curate]` config selects (auto: bbjcpl if found)."""
        from curate.compile import select_checker
        from curate.config import load_config

        checker = select_checker(load_config([root or Path.cwd()]), requested)
        return cls(checker or BuiltinChecker("checker = none in the config; the eval always checks"))

    def describe(self) -> dict[str, str]:
        return {"name": self.checker.name, "version": self.checker.version, "description": self.checker.describe()}

    def judge(self, code: str | None) -> Verdict:
        return self.judge_many([code])[0]

    def judge_many(self, codes: Sequence[str | None]) -> list[Verdict]:
        """One verdict per code (None = no code found)."""
        from curate.compile.runner import check_programs

        present = [(i, code) for i, code in enumerate(codes) if code is not None and code.strip()]
        programs = [Program(str(i), (block_source(FILE_NAME, code, 1),)) for i, code in present]
        found: dict[str, list[Diagnostic]] = {p.path: [] for p in programs}
        for diagnostic in check_programs(programs, self.checker, None, self.jobs):
            found[diagnostic.path].append(diagnostic)
        flags: dict[str, frozenset[str]] = {}
        if self.flagger is self.checker:
            flags = {path: frozenset(d.code for d in ds if d.code in FLAG_CODES) for path, ds in found.items()}
        else:
            for diagnostic in check_programs(programs, self.flagger, None, self.jobs):
                if diagnostic.code in FLAG_CODES:
                    flags[diagnostic.path] = flags.get(diagnostic.path, frozenset()) | {diagnostic.code}
        verdicts = [Verdict("no-code") for _ in codes]
        for i, _ in present:
            diagnostics = found[str(i)]
            # warnings (BBJ506: an IF without FI compiles) are reported, not failed
            status = "syntax-error" if any(d.severity is Severity.ERROR for d in diagnostics) else "ok"
            verdicts[i] = Verdict(status, [diagnostic_json(d) for d in diagnostics], flags.get(str(i), frozenset()))
        return verdicts


def default_checker() -> Checker:
    from curate.compile import select_checker
    from curate.config import CurateConfig

    return select_checker(CurateConfig()) or BuiltinChecker()


def render_diagnostics(diagnostics: Sequence[dict[str, Any]], limit: int = 20) -> str:
    """Diagnostics as compiler-style lines, for the repair turn and for reports."""
    lines = [f"line {d['line']}, col {d['col']}: {d['code']} {d['message']}" for d in diagnostics[:limit]]
    if len(diagnostics) > limit:
        lines.append(f"... and {len(diagnostics) - limit} more")
    return "\n".join(lines)
