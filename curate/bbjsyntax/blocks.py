"""Match block openers with block ends (CLASS/CLASSEND, FOR/NEXT, IF/FI, ...).

The statement parser only records events; matching them afterwards lets us run the cheap
matcher twice when a file is broken: once plainly (the verdict) and once preferring the
opener whose indentation equals the closer's (to blame the block whose end was really
dropped). Valid files are only ever judged by the plain pass, so indentation style can never
cause a false positive.

Leniencies that real, compiling BBj needs (each documented in docs/syntax-conformance.md):
NEXT without an open FOR and a surplus FI are accepted (both compile); NEXT inside an open IF
block that sits in a FOR acts like CONTINUE; a METHOD with no body statements before the next
METHOD/CLASSEND is a declaration; CASE/SWEND silently close IF blocks left open inside a
SWITCH case; an IF ... THEN whose next line is not indented deeper is an empty one-line IF
when nothing closes it; a multi-line DEF needs no FNEND (BASIS's compiler accepts a function
body that runs on to the next DEF, a CLASS or the end of the file, as AddonSoftware's
std_functions include does).
"""

from __future__ import annotations

from typing import NamedTuple

from .issues import IF_STRUCTURE, LIMIT, STRAY_END, UNCLOSED, UNEXPECTED

MAX_DEPTH = 1000
_AT_RUN_TIME = "(BASIS's compiler accepts it; the IF/ELSE/FI structure is resolved at run time)"
_IF_NEVER_CLOSED = "IF block is never closed with FI/ENDIF " + _AT_RUN_TIME
_ELSE_WITHOUT_IF = "ELSE without an open multi-line IF " + _AT_RUN_TIME

OPENER_OF = {
    "classend": "class",
    "interfaceend": "interface",
    "methodend": "method",
    "fnend": "def",
    "next": "for",
    "wend": "while",
    "until": "repeat",
    "swend": "switch",
    "fi": "if",
}
END_OF = {v: k for k, v in OPENER_OF.items()}
END_OF["if"] = "FI/ENDIF"
UNITS = frozenset(["class", "interface", "method", "def"])
# FI/ELSE inside a SWITCH never belongs to an IF opened before the SWITCH: a stray one there
# (`FOR ... ENDIF` typed for `FOR ... NEXT` in a CASE arm) is judged as surplus, so the real
# slip (the FOR never closed) is reported once instead of a cascade over every later CASE.
_IF_BARRIER = UNITS | frozenset(["switch"])


class Ev(NamedTuple):
    """A block event: op is open/close/mid, continue (a NEXT that closes nothing) or tentative
    (a one-line IF whose next line starts with ELSE: it opens a block only when no multi-line
    IF is open, since an open one owns that ELSE); kind names the keyword; col is the keyword's
    column, ind the indentation of its line, body the indentation of the next line (-1: none);
    var is a NEXT/FOR variable; stmt counts statements so far."""

    op: str
    kind: str
    pos: int
    col: int
    var: str
    stmt: int
    ind: int = 0
    body: int = -1


# (text offset, code, message)
RawIssue = tuple[int, str, str]


class _Entry:
    """An open block; `continued` is set on a FOR whose body holds a NEXT for it that closes
    nothing (inside a one-line IF or an IF block: the legacy "continue" idiom)."""

    __slots__ = ("continued", "ev", "kind")

    def __init__(self, kind: str, ev: Ev) -> None:
        self.kind = kind
        self.ev = ev
        self.continued = False


def _name(kind: str) -> str:
    return kind.upper()


def match_blocks(events: list[Ev]) -> list[RawIssue]:
    """Judge the block structure; the indentation-aware pass only refines a broken verdict."""
    plain = _Matcher(events, indent_aware=False).run()
    if not plain:
        return plain
    refined = _Matcher(events, indent_aware=True).run()
    return refined if refined and len(refined) <= len(plain) else plain


