"""Turn command-line paths into the example files to check, reporting unreadable entries
(directories named like files, symlink loops, missing paths) instead of skipping them silently."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from curate.config import CurateConfig, path_under
from curate.diagnostics import Diagnostic, Severity
from curate.safeio import printable

EXAMPLE_SUFFIX = ".md"


@dataclass(frozen=True, slots=True)
class Target:
    path: Path
    display: str
    topic: str | None


def display_path(path: Path) -> str:
    """The path as shown in diagnostics: relative to the working folder when absolute, and
    printable (a name that is not UTF-8 is shown escaped)."""
    try:
        shown = os.path.relpath(path, Path.cwd()) if path.is_absolute() else path.as_posix()
    except ValueError:
        shown = path.as_posix()
    return printable(shown)


def topic_of(path: Path, config: CurateConfig) -> str | None:
    """The folder right under the data root (training-data/<topic>/x.md), else the parent's name."""
    rel = path_under(path, config.root / config.data_root)
    if rel is not None:
        parts = rel.split("/")
        return parts[0] if len(parts) > 1 else None
    return path.parent.name or None


def discover(paths: list[Path], config: CurateConfig) -> tuple[list[Target], list[Diagnostic]]:
    targets: list[Target] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.abspath(path)
        if key in seen or config.is_excluded(path):
            return
        seen.add(key)
        targets.append(Target(path, display_path(path), topic_of(path, config)))

    for given in paths:
        if os.path.islink(given) and not given.exists():
            problems.append(_unreadable(given, "broken symbolic link or symlink loop"))
        elif given.is_dir() and given.suffix.lower() != EXAMPLE_SUFFIX:
            for folder, dirs, files in os.walk(given, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                base = Path(folder)
                for name in dirs:
                    if name.lower().endswith(EXAMPLE_SUFFIX) and not config.is_excluded(base / name):
                        problems.append(_unreadable(base / name, "is a directory, not an example file"))
                for name in sorted(files):
                    if name.lower().endswith(EXAMPLE_SUFFIX):
                        candidate = base / name
                        if os.path.islink(candidate) and not candidate.exists():
                            problems.append(_unreadable(candidate, "broken symbolic link or symlink loop"))
                        else:
                            add(candidate)
        elif given.is_dir():
            problems.append(_unreadable(given, "is a directory, not an example file"))
        elif not given.exists():
            problems.append(_unreadable(given, "no such file or directory"))
        elif given.suffix.lower() == EXAMPLE_SUFFIX:
            add(given)
    return targets, problems


def _unreadable(path: Path, reason: str) -> Diagnostic:
    return Diagnostic(display_path(path), 1, 1, "BBJ001", Severity.ERROR, reason)


def walk_examples(corpus_root: Path, config: CurateConfig) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(corpus id, path, fingerprint) of every example file under `corpus_root`: the same files
    `discover` finds (hidden folders skipped, `exclude` honoured), with one stat each and no
    per-file path resolution (`discover` takes 3 s for 10,000 files, this 0.1 s)."""
    excluded = re.compile("|".join(fnmatch.translate(p) for p in config.exclude_patterns()) or r"(?!)").match
    root = os.path.abspath(config.root)
    prefix = root + os.sep
    folders = [os.path.abspath(corpus_root)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if name[0] != ".":
                    folders.append(entry.path)
            elif name[-3:].lower() == EXAMPLE_SUFFIX and not excluded(name):
                path = entry.path
                item_id = path[len(prefix) :] if path.startswith(prefix) else os.path.relpath(path, root)
                if os.sep != "/":
                    item_id = item_id.replace(os.sep, "/")
                if excluded(item_id):
                    continue
                try:
                    stat = entry.stat()
                except OSError:  # a broken link or a file deleted meanwhile
                    continue
                yield item_id, path, (stat.st_size, stat.st_mtime_ns)
