"""Atomic file writes: a temp file in the same folder, fsync, then rename over the target."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _synced_temp(path: Path, data: bytes) -> str:
    """`data` in a new temp file beside `path`, flushed to disk; the caller renames or removes it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    tmp = _synced_temp(path, data)
    try:
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def create_text_atomic(path: Path, text: str) -> bool:
    return create_bytes_atomic(path, text.encode("utf-8"))


def create_bytes_atomic(path: Path, data: bytes) -> bool:
    """Write a NEW file atomically: the complete temp file is hard-linked to `path`, which
    fails when anything exists there, so an existing file is never replaced (returns False)."""
    path = Path(path)
    tmp = _synced_temp(path, data)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
