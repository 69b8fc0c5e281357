"""Raw BBj source files as programs, for `bbj-curate syntax`: folders are searched for the
usual suffixes, files are decoded as UTF-8 or else Latin-1 (legacy BBj code is often 8-bit),
and a file that is binary, too big or unreadable becomes one diagnostic instead."""

from __future__ import annotations

import os
from pathlib import Path

from curate.compile.program import Program, SourceFile, name_problem
from curate.diagnostics import Diagnostic, Severity
from curate.discover import display_path
from curate.safeio import UnsafeFile, check_file
from curate.source_text import read_source_file, source_text
from curate.stdin import Document

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
    try:
        check_file(path, None)
    except UnsafeFile as exc:
        return exc.message
    return None


def read_source(path: Path) -> tuple[Program | None, Diagnostic | None]:
    """One file as a one-file program, or the reason it cannot be checked."""
    try:
        text, _ = read_source_file(path, MAX_SOURCE_BYTES)
    except UnsafeFile as exc:
        return None, _problem(path, exc.code, exc.message, exc.line)
    return _program(text, path, display_path(path)), None


def read_document(document: Document) -> tuple[Program | None, Diagnostic | None]:
    """Source read from stdin (`bbj-curate syntax -`) as a one-file program named like its
    --stdin-filename, or the reason it cannot be checked."""
    try:
        text, _ = source_text(document.checked_bytes(MAX_SOURCE_BYTES))
    except UnsafeFile as exc:
        return None, Diagnostic(document.display, exc.line, 1, exc.code, Severity.ERROR, exc.message)
    return _program(text, document.path, document.display), None


def _program(text: str, path: Path, display: str) -> Program:
    lines = text.count("\n") + 1
    name = path.name if name_problem(path.name) is None else "source.bbj"
    return Program(display, (SourceFile(name, text, range(1, lines + 1)),))


def _problem(path: Path, code: str, message: str, line: int = 1) -> Diagnostic:
    return Diagnostic(display_path(path), line, 1, code, Severity.ERROR, message)
