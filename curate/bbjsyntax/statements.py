"""Statement-level parsing of one logical line: verbs, IF forms, loops, assignments.

Why per line: BBj is line-oriented (a line is statements separated by ';', an IF without
anything after THEN opens a multi-line block), so each logical line is parsed on its own and
block structure is recorded as events for blocks.match_blocks. At most one grammar problem is
reported per line, which keeps one typo from producing a cascade.
"""

from __future__ import annotations

from collections.abc import Callable

from .api import TypeTracker, close_paren
from .blocks import Ev, RawIssue
from .control import (
    parse_case,
    parse_cond_block,
    parse_else,
    parse_for,
    parse_if,
    parse_let,
    parse_methodret,
    parse_next,
    parse_on,
    parse_return,
)
from .decls import (
    parse_class,
    parse_declare,
    parse_def,
    parse_field,
    parse_method,
    parse_use,
)
from .exprs import STOP_WORDS, scan_expr, scan_items
from .fabricated import FOREIGN_STARTS, check_stmt_start
from .handler import Handler
from .issues import FABRICATED, NO_METHOD, UNEXPECTED
from .lexer import KIND, LOW, POS, TEXT, Tok

# Verbs whose arguments we only check loosely (expressions, options, juxtaposed I/O items).
GENERIC_VERBS = frozenset(
    """
addr background begin call callback chanopt chdir clear clearp clipclear clipfromfile clipfromstr
cliplock cliptofile clipunlock close data delete direct disable dread drop dump edit enable enter
erase execute exit extract extractrecord file fileopt find findrecord fnerr fulltext indexed initfile
input inpute inputn inputrecord iolist lcheckin lcheckout list load lock merge mkdir mkeyed open
precision prefix print printrecord process_events read readrecord redim release remove
remove_callback rename renum resclose rmdir run save savep select serial setday setdrive setopts
setterm settime settrace sort sqlclose sqlcommit sqlexec sqlopen sqlprep sqlrollback sqlset start
restore string table throw unlock updatelic vkeyed wait write writerecord xcall xfile xkeyed dim cisam
window pfx tcb wait dsksyn setchn lprint purge listp setctrl ioctl""".split()
)
# Verbs that take nothing at all.
BARE_VERBS = frozenset("end stop bye retry reset escape endtrace floatingpoint denum repeat break continue".split())
# `else:` / `try:` ... at a line start would be labels; in practice they are Python.
PYTHON_BLOCK_WORDS = frozenset(["else", "elif", "try", "except", "finally"])
CLOSERS = {
    "wend": "wend",
    "swend": "swend",
    "fi": "fi",
    "endif": "fi",
    "fnend": "fnend",
    "methodend": "methodend",
    "classend": "classend",
    "interfaceend": "interfaceend",
}
LABEL_VERBS = frozenset("goto gosub exitto seterr setesc".split())
# Words that end the branch of a one-line IF.
IF_PARTS = frozenset(["else", "fi", "endif"])


