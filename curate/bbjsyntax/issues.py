"""The result type of the checker and its stable codes; kept tiny so that every module and
every caller shares one definition."""

from __future__ import annotations

from dataclasses import dataclass

CHECKER_NAME = "bbj-builtin"
CHECKER_VERSION = "1.4"

# Stable codes: callers filter and count by these, so never renumber them.
UNEXPECTED = "BBJ501"  # unexpected token / invalid statement
BRACKET = "BBJ502"  # unbalanced bracket or parenthesis
STRING = "BBJ503"  # unterminated string literal
UNCLOSED = "BBJ504"  # block opener without its end
STRAY_END = "BBJ505"  # block end without opener, or closing the wrong block
IF_STRUCTURE = "BBJ506"  # IF block never closed, ELSE without IF: a warning (the compiler accepts both)
FABRICATED = "BBJ510"  # JavaScript / Java / VB construct that BBj does not have
NO_METHOD = "BBJ511"  # method the well-known BBj class does not have
LIMIT = "BBJ512"  # input too large, too deep or not text

CODES: dict[str, str] = {
    UNEXPECTED: "unexpected token or invalid statement",
    BRACKET: "unbalanced bracket or parenthesis",
    STRING: "unterminated string literal",
    UNCLOSED: "unclosed block (CLASS, METHOD, FOR, WHILE, REPEAT, SWITCH, INTERFACE)",
    STRAY_END: "block end without opener, or closing the wrong block",
    IF_STRUCTURE: "IF block never closed with FI/ENDIF, or ELSE without an open IF (warning: BASIS's compiler accepts both)",
    FABRICATED: "fabricated JavaScript/Java/VB construct that BBj does not have",
    NO_METHOD: "call of a method that the well-known BBj class does not have",
    LIMIT: "input outside the checker's limits (too large, too deeply nested, not text)",
}


# Codes whose findings are warnings: the code compiles, but is unusual enough to point out.
WARNING_CODES = frozenset([IF_STRUCTURE])


def severity_of(code: str) -> str:
    """'warning' or 'error': the one place that says how serious a checker code is."""
    return "warning" if code in WARNING_CODES else "error"


@dataclass(frozen=True, slots=True)
class SyntaxIssue:
    """One finding: 1-based physical line and column in the checked text."""

    line: int
    col: int
    code: str
    message: str

    @property
    def severity(self) -> str:
        """'error' (the compiler rejects this) or 'warning' (it compiles; see WARNING_CODES)."""
        return severity_of(self.code)
