"""Control flow statements: IF (one-line and block forms), FOR/NEXT, WHILE/WEND,
REPEAT/UNTIL, SWITCH/CASE, ON ... GOTO, RETURN, METHODRET, LET.

Why apart from statements.py: these carry BBj's block rules (a THEN with nothing after it
opens a block, ELSE/FI end a one-line IF, NEXT inside a one-line IF closes nothing) and record
the block events that blocks.match_blocks judges.
"""

from __future__ import annotations

from .exprs import scan_expr
from .handler import Parser
from .issues import FABRICATED, LIMIT
from .lexer import KIND, LOW, TEXT, Tok

MAX_IF_NESTING = 100


def parse_if(p: Parser, i: int, n: int, in_if: int) -> int:
    """IF cond [THEN] ...: nothing after the condition/THEN (or after a trailing ELSE) opens
    a block; otherwise the rest of the line is the one-line IF, ended by FI/ENDIF or the EOL."""
    toks = p.toks
    if in_if > MAX_IF_NESTING:
        p.problem(i, f"IF nested deeper than {MAX_IF_NESTING} levels on one line", LIMIT)
        return n
    head = i
    j, prob = scan_expr(toks, i + 1, n)
    if prob is None and j == i + 1:
        prob = (min(j, n - 1), "condition expected after IF")
    if prob is None and j < n and toks[j][LOW] != "then" and toks[j][KIND] != "id" and toks[j][TEXT] not in ("?", "#", ";"):
        prob = (j, f"unexpected '{toks[j][TEXT]}' after the IF condition")
    if prob is not None:
        # recover the block structure: IF ... THEN at the line end opens a block
        p.problem(*prob)
        then = next((k for k in range(n - 1, head, -1) if toks[k][LOW] == "then"), -1)
        if then < 0 or _rest_empty(toks, then + 1, n):
            p.event("open", "if", head)
        return n
    i = j
    if i < n and toks[i][KIND] == "id" and toks[i][LOW] == "then":
        i += 1
    if _rest_empty(toks, i, n):
        p.event("open", "if", head)
        return n
    if toks[i][KIND] == "num":
        i += 1  # IF X THEN 100: legacy GOTO line number
    else:
        i = p.statements(i, n, in_if + 1)
    if i < n and toks[i][LOW] == "else":
        i += 1
        if _rest_empty(toks, i, n):
            p.event("open", "if", head)  # ELSE part continues on the next lines
            return n
        if toks[i][KIND] == "num":
            i += 1
        else:
            i = p.statements(i, n, in_if + 1)
    elif i >= n and not in_if:
        p.defer_if(head)  # an ELSE starting the next line still belongs to this IF
    if i < n and toks[i][LOW] in ("fi", "endif"):
        i += 1
    return i


def parse_for(p: Parser, i: int, n: int, in_if: int) -> int:
    """FOR var = start TO end [STEP n]; always opens a block, even when malformed, so that
    its NEXT does not cascade into a second finding."""
    toks = p.toks
    head = i
    i += 1
    if i < n and toks[i][TEXT] == "#":
        i += 1
    if i >= n or toks[i][KIND] != "id":
        p.problem(min(i, n - 1), "FOR needs a loop variable")
        p.event("open", "for", head)
        return n
    var = toks[i][LOW]
    i += 1
    if i >= n or toks[i][TEXT] != "=":
        p.problem(min(i, n - 1), "FOR needs '=' after the loop variable")
    else:
        i = p.expr(i + 1, n, "start value", head)
        if i < n and toks[i][LOW] == "to":
            i = p.expr(i + 1, n, "end value after TO", head)
            if i < n and toks[i][LOW] == "step":
                i = p.expr(i + 1, n, "value after STEP", head)
        else:
            p.problem(min(i, n - 1), "FOR without TO")
            i = n
    p.event("open", "for", head, var)
    if in_if:
        p.line_fors.append(var)  # a NEXT later in this one-line IF closes it
    return i