class StatementParser:
    """Parses logical lines, collecting raw issues and block events."""

    def __init__(self, col_of: Callable[[int], int]) -> None:
        self.col_of = col_of
        self.events: list[Ev] = []
        self.issues: list[RawIssue] = []
        self.tracker = TypeTracker()
        self.stmt = 0
        self.toks: list[Tok] = []
        self.quiet = False
        self.indent = 0
        self.pending: list[int] = []  # open events waiting for the next line's indentation
        self.line_fors: list[str] = []  # FOR variables opened inside a one-line IF on this line
        # A one-line IF without ELSE that ended the previous line: real programs put its ELSE
        # branch on the next line (`IF a THEN b=1` / `ELSE` / block), which BASIS's compiler
        # accepts; a tentative open event is recorded only when such an ELSE follows.
        self.deferred_if: Ev | None = None

    # -- reporting / events -------------------------------------------------------------------
    def problem(self, idx: int, msg: str, code: str = UNEXPECTED) -> None:
        """Report one grammar problem per line (later ones on the line are cascades)."""
        if not self.quiet:
            idx = min(max(idx, 0), len(self.toks) - 1)
            self.issues.append((self.toks[idx][POS], code, msg))
            self.quiet = True

    def event(self, op: str, kind: str, idx: int, var: str = "") -> None:
        """Record a block event for blocks.match_blocks (with the indentation it needs)."""
        pos = self.toks[idx][POS]
        if op == "open":
            self.pending.append(len(self.events))
        if self.indent < 0:
            self.indent = self.col_of(self.toks[0][POS])
        self.events.append(Ev(op, kind, pos, self.col_of(pos), var, self.stmt, self.indent))

    def defer_if(self, idx: int) -> None:
        """Remember the one-line IF at toks[idx] in case the next line starts with ELSE."""
        pos = self.toks[idx][POS]
        indent = self.col_of(self.toks[0][POS])
        self.deferred_if = Ev("tentative", "if", pos, self.col_of(pos), "", self.stmt, indent, indent + 1)

    def _api_report(self, idx: int, msg: str) -> None:
        self.issues.append((self.toks[idx][POS], NO_METHOD, msg))

    # -- lines ----------------------------------------------------------------------------------
    def parse_line(self, toks: list[Tok], quiet: bool) -> None:
        """Parse one logical line; `quiet` suppresses grammar problems (line already flagged)."""
        self.toks = toks
        self.quiet = quiet
        self.indent = -1  # computed on demand: most lines open no block
        if self.line_fors:
            self.line_fors = []
        if self.pending:
            events = self.events
            indent = self.col_of(toks[0][POS])
            for k in self.pending:
                events[k] = events[k]._replace(body=indent)
            self.pending = []
        n = len(toks)
        i = 0
        t = toks[0]
        if t[KIND] == "num" and n > 1 and t[TEXT].isdigit():
            i = 1  # legacy line number
        if i + 1 < n and toks[i][KIND] == "id" and toks[i + 1][TEXT] == ":" and toks[i][TEXT][-1] not in "$!%@":
            if toks[i][LOW] in PYTHON_BLOCK_WORDS and not quiet:
                self.problem(i, f"Python-style '{toks[i][TEXT]}:' block: not BBj", FABRICATED)
            i += 2  # label
        deferred = self.deferred_if
        if deferred is not None:
            self.deferred_if = None
            if i < n and toks[i][LOW] == "else":
                self.events.append(deferred)  # op "tentative": see blocks._Matcher._tentative
        self.statements(i, n, 0)

    def statements(self, i: int, n: int, in_if: int) -> int:
        """Parse ';'-separated statements; inside a one-line IF stop at ELSE/FI/ENDIF."""
        toks = self.toks
        while i < n:
            t = toks[i]
            if t[TEXT] == ";":
                i += 1
                continue
            if in_if and t[LOW] in IF_PARTS:
                return i  # `IF a THEN b=1; ELSE c=2`: the ELSE after ';' still belongs to the IF
            i = self.statement(i, n, in_if)
            if i >= n:
                break
            t = toks[i]
            if t[TEXT] == ";":
                i += 1
                continue
            if in_if and t[LOW] in IF_PARTS:
                return i
            self.problem(i, f"unexpected '{t[TEXT]}'")
            return n
        return n

    def statement(self, i: int, n: int, in_if: int) -> int:
        """Parse one statement starting at toks[i]; return the index after it."""
        toks = self.toks
        t = toks[i]
        self.stmt += 1
        if t[LOW] in FOREIGN_STARTS or (i + 1 < n and toks[i + 1][KIND] == "id"):
            hit = check_stmt_start(toks, i, n)
            if hit is not None:
                at, message = hit
                self.problem(at, message, FABRICATED)
                return _skip_stmt(toks, i, n)
        if t[KIND] != "id":
            if t[TEXT] == "?":
                return self.generic(i + 1, n)
            return self.expression_statement(i, n)
        low = t[LOW]
        nxt = toks[i + 1][TEXT] if i + 1 < n else ";"
        if nxt == "=" or nxt == "." or nxt == "[" or nxt == "::":
            return self.expression_statement(i, n)
        handler = _HANDLERS.get(low)
        if handler is not None:
            return handler(self, i, n, in_if)
        if low in CLOSERS:
            self.event("close", CLOSERS[low], i)
            return self.bare(i + 1, n, t[TEXT])
        if low in BARE_VERBS:
            if low == "repeat":
                self.event("open", "repeat", i)
            return self.bare(i + 1, n, t[TEXT])
        if low in GENERIC_VERBS:
            if i + 1 < n and toks[i + 1][KIND] == "id" and toks[i + 1][LOW] == "record":
                i += 1
            return self.generic(i + 1, n)
        if low in LABEL_VERBS:
            return self.label_ref(i + 1, n, t[TEXT])
        if (
            nxt != ";"
            and t[TEXT][-1].isalnum()
            and low not in STOP_WORDS
            and (toks[i + 1][KIND] in ("id", "num", "str", "hex", "mn", "fp") or (nxt == "(" and _juxtaposed_after_parens(toks, i + 1, n)))
        ):
            return self.generic(i + 1, n)  # a verb we do not know, VERB x / VERB(ch)x: be permissive
        return self.expression_statement(i, n)

    # -- generic shapes -------------------------------------------------------------------------
    def bare(self, i: int, n: int, verb: str) -> int:
        """Nothing may follow a bare verb except ';' or the end of a one-line IF branch."""
        toks = self.toks
        if i < n and toks[i][TEXT] != ";" and toks[i][LOW] not in ("else", "fi", "endif"):
            self.problem(i, f"{verb.upper()} takes no arguments here")
            return n
        return i

    def generic(self, i: int, n: int) -> int:
        """Loosely checked verb arguments (see exprs.scan_items)."""
        j, prob = scan_items(self.toks, i, n)
        if prob is not None:
            self.problem(*prob)
            return n
        self.tracker.check(self.toks, i, j, self._api_report)
        return j

    def expr(self, i: int, n: int, what: str, anchor: int) -> int:
        """One required expression; report when missing or malformed."""
        j, prob = scan_expr(self.toks, i, n)
        if prob is not None:
            self.problem(*prob)
            return n
        if j == i:
            self.problem(min(i, n - 1) if i < n else anchor, f"{what} expected")
            return n
        return j

    def expression_statement(self, i: int, n: int) -> int:
        """Assignments (`a = 1, b = 2`), calls (`obj!.m()`), substrings, `new X()`."""
        toks = self.toks
        start = i
        while True:
            j, prob = scan_expr(toks, i, n)
            if prob is not None:
                self.problem(*prob)
                return n
            if j == i:
                self.problem(i, f"unexpected '{toks[i][TEXT]}'")
                return n
            self._note_assignment(i, j)
            if j < n and toks[j][TEXT] == ",":
                i = j + 1
                continue
            self.tracker.check(toks, start, j, self._api_report)
            return j

    def _note_assignment(self, i: int, j: int) -> None:
        """Tell the type tracker about `var = ...` (skipped cheaply for literal right sides,
        which can only make a tracked variable unknown)."""
        toks = self.toks
        lhs_end = i + 2 if toks[i][TEXT] == "#" else i + 1
        if lhs_end + 1 < j and toks[lhs_end][TEXT] == "=" and toks[lhs_end - 1][KIND] == "id":
            rhs = toks[lhs_end + 1]
            if rhs[KIND] == "id" or rhs[TEXT] == "#":
                self.tracker.assign(toks, i, lhs_end + 1, j)
            else:
                self.tracker.forget(toks, i)

    def label_ref(self, i: int, n: int, verb: str) -> int:
        """GOTO/GOSUB/EXITTO/SETERR/SETESC: a label, a line number or *NEXT-style label."""
        toks = self.toks
        if i < n and toks[i][TEXT] == "*":
            i += 1
        if i >= n or toks[i][KIND] not in ("id", "num"):
            self.problem(i if i < n else n - 1, f"{verb.upper()} needs a label")
            return n
        return self.bare(i + 1, n, verb)


def _juxtaposed_after_parens(toks: list[Tok], i: int, n: int) -> bool:
    """True for `(...)` directly followed by an operand, as in `VERB (ch)"text"`."""
    j = close_paren(toks, i, n)
    return j + 1 < n and toks[j + 1][KIND] in ("id", "num", "str", "hex", "mn", "fp")


def _skip_stmt(toks: list[Tok], i: int, n: int) -> int:
    """Index of the ';' that ends the statement at i (or n)."""
    while i < n and toks[i][TEXT] != ";":
        i += 1
    return i


# Verbs with a grammar of their own (block structure, declarations), by lowercased verb.
_HANDLERS: dict[str, Handler] = {
    "if": parse_if,
    "for": parse_for,
    "next": parse_next,
    "while": parse_cond_block,
    "until": parse_cond_block,
    "switch": parse_cond_block,
    "case": parse_case,
    "else": parse_else,
    "on": parse_on,
    "return": parse_return,
    "methodret": parse_methodret,
    "let": parse_let,
    "class": parse_class,
    "interface": parse_class,
    "method": parse_method,
    "field": parse_field,
    "declare": parse_declare,
    "use": parse_use,
    "def": parse_def,
}
