"""Constructs that language models borrow from JavaScript, Java or VB and that BBj never has.

Each rule is tied to a token shape that real BBj cannot produce, so a hit is a certain error;
where BBj has a look-alike (LET, DIM, STRING, SELECT, END, EXIT), the rule needs the foreign
continuation too (`DIM x AS`, `END IF`, `EXIT SUB`, `SELECT CASE`).
"""

from __future__ import annotations

from .lexer import KIND, LOW, POS, TEXT, Tok

Hit = tuple[int, str] | None  # (token index, message)

OP_MESSAGES = {
    "{": "'{' block: BBj has no braces (blocks end with METHODEND, FI, WEND, NEXT, ...)",
    "}": "'}' block end: BBj has no braces",
    "==": "'==' comparison: BBj compares with '='",
    "===": "'===' comparison: BBj compares with '='",
    "!==": "'!==' comparison: BBj uses '<>'",
    "!=": "'!=' comparison: BBj uses '<>'",
    "&&": "'&&': BBj uses AND",
    "||": "'||': BBj uses OR",
    "+=": "'+=' compound assignment: BBj writes x = x + y",
    "-=": "'-=' compound assignment: BBj writes x = x - y",
    "*=": "'*=' compound assignment: BBj writes x = x * y",
    "/=": "'/=' compound assignment: BBj writes x = x / y",
    "`": "backtick template literal: BBj strings use double quotes",
    "&": "'&' (VB string join / bitwise and): BBj joins strings with + and uses AND",
    "|": "'|' (bitwise or): BBj uses OR",
    "%": "'%' modulo: BBj uses MOD(a, b)",
    "\\": "'\\' integer division (VB): BBj uses INT(a / b)",
    "~": "'~' (bitwise not): BBj uses NOT()",
}
KIND_MESSAGES = {
    "js": "'//' or '/* */' comment: BBj comments start with REM",
    "sq": "single-quoted text: BBj strings use double quotes ('X' is a mnemonic)",
}
_JS_OBJECTS = {"console": "console.", "document": "document.", "json": "JSON."}
# Tokens that scan_tokens can match: lines without any are skipped cheaply by the caller.
FOREIGN_OPS = frozenset(OP_MESSAGES) | {"=>", "++", "--"}
FOREIGN_WORDS = frozenset(_JS_OBJECTS) | {"alert"}
_TYPE_WORDS = frozenset("int integer long short byte char float double boolean bool string void object number".split())
_VB_END = frozenset("if sub function while select class try with for loop property module method switch interface".split())
_NOT_KEYWORDS = {
    "elseif": "ELSEIF is not BBj: write ELSE then a nested IF ... FI",
    "elsif": "ELSIF is not BBj: write ELSE then a nested IF ... FI",
    "elif": "ELIF is not BBj: write ELSE then a nested IF ... FI",
    "endwhile": "ENDWHILE is not BBj: a WHILE loop ends with WEND",
    "endfor": "ENDFOR is not BBj: a FOR loop ends with NEXT",
    "endforeach": "ENDFOREACH is not BBj: a FOR loop ends with NEXT",
    "foreach": "FOREACH is not BBj: use FOR ... NEXT or an iterator WHILE loop",
    "endswitch": "ENDSWITCH is not BBj: a SWITCH ends with SWEND",
    "endfunction": "ENDFUNCTION is not BBj: a DEF FN ends with FNEND",
    "endsub": "ENDSUB is not BBj",
    "endclass": "ENDCLASS is not BBj: a class ends with CLASSEND",
    "endmethod": "ENDMETHOD is not BBj: a method ends with METHODEND",
    "endinterface": "ENDINTERFACE is not BBj: use INTERFACEEND",
    "endtry": "ENDTRY is not BBj: BBj has no try/catch",
}


def scan_tokens(toks: list[Tok]) -> list[tuple[int, str]]:
    """Foreign operators and token shapes anywhere in a logical line (first per line kept
    by the caller)."""
    hits: list[tuple[int, str]] = []
    n = len(toks)
    for idx, t in enumerate(toks):
        k = t[KIND]
        if k == "op":
            v = t[TEXT]
            msg = OP_MESSAGES.get(v)
            if msg is not None:
                hits.append((idx, msg))
            elif v == "=>":
                prev = toks[idx - 1][TEXT] if idx else ""
                nxt = toks[idx + 1][TEXT] if idx + 1 < n else ""
                if prev == ")" or nxt == "{" or idx + 1 == n:
                    hits.append((idx, "'=>' arrow function: BBj has no lambdas"))
            elif v == "++" or v == "--":
                before = toks[idx - 1][TEXT] if idx else ";"
                after = toks[idx + 1][TEXT] if idx + 1 < n else ";"
                if before == ";" or after == ";" or after == ")":
                    hits.append((idx, f"'{v}' increment: BBj writes x = x + 1"))
        elif k in KIND_MESSAGES:
            hits.append((idx, KIND_MESSAGES[k]))
        elif k == "id" and (idx == 0 or toks[idx - 1][TEXT] not in (".", "::", "#")):
            low = t[LOW]
            if (
                low in _JS_OBJECTS
                and idx + 2 < n
                and toks[idx + 1][TEXT] == "."
                and toks[idx + 2][KIND] == "id"
                and (low == "console" or (idx + 3 < n and toks[idx + 3][TEXT] == "("))
            ):
                hits.append((idx, f"JavaScript '{_JS_OBJECTS[low]}' call has no BBj meaning"))
            elif low == "alert" and idx + 1 < n and toks[idx + 1][TEXT] == "(":
                hits.append((idx, "JavaScript alert(): BBj uses MSGBOX()"))
    return hits