class _Matcher:
    def __init__(self, events: list[Ev], indent_aware: bool) -> None:
        self.events = events
        self.aware = indent_aware
        self.stack: list[_Entry] = []
        self.issues: list[RawIssue] = []

    # -- reporting -------------------------------------------------------------------------
    def _unclosed(self, entry: _Entry, at: Ev | None, silent_empty: bool = True) -> None:
        ev = entry.ev
        if silent_empty and entry.kind == "method" and at is not None and at.stmt - ev.stmt <= 1:
            return  # a METHOD with no body: a declaration, accepted like the language server
        if entry.kind == "if":
            if ev.body > ev.ind:  # else: IF ... THEN with an unindented (or no) body, an empty one-line IF
                self.issues.append((ev.pos, IF_STRUCTURE, _IF_NEVER_CLOSED))
            return
        if entry.kind == "def":
            return  # a DEF body may run on without FNEND (to the next DEF, a unit or the end)
        if entry.kind == "for" and entry.continued:
            return  # its only NEXT sits in an IF (`IF a$(i,1)=" " THEN NEXT i`): the loop ends there
        where = " before the end of the file" if at is None else ""
        self.issues.append((ev.pos, UNCLOSED, f"{_name(entry.kind)} is never closed: missing {END_OF[entry.kind].upper()}{where}"))

    def _stray(self, ev: Ev, message: str) -> None:
        self.issues.append((ev.pos, STRAY_END, message))

    # -- helpers ---------------------------------------------------------------------------
    def _find(self, kind: str, ev: Ev, barrier: frozenset[str]) -> int:
        """Index of the open `kind` block that `ev` closes, or -1 (search stops at barrier)."""
        stack = self.stack
        found = -1
        for idx in range(len(stack) - 1, -1, -1):
            entry = stack[idx]
            if entry.kind == kind:
                if found < 0:
                    found = idx
                if not self.aware and not ev.var:
                    return idx
                if ev.var and entry.ev.var == ev.var:
                    return idx
                if self.aware and not ev.var and entry.ev.col == ev.col:
                    return idx
            elif entry.kind in barrier:
                break
        return found

    def _pop_to(self, idx: int, at: Ev, soft_if: bool = False) -> None:
        """Pop every block above idx (reporting them unclosed), keep stack[idx]."""
        stack = self.stack
        while len(stack) > idx + 1:
            entry = stack.pop()
            if soft_if and entry.kind == "if":
                continue
            self._unclosed(entry, at)

    def _push(self, kind: str, ev: Ev) -> bool:
        self.stack.append(_Entry(kind, ev))
        if len(self.stack) > MAX_DEPTH:
            message = f"blocks nested deeper than {MAX_DEPTH} levels; structure not checked further"
            self.issues = [(ev.pos, LIMIT, message)]
            return False
        return True

    # -- main loop -------------------------------------------------------------------------
    def run(self) -> list[RawIssue]:
        for ev in self.events:
            if ev.op == "open":
                if not self._open(ev):
                    return self.issues
            elif ev.op == "close":
                self._close(ev)
            elif ev.op == "continue":
                self._continue(ev)
            elif ev.op == "tentative":
                if self._find("if", ev, _IF_BARRIER) < 0 and not self._push("if", ev):
                    return self.issues
            else:
                self._mid(ev)
        while self.stack:
            self._unclosed(self.stack.pop(), None, silent_empty=False)
        return self.issues

    def _open(self, ev: Ev) -> bool:
        kind = ev.kind
        stack = self.stack
        if kind in ("class", "interface"):
            while stack:
                self._unclosed(stack.pop(), ev)
        elif kind == "method":
            unit_kind = next((e.kind for e in reversed(stack) if e.kind in UNITS), None)
            if unit_kind == "interface":
                return True  # interface methods are declarations without a body
            cls = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].kind == "class"), -1)
            if cls < 0:
                self.issues.append((ev.pos, UNEXPECTED, "METHOD outside of a CLASS"))
            self._pop_to(cls, ev)
        elif kind == "def":
            unit = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].kind in UNITS), -1)
            if unit >= 0 and stack[unit].kind == "def":
                self._pop_to(unit, ev)  # blocks left open inside the previous function
                stack.pop()  # a DEF without FNEND ends where the next DEF begins
        return self._push(kind, ev)

    def _close(self, ev: Ev) -> None:
        kind = ev.kind
        target = OPENER_OF[kind]
        stack = self.stack
        if kind in ("classend", "interfaceend"):
            idx = self._find(target, ev, frozenset())
        elif kind == "methodend":
            idx = self._find(target, ev, frozenset(["class", "interface"]))
        elif kind == "fnend":
            idx = self._find(target, ev, frozenset(["class", "interface", "method"]))
        elif kind == "fi":
            idx = self._find(target, ev, _IF_BARRIER)
        else:
            idx = self._find(target, ev, UNITS)
        if idx < 0:
            if kind == "next" or kind == "fi":
                return  # NEXT without FOR, surplus FI: BASIS's compiler accepts both
            top = next((e for e in reversed(stack)), None)
            extra = f"; the innermost open block is {_name(top.kind)}" if top else ""
            self._stray(ev, f"{_name(kind)} without a matching {_name(target)}{extra}")
            return
        if kind == "next" and stack[-1].kind == "if" and idx < len(stack) - 1:
            stack[idx].continued = True
            return  # NEXT inside an IF block of a FOR body acts like CONTINUE
        self._pop_to(idx, ev, soft_if=(kind == "swend"))
        stack.pop()

    def _continue(self, ev: Ev) -> None:
        """A NEXT inside a one-line IF: it closes nothing, but its FOR has a NEXT."""
        idx = self._find("for", ev, UNITS)
        if idx >= 0:
            self.stack[idx].continued = True

    def _mid(self, ev: Ev) -> None:
        if ev.kind == "else":
            idx = self._find("if", ev, _IF_BARRIER)
            if idx < 0:  # shipped programs have such ELSEs; BASIS's compiler does not match IF/ELSE
                self.issues.append((ev.pos, IF_STRUCTURE, _ELSE_WITHOUT_IF))
                return
            self._pop_to(idx, ev)
        else:  # case
            idx = self._find("switch", ev, UNITS)
            if idx < 0:
                self._stray(ev, "CASE outside of a SWITCH")
                return
            self._pop_to(idx, ev, soft_if=True)
