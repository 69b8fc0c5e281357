"""Checks for the review app. The full run goes to a spawned child process: the UI thread then
never competes with it for the GIL (a thread running lint and dedupe over 10,000 files made
each keystroke wait), and the child, having no threads, may fork its own lint pool safely.
One-file rechecks are quick and run in a worker thread of the app."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import resource_tracker
from pathlib import Path

from curate.checks import CheckOptions, lint_step, run_checks
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic

CHILD_NICENESS = 10


def prepare_child_processes() -> None:
    """Start multiprocessing's resource tracker now, while sys.stderr is the real one: once
    Textual captures output, stderr.fileno() is -1 and starting the tracker fails."""
    resource_tracker.ensure_running()


def _prepare_child() -> None:
    """The child shares the terminal the UI draws on: its stray output must go nowhere; and it
    yields the CPU to the UI (lower priority, inherited by its lint pool)."""
    os.nice(CHILD_NICENESS)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def checked(paths: list[Path], config: CurateConfig, options: CheckOptions) -> tuple[list[Diagnostic], str]:
    """Every check's diagnostics, and a failure message when a step broke and only lint ran:
    one broken checker must not end a review session."""
    try:
        return run_checks(paths, config, options).diagnostics, ""
    except Exception as exc:  # noqa: BLE001 - reported to the reviewer; lint still runs
        return run_checks(paths, config, options, [lint_step]).diagnostics, f"{exc.__class__.__name__}: {exc}"


def checked_in_child(paths: list[Path], config: CurateConfig, options: CheckOptions) -> tuple[list[Diagnostic], str]:
    """`checked` in a spawned process; in this process if the child cannot run."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_prepare_child) as pool:
            return pool.submit(checked, paths, config, options).result()
    except (BrokenProcessPool, OSError):
        return checked(paths, config, options)
