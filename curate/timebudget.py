"""A wall-clock budget per file, so no single file can stall a pre-commit hook: a timer signal
interrupts the work (Python code and the `re` engine both check for signals), and the file
gets a BBJ007 finding instead of blocking every contributor's commit."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from curate.diagnostics import Diagnostic, Severity

OVER_BUDGET = "BBJ007"
DEFAULT_FILE_BUDGET_S = 10.0


class OverBudget(BaseException):
    """The work on one file ran past its budget. A BaseException, like KeyboardInterrupt: the
    "never raises" catch-alls of the checks (`except Exception`) must not swallow the timer."""


RETRY_S = 0.05  # a raise that lands where Python ignores exceptions is repeated this much later


class BudgetTimer:
    """The budget of a batch of files: the SIGALRM handler is installed once for the batch
    (`with BudgetTimer(s) as timer:`), and `timer.file()` only arms and disarms the timer
    around one file's work, so a 10,000-file dedupe index build pays two `setitimer` calls per
    file, not two `sigaction`s more. No budget when None or 0, off the main thread, or where
    the platform has no interval timer."""

    def __init__(self, seconds: float | None) -> None:
        usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        self.seconds = float(seconds or 0) if usable else 0.0
        self._previous: object = None
        self._armed = False

    def __enter__(self) -> BudgetTimer:
        if self.seconds:
            self._previous = signal.signal(signal.SIGALRM, self._on_alarm)
        return self

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        """Raise OverBudget, and arm a retry first: a signal handled inside a weakref callback or
        a `__del__` (the garbage collector runs those) has its exception printed and dropped, and
        the work would run on past its budget. A tick after the block has ended does nothing."""
        if not self._armed:
            return
        signal.setitimer(signal.ITIMER_REAL, RETRY_S)
        raise OverBudget

    def __exit__(self, *exc: object) -> None:
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)  # type: ignore[arg-type]

    @contextmanager
    def file(self) -> Iterator[None]:
        """Raise OverBudget inside the block after the budget's seconds."""
        if not self.seconds:
            yield
            return
        self._armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            self._armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def file_budget(seconds: float | None) -> Iterator[None]:
    """Raise OverBudget inside the block after `seconds` (one file: see BudgetTimer)."""
    with BudgetTimer(seconds) as timer, timer.file():
        yield


def over_budget(display: str, seconds: float) -> Diagnostic:
    return Diagnostic(
        display, 1, 1, OVER_BUDGET, Severity.ERROR,
        f"checking this file took over {seconds:g} s and was stopped; simplify the file (very long lines?) or raise --file-budget",
    )  # fmt: skip
