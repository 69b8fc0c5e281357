"""A flat (non-recursive) expression scanner for BBj.

Why flat: deeply nested input must never hit Python's recursion limit, and a state machine
over the token list is also the fastest thing Python can do here. The scanner only decides
where an expression ends and whether it is well-formed (operand/operator alternation,
brackets); it builds no tree. It is deliberately permissive: BBj accepts a lot.
"""

from __future__ import annotations

from .lexer import KIND, LOW, TEXT, Tok

# (token index, message) of the first problem found, or None.
Problem = tuple[int, str] | None

BINARY_OPS = frozenset(["+", "-", "*", "/", "^", "=", "<", ">", "<=", ">=", "<>", "=<", "=>", ":", "++", "--"])
WORD_OPS = frozenset(["and", "or"])
# Reserved words that end an expression (IF ... THEN, FOR ... TO ... STEP).
STOP_WORDS = frozenset(["then", "else", "fi", "endif", "to", "step"])
# TO and STEP are also ordinary variable names to BASIS's compiler (`STEP=1`): assigned at the
# start of an expression they are a name, not the end of a FOR limit.
NAME_STOP_WORDS = frozenset(["to", "step"])
# Clause words of SELECT ... FROM ... WHERE ... SORTBY ... LIMIT and BEGIN/CLEAR EXCEPT: they only
# separate the items of a verb's argument list (scan_items) and stay ordinary names elsewhere,
# so `limit = 10` or `x = from + 1` are plain assignments.
CLAUSE_WORDS = frozenset(["from", "where", "sortby", "limit", "except"])
UNARY_OPS = frozenset(["-", "+", "!", "--", "++"])
_OPERAND_KINDS = frozenset(["num", "str", "hex", "mn"])
_STARTS_OPERAND = frozenset(["id", "num", "str", "hex", "mn", "fp"])
_CLOSE_OF = {"(": ")", "[": "]"}


def scan_expr(toks: list[Tok], i: int, n: int, juxt: bool = False) -> tuple[int, Problem]:
    """Scan one expression starting at toks[i]; return (index after it, problem or None).

    An expression ends at depth 0 on ',', ';', a stop word, or an operand that follows a
    complete operand (juxtaposition). `juxt` only documents the caller's intent: deciding
    whether a juxtaposed operand is legal is the caller's job.
    """
    stack: list[str] = []
    operand = True  # True while an operand is expected
    start = i
    while i < n:
        t = toks[i]
        k = t[KIND]
        v = t[TEXT]
        if operand:
            if k == "id":
                low = t[LOW]
                if low in STOP_WORDS and not stack and not (i == start and low in NAME_STOP_WORDS and i + 1 < n and toks[i + 1][TEXT] == "="):
                    return i, (i, f"missing operand before '{v}'") if i > start else None
                if low != "new":
                    operand = False
            elif k in _OPERAND_KINDS:
                operand = False
            elif k == "fp":
                pass  # ::file.bbj::Class -- the class name follows
            elif k == "op":
                if v == "(" or v == "[":
                    stack.append(_CLOSE_OF[v])
                elif v in UNARY_OPS or v == "#":
                    pass
                elif v == "@":
                    if i + 1 >= n or toks[i + 1][TEXT] != "(":
                        return i, (i, "'@' must be followed by '(' (cursor position @(col,row))")
                elif v == "*":
                    # *NEXT / *ENDIF / *BREAK symbolic label (one operand, even when the word is
                    # reserved elsewhere: `ERR=*ENDIF`), or a lone '*' (null field in I/O lists)
                    operand = False
                    if i + 1 < n and toks[i + 1][KIND] == "id":
                        i += 1
                elif stack and (v == ")" or v == "]"):
                    prev = toks[i - 1][TEXT] if i > start else ""
                    if v != stack[-1]:
                        return i, (i, f"unexpected '{v}'")
                    if prev not in ("(", "[", ","):
                        return i, (i, f"missing operand before '{v}'")
                    stack.pop()
                    operand = False
                elif stack and v == ",":
                    pass  # empty argument, e.g. f(a,,b)
                else:
                    if i == start:
                        return i, None
                    return i, (i, f"missing operand before '{v}'")
            else:
                return i, (i, f"unexpected '{v}'")
        else:
            if k == "op":
                if v == "*" and not stack and (i + 1 == n or toks[i + 1][TEXT] in (",", ";")):
                    return i, None  # a lone '*' item (null field) after a channel: READ(1)*,A$
                if v in BINARY_OPS:
                    operand = True
                elif v == "@" and i + 1 < n and toks[i + 1][TEXT] == "(":
                    stack.append(")")  # String@(): client-object constructor
                    operand = True
                    i += 2
                    continue
                elif v == "." or v == "::":
                    if i + 1 < n and toks[i + 1][KIND] == "id":
                        i += 2
                        continue
                    return i, (i, f"expected a member name after '{v}'")
                elif v == "(" or v == "[":
                    stack.append(_CLOSE_OF[v])
                    operand = True
                elif v == ")" or v == "]":
                    if not stack:
                        return i, None
                    if v != stack[-1]:
                        return i, (i, f"unexpected '{v}'")
                    stack.pop()
                elif v == ",":
                    if not stack:
                        return i, None
                    operand = True
                elif not stack:
                    return i, None
                elif v in ("#", "@"):
                    return i, (i, f"missing operator or ',' before '{v}'")
                else:
                    return i, (i, f"unexpected '{v}'")
            elif k == "id" and t[LOW] in WORD_OPS:
                operand = True
            elif not stack:
                return i, None  # juxtaposition or stop word ends the expression
            elif k in _STARTS_OPERAND:
                return i, (i, f"missing operator or ',' before '{v}'")
            else:
                return i, (i, f"unexpected '{v}'")
        i += 1
    if stack:
        return i, None  # unbalanced brackets are reported by the bracket pass
    if operand and i > start:
        last = toks[i - 1]
        if last[TEXT] in BINARY_OPS or last[LOW] in WORD_OPS or last[TEXT] in UNARY_OPS:
            return i, (i - 1, f"missing operand after '{last[TEXT]}'")
        return i, (i - 1, f"incomplete expression after '{last[TEXT]}'")
    return i, None


def scan_items(toks: list[Tok], i: int, n: int) -> tuple[int, Problem]:
    """Scan a permissive verb argument list: expressions separated by ',' or juxtaposed
    (PRINT (1)'CS',@(0,0)"x", SQLPREP(1)"...", SELECT ... FROM ... WHERE ...)."""
    while i < n:
        t = toks[i]
        v = t[TEXT]
        if v == ";":
            return i, None
        if t[KIND] == "id":
            low = t[LOW]
            if low in ("else", "fi", "endif", "then"):
                return i, None
            if low in STOP_WORDS or low in CLAUSE_WORDS:
                i += 1
                continue
        elif v == ",":
            i += 1
            continue
        j, prob = scan_expr(toks, i, n, juxt=True)
        if prob is not None:
            return j, prob
        if j == i:
            return i, (i, f"unexpected '{v}'")
        i = j
    return i, None
