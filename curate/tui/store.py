"""What the browser lists: one `Entry` per example file, read with a fast pass over the front
matter only (no sections, no rules) so 10,000 files show up before any check finishes, plus
the filter and sort the browser applies on every keystroke."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.discover import Target, discover
from curate.example import (
    ExampleLoadError,
    MetaFields,
    decode_example,
    read_example_bytes,
)
from curate.frontmatter_yaml import FrontMatterError, load_front_matter
from curate.schema import DIFFICULTIES, STATUSES

UNREVIEWED = ("draft", "in-review")
UNREADABLE = "unreadable"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Entry(MetaFields):
    """One example as the browser sees it; `digest` is the hash of the bytes it was read from."""

    path: Path
    display: str
    topic: str | None
    meta: dict[str, Any]
    digest: str
    problem: Diagnostic | None = None
    findings: list[Diagnostic] | None = None  # None until the checks have run

    @property
    def title(self) -> str:
        return MetaFields.title.fget(self) or self.path.stem  # type: ignore[attr-defined]

    @property
    def status(self) -> str:
        """An unreadable file is shown as such, never as the draft its empty front matter reads as."""
        return UNREADABLE if self.problem is not None and not self.meta else MetaFields.status.fget(self)  # type: ignore[attr-defined]

    @property
    def unreviewed(self) -> bool:
        return self.status in UNREVIEWED

    @cached_property
    def haystack(self) -> str:
        """Lower-case text the free-text filter searches: title, tags and path."""
        return " ".join([self.title, *self.tags, self.display]).lower()

    def known_findings(self) -> list[Diagnostic]:
        """The checks' findings once they ran (they include load problems), else the problem
        the fast pass met, if any."""
        if self.findings is not None:
            return self.findings
        return [self.problem] if self.problem else []

    def finding_count(self) -> int:
        return len(self.known_findings())

    def worst_severity(self) -> Severity | None:
        return max((d.severity for d in self.known_findings()), key=lambda s: s.rank, default=None)


def read_entry(target: Target) -> Entry:
    """Read one file's front matter; an unreadable file becomes an entry with its problem."""
    try:
        data = read_example_bytes(target.path, target.display)
        text, _ = decode_example(data, target.display)
    except ExampleLoadError as exc:
        problem = exc.diagnostics[0]
        return _broken(target, b"", problem.code, problem.message, problem.line)
    try:
        meta, *_ = load_front_matter(text)
    except FrontMatterError as exc:
        return _broken(target, data, exc.code, exc.message, exc.line)
    return Entry(target.path, target.display, target.topic, meta, digest(data))


def _broken(target: Target, data: bytes, code: str, message: str, line: int = 1) -> Entry:
    problem = Diagnostic(target.display, line, 1, code, Severity.ERROR, message)
    return Entry(target.path, target.display, target.topic, {}, digest(data), problem)


def scan(paths: list[Path], config: CurateConfig) -> tuple[list[Entry], list[Diagnostic]]:
    """Every example under `paths` (sorted by path) and the paths that could not be listed."""
    targets, problems = discover(paths, config)
    entries = sorted((read_entry(t) for t in targets), key=lambda e: e.display)
    return entries, problems


@dataclass(frozen=True)
class Filter:
    """The browser's filter bar: None means 'any'; `text` words must all occur."""

    generation: str | None = None
    type: str | None = None
    status: str | None = None
    difficulty: str | None = None
    topic: str | None = None
    text: str = ""
    words: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.text.lower().split()))

    def matches(self, entry: Entry) -> bool:
        return (
            (self.generation is None or self.generation in entry.generations)
            and (self.type is None or entry.type == self.type)
            and (self.status is None or entry.status == self.status)
            and (self.difficulty is None or entry.difficulty == self.difficulty)
            and (self.topic is None or entry.topic == self.topic)
            and all(word in entry.haystack for word in self.words)
        )


def _rank(order: tuple[str, ...]) -> Callable[[str], tuple[int, str]]:
    """Workflow order (draft before approved, basic before advanced); unknown values last."""
    return lambda value: (order.index(value) if value in order else len(order), value)


_STATUS_RANK, _DIFFICULTY_RANK = _rank(STATUSES), _rank(DIFFICULTIES)

SORT_KEYS: dict[str, Callable[[Entry], Any]] = {
    "title": lambda e: e.title.lower(),
    "topic": lambda e: e.topic or "",
    "type": lambda e: e.type,
    "generation": lambda e: ",".join(e.generations),
    "difficulty": lambda e: _DIFFICULTY_RANK(e.difficulty),
    "status": lambda e: _STATUS_RANK(e.status),
    "findings": lambda e: e.finding_count() if e.findings is not None or e.problem else -1,
    "path": lambda e: e.display,
}


def select(entries: Iterable[Entry], criteria: Filter, sort_key: str = "path", reverse: bool = False) -> list[Entry]:
    """The entries that pass the filter, sorted (ties broken by path so the order is stable)."""
    key = SORT_KEYS[sort_key]
    chosen = [e for e in entries if criteria.matches(e)]
    chosen.sort(key=lambda e: e.display)
    chosen.sort(key=key, reverse=reverse)
    return chosen
