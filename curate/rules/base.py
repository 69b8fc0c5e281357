"""What a lint rule is: a small class with a stable code, a one-line summary, a severity and a
docstring holding a bad and a good example. Rules register themselves by subclassing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.example import Example

REGISTRY: dict[str, type[Rule]] = {}


@dataclass
class RuleContext:
    """What a rule may look at besides its example: the configuration and where the data lives."""

    config: CurateConfig = field(default_factory=CurateConfig)


class Rule:
    """Base class. Subclasses set `code`, `name`, `summary`, `severity` and implement `check`.

    A rule that can repair a file safely sets `fixable = True` and implements `fix`, which takes
    and returns the whole file text and must never change code content."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    fixable: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "code", None):
            if cls.code in REGISTRY and REGISTRY[cls.code] is not cls:
                raise RuntimeError(f"duplicate rule code {cls.code}")
            REGISTRY[cls.code] = cls

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        raise NotImplementedError

    def fix(self, example: Example, text: str) -> str:
        return text

    def diag(self, example: Example, line: int, message: str, col: int = 1, hint: str = "") -> Diagnostic:
        return Diagnostic(example.display_path, line, col, self.code, self.severity, message, self.fixable, hint)


class CatalogueRule(Rule):
    """A code whose findings another producer emits (the loader, a checker, dedupe). It is
    registered so `bbj-curate rules`, select/ignore, severity overrides and `lint_ignore`
    know it; its `check` finds nothing because the producer already reported."""

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()


class ProjectRule(Rule):
    """A rule that needs every example at once (e.g. duplicate titles)."""

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()

    def check_all(self, examples: list[Example], ctx: RuleContext) -> Iterable[Diagnostic]:
        raise NotImplementedError


def code_matches(code: str, patterns: Iterable[str]) -> bool:
    """ruff-style selection: 'BBJ' matches all, 'BBJ3' the 3xx family, 'BBJ301' one rule."""
    return any(code.startswith(p.upper()) for p in patterns)


def is_enabled(code: str, config: CurateConfig) -> bool:
    """The longest matching pattern wins, as in ruff: `select=[BBJ3]` + `ignore=[BBJ30]` drops BBJ30x."""
    selected = max((len(p) for p in config.select if code.startswith(p.upper())), default=-1)
    ignored = max((len(p) for p in config.ignore if code.startswith(p.upper())), default=-1)
    return selected >= 0 and selected > ignored


def known_codes() -> set[str]:
    """Every registered code, including those emitted outside the rules (CatalogueRule)."""
    list(all_rules())
    return set(REGISTRY)


def unknown_code_message(pattern: str, exact: bool = False) -> str | None:
    """Why `pattern` names no rule (None when it does): a code, or with `exact=False` also a
    prefix such as 'BBJ' or 'BBJ3'; the message suggests the closest known code."""
    import difflib

    known = known_codes()
    pattern = pattern.upper()
    if pattern in known or (not exact and any(code.startswith(pattern) for code in known) and pattern.startswith("BBJ")):
        return None
    closest = difflib.get_close_matches(pattern, sorted(known), n=1, cutoff=0.0)
    kind = "rule code" if exact else "rule code or prefix"
    return f"unknown {kind} '{pattern}'" + (f" (closest known code: {closest[0]})" if closest else "") + "; `bbj-curate rules` lists them"


def all_rules() -> Iterator[type[Rule]]:
    from curate import rules  # noqa: F401  (imports every rule module)

    yield from (REGISTRY[c] for c in sorted(REGISTRY))
