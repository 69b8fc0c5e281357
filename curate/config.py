"""`[tool.bbj-curate]` configuration, found in the nearest pyproject.toml upward from the paths.

Keys use kebab-case like ruff's (`select`, `ignore`, `severity`, `topics`, `exclude`, ...);
unknown keys are rejected with their name so a typo never silently disables a check."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_TOPICS = ["gui", "database", "strings", "file-io", "control-flow", "oop", "dwc"]
DEFAULT_EXCLUDE = ["README.md", "FORMAT.md", "CONTRIBUTING.md", "CHANGELOG.md", "LICENSE.md"]


class ConfigError(Exception):
    """A bad configuration file; the message names the file and the key."""


class CurateConfig(BaseModel):
    """Settings for rules, checkers and dedupe; every field has a safe default."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: list[str] = Field(default_factory=lambda: ["BBJ"], description="Rule codes or prefixes to run.")
    ignore: list[str] = Field(default_factory=list, description="Rule codes or prefixes to skip.")
    severity: dict[str, Literal["error", "warning", "info"]] = Field(
        default_factory=dict, description="Per-code severity overrides."
    )
    topics: list[str] = Field(default_factory=lambda: list(DEFAULT_TOPICS), description="Known topic folders.")
    exclude: list[str] = Field(
        default_factory=lambda: list(DEFAULT_EXCLUDE), description="Glob patterns of Markdown files that are not examples."
    )
    data_root: str = Field("training-data", alias="data-root", description="Folder holding <topic>/*.md.")
    fail_on: Literal["error", "warning", "info", "never"] = Field("error", alias="fail-on")
    checker: Literal["auto", "bbjcpl", "builtin", "none"] = Field("auto", description="Compile checker to use.")
    bbjcpl: str | None = Field(None, description="Path to BASIS's bbjcpl compiler.")
    compile_timeout: float = Field(10.0, alias="compile-timeout", gt=0)
    cache_dir: str = Field(".bbj-cache", alias="cache-dir", description="Cache folder (verdicts, dedupe index).")
    dedupe_threshold: float = Field(0.7, alias="dedupe-threshold", gt=0, le=1)
    reviewer: str | None = Field(None, description="Reviewer name written by the review TUI.")
    root: Path = Field(default_factory=Path.cwd, exclude=True)

    def is_excluded(self, path: Path) -> bool:
        name = path.name
        rel = _relative(path, self.root)
        return any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(rel, pat) for pat in self.exclude)

    def cache_path(self) -> Path:
        path = Path(self.cache_dir)
        return path if path.is_absolute() else self.root / path


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text("utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if "bbj-curate" in data.get("tool", {}):
                return candidate
    return None


def load_config(paths: list[Path] | None = None, config_file: Path | None = None) -> CurateConfig:
    """Config from an explicit file or the nearest pyproject.toml with [tool.bbj-curate]."""
    source = config_file or find_pyproject(paths[0] if paths else Path.cwd())
    if source is None:
        root = (paths[0] if paths else Path.cwd()).resolve()
        return CurateConfig(root=_repo_root(root))
    try:
        data = tomllib.loads(source.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: cannot read configuration: {exc}") from None
    section = data.get("tool", {}).get("bbj-curate", {}) if source.name == "pyproject.toml" else data
    try:
        return CurateConfig.model_validate({**section, "root": source.parent.resolve()})
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{source}: [tool.bbj-curate] {key}: {first['msg']}") from None


def _repo_root(start: Path) -> Path:
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.parents]:
        if (candidate / ".git").exists():
            return candidate
    return folder
