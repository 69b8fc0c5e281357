"""`[tool.bbj-curate]` configuration, found in the nearest pyproject.toml upward from the paths.

Keys use kebab-case like ruff's (`select`, `ignore`, `severity`, `topics`, `exclude`, ...);
unknown keys are rejected with their name so a typo never silently disables a check.
A plain dataclass, not pydantic: the hook path must start fast."""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from curate.errors import ConfigError
from curate.safeio import CONFIG_LIMIT, UnsafeFile, read_text_guarded
from curate.vocabulary import NON_EXAMPLE_FILES, STATUSES, TRAINABLE_STATUSES

__all__ = ["ConfigError", "CurateConfig", "load_config"]

DEFAULT_TOPICS = ["gui", "database", "strings", "file-io", "control-flow", "oop", "dwc"]
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class CurateConfig:
    """Settings for rules, checkers and dedupe; every field has a safe default."""

    select: list[str] = field(default_factory=lambda: ["BBJ"])  # rule codes or prefixes to run
    ignore: list[str] = field(default_factory=list)  # rule codes or prefixes to skip
    severity: dict[str, str] = field(default_factory=dict)  # per-code severity overrides
    topics: list[str] = field(default_factory=lambda: list(DEFAULT_TOPICS))  # known topic folders
    exclude: list[str] = field(default_factory=list)  # more Markdown that is not an example (NON_EXAMPLE_FILES always are)
    data_root: str = "training-data"  # folder holding <topic>/*.md
    fail_on: str = "error"  # error | warning | info | never
    checker: str = "auto"  # auto | bbjcpl | builtin | none
    bbjcpl: str | None = None  # path to BASIS's bbjcpl compiler
    compile_timeout: float = 10.0  # seconds per bbjcpl run
    cache_dir: str = ".bbj-cache"  # verdict cache and dedupe index
    dedupe_threshold: float = 0.7  # Jaccard similarity that makes a near duplicate
    reviewer: str | None = None  # reviewer name written by the review TUI
    approve_untrainable: str = "confirm"  # review TUI approving an example with errors: confirm | refuse
    trainable_statuses: list[str] = field(default_factory=lambda: list(TRAINABLE_STATUSES))  # statuses that reach training
    root: Path = field(default_factory=Path.cwd)  # folder of the config file (not a key)

    def replace(self, **changes: Any) -> CurateConfig:
        return replace(self, **changes)

    def is_excluded(self, path: Path) -> bool:
        return self.excludes(path.name, relative_to_root(path, self.root))

    def excludes(self, name: str, rel: str) -> bool:
        """Whether a file called `name`, at `rel` from the root, matches an exclude pattern."""
        return self.exclude_match(name) is not None or self.exclude_match(rel) is not None

    @cached_property
    def exclude_match(self) -> Callable[[str], re.Match[str] | None]:
        """The exclude patterns as one compiled regular expression (fnmatch's own translation)."""
        return re.compile("|".join(fnmatch.translate(p) for p in self.exclude_patterns()) or r"(?!)").match

    def exclude_patterns(self) -> list[str]:
        """The non-example files every command skips, then the configured extra patterns."""
        return [*NON_EXAMPLE_FILES, *self.exclude]

    def cache_path(self) -> Path:
        path = Path(self.cache_dir)
        return path if path.is_absolute() else self.root / path

    def cache_subdir(self, name: str) -> Path:
        """`<cache_dir>/<name>`, with the cache root made git-ignored (like `.pytest_cache`), so
        a cache inside a work tree never shows up as a change, even without a `.gitignore`."""
        root = self.cache_path()
        marker = root / ".gitignore"
        try:
            root.mkdir(parents=True, exist_ok=True)
            if not marker.exists():
                marker.write_text("# Created by bbj-curate: everything here is a cache.\n*\n", encoding="utf-8")
        except OSError:
            pass  # the cache's own open reports an unwritable folder
        return root / name


CHOICES = {"fail_on": (*SEVERITIES, "never"), "checker": ("auto", "bbjcpl", "builtin", "none"), "approve_untrainable": ("confirm", "refuse")}


def from_mapping(data: dict[str, Any], root: Path, source: str = "config") -> CurateConfig:
    """Validate a `[tool.bbj-curate]` table: names the first bad key and why."""
    known = {f.name: f for f in fields(CurateConfig) if f.name != "root"}
    values: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = raw_key.replace("-", "_")
        if key not in known:
            raise ConfigError(f"{source}: [tool.bbj-curate] unknown key '{raw_key}'")
        values[key] = _check(raw_key, key, value, source)
    config = CurateConfig(**values, root=root)
    check_rule_codes(config, source)
    return config


