"""BBJ511: calls of methods that a well-known BBj class does not have.

We follow variables from where their class is certain (BBjAPI(), getSysGui(), addWindow(),
addButton(), DECLARE, typed METHOD parameters and FIELDs) and flag `obj!.name(...)` when the
class and all its ancestors lack `name`. A type learnt from a factory call is exact; a declared
type may hold a subclass, so its descendants' methods count too. Unknown stays unknown.

The javadoc data is not complete (interfaces are missing, some classes list a dozen methods),
and a false BBJ511 on compiling code is worse than a missed one, so two rules over-approximate:
an accessor pair counts as soon as one half is listed, and classes known to be incomplete
(UNCHECKED, with their subclasses) are not checked at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from .lexer import KIND, LOW, TEXT, Tok

_DATA = Path(__file__).with_name("bbj_api_methods.json")
OBJECT_METHODS = frozenset(["tostring", "equals", "hashcode", "getclass", "notify", "notifyall", "wait"])
# Classes whose method lists in the javadoc data are known to be incomplete: the grids also
# extend interfaces the data lacks (CommonGrid, MouseWheelEnabled), and the menu classes list
# only a dozen methods (no setCallback/setText/setEnabled). Calls on them, or on their
# subclasses, are never reported: the class is not certain enough to call a method missing.
UNCHECKED = frozenset(["bbjgrid", "bbjmenuitem", "bbjmenubar"])
# Accessor families: where the data has one of a pair, BBj (almost) always has the other.
_PAIRS = (
    ("set", ("get", "is")),
    ("get", ("set",)),
    ("is", ("set",)),
    ("add", ("remove", "get")),
    ("remove", ("add",)),
    ("insert", ("remove", "delete", "add")),
    ("delete", ("insert",)),
)
_EVENT_HINT = frozenset(["addeventlistener", "addactionlistener", "addlistener", "onclick", "on", "setonclick", "setonaction", "addclicklistener", "bind"])


class ApiData:
    """Method sets per class (lowercased), with inheritance resolved lazily."""

    def __init__(self, raw: dict) -> None:
        self.names: dict[str, str] = {c.lower(): c for c in raw["classes"]}
        self.own = {c.lower(): frozenset(m.lower() for m in ms) for c, ms in raw["classes"].items()}
        self.parents = {c.lower(): [p.lower() for p in ps] for c, ps in raw["parents"].items()}
        self.factories: dict[str, str] = {k: v.lower() for k, v in raw["factories"].items()}
        self.children: dict[str, list[str]] = {}
        for cls, ps in self.parents.items():
            for p in ps:
                self.children.setdefault(p, []).append(cls)
        self._cache: dict[tuple[str, bool], frozenset[str]] = {}

    def methods(self, cls: str, exact: bool) -> frozenset[str]:
        """All methods of cls and its ancestors (and, unless exact, its descendants)."""
        key = (cls, exact)
        got = self._cache.get(key)
        if got is None:
            seen: set[str] = set()
            todo = [cls]
            if not exact:
                todo += self._descendants(cls)
            if self._unchecked(cls):
                got = self._cache[key] = OBJECT_METHODS
                return got
            out: set[str] = set(OBJECT_METHODS)
            while todo:
                c = todo.pop()
                if c in seen:
                    continue
                seen.add(c)
                out |= self.own.get(c, frozenset())
                todo.extend(self.parents.get(c, ()))
            got = self._cache[key] = frozenset(out | _counterparts(out))
        return got

    def _unchecked(self, cls: str) -> bool:
        """True when cls or one of its ancestors has an incomplete method list."""
        todo, seen = [cls], set()
        while todo:
            c = todo.pop()
            if c in UNCHECKED:
                return True
            if c not in seen:
                seen.add(c)
                todo.extend(self.parents.get(c, ()))
        return False

    def _descendants(self, cls: str) -> list[str]:
        out: list[str] = []
        todo = list(self.children.get(cls, ()))
        while todo:
            c = todo.pop()
            if c not in out:
                out.append(c)
                todo.extend(self.children.get(c, ()))
        return out


def _counterparts(names: set[str]) -> set[str]:
    """getX/isX for every setX, setX for every getX, removeX for every addX, ..."""
    out: set[str] = set()
    for name in names:
        for have, wants in _PAIRS:
            if name.startswith(have) and len(name) > len(have):
                rest = name[len(have) :]
                out.update(w + rest for w in wants)
    return out


@lru_cache(maxsize=1)
def load_api() -> ApiData:
    """The generated data file, read once per process."""
    return ApiData(json.loads(_DATA.read_text(encoding="utf-8")))


# (type, exact) of an expression, or None when unknown
Typ = tuple[str, bool] | None
Report = Callable[[int, str], None]


def close_paren(toks: list[Tok], i: int, end: int) -> int:
    """Index of the ')' matching toks[i] == '(' (or end)."""
    depth = 0
    for j in range(i, end):
        v = toks[j][TEXT]
        if v == "(":
            depth += 1
        elif v == ")":
            depth -= 1
            if depth == 0:
                return j
    return end


class TypeTracker:
    """Variable -> BBj class knowledge for one file, scoped per METHOD and per CLASS."""

    def __init__(self) -> None:
        self.api = load_api()
        self.vars: dict[str, tuple[str, bool]] = {}
        self.fields: dict[str, tuple[str, bool]] = {}
        self.user_classes: set[str] = set()
        # declared class per variable of the current method, and per field of the current class;
        # None once two declarations disagree
        self.declared: dict[str, str | None] = {}
        self.declared_fields: dict[str, str | None] = {}

    def new_method(self) -> None:
        self.vars = {}
        self.declared = {}

    def new_class(self, name: str) -> None:
        self.vars = {}
        self.fields = {}
        self.declared = {}
        self.declared_fields = {}
        self.user_classes.add(name.lower())

    def declare(self, name: str, type_name: str, field: bool = False) -> None:
        """DECLARE / typed parameter / FIELD: the class may also be a subclass. A name declared
        twice in one scope with different classes (`DECLARE BBjDrawer d!` then `DECLARE
        BBjChildWindow d!`, or a parameter re-declared in the body) has no certain class."""
        cls = type_name.rsplit(".", 1)[-1].lower()
        table = self.fields if field else self.vars
        key = ("#" if field else "") + name.lower()
        declared = self.declared_fields if field else self.declared
        seen = declared.get(key, cls)
        if seen != cls:
            seen = None
        declared[key] = seen
        if seen is None:
            table.pop(key, None)
            return
        if cls in self.api.own and cls not in self.user_classes:
            table[key] = (cls, False)
        else:
            table.pop(key, None)

    def assign(self, toks: list[Tok], lhs: int, rhs: int, end: int) -> None:
        """`lhs = rhs..end`: learn the type when the right side is one call chain."""
        if toks[lhs][TEXT] == "#":
            if lhs + 1 >= rhs:
                return
            key, table = "#" + toks[lhs + 1][LOW], self.fields
        else:
            key, table = toks[lhs][LOW], self.vars
        typ, stop = self._chain(toks, rhs, end, None)
        if typ is not None and stop == end:
            table[key] = typ
        else:
            table.pop(key, None)

    def forget(self, toks: list[Tok], lhs: int) -> None:
        """The variable at toks[lhs] was assigned something that is not a BBj object."""
        if toks[lhs][TEXT] == "#":
            if lhs + 1 < len(toks):
                self.fields.pop("#" + toks[lhs + 1][LOW], None)
        else:
            self.vars.pop(toks[lhs][LOW], None)

    def check(self, toks: list[Tok], start: int, end: int, report: Report) -> None:
        """Check every call chain that starts at a variable of known class (or BBjAPI())."""
        names = self.vars
        fields = self.fields
        for p in range(start, end):
            t = toks[p]
            if t[KIND] == "id":
                low = t[LOW]
                if low not in names and low != "bbjapi":
                    continue
            elif t[TEXT] != "#" or not fields:
                continue
            if p > start and toks[p - 1][TEXT] in (".", "::", "#"):
                continue
            self._chain(toks, p, end, report)

    def _head(self, toks: list[Tok], i: int, end: int) -> tuple[Typ, int]:
        t = toks[i]
        if t[TEXT] == "#":
            if i + 1 < end and toks[i + 1][KIND] == "id":
                return self.fields.get("#" + toks[i + 1][LOW]), i + 2
            return None, i + 1
        if t[KIND] != "id":
            return None, i
        if t[LOW] == "bbjapi" and i + 2 < end and toks[i + 1][TEXT] == "(" and toks[i + 2][TEXT] == ")":
            return ("bbjapi", True), i + 3
        return self.vars.get(t[LOW]), i + 1

    def _chain(self, toks: list[Tok], i: int, end: int, report: Report | None) -> tuple[Typ, int]:
        typ, i = self._head(toks, i, end)
        api = self.api
        while i + 1 < end and toks[i][TEXT] == "." and toks[i + 1][KIND] == "id":
            name = toks[i + 1]
            if i + 2 < end and toks[i + 2][TEXT] == "(":
                low = name[LOW]
                if typ is not None:
                    cls, exact = typ
                    known = api.methods(cls, exact)
                    if report is not None and len(known) > len(OBJECT_METHODS) and low not in known:
                        hint = ' (BBj events use setCallback(BBjAPI.ON_..., "label"))' if low in _EVENT_HINT else ""
                        report(i + 1, f"{api.names.get(cls, cls)} has no method '{name[TEXT]}'{hint}")
                    made = api.factories.get(low)
                    typ = (made, made not in api.children) if made is not None else None
                i = close_paren(toks, i + 2, end) + 1
            else:
                typ = None
                i += 2
        return typ, i
