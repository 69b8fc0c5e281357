"""check_source: guard rails, per-line token checks, statements, blocks, sorting.

Why the guard rails first: callers feed model output and scraped files; binary junk, huge
inputs and pathological nesting must produce one clear BBJ512 instead of a crash or a hang.
"""

from __future__ import annotations

import re

from .blocks import RawIssue, match_blocks
from .fabricated import FOREIGN_OPS, FOREIGN_WORDS, scan_tokens
from .issues import BRACKET, FABRICATED, LIMIT, STRING, UNEXPECTED, SyntaxIssue
from .lexer import KIND, LOW, POS, TEXT, Tok, plain_text, tokenize
from .statements import StatementParser

MAX_CHARS = 8_000_000
MAX_BRACKET_DEPTH = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_LINE_REST = re.compile(r"[ \t]*(?:\r\n|\r|\n|\Z)")
_LIBRARY = re.compile(r"\A\s*library[ \t]*(?:\r\n|\r|\n|\Z)", re.IGNORECASE)
_BAD_OPS = {
    "'": "unterminated mnemonic: a mnemonic is written 'NAME'",
    "$": "unexpected '$' (a hex string is written $0D0A$)",
}


_FOREIGN_OPS = FOREIGN_OPS | frozenset(_BAD_OPS)
_FOREIGN_WORDS = FOREIGN_WORDS


def _binary(text: str) -> int:
    """Offset of the first sign that this is not text, or -1."""
    nul = text.find("\x00")
    if nul >= 0:
        return nul
    sample = text[:200_000]
    if _CONTROL.search(sample) is None:
        return -1
    hits = _CONTROL.findall(sample)
    if len(hits) > max(8, len(sample) // 10):
        m = _CONTROL.search(sample)
        return m.start() if m else 0
    return -1


def _prescan(toks: list[Tok]) -> tuple[list[RawIssue], bool]:
    """Lexical problems, bracket balance and foreign constructs of one logical line.

    Returns (issues, too_deep). The foreign-construct scan only runs on lines that hold a
    token it could match, which keeps the common line to a single pass."""
    issues: list[RawIssue] = []
    stack: list[Tok] = []
    bracket_ok = True
    foreign = False
    prev = ";"
    for t in toks:
        k = t[KIND]
        if k == "op":
            v = t[TEXT]
            if v == "(" or v == "[":
                stack.append(t)
                if len(stack) > MAX_BRACKET_DEPTH:
                    message = f"brackets nested deeper than {MAX_BRACKET_DEPTH} levels; line not checked"
                    return [(t[POS], LIMIT, message)], True
            elif v == ")" or v == "]":
                if stack and (stack[-1][TEXT] == "(") == (v == ")"):
                    stack.pop()
                elif bracket_ok:
                    want = f"; '{stack[-1][TEXT]}' is still open" if stack else ""
                    issues.append((t[POS], BRACKET, f"unmatched '{v}'{want}"))
                    bracket_ok = False
            elif v in _FOREIGN_OPS:
                foreign = True
                if v in _BAD_OPS and not (v == "'" and prev == ";"):  # a leading ' is a VB comment
                    issues.append((t[POS], UNEXPECTED, _BAD_OPS[v]))
        elif k == "id":
            if t[LOW] in _FOREIGN_WORDS:
                foreign = True
        elif k == "ustr":
            issues.append((t[POS], STRING, "unterminated string: missing closing '\"'"))
        elif k == "bad":
            issues.append((t[POS], UNEXPECTED, f"unexpected character {t[TEXT]!r}"))
        elif k == "sq" or k == "js":
            foreign = True
        prev = t[TEXT]
    if stack and bracket_ok:
        t = stack[-1]
        close = ")" if t[TEXT] == "(" else "]"
        issues.append((t[POS], BRACKET, f"'{t[TEXT]}' is never closed: missing '{close}'"))
    if foreign:
        hits = scan_tokens(toks)
        if hits:
            idx, msg = hits[0]
            issues.append((toks[idx][POS], FABRICATED, msg))
    return issues, False


def _trailing_semicolons(text: str, lines: list[list[Tok]]) -> list[RawIssue]:
    """';' closing most lines is a JavaScript/Java habit (BBj allows a stray one, and
    `stmt; REM note` is the normal way to comment a line)."""
    ends = [line[-1] for line in lines if len(line) > 1 and line[-1][TEXT] == ";" and _LINE_REST.match(text, line[-1][POS] + 1)]
    if len(ends) >= 3 and 2 * len(ends) >= len(lines):
        return [(t[POS], FABRICATED, "';' ends most lines: JavaScript/Java statement terminators") for t in ends]
    return []


def _check(text: str) -> list[SyntaxIssue]:
    if len(text) > MAX_CHARS:
        return [SyntaxIssue(1, 1, LIMIT, f"input larger than {MAX_CHARS} characters; not checked")]
    plain = plain_text(text)
    bad = -1 if plain else _binary(text)
    if bad >= 0:
        line = text.count("\n", 0, bad) + 1
        col = bad - (text.rfind("\n", 0, bad) + 1) + 1
        return [SyntaxIssue(line, col, LIMIT, "input looks binary (control characters); not checked")]
    if _LIBRARY.match(text):
        return []  # a `library` declaration file of the language server, not a program
    lexed = tokenize(text, plain)
    where = lexed.where
    parser = StatementParser(lexed.col_of)
    raw: list[RawIssue] = []
    for toks, suspect in zip(lexed.lines, lexed.suspect):
        if suspect:
            issues, too_deep = _prescan(toks)
            if issues:
                raw.extend(issues)
            if not too_deep:
                parser.parse_line(toks, bool(issues))
        else:
            parser.parse_line(toks, False)
    raw.extend(parser.issues)
    raw.extend(_trailing_semicolons(text, lexed.lines))
    raw.extend(match_blocks(parser.events))
    out = {SyntaxIssue(*where(pos), code, msg) for pos, code, msg in raw}
    return sorted(out, key=lambda s: (s.line, s.col, s.code, s.message))


def check_source(text: str) -> list[SyntaxIssue]:
    """Check BBj source text; returns issues sorted by line. Never raises."""
    try:
        if not isinstance(text, str):
            text = text.decode("latin-1") if isinstance(text, (bytes, bytearray)) else str(text)
        return _check(text)
    except (RecursionError, MemoryError):
        return [SyntaxIssue(1, 1, LIMIT, "input too complex for the checker; not checked")]
    except Exception as exc:  # noqa: BLE001 - the contract is: never raise
        return [SyntaxIssue(1, 1, LIMIT, f"checker could not analyse this input ({type(exc).__name__})")]
