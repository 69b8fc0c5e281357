"""Files a pull request or a downloaded folder can plant where the tools expect a regular file,
and a guard that turns a read that blocks on one into a test failure instead of a hung suite.
Shared by the hostile-file tests of curation, training and release."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


def fifo(path: Path) -> None:
    """A named pipe at `path` (replacing a file there): opening it for reading blocks."""
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def dev_zero(path: Path) -> None:
    """A symbolic link to /dev/zero at `path` (replacing a file there): it never ends."""
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """`work()` in a daemon thread: a read that blocks fails the test instead of hanging it."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still reading after {seconds} s (blocked on a planted file)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
