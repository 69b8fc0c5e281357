"""Review decisions as file writes: who reviews, what keys a decision sets, and a writer that
refuses to overwrite a file changed on disk since it was read and can undo its last write."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.atomic import create_bytes_atomic
from curate.checks import CheckOptions, findings_as
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.errors import CurateError
from curate.example import MAX_FILE_BYTES, load_example
from curate.rules.sections import SkeletonText
from curate.safeio import UnsafeFile, WriteRefused, read_guarded, write_if_unchanged
from curate.trainable import DEDUPE_FAMILY
from curate.tui.frontmatter_edit import update_front_matter
from curate.tui.store import Entry, digest

APPROVED, REJECTED, NEEDS_WORK = "approved", "rejected", "needs-work"
MAX_SHOWN = 5  # findings listed in the approve confirmation
GIT_TIMEOUT_S = 2.0


def resolve_reviewer(config: CurateConfig) -> str:
    """The config's `reviewer`, else `git config user.name`, else the login name."""
    if config.reviewer and config.reviewer.strip():
        return config.reviewer.strip()
    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=config.root, capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=False)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return os.environ.get("USER") or getpass.getuser() or "unknown"
    except (OSError, KeyError):
        return "unknown"


def review_updates(status: str, reviewer: str, today: dt.date, note: str | None) -> dict[str, Any]:
    """The four review keys; a decision without a note removes a note left by an earlier one."""
    return {"status": status, "reviewer": reviewer, "reviewed": today.isoformat(), "review_note": (note or "").strip() or None}


class StaleFileError(CurateError):
    """The file on disk is not the one the reviewer saw; nothing was written."""


@dataclass(frozen=True)
class Change:
    """One write the reviewer can undo: the exact bytes before and after."""

    path: Path
    display: str
    before: bytes
    after: bytes
    label: str


@dataclass
class FileWriter:
    """Writes front matter edits atomically and keeps the history for undo."""

    history: list[Change] = field(default_factory=list)

    def update(self, path: Path, display: str, expected_digest: str, updates: dict[str, Any], label: str) -> Change:
        """Apply `updates` to the file if it still hashes to `expected_digest`."""
        current = _read(path)
        if digest(current) != expected_digest:
            raise StaleFileError(f"{display} changed on disk since it was loaded")
        after = update_front_matter(current, updates)
        if after != current:
            _write(path, current, after)
        change = Change(path, display, current, after, label)
        self.history.append(change)
        return change

    def create(self, path: Path, display: str, data: bytes) -> None:
        """Write a new file (never over an existing one); creations are not undoable."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if not create_bytes_atomic(path, data):
            raise StaleFileError(f"{display} already exists")

    def undo(self) -> Change | None:
        """Restore the bytes from before the last write, unless the file changed since."""
        if not self.history:
            return None
        change = self.history.pop()
        if _read(change.path) != change.after:
            raise StaleFileError(f"{change.display} changed on disk after the decision; not undone")
        _write(change.path, change.after, change.before)
        return change


def _read(path: Path) -> bytes:
    try:
        return read_guarded(path, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        raise StaleFileError(f"{path}: {exc.message}") from None


def _write(path: Path, expected: bytes, data: bytes) -> None:
    """Compare-and-swap under a lock (`curate.safeio.write_if_unchanged`): an outside save
    between the read and the rename is never overwritten."""
    try:
        write_if_unchanged(path, expected, data)
    except WriteRefused as exc:
        raise StaleFileError(str(exc)) from None


def approval_problems(entry: Entry, config: CurateConfig, options: CheckOptions) -> list[str]:
    """Why approving `entry` would approve something the gate keeps out of training (see
    `curate.trainable`): an unreadable file, checks not finished, or findings of the example
    as it would be once approved (`curate.checks.findings_as`): errors (a draft's compile
    errors are warnings only while it is a draft) and skeleton text left in (BBJ114), plus
    the set-level errors and duplicate findings of the last full check."""
    if entry.problem is not None and not entry.meta:
        return [f"the file is unreadable: {entry.problem.code} {entry.problem.message}"]
    reasons = [] if entry.findings is not None else ["the checks have not finished for this file"]
    example, problems = load_example(entry.path, entry.display, entry.topic)
    if example is None:
        return [*reasons, *(f"the file is unreadable: {d.code} {d.message}" for d in problems)]
    blocking: dict[tuple[int, str], Diagnostic] = {}
    for diag in [*findings_as(example, APPROVED, config, options), *entry.known_findings()]:
        if diag.severity is Severity.ERROR or diag.code == SkeletonText.code or diag.code.startswith(DEDUPE_FAMILY):
            blocking.setdefault((diag.line, diag.code), diag)
    shown = sorted(blocking.values(), key=Diagnostic.sort_key)
    reasons += [f"line {d.line}: {d.code} {d.message}" for d in shown[:MAX_SHOWN]]
    if len(shown) > MAX_SHOWN:
        reasons.append(f"... and {len(shown) - MAX_SHOWN} more")
    return reasons
