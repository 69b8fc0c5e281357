"""The one checker interface and the built-in implementation. A checker turns a `Program` into
`Finding`s; `identity` and `version` key the verdict cache, `describe()` names it in reports."""

from __future__ import annotations

from abc import ABC, abstractmethod

from curate.compile.program import Finding, Program
from curate.timebudget import OVER_BUDGET, OverBudget, file_budget

COMPILE_ERROR = "BBJ520"
COMPILER_TIMEOUT = "BBJ521"
COULD_NOT_RUN = "BBJ522"
UNPARSEABLE_OUTPUT = "BBJ523"
# Findings with these codes describe the tool, not the code: such verdicts are never cached.
# An over-budget verdict (BBJ007) describes the machine's speed that day: not cached either.
TRANSIENT_CODES = frozenset({COMPILER_TIMEOUT, COULD_NOT_RUN, UNPARSEABLE_OUTPUT, OVER_BUDGET})


class Checker(ABC):
    """Checks whole programs; implementations are interchangeable behind the cache."""

    name: str
    version: str
    # 'threads' when the work happens in subprocesses, 'processes' when it is Python code.
    parallelism: str = "threads"

    @property
    def identity(self) -> str:
        """What, besides the version, makes two checkers give different verdicts."""
        return self.name

    @abstractmethod
    def check(self, program: Program) -> list[Finding]:
        """Every finding for every file of the program; never raises for bad code."""

    def check_many(self, programs: list[Program]) -> list[list[Finding]]:
        return [self.check(program) for program in programs]

    def describe(self) -> str:
        return f"{self.name} {self.version}"


class BuiltinChecker(Checker):
    """The pure-Python BBj syntax checker (`curate.bbjsyntax`): always available, no BBj install."""

    parallelism = "processes"

    def __init__(self, reason: str = "", budget: float | None = None) -> None:
        """`budget`: seconds of checking per source file (the hooks' per-file budget), so one
        pathological file (a huge line, deep nesting) is a BBJ007 finding, not a stalled commit."""
        from curate.bbjsyntax import CHECKER_NAME, CHECKER_VERSION

        self.name = CHECKER_NAME
        self.version = CHECKER_VERSION
        self.reason = reason
        self.budget = budget

    def check(self, program: Program) -> list[Finding]:
        from curate.bbjsyntax import check_source

        findings: list[Finding] = []
        for source in program.files:
            try:
                with file_budget(self.budget):
                    issues = check_source(source.text)
            except OverBudget:
                message = f"checking this code took over {self.budget:g} s and was stopped; simplify it (very long lines? deep nesting?) or raise --file-budget"
                findings.append(Finding(source.name, 0, 0, OVER_BUDGET, message))
                continue
            except Exception as exc:  # noqa: BLE001 - the contract says never raises; report if it does
                findings.append(Finding(source.name, 0, 0, COULD_NOT_RUN, f"the built-in checker failed: {exc.__class__.__name__}: {exc}"))
                continue
            findings.extend(Finding(source.name, i.line, i.col, i.code, i.message) for i in issues)
        return findings

    def describe(self) -> str:
        tail = f" ({self.reason})" if self.reason else ""
        return f"{self.name} {self.version}{tail}"
