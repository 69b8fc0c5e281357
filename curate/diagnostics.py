"""The one currency of the toolkit: every rule, checker, dedupe pass and importer emits
`Diagnostic`s, and every front end (CLI, hooks, TUI, reports) only renders them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is; `--fail-on` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding at one place of one file (line and col are 1-based; 0 means 'whole file')."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    fixable: bool = False
    hint: str = field(default="", compare=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def to_json(self) -> dict[str, object]:
        """The public JSON shape: exactly path, line, col, code, severity, message, fixable, hint
        (the next step the text output prints under the finding; "" when there is none)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def render(self) -> str:
        """`path:line:col: CODE message`; without a line (a whole file, or a command-line argument
        such as `--set lora.r=8` as the origin) just `path: CODE message`, never a made-up `:0:0`."""
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: {self.code} {self.message}"