def check_rule_codes(config: CurateConfig, source: str = "config") -> None:
    """A code or prefix in `select`/`ignore`/`severity` that matches no rule would switch
    checks off (or on) silently: name it, with the closest known code."""
    from curate.rules.base import unknown_code_message

    for key, patterns, exact in (("select", config.select, False), ("ignore", config.ignore, False), ("severity", list(config.severity), True)):
        for pattern in patterns:
            problem = unknown_code_message(pattern, exact)
            if problem:
                raise ConfigError(f"{source}: {key}: {problem}")


def _check(raw_key: str, key: str, value: Any, source: str) -> Any:
    def bad(expected: str) -> ConfigError:
        return ConfigError(f"{source}: [tool.bbj-curate] {raw_key}: expected {expected}, got {value!r}")

    if key == "trainable_statuses":
        if not isinstance(value, list) or not value or not all(v in STATUSES and v != "rejected" for v in value):
            raise bad(f"a non-empty list of {', '.join(s for s in STATUSES if s != 'rejected')}")
        return value
    if key in ("select", "ignore", "topics", "exclude"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of strings")
        return [v.upper() for v in value] if key in ("select", "ignore") else value
    if key == "severity":
        if not isinstance(value, dict) or not all(v in SEVERITIES for v in value.values()):
            raise bad(f"a table of code = {' | '.join(SEVERITIES)}")
        return {str(k).upper(): v for k, v in value.items()}
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise bad(" | ".join(CHOICES[key]))
        return value
    if key in ("compile_timeout", "dedupe_threshold"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or (key == "dedupe_threshold" and value > 1):
            raise bad("a positive number" + (" up to 1" if key == "dedupe_threshold" else ""))
        return float(value)
    if not isinstance(value, str):
        raise bad("a string")
    return value


def path_under(path: Path, root: Path) -> str | None:
    """POSIX path relative to `root`, or None when outside it (no resolve per file: fast)."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return None if rel == ".." or rel.startswith("../") else Path(rel).as_posix()


def relative_to_root(path: Path, root: Path) -> str:
    return path_under(path, root) or path.as_posix()


def _absolute(path: Path) -> Path:
    """`path.resolve()`, falling back to a lexical absolute path for a symlink loop or an
    unreadable link, whose own error the loader reports (BBJ001) with its file name."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def find_pyproject(start: Path) -> Path | None:
    start = _absolute(start)
    folder = start if start.is_dir() else start.parent
    for candidate in (f / "pyproject.toml" for f in [folder, *folder.parents]):
        if candidate.is_file():
            try:
                data = tomllib.loads(read_text_guarded(candidate, CONFIG_LIMIT))
            except (UnsafeFile, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if "bbj-curate" in data.get("tool", {}):
                return candidate
    return None


def load_config(paths: list[Path] | None = None, config_file: Path | None = None) -> CurateConfig:
    """Config from an explicit file (a pyproject.toml, or any TOML file with the settings under
    `[tool.bbj-curate]` or at its top level) or the nearest pyproject.toml with [tool.bbj-curate]."""
    start = paths[0] if paths else Path.cwd()
    source = config_file or find_pyproject(start)
    if source is None:
        return CurateConfig(root=_repo_root(_absolute(start)))
    try:
        data = tomllib.loads(read_text_guarded(source, CONFIG_LIMIT))  # a FIFO or /dev/zero link is refused, never read
    except UnsafeFile as exc:
        raise ConfigError(f"{source}: cannot read configuration: {exc.message}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: cannot read configuration: {exc}") from None
    section = _settings_table(data, source)
    if not isinstance(section, dict):
        raise ConfigError(f"{source}: [tool.bbj-curate] must be a table")
    return from_mapping(section, source.parent.resolve(), str(source))


def _settings_table(data: dict[str, Any], source: Path) -> Any:
    """The settings of a config file: pyproject.toml's `[tool.bbj-curate]`; any other file's
    `[tool.bbj-curate]` table when it has one (a copy of a pyproject.toml), else its top level."""
    tool = data.get("tool")
    nested = tool.get("bbj-curate") if isinstance(tool, dict) else None
    if source.name == "pyproject.toml" or nested is not None:
        return {} if nested is None else nested
    return data


def _repo_root(start: Path) -> Path:
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.parents]:
        if (candidate / ".git").exists():
            return candidate
    return folder
