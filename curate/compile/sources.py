"""Raw BBj source files as programs, for `bbj-curate syntax`: folders are searched for the
usual suffixes, files are decoded as UTF-8 or else Latin-1 (legacy BBj code is often 8-bit),
and a file that is binary, too big or unreadable becomes one diagnostic instead."""

from __future__ import annotations

import os
from pathlib import Path

from curate.compile.program import Program, SourceFile, name_problem
from curate.diagnostics import Diagnostic, Severity
from curate.discover import display_path
from curate.source_text import decode_source

SOURCE_SUFFIXES = (".bbj", ".src", ".bbl", ".aon")
MAX_SOURCE_BYTES = 8_000_000  # the built-in checker's own limit (8,000,000 characters)


def collect_sources(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Files named on the command line are taken whatever their suffix; folders are walked
    (hidden folders skipped, symlinked folders not followed) for SOURCE_SUFFIXES."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.abspath(path)
        if key in seen:
            return
        seen.add(key)
        reason = _not_a_file(path)
        if reason:
            problems.append(_problem(path, "BBJ001", reason))
        else:
            files.append(path)

    for given in paths:
        if given.is_dir():
            for folder, dirs, names in os.walk(given, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.lower().endswith(SOURCE_SUFFIXES):
                        add(Path(folder) / name)
        else:
            add(given)
    return files, problems


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a source file (a FIFO or device would block), else None."""
    if path.is_file():
        return None
    if os.path.islink(path):
        return "broken symbolic link"
    return "not a regular file" if path.exists() else "no such file or directory"


def read_source(path: Path) -> tuple[Program | None, Diagnostic | None]:
    """One file as a one-file program, or the reason it cannot be checked."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return None, _problem(path, "BBJ003", f"file is {size:,} bytes; source files are limited to {MAX_SOURCE_BYTES:,}")
        raw = path.read_bytes()
    except OSError as exc:
        return None, _problem(path, "BBJ001", f"cannot read file: {exc.strerror or exc.__class__.__name__}")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, _problem(path, "BBJ002", "binary content (NUL bytes): not a BBj source file", line)
    text, _ = decode_source(raw)
    lines = text.count("\n") + 1
    name = path.name if name_problem(path.name) is None else "source.bbj"
    return Program(display_path(path), (SourceFile(name, text, range(1, lines + 1)),)), None


def _problem(path: Path, code: str, message: str, line: int = 1) -> Diagnostic:
    return Diagnostic(display_path(path), line, 1, code, Severity.ERROR, message)
