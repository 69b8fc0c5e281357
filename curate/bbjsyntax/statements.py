"""Statement-level parsing of one logical line: verbs, IF forms, loops, assignments.

Why per line: BBj is line-oriented (a line is statements separated by ';', an IF without
anything after THEN opens a multi-line block), so each logical line is parsed on its own and
block structure is recorded as events for blocks.match_blocks. At most one grammar problem is
reported per line, which keeps one typo from producing a cascade.
"""

from __future__ import annotations

from .api import TypeTracker
from .blocks import Ev, RawIssue
from .decls import parse_class, parse_declare, parse_def, parse_field, parse_method, parse_use
from .exprs import STOP_WORDS, scan_expr, scan_items
from .fabricated import check_stmt_start
from .issues import FABRICATED, LIMIT, NO_METHOD, UNEXPECTED
from .lexer import Tok

# Verbs whose arguments we only check loosely (expressions, options, juxtaposed I/O items).
GENERIC_VERBS = frozenset("""
addr background begin call callback chanopt chdir clear clearp clipclear clipfromfile clipfromstr
cliplock cliptofile clipunlock close data delete direct disable dread drop dump edit enable enter
erase execute exit extract extractrecord file fileopt find findrecord fnerr fulltext indexed initfile
input inpute inputn inputrecord iolist lcheckin lcheckout list load lock merge mkdir mkeyed open
precision prefix print printrecord process_events read readrecord redim release remove
remove_callback rename renum resclose rmdir run save savep select serial setday setdrive setopts
setterm settime settrace sort sqlclose sqlcommit sqlexec sqlopen sqlprep sqlrollback sqlset start
restore string table throw unlock updatelic vkeyed wait write writerecord xcall xfile xkeyed dim cisam
window pfx tcb wait dsksyn setchn lprint""".split())
# Verbs that take nothing at all.
BARE_VERBS = frozenset(
    "end stop bye retry reset escape endtrace floatingpoint denum repeat break continue".split()
)
# RESTORE takes an optional label.
CLOSERS = {"wend": "wend", "swend": "swend", "fi": "fi", "endif": "fi", "fnend": "fnend",
           "methodend": "methodend", "classend": "classend", "interfaceend": "interfaceend"}
LABEL_VERBS = frozenset("goto gosub exitto seterr setesc".split())
MAX_IF_NESTING = 100


