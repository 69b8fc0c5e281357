"""A progress display on the terminal for work that runs past about a second (`check` over
5,000 files took 28 s with nothing on screen).

The library only reports steps (`with task("lint", total) as advance: ... advance(1)`); the
display is off unless a front end turns it on (`enable`), which `bbj-curate`'s file commands do
when stderr is a terminal. It draws on stderr, so stdout stays the report (JSON and SARIF stay
parseable), and it never shows when stderr is piped, under `TERM=dumb`, in the hooks or in the
review TUI. Colour follows NO_COLOR / `--no-color`. `rich.progress` is imported only when a
display starts, so a hook pays nothing for it. The bar appears once the work has run for
`BBJ_CURATE_PROGRESS_AFTER` seconds (default 1; 0 shows it at once) and is erased when done."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

DELAY_VARIABLE = "BBJ_CURATE_PROGRESS_AFTER"
DEFAULT_DELAY_S = 1.0

Advance = Callable[[int], None]
_stream: TextIO | None = None


def enable(stream: TextIO) -> None:
    """Show progress on `stream` from now on, when it is a terminal."""
    global _stream
    _stream = stream if is_terminal(stream) else None


def disable() -> None:
    global _stream
    _stream = None


def is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return callable(isatty) and bool(isatty()) and os.environ.get("TERM") != "dumb"


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_VARIABLE, DEFAULT_DELAY_S)))
    except ValueError:
        return DEFAULT_DELAY_S


def _ignore(steps: int = 1) -> None:
    return None


@contextmanager
def task(description: str, total: int) -> Iterator[Advance]:
    """A callable that advances the bar by its argument; a no-op when no display is on."""
    stream = _stream
    if stream is None or total <= 1:
        yield _ignore
        return
    delay, started = _delay(), time.monotonic()
    state: dict[str, Any] = {"done": 0, "bar": None}

    def advance(steps: int = 1) -> None:
        state["done"] += steps
        if state["bar"] is None and time.monotonic() - started >= delay:
            state["bar"], state["id"] = _start(stream, description, total)
        if state["bar"] is not None:
            state["bar"].update(state["id"], completed=state["done"])

    try:
        yield advance
    finally:
        if state["bar"] is not None:
            state["bar"].stop()


def _start(stream: TextIO, description: str, total: int) -> tuple[Any, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(file=stream, no_color=bool(os.environ.get("NO_COLOR")), highlight=False)
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True
    )
    task_id = bar.add_task(description, total=total)
    bar.start()
    return bar, task_id