# First words of the foreign statement shapes below (besides `Type name` declarations,
# which the caller recognises by an identifier in second place).
FOREIGN_STARTS = frozenset(_NOT_KEYWORDS) | frozenset(
    "function var const let sub import try catch finally do loop public private protected set end exit select case dim msgbox ' #".split()
)


def check_stmt_start(toks: list[Tok], i: int, n: int) -> Hit:
    """Foreign statement shapes recognised by their first tokens."""
    t = toks[i]
    if t[KIND] != "id":
        if t[TEXT] == "'" or t[KIND] == "sq":
            return i, "VB-style ' comment: BBj comments start with REM"
        if t[TEXT] == "#" and i + 1 < n and toks[i + 1][POS] > t[POS] + 1:
            return i, "'#' comment: BBj comments start with REM (#name is a field of this object)"
        return None
    low = t[LOW]
    nxt: Tok = toks[i + 1] if i + 1 < n else ("", "", -1, "")
    nkind, nval, nlow = nxt[KIND], nxt[TEXT], nxt[LOW]
    if low in _NOT_KEYWORDS and (not nkind or nval != "="):
        return i, _NOT_KEYWORDS[low]
    if low == "function" and (nkind == "id" or nval == "("):
        return i, "JavaScript/VB 'function': BBj uses DEF FN ... FNEND or a METHOD in a CLASS"
    if low in ("var", "const") and nkind == "id":
        return i, f"JavaScript '{t[TEXT]}' declaration: BBj assigns directly or uses DECLARE"
    if low == "let" and nval in ("{", "["):
        return i, "JavaScript destructuring 'let': not BBj"
    if low == "sub" and nkind == "id":
        return i, "VB 'Sub': BBj uses labels with GOSUB/RETURN or a METHOD"
    if low == "import" and nkind == "id":
        return i, "Java 'import': BBj uses USE"
    if low in ("try", "catch", "finally") and (not nkind or nval in ("{", "(", ":")):
        return i, f"'{t[TEXT]}': BBj has no try/catch (use ERR= options or SETERR)"
    if low in ("do", "loop") and (not nkind or nlow in ("while", "until") or nval == "{"):
        return i, f"VB/JS '{t[TEXT]}' loop: BBj uses WHILE ... WEND or REPEAT ... UNTIL"
    if low in ("public", "private", "protected") and nkind == "id":
        return i, f"'{t[TEXT]}' modifier outside CLASS/FIELD/METHOD: not BBj"
    if low == "set" and nkind == "id" and i + 2 < n and toks[i + 2][TEXT] == "=":
        return i, "VB 'Set x =': BBj assigns with x! = ..."
    if low == "end" and nkind == "id" and nlow in _VB_END:
        return i, f"VB 'End {nxt[TEXT]}': BBj closes blocks with FI, METHODEND, WEND, NEXT, SWEND"
    if low == "exit" and nkind == "id" and nlow in ("sub", "function", "for", "do", "while"):
        return i, f"VB 'Exit {nxt[TEXT]}': BBj uses BREAK, RETURN or METHODRET"
    if low == "select" and nlow == "case":
        return i, "VB 'Select Case': BBj uses SWITCH ... CASE ... SWEND"
    if low == "case" and nlow == "else":
        return i, "VB 'Case Else': BBj uses CASE DEFAULT"
    if low == "msgbox" and nkind == "str":
        return i, 'VB \'MsgBox "..."\' statement: BBj calls a = MSGBOX("...")'
    if low == "dim":
        for j in range(i + 2, n):
            if toks[j][KIND] == "id" and toks[j][LOW] == "as" and toks[j - 1][KIND] == "id":
                return j, "VB 'Dim x As Type': BBj uses DECLARE Type x! or DIM for arrays/strings"
            if toks[j][TEXT] == ";":
                break
    if nkind == "id" and "$" not in t[TEXT] and (low in _TYPE_WORDS or (low.startswith("bbj") and low[-1].isalnum())):
        after = toks[i + 2][TEXT] if i + 2 < n else ";"
        if after == "=" or (after == ";" and low != "string"):
            return i, f"Java-style typed declaration '{t[TEXT]} {nxt[TEXT]}': BBj uses DECLARE {t[TEXT]} {nxt[TEXT]}"
    return None
