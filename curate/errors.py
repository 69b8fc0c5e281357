"""The library's one exception family and its one table of exit statuses.

Library code (curation, checks, data pipeline, training) raises `CurateError` subclasses and never
click's exceptions, so it stays usable without a command line and a hook never imports click.
Front ends (`bbj-curate`, `bbj-train`, the hooks) catch `CurateError`, print its lines and exit
with its `exit_code`: one line per problem, never a traceback."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import ClassVar

from curate.diagnostics import Diagnostic


class ExitCode(IntEnum):
    """What every command and hook returns (ruff's and pre-commit-hooks' meanings)."""

    OK = 0  # nothing at or above --fail-on
    FINDINGS = 1  # findings at or above --fail-on, a failed check, or files a hook rewrote
    USAGE = 2  # bad arguments, a missing input path, a bad config, an unavailable tool
    INTERNAL = 2  # an unexpected error (reported in one line, never a traceback)


class CurateError(Exception):
    """A failure a user can act on. Carries a message, or diagnostics with file and line."""

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE

    def __init__(self, message: str = "", diagnostics: Sequence[Diagnostic] = ()) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(message or "\n".join(d.render() for d in self.diagnostics))

    @property
    def message(self) -> str:
        return str(self)

    def lines(self) -> list[str]:
        """What a front end prints: each diagnostic, else `error: <message>`."""
        if self.diagnostics:
            return [d.render() for d in self.diagnostics]
        return [f"error: {line}" for line in str(self).splitlines() or [self.__class__.__name__]]


class UsageError(CurateError):
    """Arguments that cannot work (a bad option combination, nothing to do)."""


class InputNotFound(UsageError):
    """Input paths that do not exist: a usage error (2) in every command, never 'no findings'."""

    def __init__(self, paths: Iterable[Path | str]) -> None:
        self.paths = [Path(p) for p in paths]
        super().__init__(f"no such file or directory: {', '.join(str(p) for p in self.paths)}")


class ConfigError(CurateError):
    """A configuration that cannot be used; the message or diagnostics name the file and key."""


class InputError(CurateError):
    """Input data that cannot be read or used as a whole (not one bad record: those are dropped
    or reported as diagnostics)."""


def require_existing(paths: Iterable[Path]) -> None:
    """Raise InputNotFound for the paths that do not exist (all of them, in one message)."""
    # "-" is stdin; a dangling or looping symlink exists (the loader reports it as BBJ001)
    missing = [p for p in paths if str(p) != "-" and not os.path.lexists(p)]
    if missing:
        raise InputNotFound(missing)
