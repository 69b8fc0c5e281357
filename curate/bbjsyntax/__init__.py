"""A pure-Python BBj syntax checker ("bbj-builtin"): no BASIS install, no third-party deps.

Why: curated examples and model output must be checked where BASIS's `bbjcpl` is not
available. It is tuned for zero false errors on real, compiling BBj and for catching what
language models get wrong: broken structure and constructs borrowed from other languages.

Usage::

    from curate.bbjsyntax import check_source
    for issue in check_source(text):
        print(issue.line, issue.col, issue.code, issue.message)

Codes (stable):

BBJ501  unexpected token or invalid statement (operator without operand, `a = b c`,
        a malformed RETURN value, METHOD outside CLASS, characters BBj does not use, ...)
BBJ502  unbalanced bracket or parenthesis (brackets never span logical lines)
BBJ503  unterminated string literal
BBJ504  unclosed block, reported at its opener: CLASS without CLASSEND, METHOD without
        METHODEND, FOR without NEXT, WHILE without WEND, REPEAT without UNTIL, SWITCH
        without SWEND, INTERFACE without INTERFACEEND (a multi-line DEF needs no FNEND:
        BASIS's compiler accepts it)
BBJ505  block end without opener, or closing the wrong block (WEND while a FOR is
        innermost, ELSE without IF, CASE outside SWITCH)
BBJ506  WARNING: IF block never closed with FI/ENDIF, or ELSE without an open IF; BASIS's compiler accepts both (shipped
        programs have such IFs), so it is reported as a warning (`SyntaxIssue.severity`)
BBJ510  fabricated JavaScript/Java/VB/Python construct: function, { }, // and /* */,
        == === != !==, && ||, & | % ~ \\, x++, +=, =>, var/const, console.log, alert(,
        End If, Dim x As, Sub, MsgBox "x", import, try/catch, ELSEIF, typed declarations
        like `String s = "x"`, ' and # comments, `;` ending most lines, 'single quotes'
BBJ511  call of a method that a well-known BBj class does not have
        (button!.addEventListener(...) where button! came from window!.addButton(...))
BBJ512  input outside the checker's limits: larger than 8 MB, nested deeper than 1000
        levels, binary, or too complex; reported once, never as a crash

See docs/syntax-conformance.md for the accepted language and the measured accuracy.
"""

from __future__ import annotations

from .checker import check_source
from .issues import (
    CHECKER_NAME,
    CHECKER_VERSION,
    CODES,
    WARNING_CODES,
    SyntaxIssue,
    severity_of,
)

__all__ = ["CHECKER_NAME", "CHECKER_VERSION", "CODES", "WARNING_CODES", "SyntaxIssue", "check_source", "severity_of"]
