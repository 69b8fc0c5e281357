"""Failures a user can fix (missing data, bad records, an unavailable backend), as diagnostics."""

from __future__ import annotations

from curate.diagnostics import Diagnostic, Severity
from curate.errors import CurateError


class TrainingError(CurateError):
    """Stops a run before or between stages; the CLI renders the diagnostics and exits 2."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics=diagnostics)


def fail(path: str, code: str, message: str, line: int = 0) -> TrainingError:
    return TrainingError([Diagnostic(path, line, 1 if line else 0, code, Severity.ERROR, message)])
