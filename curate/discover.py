"""Turn command-line paths into the example files to check, reporting unreadable entries
(directories named like files, symlink loops, missing paths) instead of skipping them silently."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
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
    return folder_topic(path.parent, config)


def folder_topic(folder: Path, config: CurateConfig) -> str | None:
    """The topic of every example directly in `folder` (see `topic_of`)."""
    rel = path_under(folder, config.root / config.data_root)
    if rel is not None:
        return None if rel == "." else rel.split("/", 1)[0]
    return folder.name or None


class _Folder:
    """What every example of one folder shares, worked out once: its absolute and displayed
    forms, its path from the config root and its topic (per file these cost a `relpath` and
    an `abspath` each: 3 s of a 10,000-file walk)."""

    def __init__(self, folder: Path, config: CurateConfig):
        self.absolute = os.path.abspath(folder)
        self.shown = os.path.relpath(self.absolute, Path.cwd()) if folder.is_absolute() else None
        under_root = path_under(folder, config.root)
        self.from_root = None if under_root is None else ("" if under_root == "." else under_root + "/")
        self.topic = folder_topic(folder, config)
        self.config = config

    def target(self, path: Path, name: str) -> Target:
        if self.shown is None:
            return Target(path, printable(path.as_posix()), self.topic)
        return Target(path, printable(name if self.shown == "." else f"{self.shown}/{name}"), self.topic)

    def key(self, name: str) -> str:
        return os.path.join(self.absolute, name)

    def excluded(self, path: Path, name: str) -> bool:
        rel = path.as_posix() if self.from_root is None else self.from_root + name
        return self.config.excludes(name, rel)


def discover(paths: list[Path], config: CurateConfig) -> tuple[list[Target], list[Diagnostic]]:
    targets: list[Target] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()

    def add(path: Path, name: str, folder: _Folder) -> None:
        key = folder.key(name)
        if key in seen or folder.excluded(path, name):
            return
        seen.add(key)
        targets.append(folder.target(path, name))

    for given in paths:
        if os.path.islink(given) and not given.exists():
            problems.append(_unreadable(given, "broken symbolic link or symlink loop"))
        elif given.is_dir() and given.suffix.lower() != EXAMPLE_SUFFIX:
            _walk(given, config, add, problems)
        elif given.is_dir():
            problems.append(_unreadable(given, "is a directory, not an example file"))
        elif not given.exists():
            problems.append(_unreadable(given, "no such file or directory"))
        elif given.suffix.lower() == EXAMPLE_SUFFIX:
            add(given, given.name, _Folder(given.parent, config))
    return targets, problems


def _walk(top: Path, config: CurateConfig, add: Callable[[Path, str, _Folder], None], problems: list[Diagnostic]) -> None:
    """Top-down like `os.walk` (a folder's files before its subfolders, both sorted, hidden
    folders and unreadable ones skipped, links to folders not followed), with one `scandir`
    per folder: a symbolic link is only looked at again when the entry says it is one."""
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        context = _Folder(folder, config)
        kinds = [(entry, _is_dir(entry)) for entry in entries]
        subfolders = []
        for entry, is_dir in kinds:
            name = entry.name
            if not is_dir or name.startswith("."):
                continue
            if not entry.is_symlink():
                subfolders.append(folder / name)
            if name.lower().endswith(EXAMPLE_SUFFIX) and not config.is_excluded(folder / name):
                problems.append(_unreadable(folder / name, "is a directory, not an example file"))
        for entry, is_dir in kinds:
            name = entry.name
            if is_dir or not name.lower().endswith(EXAMPLE_SUFFIX):
                continue
            candidate = folder / name
            if entry.is_symlink() and not os.path.exists(entry.path):
                problems.append(_unreadable(candidate, "broken symbolic link or symlink loop"))
            else:
                add(candidate, name, context)
        pending.extend(reversed(subfolders))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder or a link to one (as `os.walk` sorts names)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _unreadable(path: Path, reason: str) -> Diagnostic:
    return Diagnostic(display_path(path), 1, 1, "BBJ001", Severity.ERROR, reason)


def walk_examples(corpus_root: Path, config: CurateConfig) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(corpus id, path, fingerprint) of every example file under `corpus_root`: the same files
    `discover` finds (hidden folders skipped, `exclude` honoured), named by their path from the
    root and fingerprinted with one stat each, for the dedupe index to tell what changed."""
    excluded = config.exclude_match
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
