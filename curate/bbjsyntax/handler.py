"""The contract between the statement parser and the per-verb handlers.

Why a Protocol: `control` and `decls` parse the statements that open or close blocks (IF, FOR,
CLASS, METHOD, ...) for `statements.StatementParser`, which dispatches to them through a table.
Typing the handlers against this small interface instead of the parser class keeps the import
graph one-way (statements -> control/decls -> handler), and says in one place what a handler
may touch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .api import TypeTracker
from .lexer import Tok


class Parser(Protocol):
    """What a statement handler sees of the parser (see statements.StatementParser)."""

    toks: list[Tok]  # the logical line being parsed
    tracker: TypeTracker
    line_fors: list[str]  # FOR variables opened inside a one-line IF on this line

    def problem(self, idx: int, msg: str, code: str = ...) -> None:
        """Report one grammar problem at toks[idx] (at most one per line)."""

    def event(self, op: str, kind: str, idx: int, var: str = "") -> None:
        """Record a block open/close event at toks[idx]."""

    def defer_if(self, idx: int) -> None:
        """Remember the one-line IF at toks[idx] in case the next line starts with ELSE."""

    def statements(self, i: int, n: int, in_if: int) -> int:
        """Parse ';'-separated statements from toks[i]; return the index after them."""

    def bare(self, i: int, n: int, verb: str) -> int:
        """Check that nothing follows a verb that takes no arguments."""

    def generic(self, i: int, n: int) -> int:
        """Loosely checked verb arguments from toks[i]."""

    def expr(self, i: int, n: int, what: str, anchor: int) -> int:
        """One required expression from toks[i]."""

    def expression_statement(self, i: int, n: int) -> int:
        """Assignments and calls from toks[i]."""


# A statement handler: (parser, index of the verb, end of the line, one-line IF depth) -> index
# after the statement.
Handler = Callable[[Parser, int, int, int], int]
