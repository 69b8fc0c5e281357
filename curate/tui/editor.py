"""Open a file in the reviewer's editor from a Textual app: $VISUAL, $EDITOR or vi, as an argv
list (no shell), with the app suspended while it runs (run directly when headless, in tests)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from textual.app import App, SuspendNotSupported


def open_in_editor(app: App[None], path: Path, editor: str | None = None) -> str | None:
    """Run the editor on `path` and wait for it; an error message when it could not start."""
    command = editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        argv = [*shlex.split(command), str(path)]
        if app.is_headless:
            subprocess.run(argv, check=False)
        else:
            with app.suspend():
                subprocess.run(argv, check=False)
    except (OSError, ValueError, SuspendNotSupported) as exc:
        return f"cannot run the editor {command!r}: {exc}"
    return None