class StatementParser:
    """Parses logical lines, collecting raw issues and block events."""

    def __init__(self, col_of: "callable") -> None:  # type: ignore[valid-type]
        self.col_of = col_of
        self.events: list[Ev] = []
        self.issues: list[RawIssue] = []
        self.tracker = TypeTracker()
        self.stmt = 0
        self.def_depth = 0
        self.toks: list[Tok] = []
        self.quiet = False
        self.indent = 0
        self.pending: list[int] = []  # open events waiting for the next line's indentation

    # -- reporting / events -------------------------------------------------------------------
    def problem(self, idx: int, msg: str, code: str = UNEXPECTED) -> None:
        """Report one grammar problem per line (later ones on the line are cascades)."""
        if not self.quiet:
            idx = min(max(idx, 0), len(self.toks) - 1)
            self.issues.append((self.toks[idx].pos, code, msg))
            self.quiet = True

    def event(self, op: str, kind: str, idx: int, var: str = "") -> None:
        pos = self.toks[idx].pos
        if op == "open":
            self.pending.append(len(self.events))
        self.events.append(Ev(op, kind, pos, self.col_of(pos), var, self.stmt, self.indent))

    def _api_report(self, idx: int, msg: str) -> None:
        self.issues.append((self.toks[idx].pos, NO_METHOD, msg))

    # -- lines ----------------------------------------------------------------------------------
    def parse_line(self, toks: list[Tok], quiet: bool) -> None:
        """Parse one logical line; `quiet` suppresses grammar problems (line already flagged)."""
        self.toks = toks
        self.quiet = quiet
        self.indent = self.col_of(toks[0].pos)
        if self.pending:
            events = self.events
            for k in self.pending:
                events[k] = events[k]._replace(body=self.indent)
            self.pending = []
        n = len(toks)
        i = 0
        t = toks[0]
        if t.kind == "num" and n > 1 and t.val.isdigit():
            i = 1  # legacy line number
        if i + 1 < n and toks[i].kind == "id" and toks[i + 1].val == ":" and toks[i].val[-1].isalnum():
            i += 2  # label
        self.statements(i, n, 0)

    def statements(self, i: int, n: int, in_if: int) -> int:
        """Parse ';'-separated statements; inside a one-line IF stop at ELSE/FI/ENDIF."""
        toks = self.toks
        while i < n:
            if toks[i].val == ";":
                i += 1
                continue
            i = self.statement(i, n, in_if)
            if i >= n:
                break
            t = toks[i]
            if t.val == ";":
                i += 1
                continue
            if in_if and t.kind == "id" and t.low in ("else", "fi", "endif"):
                return i
            self.problem(i, f"unexpected '{t.val}'")
            return n
        return n

    def statement(self, i: int, n: int, in_if: int) -> int:
        """Parse one statement starting at toks[i]; return the index after it."""
        toks = self.toks
        t = toks[i]
        self.stmt += 1
        hit = check_stmt_start(toks, i, n)
        if hit is not None:
            self.problem(hit[0], hit[1], FABRICATED)
            return _skip_stmt(toks, i, n)
        if t.kind != "id":
            if t.val == "?":
                return self.generic(i + 1, n)
            return self.expression_statement(i, n)
        low = t.low
        nxt = toks[i + 1].val if i + 1 < n else ";"
        if nxt == "=" or (nxt in (".", "[", "::") and low not in ("print", "?")):
            return self.expression_statement(i, n)
        if low == "if":
            return self.parse_if(i, n, in_if)
        handler = _HANDLERS.get(low)
        if handler is not None:
            return handler(self, i, n, in_if)
        if low in CLOSERS:
            self.event("close", CLOSERS[low], i)
            if low == "fnend":
                self.def_depth = max(0, self.def_depth - 1)
            return self.bare(i + 1, n, t.val)
        if low in BARE_VERBS:
            if low == "repeat":
                self.event("open", "repeat", i)
            return self.bare(i + 1, n, t.val)
        if low in GENERIC_VERBS:
            if i + 1 < n and toks[i + 1].kind == "id" and toks[i + 1].low == "record":
                i += 1
            return self.generic(i + 1, n)
        if low in LABEL_VERBS:
            return self.label_ref(i + 1, n, t.val)
        if nxt != ";" and toks[i + 1].kind in ("id", "num", "str", "hex", "mn", "fp") and "$" not in t.val \
                and t.val[-1] not in "!%" and low not in STOP_WORDS:
            return self.generic(i + 1, n)  # a verb we do not know: be permissive
        return self.expression_statement(i, n)

    # -- generic shapes -------------------------------------------------------------------------
    def bare(self, i: int, n: int, verb: str) -> int:
        toks = self.toks
        if i < n and toks[i].val != ";" and toks[i].low not in ("else", "fi", "endif"):
            self.problem(i, f"{verb.upper()} takes no arguments here")
            return n
        return i

    def generic(self, i: int, n: int) -> int:
        j, prob = scan_items(self.toks, i, n)
        if prob is not None:
            self.problem(*prob)
            return n
        self._check_api(i, j)
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
                self.problem(i, f"unexpected '{toks[i].val}'")
                return n
            self._note_assignment(i, j)
            if j < n and toks[j].val == ",":
                i = j + 1
                continue
            self._check_api(start, j)
            return j

    def _note_assignment(self, i: int, j: int) -> None:
        toks = self.toks
        lhs_end = i + 2 if toks[i].val == "#" else i + 1
        if lhs_end < j and toks[lhs_end].val == "=" and toks[lhs_end - 1].kind == "id":
            self.tracker.assign(toks, i, lhs_end + 1, j)

    def _check_api(self, i: int, j: int) -> None:
        self.tracker.check(self.toks, i, j, self._api_report)

    def label_ref(self, i: int, n: int, verb: str) -> int:
        toks = self.toks
        if i < n and toks[i].val == "*":
            i += 1
        if i >= n or toks[i].kind not in ("id", "num"):
            self.problem(i if i < n else n - 1, f"{verb.upper()} needs a label")
            return n
        return self.bare(i + 1, n, verb)

    # -- control flow ---------------------------------------------------------------------------
    def parse_if(self, i: int, n: int, in_if: int) -> int:
        toks = self.toks
        if in_if > MAX_IF_NESTING:
            self.problem(i, f"IF nested deeper than {MAX_IF_NESTING} levels on one line", LIMIT)
            return n
        head = i
        j, prob = scan_expr(toks, i + 1, n)
        if prob is None and j == i + 1:
            prob = (min(j, n - 1), "condition expected after IF")
        if prob is None and j < n and toks[j].low != "then" and toks[j].kind != "id" \
                and toks[j].val not in ("?", "#", ";"):
            prob = (j, f"unexpected '{toks[j].val}' after the IF condition")
        if prob is not None:
            # recover the block structure: IF ... THEN at the line end opens a block
            self.problem(*prob)
            then = next((k for k in range(n - 1, head, -1) if toks[k].low == "then"), -1)
            if then < 0 or _rest_empty(toks, then + 1, n):
                self.event("open", "if", head)
            return n
        i = j
        if i < n and toks[i].kind == "id" and toks[i].low == "then":
            i += 1
        if _rest_empty(toks, i, n):
            self.event("open", "if", head)
            return n
        if toks[i].kind == "num":
            i += 1  # IF X THEN 100: legacy GOTO line number
        else:
            i = self.statements(i, n, in_if + 1)
        if i < n and toks[i].low == "else":
            i += 1
            if _rest_empty(toks, i, n):
                self.event("open", "if", head)  # ELSE part continues on the next lines
                return n
            if toks[i].kind == "num":
                i += 1
            else:
                i = self.statements(i, n, in_if + 1)
        if i < n and toks[i].low in ("fi", "endif"):
            i += 1
        return i

    def parse_for(self, i: int, n: int, in_if: int) -> int:
        toks = self.toks
        head = i
        i += 1
        if i < n and toks[i].val == "#":
            i += 1
        if i >= n or toks[i].kind != "id":
            self.problem(min(i, n - 1), "FOR needs a loop variable")
            self.event("open", "for", head)
            return n
        var = toks[i].low
        i += 1
        if i >= n or toks[i].val != "=":
            self.problem(min(i, n - 1), "FOR needs '=' after the loop variable")
        else:
            i = self.expr(i + 1, n, "start value", head)
            if i < n and toks[i].low == "to":
                i = self.expr(i + 1, n, "end value after TO", head)
                if i < n and toks[i].low == "step":
                    i = self.expr(i + 1, n, "value after STEP", head)
            elif i < n or not self.quiet:
                self.problem(min(i, n - 1), "FOR without TO")
                i = n
        self.event("open", "for", head, var)
        return i

    def parse_next(self, i: int, n: int, in_if: int) -> int:
        toks = self.toks
        head = i
        var = ""
        i += 1
        if i < n and toks[i].kind == "id" and toks[i].low not in ("else", "fi", "endif"):
            var = toks[i].low
            i += 1
        if not in_if:
            self.event("close", "next", head, var)
        return self.bare(i, n, "NEXT")

    def parse_cond_block(self, i: int, n: int, in_if: int) -> int:
        """WHILE cond / UNTIL cond / SWITCH expr."""
        low = self.toks[i].low
        j = self.expr(i + 1, n, f"expression after {low.upper()}", i)
        if low == "while":
            self.event("open", "while", i)
        elif low == "switch":
            self.event("open", "switch", i)
        else:
            self.event("close", "until", i)
        return j

    def parse_case(self, i: int, n: int, in_if: int) -> int:
        toks = self.toks
        self.event("mid", "case", i)
        head = i
        i += 1
        if i < n and toks[i].low == "default":
            return self.bare(i + 1, n, "CASE DEFAULT")
        while True:
            j, prob = scan_expr(toks, i, n)
            if prob is not None:
                if toks[prob[0]].val == ":" and prob[0] == n - 1:
                    self.problem(prob[0], "C/JS-style 'case x:': BBj writes CASE x", FABRICATED)
                else:
                    self.problem(*prob)
                return n
            if j == i:
                self.problem(min(i, n - 1) if i < n else head, "value expected after CASE")
                return n
            if j < n and toks[j].val == ",":
                i = j + 1
                continue
            return j

    def parse_else(self, i: int, n: int, in_if: int) -> int:
        self.event("mid", "else", i)
        return self.statements(i + 1, n, in_if) if i + 1 < n else n

    def parse_on(self, i: int, n: int, in_if: int) -> int:
        toks = self.toks
        j = self.expr(i + 1, n, "expression after ON", i)
        if j >= n or toks[j].low not in ("goto", "gosub"):
            self.problem(min(j, n - 1), "ON needs GOTO or GOSUB")
            return n
        j += 1
        while j < n and toks[j].kind in ("id", "num"):
            j += 1
            if j < n and toks[j].val == ",":
                j += 1
        return j

    def parse_return(self, i: int, n: int, in_if: int) -> int:
        if self.def_depth == 0 and i + 1 < n and self.toks[i + 1].val != ";" \
                and self.toks[i + 1].low not in ("else", "fi", "endif"):
            self.problem(i + 1, "RETURN takes no value outside DEF FN (a METHOD returns with METHODRET)")
            return n
        return self.generic(i + 1, n)

    def parse_methodret(self, i: int, n: int, in_if: int) -> int:
        toks = self.toks
        if i + 1 >= n or toks[i + 1].val == ";" or toks[i + 1].low in ("else", "fi", "endif"):
            return i + 1
        return self.expression_statement(i + 1, n)

    def parse_let(self, i: int, n: int, in_if: int) -> int:
        if i + 1 >= n:
            self.problem(i, "LET needs an assignment")
            return n
        return self.expression_statement(i + 1, n)


def _rest_empty(toks: list[Tok], i: int, n: int) -> bool:
    while i < n:
        if toks[i].val != ";":
            return False
        i += 1
    return True


def _skip_stmt(toks: list[Tok], i: int, n: int) -> int:
    while i < n and toks[i].val != ";":
        i += 1
    return i


_HANDLERS = {
    "for": StatementParser.parse_for,
    "next": StatementParser.parse_next,
    "while": StatementParser.parse_cond_block,
    "until": StatementParser.parse_cond_block,
    "switch": StatementParser.parse_cond_block,
    "case": StatementParser.parse_case,
    "else": StatementParser.parse_else,
    "on": StatementParser.parse_on,
    "return": StatementParser.parse_return,
    "methodret": StatementParser.parse_methodret,
    "let": StatementParser.parse_let,
    "class": parse_class,
    "interface": parse_class,
    "method": parse_method,
    "field": parse_field,
    "declare": parse_declare,
    "use": parse_use,
    "def": parse_def,
}
