"""Run a command with its output on a pseudo-terminal, as a user at a terminal sees it (colour,
progress bars): the CLI tests compare that with the piped output."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path


def output_on_a_terminal(command: list[str], cwd: Path, env: dict[str, str], stderr_too: bool) -> str:
    """What the command wrote to the terminal: stdout, and stderr when `stderr_too` (else discarded)."""
    master, slave = pty.openpty()
    try:
        subprocess.run(command, cwd=cwd, env=env, stdout=slave, stderr=slave if stderr_too else subprocess.DEVNULL, timeout=120, check=False)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(master)
