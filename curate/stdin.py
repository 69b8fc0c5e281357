"""`-` / `--stdin-filename PATH` (editor integration, as ruff's): the document comes from
stdin and is reported under PATH, which need not exist. The configuration is the one PATH
would get; nothing is cached for the document (no verdict cache, no dedupe index)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from curate.discover import display_path
from curate.safeio import TOO_LARGE, UnsafeFile

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Document:
    """Text read from stdin, standing for the file at `path` (`-` when no name was given)."""

    path: Path
    display: str
    raw: bytes
    named: bool  # a --stdin-filename was given (file name and topic rules apply)

    @classmethod
    def from_stream(cls, stream: BinaryIO, filename: Path | None, limit: int) -> Document:
        """Up to `limit` + 1 bytes: one more than the limit is enough to say it is too large."""
        path = filename or Path(STDIN)
        return cls(path, display_path(path) if filename else STDIN, stream.read(limit + 1), filename is not None)

    def checked_bytes(self, limit: int) -> bytes:
        """The bytes, or UnsafeFile (BBJ003) past `limit`, as the guarded file reader says."""
        if len(self.raw) > limit:
            raise UnsafeFile(TOO_LARGE, f"stdin holds more than {limit:,} bytes, the limit")
        return self.raw


def wants_stdin(paths: tuple[Path, ...], filename: Path | None) -> bool:
    """`-` as the only path, or no path with --stdin-filename (as ruff reads it)."""
    return [str(p) for p in paths] == [STDIN] or (not paths and filename is not None)
