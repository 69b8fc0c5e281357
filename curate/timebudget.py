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


def _raise(signum: int, frame: FrameType | None) -> None:
    raise OverBudget


@contextmanager
def file_budget(seconds: float | None) -> Iterator[None]:
    """Raise OverBudget inside the block after `seconds` (no budget when None or 0, off the
    main thread, or where the platform has no interval timer)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def over_budget(display: str, seconds: float) -> Diagnostic:
    return Diagnostic(
        display, 1, 1, OVER_BUDGET, Severity.ERROR,
        f"checking this file took over {seconds:g} s and was stopped; simplify the file (very long lines?) or raise --file-budget",
    )  # fmt: skip
