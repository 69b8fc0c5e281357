"""Declarations: CLASS / INTERFACE / METHOD / FIELD / DECLARE / USE / DEF headers.

Kept apart from statements.py because headers have their own small grammar (modifiers, types,
typed parameters) and because they feed the type tracker. A METHOD header that does not
parse opens no block, as in BASIS's compiler: its METHODEND is then reported as well.
"""

from __future__ import annotations

from .exprs import scan_expr
from .handler import Parser
from .lexer import KIND, LOW, TEXT, Tok

MODIFIERS = frozenset(["public", "private", "protected", "static", "abstract", "final"])


def parse_type(toks: list[Tok], i: int, n: int) -> int:
    """`[::file.bbj::]Name(.Name)*([])*` -> index after it, or -1 when there is no type."""
    if i < n and toks[i][KIND] == "fp":
        i += 1
    if i >= n or toks[i][KIND] != "id":
        return -1
    i += 1
    while i + 1 < n and toks[i][TEXT] == "." and toks[i + 1][KIND] == "id":
        i += 2
    while i + 1 < n and toks[i][TEXT] == "[" and toks[i + 1][TEXT] == "]":
        i += 2
    return i


def _array_suffix(toks: list[Tok], i: int, n: int) -> int:
    """Skip the array marks after a parameter name: `name[]`, `name$[ALL]`, `name[,]`
    (BBj passes whole arrays to methods as `Type name[ALL]`)."""
    while i < n and toks[i][TEXT] == "[":
        j = i + 1
        if j < n and toks[j][LOW] == "all":
            j += 1
        while j < n and toks[j][TEXT] == ",":
            j += 1
        if j >= n or toks[j][TEXT] != "]":
            return i
        i = j + 1
    return i


def _type_name(toks: list[Tok], i: int, j: int) -> str:
    return "".join(t[TEXT] for t in toks[i:j] if t[KIND] == "id" or t[TEXT] == ".")


def _modifiers(toks: list[Tok], i: int, n: int) -> int:
    while i < n and toks[i][KIND] == "id" and toks[i][LOW] in MODIFIERS:
        i += 1
    return i


def _end(p: Parser, i: int, n: int, what: str) -> int:
    """Only ';' (or the line end) may follow a header."""
    if i < n and p.toks[i][TEXT] != ";":
        p.problem(i, f"unexpected '{p.toks[i][TEXT]}' after the {what}")
        return n
    return i


def parse_class(p: Parser, i: int, n: int, in_if: int) -> int:
    """CLASS|INTERFACE [modifiers] Name [EXTENDS T{,T}] [IMPLEMENTS T{,T}]"""
    toks = p.toks
    head = i
    kind = toks[i][LOW]
    i = _modifiers(toks, i + 1, n)
    if i >= n or toks[i][KIND] != "id":
        p.problem(min(i, n - 1), f"{kind.upper()} needs a name")
        p.event("open", kind, head)
        return n
    p.tracker.new_class(toks[i][TEXT])
    i += 1
    while i < n and toks[i][TEXT] != ";":
        word = toks[i][LOW]
        if word not in ("extends", "implements"):
            p.problem(i, f"unexpected '{toks[i][TEXT]}' in the {kind.upper()} header")
            i = n
            break
        j = parse_type(toks, i + 1, n)
        while j > 0 and j < n and toks[j][TEXT] == ",":
            j = parse_type(toks, j + 1, n)
        if j < 0:
            p.problem(min(i + 1, n - 1), f"class name expected after {word.upper()}")
            i = n
            break
        i = j
    p.event("open", kind, head)
    return i