def parse_next(p: Parser, i: int, n: int, in_if: int) -> int:
    """NEXT [var {, var}]; inside a one-line IF it closes nothing (legacy 'continue'), unless
    the FOR it ends was opened earlier in the same one-line IF (GUIBuilder's end-of-job code:
    `IF forms THEN FOR i=1 TO forms; PRINT ...; NEXT i`)."""
    toks = p.toks
    head = i
    names = []
    i += 1
    while i < n and toks[i][KIND] == "id" and toks[i][LOW] not in ("else", "fi", "endif"):
        names.append(toks[i][LOW])
        i += 1
        if i + 1 < n and toks[i][TEXT] == "," and toks[i + 1][KIND] == "id":
            i += 1
    if not in_if:
        for var in names or [""]:
            p.event("close", "next", head, var)
    else:
        for var in names or [p.line_fors[-1] if p.line_fors else ""]:
            if var in p.line_fors:
                del p.line_fors[p.line_fors.index(var) :]
                p.event("close", "next", head, var)
            else:
                p.event("continue", "next", head, var)
    return p.bare(i, n, "NEXT")


def parse_cond_block(p: Parser, i: int, n: int, in_if: int) -> int:
    """WHILE cond / UNTIL cond / SWITCH expr."""
    low = p.toks[i][LOW]
    j = p.expr(i + 1, n, f"expression after {low.upper()}", i)
    if low == "while":
        p.event("open", "while", i)
    elif low == "switch":
        p.event("open", "switch", i)
    else:
        p.event("close", "until", i)
    return j


def parse_case(p: Parser, i: int, n: int, in_if: int) -> int:
    """CASE value{, value} | CASE DEFAULT; `case x:` is the C/JS form."""
    toks = p.toks
    p.event("mid", "case", i)
    head = i
    i += 1
    if i < n and toks[i][LOW] == "default":
        return p.bare(i + 1, n, "CASE DEFAULT")
    while True:
        j, prob = scan_expr(toks, i, n)
        if prob is not None:
            at, message = prob
            if toks[at][TEXT] == ":" and at == n - 1:
                p.problem(at, "C/JS-style 'case x:': BBj writes CASE x", FABRICATED)
            else:
                p.problem(at, message)
            return n
        if j == i:
            p.problem(min(i, n - 1) if i < n else head, "value expected after CASE")
            return n
        if j < n and toks[j][TEXT] == ",":
            i = j + 1
            continue
        return j


def parse_else(p: Parser, i: int, n: int, in_if: int) -> int:
    """ELSE at a statement start belongs to a multi-line IF."""
    p.event("mid", "else", i)
    return p.statements(i + 1, n, in_if) if i + 1 < n else n


def parse_on(p: Parser, i: int, n: int, in_if: int) -> int:
    """ON expr GOTO|GOSUB label{, label}."""
    toks = p.toks
    j = p.expr(i + 1, n, "expression after ON", i)
    if j >= n or toks[j][LOW] not in ("goto", "gosub"):
        p.problem(min(j, n - 1), "ON needs GOTO or GOSUB")
        return n
    j += 1
    while j < n and toks[j][KIND] in ("id", "num"):
        j += 1
        if j < n and toks[j][TEXT] == ",":
            j += 1
    return j


def parse_return(p: Parser, i: int, n: int, in_if: int) -> int:
    """RETURN {expr}: the value belongs in a multi-line DEF FN, but BASIS's compiler accepts it
    anywhere (a METHOD body: published plugins contain `return 0`; top level: the language
    server's compiler-checked fixtures have `IF flag THEN RETURN 1 FI`), so only a malformed
    value is reported."""
    i += 1
    if i >= n or p.toks[i][TEXT] == ";" or p.toks[i][LOW] in ("else", "fi", "endif"):
        return i
    return p.expr(i, n, "RETURN value", i - 1)


def parse_methodret(p: Parser, i: int, n: int, in_if: int) -> int:
    """METHODRET [expr]."""
    toks = p.toks
    if i + 1 >= n or toks[i + 1][TEXT] == ";" or toks[i + 1][LOW] in ("else", "fi", "endif"):
        return i + 1
    return p.expression_statement(i + 1, n)


def parse_let(p: Parser, i: int, n: int, in_if: int) -> int:
    """LET assignment{, assignment}."""
    if i + 1 >= n:
        p.problem(i, "LET needs an assignment")
        return n
    return p.expression_statement(i + 1, n)


def _rest_empty(toks: list[Tok], i: int, n: int) -> bool:
    """True when only ';' separators are left on the line."""
    while i < n:
        if toks[i][TEXT] != ";":
            return False
        i += 1
    return True