def parse_method(p: Parser, i: int, n: int, in_if: int) -> int:
    """METHOD [modifiers] [ReturnType] name(Type param{, Type param})"""
    toks = p.toks
    head = i
    i = _modifiers(toks, i + 1, n)
    j = parse_type(toks, i, n)
    if j < 0:
        p.problem(min(i, n - 1), "METHOD needs a name")
        return n
    if j < n and toks[j][TEXT] != "(":
        if toks[j][KIND] != "id":
            p.problem(j, f"unexpected '{toks[j][TEXT]}' in the METHOD header")
            return n
        j += 1
    if j >= n or toks[j][TEXT] != "(":
        p.problem(min(j, n - 1), "METHOD needs a parameter list '(...)'")
        return n
    params: list[tuple[str, str]] = []
    j += 1
    while j < n and toks[j][TEXT] != ")":
        k = parse_type(toks, j, n)
        if k < 0 or k >= n or toks[k][KIND] != "id":
            p.problem(min(max(k, j), n - 1), "METHOD parameters are written 'Type name'")
            return n
        params.append((toks[k][TEXT], _type_name(toks, j, k)))
        j = _array_suffix(toks, k + 1, n)
        if j < n and toks[j][TEXT] == ",":
            j += 1
        elif j < n and toks[j][TEXT] != ")":
            p.problem(j, f"unexpected '{toks[j][TEXT]}' in the METHOD parameters")
            return n
    if j >= n:
        p.problem(n - 1, "METHOD parameter list is not closed")
        return n
    if j + 1 < n and toks[j + 1][TEXT] != ";":
        p.problem(j + 1, f"unexpected '{toks[j + 1][TEXT]}' after the METHOD header")
        return n
    p.event("open", "method", head)
    p.tracker.new_method()
    for name, typ in params:
        p.tracker.declare(name, typ)
    return j + 1


def parse_field(p: Parser, i: int, n: int, in_if: int) -> int:
    """FIELD [modifiers] Type name [= expr] (class member), or the FIELD verb that sets a
    field of a templated string by name: FIELD rec$,"NAME"{,index}=value."""
    toks = p.toks
    if i + 2 < n and toks[i + 1][KIND] == "id" and toks[i + 2][TEXT] == ",":
        return p.generic(i + 1, n)
    i = _modifiers(toks, i + 1, n)
    j = parse_type(toks, i, n)
    if j < 0 or j >= n or toks[j][KIND] != "id":
        p.problem(min(max(j, i), n - 1), "FIELD is written 'FIELD [PUBLIC] Type name'")
        return n
    p.tracker.declare(toks[j][TEXT], _type_name(toks, i, j), field=True)
    j += 1
    if j < n and toks[j][TEXT] == "=":
        return p.expr(j + 1, n, "initial value", j)
    return _end(p, j, n, "FIELD declaration")


def parse_declare(p: Parser, i: int, n: int, in_if: int) -> int:
    """DECLARE [AUTO] Type name"""
    toks = p.toks
    i += 1
    if i < n and toks[i][LOW] == "auto":
        i += 1
    j = parse_type(toks, i, n)
    if j < 0 or j >= n or toks[j][KIND] != "id":
        p.problem(min(max(j, i), n - 1), "DECLARE is written 'DECLARE Type name!'")
        return n
    if toks[j - 1][TEXT] != "]":
        p.tracker.declare(toks[j][TEXT], _type_name(toks, i, j))
    j += 1
    while j + 1 < n and toks[j][TEXT] == "," and toks[j + 1][KIND] == "id":
        j += 2  # DECLARE Type a!, b!
    return _end(p, j, n, "DECLARE")


def parse_use(p: Parser, i: int, n: int, in_if: int) -> int:
    """USE java.pkg.Class  |  USE ::file.bbj::Class"""
    toks = p.toks
    j = parse_type(toks, i + 1, n)
    if j < 0:
        p.problem(min(i + 1, n - 1), "USE needs a class name")
        return n
    if j + 1 < n and toks[j][TEXT] == "." and toks[j + 1][TEXT] == "*":
        j += 2
    return _end(p, j, n, "USE")


def parse_def(p: Parser, i: int, n: int, in_if: int) -> int:
    """DEF FNname(params)=expr (one line)  |  DEF FNname(params) ... FNEND (block)"""
    toks = p.toks
    head = i
    i += 1
    if i >= n or toks[i][KIND] != "id":
        p.problem(min(i, n - 1), "DEF needs a function name")
        return n
    i += 1
    if i < n and toks[i][TEXT] == "(":
        j = i + 1
        while j < n and toks[j][KIND] == "id":
            j += 1
            if j < n and toks[j][TEXT] == ",":
                j += 1
        if j >= n or toks[j][TEXT] != ")":
            p.problem(min(j, n - 1), "DEF parameters are names separated by ','")
            return n
        i = j + 1
    if i < n and toks[i][TEXT] == "=":
        j, prob = scan_expr(toks, i + 1, n)
        if prob is not None or j == i + 1:
            at, message = prob if prob is not None else (i, "DEF needs a value after '='")
            p.problem(at, message)
            return n
        return j
    p.event("open", "def", head)
    return _end(p, i, n, "DEF header")
